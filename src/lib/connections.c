/* SPDX-License-Identifier: MIT */
/* The portable half of connection monitoring: the public list, state and
 * protocol names, and the order of a collection (which backend first, when
 * to fall back, whether to look up owners). The platform's socket I/O and
 * the /proc walk live in the backend files behind connlist.h; this file
 * must not know how sockets are read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "connlist.h"
#include "nmerror.h"

#define NM_CONN_FLAGS_KNOWN                                                                  \
    (NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP | NETMETRICS_CONN_INET | NETMETRICS_CONN_INET6 | \
     NETMETRICS_CONN_PROCESSES)

static const char *const nm_state_names[NETMETRICS_CONN_STATE_COUNT] = {
    "unknown",   "established", "syn_sent", "syn_recv",   "fin_wait1", "fin_wait2", "time_wait",
    "close",     "close_wait",  "last_ack", "listen",     "closing",   "unconn",
};

const char *netmetrics_conn_state_string(netmetrics_conn_state state)
{
    if ((unsigned)state >= NETMETRICS_CONN_STATE_COUNT)
        return "unknown";
    return nm_state_names[state];
}

const char *netmetrics_conn_protocol_string(netmetrics_conn_protocol protocol)
{
    switch (protocol) {
    case NETMETRICS_CONN_PROTO_TCP:
        return "tcp";
    case NETMETRICS_CONN_PROTO_UDP:
        return "udp";
    default:
        return "other";
    }
}

netmetrics_conn_state nm_conn_state_from_linux(netmetrics_conn_protocol proto, unsigned kstate)
{
    if (proto == NETMETRICS_CONN_PROTO_UDP) {
        if (kstate == 7) /* TCP_CLOSE */
            return NETMETRICS_CONN_STATE_UNCONN;
        if (kstate == 1) /* TCP_ESTABLISHED: a connect()ed UDP socket */
            return NETMETRICS_CONN_STATE_ESTABLISHED;
        return NETMETRICS_CONN_STATE_UNKNOWN;
    }
    if (kstate >= 1 && kstate <= 11) /* TCP_ESTABLISHED .. TCP_CLOSING */
        return (netmetrics_conn_state)kstate;
    if (kstate == 12) /* TCP_NEW_SYN_RECV: a request socket */
        return NETMETRICS_CONN_STATE_SYN_RECV;
    return NETMETRICS_CONN_STATE_UNKNOWN;
}

/* ------------------------------------------------------------------ list -- */

netmetrics_connection *nm_connlist_add(netmetrics_connections *l)
{
    netmetrics_connection *c;

    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        netmetrics_connection *n;

        if (ncap > SIZE_MAX / sizeof *n)
            return NULL;
        n = realloc(l->items, ncap * sizeof *n);
        if (!n)
            return NULL;
        l->items = n;
        l->cap = ncap;
    }
    c = &l->items[l->count++];
    memset(c, 0, sizeof *c);
    c->pid = -1;
    c->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;
    return c;
}

void nm_connlist_drop_last(netmetrics_connections *l)
{
    if (l->count)
        l->count--;
}

void nm_connlist_truncate(netmetrics_connections *l, size_t n)
{
    if (n < l->count)
        l->count = n;
}

size_t netmetrics_connections_count(const netmetrics_connections *list)
{
    return list ? list->count : 0;
}

const netmetrics_connection *netmetrics_connections_get(const netmetrics_connections *list,
                                                        size_t i)
{
    if (!list || i >= list->count)
        return NULL;
    return &list->items[i];
}

const char *netmetrics_connections_backend(const netmetrics_connections *list)
{
    return list && list->backend ? list->backend : "";
}

size_t netmetrics_connections_malformed(const netmetrics_connections *list)
{
    return list ? list->malformed : 0;
}

netmetrics_status netmetrics_connections_owner_status(const netmetrics_connections *list)
{
    return list ? list->owner_status : NETMETRICS_ERR_NOT_AVAILABLE;
}

void netmetrics_connections_free(netmetrics_connections *list)
{
    if (!list)
        return;
    free(list->items);
    free(list);
}

/* ------------------------------------------------------------ collection -- */

static netmetrics_status collect_procfs(netmetrics_connections *l, const char *proc_root,
                                        unsigned flags, netmetrics_error *err)
{
    l->count = 0;
    l->malformed = 0;
    l->backend = "procfs";
    return nm_conn_collect_procfs(l, proc_root, flags, err);
}

static netmetrics_status collect_netlink(netmetrics_connections *l, unsigned flags,
                                         netmetrics_error *err)
{
    l->count = 0;
    l->malformed = 0;
    l->backend = "netlink";
    return nm_conn_collect_netlink(l, flags, err);
}

/* The socket-table seam (connlist.h) a backend id selects: the platform's
 * native interface backend names its native table (nm_conn_collect_netlink:
 * sock_diag on Linux, libproc on macOS), its fallback the fallback
 * (nm_conn_collect_procfs: /proc/net on Linux, libproc again on macOS,
 * which has one table); the platform's table in backend.h says which ids
 * those are. Another platform's backend is NOT_AVAILABLE; AUTO and
 * unknown ids pass through. */
static netmetrics_status seam_of(netmetrics_backend b, netmetrics_backend *seam,
                                 netmetrics_error *err)
{
    const nm_platform_backend *p = nm_platform_backends;

    *seam = b;
    if (b == NETMETRICS_BACKEND_AUTO || strcmp(netmetrics_backend_name(b), "unknown") == 0)
        return NETMETRICS_OK;
    if (p[0].ops && b == p[0].id)
        *seam = NETMETRICS_BACKEND_NETLINK;
    else if (p[0].ops && p[1].ops && b == p[1].id)
        *seam = NETMETRICS_BACKEND_PROCFS;
    else
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                            "backend %s is not available on this platform (%s)",
                            netmetrics_backend_name(b), NM_OS);
    return NETMETRICS_OK;
}

netmetrics_status netmetrics_connections_collect(const netmetrics_collector_options *opts,
                                                 unsigned flags, netmetrics_connections **out,
                                                 netmetrics_error *err)
{
    netmetrics_backend backend = NETMETRICS_BACKEND_AUTO;
    const char *proc_root = "/proc";
    netmetrics_connections *l;
    netmetrics_status st;

    if (!out)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no place for the connection list");
    *out = NULL;
    if (flags & ~NM_CONN_FLAGS_KNOWN)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "unknown connection flags 0x%x",
                            flags & ~NM_CONN_FLAGS_KNOWN);
    if (!(flags & (NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP)))
        flags |= NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP;
    if (!(flags & (NETMETRICS_CONN_INET | NETMETRICS_CONN_INET6)))
        flags |= NETMETRICS_CONN_INET | NETMETRICS_CONN_INET6;
    if (opts) {
        backend = opts->backend;
        if (opts->proc_root && opts->proc_root[0])
            proc_root = opts->proc_root;
    }
    st = seam_of(backend, &backend, err);
    if (st != NETMETRICS_OK)
        return st;
    l = calloc(1, sizeof *l);
    if (!l)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    l->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;

    switch (backend) {
    case NETMETRICS_BACKEND_NETLINK:
        st = collect_netlink(l, flags, err);
        break;
    case NETMETRICS_BACKEND_PROCFS:
        st = collect_procfs(l, proc_root, flags, err);
        break;
    case NETMETRICS_BACKEND_AUTO: {
        netmetrics_error nerr;

        nm_error_clear(&nerr);
        st = collect_netlink(l, flags, &nerr);
        if (st != NETMETRICS_OK && st != NETMETRICS_ERR_NO_MEMORY) {
            /* sock_diag missing (a container, a kernel without inet_diag):
             * the text files carry the same table, at a higher cost. */
            st = collect_procfs(l, proc_root, flags, err);
            if (st != NETMETRICS_OK && err)
                nm_error_prefix(err, nerr.message);
        } else if (st != NETMETRICS_OK && err) {
            *err = nerr;
        }
        break;
    }
    default:
        st = nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "unknown backend %d", (int)backend);
    }
    if (st == NETMETRICS_OK && (flags & NETMETRICS_CONN_PROCESSES)) {
        netmetrics_error oerr;

        /* No owners is not a failed collection: every socket is still
         * there, and owner_status says why the pids are missing. */
        nm_error_clear(&oerr);
        if (nm_conn_find_owners(l, proc_root, &oerr) == NETMETRICS_ERR_NO_MEMORY)
            st = nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    if (st != NETMETRICS_OK) {
        netmetrics_connections_free(l);
        return st;
    }
    *out = l;
    return NETMETRICS_OK;
}

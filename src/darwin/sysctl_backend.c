/* SPDX-License-Identifier: MIT */
/* The native macOS backend. One sysctl {CTL_NET, PF_ROUTE, 0, 0,
 * NET_RT_IFLIST2, 0} gives every interface with its index, flags, type,
 * MTU, speed, name, MAC and 64-bit counters (walked by ifmsg_parse.c).
 * Its byte counters cannot be trusted by a program Apple did not sign (the
 * kernel rounds them to 1 KiB and, since xnu-7195, cuts them to 32 bits),
 * so each interface's bytes come from {CTL_NET, PF_LINK, NETLINK_GENERIC,
 * IFMIB_IFDATA, ifindex, IFDATA_GENERAL} (struct ifmibdata, read by
 * ifmib_parse.c), which is neither. When that per-interface read fails the
 * interface's byte counters are left out rather than exported wrong.
 * Addresses come from getifaddrs() (addrlist.c). No counter here is 32 bits
 * wide, so counters_32bit stays 0. Compiled on macOS only. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <net/if.h>
#include <net/if_mib.h>
#include <net/route.h>
#include <netinet/in.h>

#include "addrlist.h"
#include "backend.h"
#include "darwin_layout.h"
#include "darwin_util.h"
#include "ifmib_parse.h"
#include "ifmsg_parse.h"
#include "nmerror.h"
#include "snapshot.h"

/* Interfaces may appear between the size query and the fetch; a few
 * retries with room to spare settle it. */
#define NM_SYSCTL_TRIES 8
/* A sane ceiling: ~200 bytes per interface, room for 100,000 of them. */
#define NM_SYSCTL_MAX (64u * 1024u * 1024u)

typedef struct nm_sysctl {
    unsigned char *buf;
    size_t cap;
    nm_dw_classifier *cls; /* functional type, SystemConfiguration */
} nm_sysctl;

typedef struct nm_sysctl_collect {
    nm_sysctl *s;
    netmetrics_snapshot *snap;
    netmetrics_error *err;
} nm_sysctl_collect;

/* Fetches the NET_RT_IFLIST2 table into s->buf: size it, allocate with
 * slack, fetch; ENOMEM means it grew in between, so size it again. */
static netmetrics_status fetch_iflist2(nm_sysctl *s, size_t *len, netmetrics_error *err)
{
    int mib[6] = {CTL_NET, PF_ROUTE, 0, 0, NET_RT_IFLIST2, 0};
    int tries;

    for (tries = 0; tries < NM_SYSCTL_TRIES; tries++) {
        size_t need = 0, want;

        if (sysctl(mib, 6, NULL, &need, NULL, 0) < 0)
            return nm_error_errno(err, errno, "sysctl NET_RT_IFLIST2 (size)");
        want = need + need / 4 + 4096;
        if (want > NM_SYSCTL_MAX)
            return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0,
                                "sysctl NET_RT_IFLIST2 wants %zu bytes", need);
        if (want > s->cap) {
            unsigned char *nb = realloc(s->buf, want);

            if (!nb)
                return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
            s->buf = nb;
            s->cap = want;
        }
        *len = s->cap;
        if (sysctl(mib, 6, s->buf, len, NULL, 0) == 0)
            return NETMETRICS_OK;
        if (errno != ENOMEM)
            return nm_error_errno(err, errno, "sysctl NET_RT_IFLIST2");
    }
    return nm_error_set(err, NETMETRICS_ERR_SYSTEM, ENOMEM,
                        "sysctl NET_RT_IFLIST2: the table kept growing (%d tries)", tries);
}

/* The unrounded byte counters of one interface. NETMETRICS_OK, or an error
 * (ENOENT/ENXIO: it vanished since the table was read). */
static netmetrics_status read_ifmib(unsigned ifindex, nm_dw_ifmib *mib, netmetrics_error *err)
{
    int name[6] = {CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, (int)ifindex, IFDATA_GENERAL};
    struct ifmibdata data;
    size_t len = sizeof data;

    if (sysctl(name, 6, &data, &len, NULL, 0) < 0)
        return nm_error_errno(err, errno, "sysctl ifmibdata of ifindex %u", ifindex);
    return nm_dw_ifmib_parse(&data, len, mib, err);
}

static netmetrics_status add_link(const nm_dw_iflink *l, void *arg)
{
    nm_sysctl_collect *c = arg;
    struct netmetrics_interface *iface;
    nm_dw_ifmib mib;
    netmetrics_error merr;

    iface = nm_snapshot_add_interface(c->snap);
    if (!iface)
        return nm_error_set(c->err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    nm_dw_iflink_fill(l, iface);
    if (!l->have_sdl && !if_indextoname(l->index, iface->name)) {
        nm_snapshot_drop_last(c->snap); /* no name: gone already */
        return NETMETRICS_OK;
    }
    if (read_ifmib(l->index, &mib, &merr) == NETMETRICS_OK && strcmp(mib.name, iface->name) == 0)
        nm_dw_ifdata_fill_bytes(&mib.data, iface);
    else
        iface->stats_valid &= ~((1u << NETMETRICS_STAT_RX_BYTES) |
                                (1u << NETMETRICS_STAT_TX_BYTES));
    if (nm_dw_classify_iface(c->s->cls, iface, l->bsd_flags, l->data.type,
                             &c->snap->strings) < 0)
        return nm_error_set(c->err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    return NETMETRICS_OK;
}

static void sysctl_free(nm_sysctl *s)
{
    if (!s)
        return;
    nm_dw_classifier_free(s->cls);
    free(s->buf);
    free(s);
}

static netmetrics_status sysctl_open(void **state, const nm_roots *roots, netmetrics_error *err)
{
    nm_sysctl *s;
    netmetrics_status st;
    size_t len;

    (void)roots;
    *state = NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    s->cls = nm_dw_classifier_new();
    if (!s->cls) {
        sysctl_free(s);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    }
    /* a real fetch, which also warms the buffer for the first scrape */
    st = fetch_iflist2(s, &len, err);
    if (st != NETMETRICS_OK) {
        sysctl_free(s);
        return st;
    }
    *state = s;
    return NETMETRICS_OK;
}

static netmetrics_status sysctl_collect_links(void *state, netmetrics_snapshot *snap,
                                              netmetrics_error *err)
{
    nm_sysctl *s = state;
    nm_sysctl_collect c;
    nm_dw_ifmsg_summary sum;
    netmetrics_status st;
    size_t len;

    st = fetch_iflist2(s, &len, err);
    if (st != NETMETRICS_OK)
        return st;
    c.s = s;
    c.snap = snap;
    c.err = err;
    st = nm_dw_ifmsg_walk(s->buf, len, add_link, &c, &sum, err);
    if (st != NETMETRICS_OK)
        return st;
    if (sum.links == 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "NET_RT_IFLIST2 held no RTM_IFINFO2 message (%zu messages)",
                            sum.messages);
    return NETMETRICS_OK;
}

static netmetrics_status sysctl_collect_addresses(void *state, netmetrics_snapshot *snap,
                                                  netmetrics_error *err)
{
    (void)state;
    return nm_ifaddrs_collect(snap, err);
}

static void sysctl_close(void *state)
{
    sysctl_free(state);
}

const nm_backend_ops nm_backend_sysctl = {
    "sysctl",
    sysctl_open,
    sysctl_collect_links,
    sysctl_collect_addresses,
    sysctl_close,
};

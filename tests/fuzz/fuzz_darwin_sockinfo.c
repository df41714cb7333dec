/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the macOS socket_fdinfo decoder (libproc's
 * PROC_PIDFDSOCKETINFO answer) and the table that merges a socket several
 * processes hold, which Linux builds too. The first byte picks the
 * collection flags; the rest is cut into socket_fdinfo-sized records (the
 * last one may be short), each parsed from an exact-size heap copy and,
 * when it is a TCP or UDP socket, added to one table as if a different
 * process held it. Every entry must come out well formed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "connlist.h"
#include "darwin_layout.h"
#include "fuzz_common.h"
#include "sockinfo_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_addr(const netmetrics_address *a, int family)
{
    if (a->family != family)
        nm_fuzz_fail("address family differs from the socket's");
    if (a->prefix_length != (family == NETMETRICS_FAMILY_INET ? 32u : 128u) || a->scope != 0)
        nm_fuzz_fail("address prefix or scope wrong");
}

static void check_conn(const netmetrics_connection *c, unsigned flags)
{
    if (c->protocol != NETMETRICS_CONN_PROTO_TCP && c->protocol != NETMETRICS_CONN_PROTO_UDP)
        nm_fuzz_fail("protocol out of range");
    if (c->family != NETMETRICS_FAMILY_INET && c->family != NETMETRICS_FAMILY_INET6)
        nm_fuzz_fail("family out of range");
    if ((unsigned)c->state >= NETMETRICS_CONN_STATE_COUNT)
        nm_fuzz_fail("state out of range");
    if (c->protocol == NETMETRICS_CONN_PROTO_UDP && c->state != NETMETRICS_CONN_STATE_UNCONN &&
        c->state != NETMETRICS_CONN_STATE_ESTABLISHED)
        nm_fuzz_fail("UDP socket in a TCP state");
    check_addr(&c->local_addr, c->family);
    check_addr(&c->remote_addr, c->family);
    if (memchr(c->process_name, '\0', sizeof c->process_name) == NULL)
        nm_fuzz_fail("process name not NUL-terminated");
    if ((flags & NETMETRICS_CONN_PROCESSES) ? c->pid <= 0 || c->owner_status != NETMETRICS_OK
                                            : c->pid != -1)
        nm_fuzz_fail("owner fields inconsistent with the flags");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_connections *l;
    nm_dw_socktab tab;
    unsigned flags;
    size_t off, i, parsed = 0;
    int32_t pid = 1000;

    if (size < 1)
        return 0;
    flags = data[0] & (NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP | NETMETRICS_CONN_INET |
                       NETMETRICS_CONN_INET6 | NETMETRICS_CONN_PROCESSES);
    /* defaulted as netmetrics_connections_collect does */
    if (!(flags & (NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP)))
        flags |= NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP;
    if (!(flags & (NETMETRICS_CONN_INET | NETMETRICS_CONN_INET6)))
        flags |= NETMETRICS_CONN_INET | NETMETRICS_CONN_INET6;
    l = calloc(1, sizeof *l);
    if (!l)
        return 0;
    nm_dw_socktab_init(&tab);
    for (off = 1; off < size; off += NM_DW_SFI_SIZE) {
        size_t n = size - off < NM_DW_SFI_SIZE ? size - off : NM_DW_SFI_SIZE;
        unsigned char *copy = malloc(n);
        nm_dw_owner owner;
        nm_dw_sock s;
        netmetrics_error err;
        netmetrics_status st;

        if (!copy)
            break;
        memcpy(copy, data + off, n);
        st = nm_dw_sockinfo_parse(copy, n, &s, &err);
        free(copy);
        if (st == NETMETRICS_ERR_PARSE && n == NM_DW_SFI_SIZE)
            nm_fuzz_fail("a full-size record was rejected as malformed");
        if (st != NETMETRICS_OK)
            continue;
        parsed++;
        check_conn(&s.conn, 0);
        /* alternate pids down and up, so merging must pick the lowest */
        pid = (parsed & 1) ? pid - 7 : pid + 13;
        owner.pid = pid;
        owner.uid = (uint32_t)parsed;
        owner.name = "fuzz-owner-with-a-long-name";
        if (nm_dw_socktab_add(&tab, l, &s, flags, &owner, &err) != NETMETRICS_OK)
            break;
    }
    if (netmetrics_connections_count(l) > parsed)
        nm_fuzz_fail("more entries than sockets");
    for (i = 0; i < netmetrics_connections_count(l); i++)
        check_conn(netmetrics_connections_get(l, i), flags);
    nm_dw_socktab_free(&tab);
    netmetrics_connections_free(l);
    return 0;
}

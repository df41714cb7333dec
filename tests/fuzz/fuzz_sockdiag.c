/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the sock_diag (inet_diag) parser, fed the input as the
 * recv() buffers of a SOCK_DIAG_BY_FAMILY dump (twice, so the walker's
 * hand-over is covered). The first byte picks the protocol the caller
 * asked for. Every entry must have a family the library knows. */
#include "config.h"

#include <stdlib.h>

#include "connlist.h"
#include "fuzz_common.h"
#include "rtnl_parse.h"
#include "sockdiag_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_connections *l;
    nm_rtnl_walker w;
    netmetrics_error err;
    netmetrics_conn_protocol proto;
    size_t skipped = 0, i;
    int round;

    if (size < 1)
        return 0;
    l = calloc(1, sizeof *l);
    if (!l)
        return 0;
    proto = (data[0] & 1) ? NETMETRICS_CONN_PROTO_UDP : NETMETRICS_CONN_PROTO_TCP;
    nm_rtnl_walk_init(&w);
    for (round = 0; round < 2; round++) {
        if (nm_sockdiag_feed(&w, data + 1, size - 1, proto, l, &skipped, &err) != NETMETRICS_OK ||
            nm_rtnl_walk_done(&w))
            break;
    }
    for (i = 0; i < l->count; i++) {
        const netmetrics_connection *c = &l->items[i];

        if (c->family != NETMETRICS_FAMILY_INET && c->family != NETMETRICS_FAMILY_INET6)
            nm_fuzz_fail("connection with an unknown family");
        if (c->protocol != proto)
            nm_fuzz_fail("connection with another protocol than asked");
    }
    netmetrics_connections_free(l);
    return 0;
}

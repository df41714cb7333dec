/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the /proc/net/{tcp,tcp6,udp,udp6} parser. The first
 * byte picks the file (family and protocol); the rest is its text. Every
 * entry must carry the family and protocol the file implies. */
#include "config.h"

#include <stdlib.h>

#include "connlist.h"
#include "fuzz_common.h"
#include "proc_net_tcp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_connections *l;
    netmetrics_error why, err;
    netmetrics_conn_protocol proto;
    int family;
    size_t i;

    if (size < 1)
        return 0;
    l = calloc(1, sizeof *l);
    if (!l)
        return 0;
    family = (data[0] & 1) ? NETMETRICS_FAMILY_INET6 : NETMETRICS_FAMILY_INET;
    proto = (data[0] & 2) ? NETMETRICS_CONN_PROTO_UDP : NETMETRICS_CONN_PROTO_TCP;
    nm_proc_net_parse((const char *)data + 1, size - 1, family, proto, l, &why, &err);
    for (i = 0; i < l->count; i++) {
        if (l->items[i].family != family || l->items[i].protocol != proto)
            nm_fuzz_fail("entry with another family or protocol than the file's");
    }
    netmetrics_connections_free(l);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* Parsing inet_diag_msg replies. The fixed part of the message carries
 * everything a connection entry needs (addresses, ports in network order,
 * state, queues, uid, inode), so no attribute is requested or read. The
 * header is copied out with memcpy once its length is checked: replies may
 * sit at any offset of a buffer a test or fuzzer hands us. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "nmerror.h"
#include "sockdiag_parse.h"

static uint16_t be16_value(uint16_t be)
{
    const unsigned char *p = (const unsigned char *)&be;

    return (uint16_t)((p[0] << 8) | p[1]);
}

static void set_addr(netmetrics_address *a, int family, const uint32_t words[4])
{
    memset(a, 0, sizeof *a);
    a->family = family;
    a->prefix_length = family == NETMETRICS_FAMILY_INET ? 32 : 128;
    /* The words hold the address in network order already. */
    memcpy(a->bytes, words, family == NETMETRICS_FAMILY_INET ? 4 : 16);
}

netmetrics_status nm_sockdiag_parse_msg(const void *payload, size_t len,
                                        netmetrics_conn_protocol proto,
                                        netmetrics_connection *out, netmetrics_error *err)
{
    struct inet_diag_msg m;
    int family;

    memset(out, 0, sizeof *out);
    out->pid = -1;
    out->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;
    if (len < sizeof m)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "sock_diag: %zu-byte reply is shorter than inet_diag_msg (%zu)", len,
                            sizeof m);
    memcpy(&m, payload, sizeof m);
    if (m.idiag_family == AF_INET)
        family = NETMETRICS_FAMILY_INET;
    else if (m.idiag_family == AF_INET6)
        family = NETMETRICS_FAMILY_INET6;
    else
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "sock_diag: family %u",
                            (unsigned)m.idiag_family);
    out->protocol = proto;
    out->family = family;
    set_addr(&out->local_addr, family, m.id.idiag_src);
    set_addr(&out->remote_addr, family, m.id.idiag_dst);
    out->local_port = be16_value(m.id.idiag_sport);
    out->remote_port = be16_value(m.id.idiag_dport);
    out->state = nm_conn_state_from_linux(proto, m.idiag_state);
    out->uid = m.idiag_uid;
    out->inode = m.idiag_inode;
    out->receive_queue = m.idiag_rqueue;
    out->send_queue = m.idiag_wqueue;
    return NETMETRICS_OK;
}

netmetrics_status nm_sockdiag_feed(nm_rtnl_walker *w, const void *buf, size_t len,
                                   netmetrics_conn_protocol proto, netmetrics_connections *l,
                                   size_t *skipped, netmetrics_error *err)
{
    nm_rtnl_walk_buffer(w, buf, len);
    for (;;) {
        nm_rtnl_msg msg;
        netmetrics_connection *c;
        netmetrics_status st;

        switch (nm_rtnl_walk_next(w, &msg, err)) {
        case NM_RTNL_STEP_MORE:
        case NM_RTNL_STEP_DONE:
            return NETMETRICS_OK;
        case NM_RTNL_STEP_ERROR:
            return err ? err->code : NETMETRICS_ERR_PARSE;
        case NM_RTNL_STEP_MSG:
            break;
        }
        if (msg.type != SOCK_DIAG_BY_FAMILY) {
            (*skipped)++;
            continue;
        }
        c = nm_connlist_add(l);
        if (!c)
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        st = nm_sockdiag_parse_msg(msg.payload, msg.payload_len, proto, c, NULL);
        if (st != NETMETRICS_OK) {
            nm_connlist_drop_last(l);
            if (st == NETMETRICS_ERR_NOT_AVAILABLE)
                (*skipped)++;
            else
                l->malformed++;
        }
    }
}

/* SPDX-License-Identifier: MIT */
/* Pure NETLINK_SOCK_DIAG parsing: inet_diag_msg replies of a
 * SOCK_DIAG_BY_FAMILY dump, walked with the rtnetlink walker
 * (rtnl_parse.h), turned into connection entries. No I/O, no trust in any
 * length from the buffer; any bytes at any alignment are safe input. */
#ifndef NM_SOCKDIAG_PARSE_H
#define NM_SOCKDIAG_PARSE_H

#include <stddef.h>

#include "connlist.h"
#include "netmetrics.h"
#include "rtnl_parse.h"

/* Parses the payload of one SOCK_DIAG_BY_FAMILY reply (struct
 * inet_diag_msg, then attributes, which are ignored) into *out, which is
 * fully written first. The message does not name its protocol: the caller
 * knows it from its request. Errors: NETMETRICS_ERR_NOT_AVAILABLE for a
 * family other than AF_INET/AF_INET6 (skip it); NETMETRICS_ERR_PARSE when
 * the payload is shorter than inet_diag_msg. */
netmetrics_status nm_sockdiag_parse_msg(const void *payload, size_t len,
                                        netmetrics_conn_protocol proto,
                                        netmetrics_connection *out, netmetrics_error *err);

/* Walks one recv() buffer of a dump with w and appends every socket to l.
 * Messages of another type or family are skipped and counted in *skipped;
 * malformed ones are counted in l->malformed and the dump goes on. Returns
 * NETMETRICS_OK when the buffer was used up or the dump finished
 * (nm_rtnl_walk_done tells which); the walker's error for a malformed
 * stream or the kernel's NLMSG_ERROR; NO_MEMORY. */
netmetrics_status nm_sockdiag_feed(nm_rtnl_walker *w, const void *buf, size_t len,
                                   netmetrics_conn_protocol proto, netmetrics_connections *l,
                                   size_t *skipped, netmetrics_error *err);

#endif

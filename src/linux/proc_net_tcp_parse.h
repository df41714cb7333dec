/* SPDX-License-Identifier: MIT */
/* Pure parser of /proc/net/tcp, tcp6, udp and udp6: text in, connection
 * entries out. No I/O; never reads past the length given (the text need
 * not be NUL-terminated and may hold NUL bytes). */
#ifndef NM_PROC_NET_TCP_PARSE_H
#define NM_PROC_NET_TCP_PARSE_H

#include <stddef.h>

#include "connlist.h"
#include "netmetrics.h"

/* Parses one whole file. family is NETMETRICS_FAMILY_INET (tcp, udp:
 * 8-digit addresses) or _INET6 (tcp6, udp6: 32 digits); proto is what the
 * file lists. The first line must be the column header (it names
 * "local_address"). A data line that does not parse is dropped and counted
 * in l->malformed (the first reason goes to *why when not NULL); the file
 * goes on. Errors: NETMETRICS_ERR_PARSE when the header is missing,
 * NETMETRICS_ERR_INVALID for a bad family, NO_MEMORY. Addresses are the
 * kernel's 32-bit words printed in the byte order of the machine that
 * wrote the file: parse on the host that produced the text. */
netmetrics_status nm_proc_net_parse(const char *text, size_t len, int family,
                                    netmetrics_conn_protocol proto, netmetrics_connections *l,
                                    netmetrics_error *why, netmetrics_error *err);

#endif

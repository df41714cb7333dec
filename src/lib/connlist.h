/* SPDX-License-Identifier: MIT */
/* The connection list: the body of the public opaque netmetrics_connections
 * and the seam between the portable connections.c and a platform's socket
 * backend. Backends append entries with nm_connlist_add; the owner lookup
 * fills pid and process name in place. Nothing here does I/O. */
#ifndef NM_CONNLIST_H
#define NM_CONNLIST_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

struct netmetrics_connections {
    netmetrics_connection *items;
    size_t count, cap;
    const char *backend;          /* static string */
    size_t malformed;             /* entries dropped as malformed */
    netmetrics_status owner_status;
};

/* A new entry at the end, zeroed, with pid -1 and owner_status
 * NOT_AVAILABLE; NULL when out of memory. Valid until the next add. */
netmetrics_connection *nm_connlist_add(netmetrics_connections *l);

/* Drops the entry most recently added (a parser that fails half way). */
void nm_connlist_drop_last(netmetrics_connections *l);

/* Keeps the first n entries (a dump redone from where it started). */
void nm_connlist_truncate(netmetrics_connections *l, size_t n);

/* Maps a Linux socket state (TCP_* values, as sock_diag and /proc/net/tcp
 * give it) to the public enum. UDP uses TCP_CLOSE for an unconnected
 * socket (UNCONN) and TCP_ESTABLISHED for a connected one; TCP request
 * sockets (TCP_NEW_SYN_RECV, 12) are SYN_RECV, as ss shows them. Anything
 * else is UNKNOWN. */
netmetrics_conn_state nm_conn_state_from_linux(netmetrics_conn_protocol proto, unsigned kstate);

/* ---------------------------------------------------- platform backend -- */
/* Named after Linux's two tables; connections.c calls the first for the
 * platform's native interface backend and the second for its fallback. On
 * macOS both are the one libproc walk (src/darwin/connections_libproc.c),
 * which names the list "libproc" and finds the owners as it goes, so its
 * nm_conn_find_owners has nothing left to do. */

/* Which families and protocols the caller wants (flags already defaulted:
 * at least one protocol bit and one family bit are set). */
#define NM_CONN_WANT(flags, bit) (((flags) & (bit)) != 0)

/* sock_diag: appends every wanted socket. Errors: NOT_AVAILABLE /
 * PERMISSION / SYSTEM when the socket or a dump fails, PARSE for a
 * malformed stream, NO_MEMORY. */
netmetrics_status nm_conn_collect_netlink(netmetrics_connections *l, unsigned flags,
                                          netmetrics_error *err);

/* /proc/net/{tcp,tcp6,udp,udp6} under proc_root. A missing tcp6/udp6 (no
 * IPv6 in this kernel) is no error; a missing tcp or udp is. */
netmetrics_status nm_conn_collect_procfs(netmetrics_connections *l, const char *proc_root,
                                         unsigned flags, netmetrics_error *err);

/* Fills pid and process_name from proc_root/<pid>/fd links and sets every
 * entry's owner_status and the list's. Returns NETMETRICS_OK, or an error
 * when proc_root itself cannot be listed (the list then says
 * NOT_AVAILABLE; the caller keeps the sockets) or NO_MEMORY. */
netmetrics_status nm_conn_find_owners(netmetrics_connections *l, const char *proc_root,
                                      netmetrics_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/* macOS sockets as libproc describes them, decoded from bytes: the answer
 * of proc_pidfdinfo(pid, fd, PROC_PIDFDSOCKETINFO) is a struct
 * socket_fdinfo, read here at the offsets of darwin_layout.h, so this file
 * is portable C, unit-tested and fuzzed on every platform. It also keeps
 * the table a walk over every process builds: a socket several processes
 * hold (inherited across fork, passed by launchd) is listed once, owned by
 * the lowest pid, as on Linux. No I/O here. */
#ifndef NM_SOCKINFO_PARSE_H
#define NM_SOCKINFO_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "connlist.h"
#include "netmetrics.h"

/* One decoded socket. */
typedef struct nm_dw_sock {
    uint64_t handle;             /* soi_so: the kernel's opaque id of the socket,
                                  * the same in every process holding it; 0 unknown */
    netmetrics_connection conn;  /* pid -1, uid 0, process "", inode 0 */
} nm_dw_sock;

/* TSI_S_* (the BSD numbering of tcpsi_state) -> the library's state;
 * UNKNOWN for TSI_S_RESERVED and anything else. */
netmetrics_conn_state nm_dw_tcp_state(int tsi_state);

/* Decodes len bytes of a socket_fdinfo into *out (fully written first).
 * Returns NETMETRICS_OK for a TCP or UDP socket of AF_INET or AF_INET6;
 * NETMETRICS_ERR_NOT_AVAILABLE for any other socket (Unix, route, raw,
 * system, or an inet socket whose protocol block is gone): skip it;
 * NETMETRICS_ERR_PARSE when len is shorter than socket_fdinfo. Ports are
 * turned to host order; an AF_INET6 socket talking IPv4 (insi_vflag
 * INI_IPV4 only) gets IPv4-mapped addresses, as Linux shows it. A TCP
 * socket without its TCP block (SOCKINFO_IN) has state UNKNOWN; a UDP
 * socket is ESTABLISHED when connected (SOI_S_ISCONNECTED), else UNCONN.
 * For a listening socket the queues are the completed connections waiting
 * for accept() and the backlog limit, as on Linux. */
netmetrics_status nm_dw_sockinfo_parse(const void *buf, size_t len, nm_dw_sock *out,
                                       netmetrics_error *err);

/* The owner of the sockets being added: a process the walk could inspect. */
typedef struct nm_dw_owner {
    int32_t pid;
    uint32_t uid;          /* the process's uid: macOS leaves the socket's own blank */
    const char *name;      /* proc_name(); cut to NETMETRICS_COMM_SIZE - 1 bytes */
} nm_dw_owner;

/* Open-addressing map from socket handle to its entry in the list. */
typedef struct nm_dw_socktab {
    uint64_t *keys;        /* 0: empty slot */
    size_t *index;         /* the entry of l holding that socket */
    int32_t *pid;          /* the process it was taken from */
    size_t cap, used;      /* cap is 0 or a power of two */
} nm_dw_socktab;

void nm_dw_socktab_init(nm_dw_socktab *t);
void nm_dw_socktab_free(nm_dw_socktab *t);

/* Appends s to l when its protocol and family are wanted by flags
 * (NETMETRICS_CONN_*, defaulted as connlist.h says), with owner's uid and,
 * when flags has NETMETRICS_CONN_PROCESSES, its pid and name (owner_status
 * OK). A handle already in the table is not added again: the entry keeps
 * the lowest pid (and that process's uid and name). Returns NETMETRICS_OK
 * or NETMETRICS_ERR_NO_MEMORY. */
netmetrics_status nm_dw_socktab_add(nm_dw_socktab *t, netmetrics_connections *l,
                                    const nm_dw_sock *s, unsigned flags, const nm_dw_owner *owner,
                                    netmetrics_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * libnetmetrics: network-interface monitoring.
 *
 * The one public header. A collector reads the platform's interface table
 * (Linux: rtnetlink, or /proc/net/dev + sysfs; macOS later) into a snapshot;
 * the snapshot is a consistent, read-only view of every interface, its
 * counters, flags and addresses at one instant.
 *
 * Conventions:
 *  - every public name starts with netmetrics_ / NETMETRICS_;
 *  - objects are opaque and come in _new/_free pairs;
 *  - a call that can fail returns a netmetrics_status and, when given a
 *    netmetrics_error, fills it with a message the caller can print;
 *  - nothing here aborts or prints on bad input.
 *
 * Thread safety: a collector and a snapshot may each be used by one thread
 * at a time; distinct objects are independent. Reading a snapshot that no
 * thread is filling is safe from any number of threads.
 */
#ifndef NETMETRICS_H
#define NETMETRICS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NETMETRICS_VERSION_MAJOR 0
#define NETMETRICS_VERSION_MINOR 1
#define NETMETRICS_VERSION_PATCH 0

/* Version of the library actually linked, e.g. "0.1.0". */
const char *netmetrics_version(void);

/* ---------------------------------------------------------------- errors -- */

/* Status codes. The first four are the seed library's error kinds. */
typedef enum netmetrics_status {
    NETMETRICS_OK = 0,
    NETMETRICS_ERR_NETWORK = 1,       /* a network-layer operation failed */
    NETMETRICS_ERR_NOT_AVAILABLE = 2, /* the value or facility does not exist here */
    NETMETRICS_ERR_SYSTEM = 3,        /* an underlying system call failed */
    NETMETRICS_ERR_PERMISSION = 4,    /* not allowed to read this */
    NETMETRICS_ERR_INVALID = 5,       /* bad argument */
    NETMETRICS_ERR_PARSE = 6,         /* malformed data from the kernel or a file */
    NETMETRICS_ERR_NO_MEMORY = 7
} netmetrics_status;

#define NETMETRICS_ERROR_MESSAGE_MAX 256

/* Filled by a failing call: the code, errno when a system call was the
 * cause (else 0), and a one-line message without a trailing newline. */
typedef struct netmetrics_error {
    netmetrics_status code;
    int sys_errno;
    char message[NETMETRICS_ERROR_MESSAGE_MAX];
} netmetrics_error;

/* Short name of a status ("network error", "not available", ...). */
const char *netmetrics_status_string(netmetrics_status status);

/* ------------------------------------------------------------- counters -- */

/* Per-interface counters, in the order of Linux's rtnl_link_stats64. Not
 * every backend provides every counter: see netmetrics_interface_stat(). */
typedef enum netmetrics_stat {
    NETMETRICS_STAT_RX_PACKETS = 0,
    NETMETRICS_STAT_TX_PACKETS,
    NETMETRICS_STAT_RX_BYTES,
    NETMETRICS_STAT_TX_BYTES,
    NETMETRICS_STAT_RX_ERRORS,
    NETMETRICS_STAT_TX_ERRORS,
    NETMETRICS_STAT_RX_DROPPED,
    NETMETRICS_STAT_TX_DROPPED,
    NETMETRICS_STAT_MULTICAST, /* received multicast packets */
    NETMETRICS_STAT_COLLISIONS,
    NETMETRICS_STAT_RX_LENGTH_ERRORS,
    NETMETRICS_STAT_RX_OVER_ERRORS,
    NETMETRICS_STAT_RX_CRC_ERRORS,
    NETMETRICS_STAT_RX_FRAME_ERRORS,
    NETMETRICS_STAT_RX_FIFO_ERRORS,
    NETMETRICS_STAT_RX_MISSED_ERRORS,
    NETMETRICS_STAT_TX_ABORTED_ERRORS,
    NETMETRICS_STAT_TX_CARRIER_ERRORS,
    NETMETRICS_STAT_TX_FIFO_ERRORS,
    NETMETRICS_STAT_TX_HEARTBEAT_ERRORS,
    NETMETRICS_STAT_TX_WINDOW_ERRORS,
    NETMETRICS_STAT_RX_COMPRESSED,
    NETMETRICS_STAT_TX_COMPRESSED,
    NETMETRICS_STAT_RX_NOHANDLER,
    NETMETRICS_STAT_RX_OTHERHOST_DROPPED,
    NETMETRICS_STAT_COUNT
} netmetrics_stat;

/* ---------------------------------------------------------------- flags -- */

/* Interface flags. The values are Linux's IFF_* bits; other platforms map
 * theirs onto these. */
#define NETMETRICS_FLAG_UP          0x1u
#define NETMETRICS_FLAG_BROADCAST   0x2u
#define NETMETRICS_FLAG_DEBUG       0x4u
#define NETMETRICS_FLAG_LOOPBACK    0x8u
#define NETMETRICS_FLAG_POINTOPOINT 0x10u
#define NETMETRICS_FLAG_NOTRAILERS  0x20u
#define NETMETRICS_FLAG_RUNNING     0x40u
#define NETMETRICS_FLAG_NOARP       0x80u
#define NETMETRICS_FLAG_PROMISC     0x100u
#define NETMETRICS_FLAG_ALLMULTI    0x200u
#define NETMETRICS_FLAG_MASTER      0x400u
#define NETMETRICS_FLAG_SLAVE       0x800u
#define NETMETRICS_FLAG_MULTICAST   0x1000u
#define NETMETRICS_FLAG_PORTSEL     0x2000u
#define NETMETRICS_FLAG_AUTOMEDIA   0x4000u
#define NETMETRICS_FLAG_DYNAMIC     0x8000u
#define NETMETRICS_FLAG_LOWER_UP    0x10000u
#define NETMETRICS_FLAG_DORMANT     0x20000u
#define NETMETRICS_FLAG_ECHO        0x40000u

/* Name of the single flag bit `flag` ("up", "lower_up", ...), or NULL. */
const char *netmetrics_flag_name(uint32_t flag);

/* RFC 2863 operational state (Linux IF_OPER_* values). */
typedef enum netmetrics_operstate {
    NETMETRICS_OPER_UNKNOWN = 0,
    NETMETRICS_OPER_NOTPRESENT = 1,
    NETMETRICS_OPER_DOWN = 2,
    NETMETRICS_OPER_LOWERLAYERDOWN = 3,
    NETMETRICS_OPER_TESTING = 4,
    NETMETRICS_OPER_DORMANT = 5,
    NETMETRICS_OPER_UP = 6
} netmetrics_operstate;

/* "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant",
 * "up"; "unknown" for values out of range. */
const char *netmetrics_operstate_string(netmetrics_operstate state);

/* ------------------------------------------------------------ addresses -- */

#define NETMETRICS_FAMILY_INET  4
#define NETMETRICS_FAMILY_INET6 6

typedef struct netmetrics_address {
    int family;             /* NETMETRICS_FAMILY_INET or _INET6 */
    unsigned prefix_length; /* 0..32 or 0..128 */
    unsigned scope;         /* Linux RT_SCOPE_* value: 0 global, 253 link, 254 host */
    unsigned char bytes[16];/* network order; 4 used for IPv4 */
} netmetrics_address;

/* Text form of the address alone ("198.18.0.1", "fd00::1").
 * Returns NETMETRICS_ERR_INVALID when buf is too small (46 bytes always do). */
netmetrics_status netmetrics_address_format(const netmetrics_address *addr,
                                            char *buf, size_t size);

/* "global", "site", "link", "host", "nowhere", or the number as text
 * written into buf (which must hold 4 bytes). */
const char *netmetrics_scope_string(unsigned scope, char buf[4]);

/* ---------------------------------------------------------- the snapshot -- */

typedef struct netmetrics_snapshot netmetrics_snapshot;
typedef struct netmetrics_interface netmetrics_interface;

/* An empty snapshot, to be filled by netmetrics_collector_collect(). A
 * snapshot keeps its memory across collections, so reusing one is cheap.
 * Returns NULL when out of memory. */
netmetrics_snapshot *netmetrics_snapshot_new(void);
void netmetrics_snapshot_free(netmetrics_snapshot *snap);

/* Interfaces, sorted by ifindex. The pointer stays valid until the
 * snapshot is collected into again or freed. */
size_t netmetrics_snapshot_count(const netmetrics_snapshot *snap);
const netmetrics_interface *netmetrics_snapshot_interface(const netmetrics_snapshot *snap,
                                                          size_t i);
/* By name or ifindex; NULL when absent. */
const netmetrics_interface *netmetrics_snapshot_find(const netmetrics_snapshot *snap,
                                                     const char *name);
const netmetrics_interface *netmetrics_snapshot_find_index(const netmetrics_snapshot *snap,
                                                           int ifindex);

/* Name of the backend that produced the snapshot ("netlink", "procfs"). */
const char *netmetrics_snapshot_backend(const netmetrics_snapshot *snap);
/* CLOCK_MONOTONIC time of the collection, in nanoseconds. */
uint64_t netmetrics_snapshot_time_ns(const netmetrics_snapshot *snap);

/* A collection has parts that can fail on their own: the link table
 * (interfaces and counters) and the address table. */
typedef enum netmetrics_part {
    NETMETRICS_PART_LINKS = 0,
    NETMETRICS_PART_ADDRESSES = 1,
    NETMETRICS_PART_COUNT
} netmetrics_part;

const char *netmetrics_part_name(netmetrics_part part); /* "links", "addresses" */
/* NETMETRICS_OK when the part was collected; its error otherwise. */
netmetrics_status netmetrics_snapshot_part_status(const netmetrics_snapshot *snap,
                                                  netmetrics_part part);
/* Wall time the part took, in seconds. */
double netmetrics_snapshot_part_seconds(const netmetrics_snapshot *snap,
                                        netmetrics_part part);
/* Why the part failed ("" when it did not). */
const char *netmetrics_snapshot_part_error(const netmetrics_snapshot *snap,
                                           netmetrics_part part);

/* ------------------------------------------------------------ interfaces -- */

/* Interface name as the kernel reports it: any bytes but NUL, '/' and
 * white space; not necessarily UTF-8. */
const char *netmetrics_interface_name(const netmetrics_interface *iface);
int netmetrics_interface_index(const netmetrics_interface *iface);
uint32_t netmetrics_interface_flags(const netmetrics_interface *iface);
uint32_t netmetrics_interface_mtu(const netmetrics_interface *iface);
netmetrics_operstate netmetrics_interface_operstate(const netmetrics_interface *iface);
/* 1 carrier, 0 no carrier, -1 unknown. */
int netmetrics_interface_carrier(const netmetrics_interface *iface);
/* Link-layer type (Linux ARPHRD_*), or -1 when unknown. */
int netmetrics_interface_link_type(const netmetrics_interface *iface);
/* Link kind from IFLA_LINKINFO ("veth", "bridge", ...), "" when none. */
const char *netmetrics_interface_kind(const netmetrics_interface *iface);

/* Hardware address: its length in bytes (0 when none); copies up to `size`
 * bytes into buf when buf is not NULL. */
size_t netmetrics_interface_hwaddr(const netmetrics_interface *iface,
                                   unsigned char *buf, size_t size);
/* "aa:bb:cc:dd:ee:ff" form; "" when there is none. NETMETRICS_ERR_INVALID
 * when buf is too small (3 * length bytes always do). */
netmetrics_status netmetrics_interface_hwaddr_string(const netmetrics_interface *iface,
                                                     char *buf, size_t size);

/* A counter: NETMETRICS_OK and *value, or NETMETRICS_ERR_NOT_AVAILABLE when
 * the backend does not provide it (value then 0). */
netmetrics_status netmetrics_interface_stat(const netmetrics_interface *iface,
                                            netmetrics_stat stat, uint64_t *value);

size_t netmetrics_interface_address_count(const netmetrics_interface *iface);
const netmetrics_address *netmetrics_interface_address(const netmetrics_interface *iface,
                                                       size_t i);

/* ------------------------------------------------------------- collector -- */

typedef enum netmetrics_backend {
    NETMETRICS_BACKEND_AUTO = 0, /* netlink, falling back to procfs */
    NETMETRICS_BACKEND_NETLINK,
    NETMETRICS_BACKEND_PROCFS
} netmetrics_backend;

/* "auto", "netlink", "procfs" <-> enum. parse returns NETMETRICS_ERR_INVALID
 * for an unknown name. */
const char *netmetrics_backend_name(netmetrics_backend backend);
netmetrics_status netmetrics_backend_parse(const char *name, netmetrics_backend *out);

typedef struct netmetrics_collector netmetrics_collector;

typedef struct netmetrics_collector_options {
    netmetrics_backend backend;
    const char *proc_root; /* NULL: "/proc" */
    const char *sys_root;  /* NULL: "/sys" */
} netmetrics_collector_options;

/* Defaults: AUTO, "/proc", "/sys". */
void netmetrics_collector_options_init(netmetrics_collector_options *opts);

/* Opens the backend (sockets, file roots). With AUTO, netlink is tried
 * first and procfs used when netlink cannot be opened. `opts` may be NULL.
 * Errors: PERMISSION / SYSTEM when no backend can be opened, INVALID for bad
 * options, NO_MEMORY. */
netmetrics_status netmetrics_collector_new(const netmetrics_collector_options *opts,
                                           netmetrics_collector **out,
                                           netmetrics_error *err);
void netmetrics_collector_free(netmetrics_collector *c);

/* Backend chosen when the collector was opened ("netlink" or "procfs"). */
const char *netmetrics_collector_backend(const netmetrics_collector *c);

/* Fills `snap` with the current interface table, replacing its contents.
 * Fails (and leaves `snap` empty) only when the link table cannot be read;
 * a failed address table is recorded in the snapshot's part status.
 * With AUTO, a netlink failure is retried once through procfs. */
netmetrics_status netmetrics_collector_collect(netmetrics_collector *c,
                                               netmetrics_snapshot *snap,
                                               netmetrics_error *err);

#ifdef __cplusplus
}
#endif

#endif /* NETMETRICS_H */

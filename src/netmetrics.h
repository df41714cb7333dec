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
    /* Wireless statistics (nl80211, /proc/net/wireless). Its failure costs
     * only the wireless values; a machine without Wi-Fi succeeds with none. */
    NETMETRICS_PART_WIRELESS = 2,
    NETMETRICS_PART_COUNT
} netmetrics_part;

const char *netmetrics_part_name(netmetrics_part part); /* "links", "addresses", "wireless" */
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

/* Each platform builds two backends: a native one and its fallback.
 * Linux: NETLINK (rtnetlink) and PROCFS (/proc/net/dev + sysfs). macOS:
 * SYSCTL (NET_RT_IFLIST2 + ifmibdata) and NETSTAT (`netstat -ibdn`).
 * Asking for another platform's backend is NETMETRICS_ERR_NOT_AVAILABLE. */
typedef enum netmetrics_backend {
    NETMETRICS_BACKEND_AUTO = 0, /* native, falling back to the fallback */
    NETMETRICS_BACKEND_NETLINK,
    NETMETRICS_BACKEND_PROCFS,
    NETMETRICS_BACKEND_SYSCTL,
    NETMETRICS_BACKEND_NETSTAT
} netmetrics_backend;

/* "auto", "netlink", "procfs", "sysctl", "netstat" <-> enum. parse returns
 * NETMETRICS_ERR_INVALID for an unknown name. */
const char *netmetrics_backend_name(netmetrics_backend backend);
netmetrics_status netmetrics_backend_parse(const char *name, netmetrics_backend *out);

typedef struct netmetrics_collector netmetrics_collector;

typedef struct netmetrics_collector_options {
    netmetrics_backend backend;
    const char *proc_root; /* NULL: "/proc" */
    const char *sys_root;  /* NULL: "/sys" */
    /* Parts not to collect at all, as bits 1u << netmetrics_part: ADDRESSES
     * and WIRELESS may be skipped (the links part always runs). A skipped
     * part costs nothing; its status is NETMETRICS_ERR_NOT_AVAILABLE with
     * the error "not collected". 0 (the default): collect every part. */
    unsigned skip_parts;
} netmetrics_collector_options;

/* Defaults: AUTO, "/proc", "/sys", every part. */
void netmetrics_collector_options_init(netmetrics_collector_options *opts);

/* Opens the backend (sockets, file roots). With AUTO, the native backend
 * (netlink; macOS: sysctl) is tried first and the fallback (procfs; macOS:
 * netstat) used when it cannot be opened. `opts` may be NULL.
 * Errors: PERMISSION / SYSTEM when no backend can be opened, NOT_AVAILABLE
 * for a backend this platform does not build, INVALID for bad options,
 * NO_MEMORY. */
netmetrics_status netmetrics_collector_new(const netmetrics_collector_options *opts,
                                           netmetrics_collector **out,
                                           netmetrics_error *err);
void netmetrics_collector_free(netmetrics_collector *c);

/* Backend chosen when the collector was opened ("netlink", "procfs",
 * "sysctl" or "netstat"). */
const char *netmetrics_collector_backend(const netmetrics_collector *c);

/* Where wireless statistics come from, decided when the collector was
 * opened: "nl80211" (the generic-netlink family exists; /proc/net/wireless
 * adds link quality when present), "proc" (no nl80211: /proc/net/wireless
 * only), "corewlan" (macOS built with CoreWLAN), or "" where the platform
 * has none. For a one-time log line. */
const char *netmetrics_collector_wireless_source(const netmetrics_collector *c);

/* Fills `snap` with the current interface table, replacing its contents.
 * Fails (and leaves `snap` empty) only when the link table cannot be read;
 * a failed address table is recorded in the snapshot's part status.
 * With AUTO, a netlink failure is retried once through procfs. */
netmetrics_status netmetrics_collector_collect(netmetrics_collector *c,
                                               netmetrics_snapshot *snap,
                                               netmetrics_error *err);

/* ============================================================ manager == */
/*
 * The seed's NetworkManager / Interface / NetworkMetrics API. A manager owns
 * a collector and keeps the previous sample, so every update yields
 * per-interface speeds and packet rates (counter deltas over the
 * CLOCK_MONOTONIC interval between the two samples) and totals.
 *
 * Views. Each successful update publishes a new immutable, reference-counted
 * netmetrics_view: the snapshot plus its speeds, types and totals. A view
 * never changes once published, so everything read from one view belongs to
 * the same instant (no torn reads), and it stays valid, even after later
 * updates or netmetrics_manager_free(), until its last reference is
 * released.
 *
 * Locking. The manager is safe to use from any number of threads. Updates
 * are serialized by one mutex, held while collecting; publishing a view and
 * taking a reference to the current one take a second mutex for a few
 * instructions only, so readers never wait for a collection.
 *   - netmetrics_manager_view() and the netmetrics_view_* functions: safe
 *     from any thread, with updates running concurrently.
 *   - the totals (netmetrics_manager_total_*_speed, _throughput) and
 *     netmetrics_manager_interface_sample(): copy values out under the
 *     lock, safe from any thread.
 *   - netmetrics_manager_interface_count(): safe from any thread.
 *   - netmetrics_manager_interface(), _get_interface(), _active_interfaces()
 *     (the seed's shape) return pointers into the current view without
 *     taking a reference: they are valid until the next update of the
 *     manager (or its free). Use them only where no other thread updates
 *     the manager and no monitor runs on it; otherwise hold a view.
 *
 * Speeds. A speed is NETMETRICS_ERR_NOT_AVAILABLE (never a silent 0)
 * before the interface has two samples, when the interval is 0, when the
 * interface was re-created (same name, new ifindex) or renamed, and in the
 * round after one of its 64-bit counters went down (a reset restarts the
 * interface's baseline; rates are never negative). Backends with 32-bit
 * counters mark them, and a decrease below 2^32 is then taken as a wrap.
 *
 * Totals. The total download/upload speed is the sum over the interfaces
 * that have a speed in this view, leaving out LOOPBACK always and VIRTUAL
 * interfaces whenever the machine has at least one physical (non-loopback,
 * non-virtual) interface. Loopback traffic never leaves the machine, and on
 * a host the traffic through bridges, veths and tunnels would otherwise be
 * counted twice: once on the virtual interface and once on the physical one
 * that carries it. Inside a container, whose only way out is a veth, the
 * virtual interfaces are the machine's traffic and are counted. Totals are
 * NETMETRICS_ERR_NOT_AVAILABLE before two successful updates.
 */

/* Interface types, the seed's InterfaceType. */
typedef enum netmetrics_interface_type {
    NETMETRICS_IFTYPE_ETHERNET = 0,
    NETMETRICS_IFTYPE_WIFI,
    NETMETRICS_IFTYPE_LOOPBACK,
    NETMETRICS_IFTYPE_VIRTUAL,
    NETMETRICS_IFTYPE_CELLULAR,
    NETMETRICS_IFTYPE_OTHER
} netmetrics_interface_type;

/* "Ethernet", "WiFi", "Loopback", "Virtual", "Cellular", "Other" ("Other"
 * for values out of range). */
const char *netmetrics_interface_type_string(netmetrics_interface_type type);
/* Lowercase form for labels and machine-readable output: "ethernet", "wifi",
 * "loopback", "virtual", "cellular", "other". */
const char *netmetrics_interface_type_name(netmetrics_interface_type type);

/* ------------------------------------------------- link details, wireless -- */

/* The interface's type, classified when the snapshot was collected (see
 * README "Interface types" for the rules): the one value the exporter, the
 * manager and the CLI all report. */
netmetrics_interface_type netmetrics_interface_type_get(const netmetrics_interface *iface);

typedef enum netmetrics_duplex {
    NETMETRICS_DUPLEX_UNKNOWN = 0,
    NETMETRICS_DUPLEX_HALF = 1,
    NETMETRICS_DUPLEX_FULL = 2
} netmetrics_duplex;

/* "unknown", "half", "full". */
const char *netmetrics_duplex_string(netmetrics_duplex duplex);

/* Link speed in bytes per second (the kernel's Mb/s times 125000).
 * NETMETRICS_ERR_NOT_AVAILABLE (*out = 0) when the kernel does not know it:
 * the link is down, the driver reports none, or the interface vanished. */
netmetrics_status netmetrics_interface_speed(const netmetrics_interface *iface, uint64_t *out);
netmetrics_duplex netmetrics_interface_duplex(const netmetrics_interface *iface);
/* Times the carrier went up or down since the interface was created;
 * NETMETRICS_ERR_NOT_AVAILABLE when the backend does not say. */
netmetrics_status netmetrics_interface_carrier_changes(const netmetrics_interface *iface,
                                                       uint64_t *out);
/* Transmit queue length in packets; NETMETRICS_ERR_NOT_AVAILABLE when unknown. */
netmetrics_status netmetrics_interface_txqlen(const netmetrics_interface *iface, uint32_t *out);
/* ifindex of the master (the bridge or bond this interface is a port of),
 * 0 when none. */
int netmetrics_interface_master_index(const netmetrics_interface *iface);
/* The administrator's description (ip link set X alias ...), "" when none.
 * Any bytes but NUL, not necessarily UTF-8. */
const char *netmetrics_interface_alias(const netmetrics_interface *iface);
/* Name of the backing device's driver ("virtio_net", "iwlwifi"), "" when
 * there is none (virtual interfaces) or it is unknown. */
const char *netmetrics_interface_driver(const netmetrics_interface *iface);

/* Bits of netmetrics_wireless.valid. */
#define NETMETRICS_WIRELESS_SIGNAL    0x1u
#define NETMETRICS_WIRELESS_NOISE     0x2u
#define NETMETRICS_WIRELESS_QUALITY   0x4u
#define NETMETRICS_WIRELESS_BITRATE   0x8u
#define NETMETRICS_WIRELESS_FREQUENCY 0x10u
#define NETMETRICS_WIRELESS_SSID      0x20u
#define NETMETRICS_WIRELESS_BSSID     0x40u

/* Wireless link statistics of one interface; a clear bit in valid means
 * the value is unknown (its field is 0). */
typedef struct netmetrics_wireless {
    unsigned valid;           /* NETMETRICS_WIRELESS_* */
    int signal_dbm;           /* of the associated access point, dBm */
    int noise_dbm;            /* on the channel in use, dBm */
    double link_quality;      /* 0..1 (the driver's quality over its maximum) */
    uint64_t tx_bitrate;      /* transmit bitrate, bytes/s */
    uint64_t frequency_hz;    /* channel centre frequency */
    char ssid[33];            /* 0..32 bytes, NUL-terminated; any bytes */
    unsigned char bssid[6];
} netmetrics_wireless;

/* Copies the interface's wireless statistics into *out.
 * NETMETRICS_ERR_NOT_AVAILABLE (out->valid = 0) when there are none: not
 * a wireless interface, not associated, or no source could be read. */
netmetrics_status netmetrics_interface_wireless(const netmetrics_interface *iface,
                                                netmetrics_wireless *out);

typedef struct netmetrics_manager netmetrics_manager;
typedef struct netmetrics_view netmetrics_view;
/* One interface as seen by one view (the seed's Interface). */
typedef struct netmetrics_iface netmetrics_iface;

/* Opens a collector with `opts` (NULL: defaults). No sample is taken yet.
 * Errors: those of netmetrics_collector_new (PERMISSION, SYSTEM,
 * NOT_AVAILABLE when no backend can be opened; INVALID; NO_MEMORY). */
netmetrics_status netmetrics_manager_new(const netmetrics_collector_options *opts,
                                         netmetrics_manager **out, netmetrics_error *err);

/* Frees the manager and its collector. Views still referenced stay valid.
 * Stop every monitor of the manager first. NULL is ignored. */
void netmetrics_manager_free(netmetrics_manager *m);

/* Takes a new sample, computes speeds against the previous one and
 * publishes the new view. On failure the current view and the baseline stay
 * as they were (the next successful update measures over the longer
 * interval). Errors: those of netmetrics_collector_collect, NO_MEMORY. */
netmetrics_status netmetrics_manager_update(netmetrics_manager *m, netmetrics_error *err);

/* The seed's manager.interfaces(), get_interface() and active_interfaces(),
 * on the current view; 0 / NULL before the first update. Pointers are valid
 * until the next update: see "Locking" above. _get_interface returns NULL
 * when no interface has that name. _active_interfaces stores up to `max`
 * active interfaces (up and running) in `out` (which may be NULL when max
 * is 0) and returns how many there are in all. */
size_t netmetrics_manager_interface_count(netmetrics_manager *m);
const netmetrics_iface *netmetrics_manager_interface(netmetrics_manager *m, size_t i);
const netmetrics_iface *netmetrics_manager_get_interface(netmetrics_manager *m, const char *name);
size_t netmetrics_manager_active_interfaces(netmetrics_manager *m, const netmetrics_iface **out,
                                            size_t max);

/* Sum of the download / upload speeds, bytes/s (see "Totals" above).
 * NETMETRICS_OK, or NETMETRICS_ERR_NOT_AVAILABLE before two updates (the
 * outputs are then 0). _throughput gives both from the same view. */
netmetrics_status netmetrics_manager_total_download_speed(netmetrics_manager *m, double *out);
netmetrics_status netmetrics_manager_total_upload_speed(netmetrics_manager *m, double *out);
netmetrics_status netmetrics_manager_throughput(netmetrics_manager *m, double *download,
                                                double *upload);

/* ---- views: consistent, thread-safe reads -- */

/* A new reference to the current view, or NULL before the first update.
 * Release it with netmetrics_view_release(). */
netmetrics_view *netmetrics_manager_view(netmetrics_manager *m);
/* Another reference to v (returns v). */
netmetrics_view *netmetrics_view_retain(netmetrics_view *v);
/* Drops a reference; the last one frees the view. NULL is ignored. */
void netmetrics_view_release(netmetrics_view *v);

/* The view's sample: interfaces sorted by ifindex, with every raw counter,
 * flag and address (see the snapshot accessors above). */
const netmetrics_snapshot *netmetrics_view_snapshot(const netmetrics_view *v);
/* Seconds between this view's sample and the previous one, or
 * NETMETRICS_ERR_NOT_AVAILABLE for the first sample. */
netmetrics_status netmetrics_view_interval(const netmetrics_view *v, double *seconds);

size_t netmetrics_view_interface_count(const netmetrics_view *v);
const netmetrics_iface *netmetrics_view_interface(const netmetrics_view *v, size_t i);
const netmetrics_iface *netmetrics_view_get_interface(const netmetrics_view *v, const char *name);
size_t netmetrics_view_active_interfaces(const netmetrics_view *v, const netmetrics_iface **out,
                                         size_t max);
netmetrics_status netmetrics_view_total_download_speed(const netmetrics_view *v, double *out);
netmetrics_status netmetrics_view_total_upload_speed(const netmetrics_view *v, double *out);
netmetrics_status netmetrics_view_throughput(const netmetrics_view *v, double *download,
                                             double *upload);

/* ---- one interface (the seed's Interface and NetworkMetrics) -- */
/* Every pointer passed to or returned by these lives as long as the view
 * the interface came from. */

const char *netmetrics_iface_name(const netmetrics_iface *iface);
int netmetrics_iface_index(const netmetrics_iface *iface);
/* The interface's classification (netmetrics_interface_type_get). */
netmetrics_interface_type netmetrics_iface_type(const netmetrics_iface *iface);
/* Up and running (administratively up and the link operational). */
int netmetrics_iface_is_active(const netmetrics_iface *iface);
/* "aa:bb:cc:dd:ee:ff", or NULL when the interface has no hardware address
 * or it is all zeros (loopback). */
const char *netmetrics_iface_mac_address(const netmetrics_iface *iface);
size_t netmetrics_iface_address_count(const netmetrics_iface *iface);
const netmetrics_address *netmetrics_iface_address(const netmetrics_iface *iface, size_t i);
/* The raw interface: every counter, MTU, operstate, kind, ... */
const netmetrics_interface *netmetrics_iface_interface(const netmetrics_iface *iface);

/* Counters since the interface was created; 0 when the backend does not
 * provide one (netmetrics_interface_stat() tells the difference). Drops
 * are RX_DROPPED / TX_DROPPED. */
uint64_t netmetrics_iface_bytes_received(const netmetrics_iface *iface);
uint64_t netmetrics_iface_bytes_sent(const netmetrics_iface *iface);
uint64_t netmetrics_iface_packets_received(const netmetrics_iface *iface);
uint64_t netmetrics_iface_packets_sent(const netmetrics_iface *iface);
uint64_t netmetrics_iface_receive_errors(const netmetrics_iface *iface);
uint64_t netmetrics_iface_send_errors(const netmetrics_iface *iface);
uint64_t netmetrics_iface_collisions(const netmetrics_iface *iface);
uint64_t netmetrics_iface_receive_drops(const netmetrics_iface *iface);
uint64_t netmetrics_iface_send_drops(const netmetrics_iface *iface);

/* Bytes/s and packets/s. NETMETRICS_OK and *out >= 0, or
 * NETMETRICS_ERR_NOT_AVAILABLE and *out = 0 (see "Speeds" above). */
netmetrics_status netmetrics_iface_download_speed(const netmetrics_iface *iface, double *out);
netmetrics_status netmetrics_iface_upload_speed(const netmetrics_iface *iface, double *out);
netmetrics_status netmetrics_iface_packet_receive_rate(const netmetrics_iface *iface, double *out);
netmetrics_status netmetrics_iface_packet_send_rate(const netmetrics_iface *iface, double *out);

int netmetrics_iface_is_loopback(const netmetrics_iface *iface);
/* 1 when the interface's type is WIFI. */
int netmetrics_iface_is_wireless(const netmetrics_iface *iface);
int netmetrics_iface_supports_broadcast(const netmetrics_iface *iface);
int netmetrics_iface_supports_multicast(const netmetrics_iface *iface);
int netmetrics_iface_is_point_to_point(const netmetrics_iface *iface);
/* Signal strength in dBm of a wireless interface's associated access
 * point; NETMETRICS_ERR_NOT_AVAILABLE (*dbm = 0) when unknown (not
 * wireless, not associated, no statistics source). */
netmetrics_status netmetrics_iface_signal_strength(const netmetrics_iface *iface, int *dbm);

/* ---- copy-out: one interface's numbers as plain values -- */

#define NETMETRICS_IFNAME_SIZE 16

/* Bits of netmetrics_iface_sample.rates_valid. */
#define NETMETRICS_RATE_DOWNLOAD       0x1u
#define NETMETRICS_RATE_UPLOAD         0x2u
#define NETMETRICS_RATE_PACKET_RECEIVE 0x4u
#define NETMETRICS_RATE_PACKET_SEND    0x8u

typedef struct netmetrics_iface_sample {
    char name[NETMETRICS_IFNAME_SIZE];
    int ifindex;
    netmetrics_interface_type type;
    uint32_t flags;  /* NETMETRICS_FLAG_* */
    int is_active;
    uint64_t time_ns; /* CLOCK_MONOTONIC time of the sample */
    uint64_t bytes_received, bytes_sent, packets_received, packets_sent;
    uint64_t receive_errors, send_errors, collisions, receive_drops, send_drops;
    unsigned rates_valid; /* NETMETRICS_RATE_* bits; a clear bit: rate is 0, not available */
    double download_speed, upload_speed, packet_receive_rate, packet_send_rate;
} netmetrics_iface_sample;

/* Copies one interface's values out of the current view, so a thread can
 * read them without holding a view. NETMETRICS_ERR_NOT_AVAILABLE before the
 * first update or when no interface has that name (err says which). */
netmetrics_status netmetrics_manager_interface_sample(netmetrics_manager *m, const char *name,
                                                      netmetrics_iface_sample *out,
                                                      netmetrics_error *err);
/* The same from an interface of a view you hold. */
void netmetrics_iface_sample_get(const netmetrics_iface *iface, netmetrics_iface_sample *out);

/* ---- monitor: sampling on its own thread -- */

typedef struct netmetrics_monitor netmetrics_monitor;

/* Called on the monitor's thread after each update: with the new view and
 * error NULL, or with view NULL and the error when the update failed. The
 * view is borrowed for the call (netmetrics_view_retain() to keep it). No
 * lock is held during the call: the callback may use the manager, but must
 * not stop its own monitor. A slow callback delays the next sample. */
typedef void (*netmetrics_monitor_callback)(netmetrics_view *view, const netmetrics_error *error,
                                            void *user);

/* Starts a thread that updates m every interval_ms milliseconds (the first
 * update one interval after the start) and calls callback each time.
 * Errors: INVALID (no manager or callback, interval 0), NO_MEMORY, SYSTEM
 * (the thread could not be created). */
netmetrics_status netmetrics_monitor_start(netmetrics_manager *m, unsigned interval_ms,
                                           netmetrics_monitor_callback callback, void *user,
                                           netmetrics_monitor **out, netmetrics_error *err);

/* Wakes the monitor, waits for a running callback to return, joins the
 * thread and frees the monitor. NULL is ignored. */
void netmetrics_monitor_stop(netmetrics_monitor *mon);

/* ========================================================== connections == */
/*
 * The seed's connections(): every TCP and UDP socket of the host's network
 * namespace, IPv4 and IPv6, with its addresses, ports, state and, when
 * asked, the process that owns it. On Linux the table comes from one
 * NETLINK_SOCK_DIAG dump per family and protocol (a few milliseconds for
 * ten thousand sockets), or from /proc/net/{tcp,tcp6,udp,udp6}.
 *
 * Owners are found by matching socket inodes with the /proc/<pid>/fd
 * links, one pass over /proc; that walk costs far more than the dump, so
 * it runs only with NETMETRICS_CONN_PROCESSES. Seeing another user's
 * process needs root or CAP_SYS_PTRACE; without it such sockets keep every
 * other field and their owner_status says NETMETRICS_ERR_PERMISSION.
 *
 * On macOS one libproc walk over every process's socket descriptors gives
 * the table and the owners together (a socket several processes hold is
 * listed once, with the lowest pid); inode is 0. Without root, other
 * users' processes cannot be walked: their sockets are missing from the
 * table, and the list's owner_status says NETMETRICS_ERR_PERMISSION even
 * without NETMETRICS_CONN_PROCESSES. The interface backend (SYSCTL,
 * NETSTAT or AUTO) selects it; NETLINK and PROCFS are NOT_AVAILABLE there.
 */

typedef enum netmetrics_conn_protocol {
    NETMETRICS_CONN_PROTO_OTHER = 0,
    NETMETRICS_CONN_PROTO_TCP = 1,
    NETMETRICS_CONN_PROTO_UDP = 2
} netmetrics_conn_protocol;

/* "tcp", "udp", "other". */
const char *netmetrics_conn_protocol_string(netmetrics_conn_protocol protocol);

/* Socket states. The TCP values are Linux's TCP_* states; UNCONN is a UDP
 * socket that is not connected (the kernel's TCP_CLOSE on a UDP socket,
 * which ss calls UNCONN). UNKNOWN: the backend did not say. */
typedef enum netmetrics_conn_state {
    NETMETRICS_CONN_STATE_UNKNOWN = 0,
    NETMETRICS_CONN_STATE_ESTABLISHED = 1,
    NETMETRICS_CONN_STATE_SYN_SENT = 2,
    NETMETRICS_CONN_STATE_SYN_RECV = 3,
    NETMETRICS_CONN_STATE_FIN_WAIT1 = 4,
    NETMETRICS_CONN_STATE_FIN_WAIT2 = 5,
    NETMETRICS_CONN_STATE_TIME_WAIT = 6,
    NETMETRICS_CONN_STATE_CLOSE = 7,
    NETMETRICS_CONN_STATE_CLOSE_WAIT = 8,
    NETMETRICS_CONN_STATE_LAST_ACK = 9,
    NETMETRICS_CONN_STATE_LISTEN = 10,
    NETMETRICS_CONN_STATE_CLOSING = 11,
    NETMETRICS_CONN_STATE_UNCONN = 12,
    NETMETRICS_CONN_STATE_COUNT
} netmetrics_conn_state;

/* "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2",
 * "time_wait", "close", "close_wait", "last_ack", "listen", "closing",
 * "unconn"; "unknown" for UNKNOWN and values out of range. */
const char *netmetrics_conn_state_string(netmetrics_conn_state state);

/* Size of netmetrics_connection.process_name: Linux's TASK_COMM_LEN. */
#define NETMETRICS_COMM_SIZE 16

/* One socket. Owned by its list; fields may be added at the end in later
 * versions (the library allocates every netmetrics_connection). */
typedef struct netmetrics_connection {
    netmetrics_conn_protocol protocol;
    int family;                      /* NETMETRICS_FAMILY_INET or _INET6 */
    netmetrics_address local_addr;  /* prefix_length is the full width, scope 0 */
    uint16_t local_port;             /* host byte order */
    netmetrics_address remote_addr;  /* all zeros when not connected */
    uint16_t remote_port;            /* 0 when not connected */
    netmetrics_conn_state state;     /* UNKNOWN when the backend did not say */
    uint32_t uid;                    /* owner's user id, as the kernel reports it */
    uint64_t inode;                  /* socket inode; 0 for sockets without a file
                                      * (TIME_WAIT, orphans) */
    uint32_t receive_queue;          /* bytes; for LISTEN: pending connections */
    uint32_t send_queue;             /* bytes; for LISTEN: the backlog */
    /* Owner: pid > 0 and process_name (the kernel's comm: up to 15 bytes,
     * any bytes but NUL, not necessarily UTF-8) when found. Otherwise pid
     * is -1, process_name "", and owner_status says why:
     * NETMETRICS_ERR_NOT_AVAILABLE (not asked, no file, or no visible
     * process holds it) or NETMETRICS_ERR_PERMISSION (some process could
     * not be inspected, and it may be the owner). */
    int32_t pid;
    char process_name[NETMETRICS_COMM_SIZE];
    netmetrics_status owner_status;
} netmetrics_connection;

/* Bits of the flags of netmetrics_connections_collect. No protocol bit
 * means both protocols; no family bit means both families. */
#define NETMETRICS_CONN_TCP       0x01u
#define NETMETRICS_CONN_UDP       0x02u
#define NETMETRICS_CONN_INET      0x04u
#define NETMETRICS_CONN_INET6     0x08u
#define NETMETRICS_CONN_PROCESSES 0x10u /* find owners: the costly /proc walk */

typedef struct netmetrics_connections netmetrics_connections;

/* Reads the socket table. opts (may be NULL) chooses the backend: NETLINK
 * (sock_diag only), PROCFS (/proc/net/{tcp,tcp6,udp,udp6} under
 * opts->proc_root), AUTO (sock_diag, falling back to procfs when it fails,
 * e.g. in a container without sock_diag). proc_root is also where owners
 * are looked up. A family the kernel lacks (no IPv6) is no error.
 * Errors: INVALID (bad flags or arguments), NOT_AVAILABLE / PERMISSION /
 * SYSTEM when the table cannot be read, PARSE when the kernel's answer is
 * malformed, NO_MEMORY. On error *out is NULL. */
netmetrics_status netmetrics_connections_collect(const netmetrics_collector_options *opts,
                                                 unsigned flags,
                                                 netmetrics_connections **out,
                                                 netmetrics_error *err);
void netmetrics_connections_free(netmetrics_connections *list);

/* Sockets in the order the kernel listed them. get returns NULL when i is
 * out of range; pointers live as long as the list. */
size_t netmetrics_connections_count(const netmetrics_connections *list);
const netmetrics_connection *netmetrics_connections_get(const netmetrics_connections *list,
                                                        size_t i);
/* Backend that produced the list ("netlink", "procfs"; "libproc" on macOS). */
const char *netmetrics_connections_backend(const netmetrics_connections *list);
/* Lines or messages of the kernel's answer dropped as malformed. */
size_t netmetrics_connections_malformed(const netmetrics_connections *list);
/* Outcome of the owner lookup: NETMETRICS_OK when every process could be
 * inspected, NETMETRICS_ERR_PERMISSION when some could not (their sockets
 * then have no pid), NETMETRICS_ERR_NOT_AVAILABLE when not asked for or
 * /proc cannot be read. */
netmetrics_status netmetrics_connections_owner_status(const netmetrics_connections *list);

#ifdef __cplusplus
}
#endif

#endif /* NETMETRICS_H */

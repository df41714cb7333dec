/* SPDX-License-Identifier: MIT */
/* The snapshot model: the body of the public opaque types, and the builder
 * that backends use to fill it. A snapshot owns two flat arrays (interfaces,
 * addresses) whose capacity survives nm_snapshot_reset, so a collector that
 * reuses one snapshot allocates nothing once warm. */
#ifndef NM_SNAPSHOT_H
#define NM_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

/* Linux names are < 16 bytes (IFNAMSIZ); macOS the same. One spare byte
 * more is not needed: longer names are rejected by the parsers. */
#define NM_IFNAME_SIZE 16
/* Link kind, uevent DEVTYPE and driver: at most NM_KIND_SIZE - 1 bytes of
 * text (the rtnetlink parser refuses a longer kind, the sysfs reader cuts a
 * longer DEVTYPE or DRIVER). */
#define NM_KIND_SIZE 32
#define NM_HWADDR_MAX 32
/* Longest text kept of the strings in a snapshot's string store (the
 * parsers cut longer ones): IFALIASZ is 256 including the NUL; device
 * names ("0000:00:03.0", "virtio2", "1-1.4:1.0") and bus names are short. */
#define NM_IFALIAS_MAX 255
#define NM_PARENT_MAX 63
#define NM_PARENT_BUS_MAX 31

/* What is variable-length or rare in an interface (its text, its wireless
 * statistics), kept out of the interface records: appended to blocks that
 * never move, so a pointer into the store stays valid until
 * nm_strstore_clear, wherever the record that holds it is moved. Clearing
 * keeps the blocks for the next fill, so a store that is reused allocates
 * nothing once warm. Zero-initialised is empty. */
typedef struct nm_strblock {
    char *text;
    size_t size;
} nm_strblock;

typedef struct nm_strstore {
    nm_strblock *blocks;
    size_t count, cap; /* blocks allocated, slots in blocks */
    size_t cur, used;  /* the block being filled, bytes used in it */
} nm_strstore;

/* Copies the n bytes at s (which need no NUL) as a NUL-terminated string
 * and returns the copy; a static "" when n is 0; NULL when out of memory. */
const char *nm_strstore_add(nm_strstore *st, const char *s, size_t n);
/* size bytes (not zeroed) aligned to align, a power of two no larger than
 * malloc's alignment; NULL when out of memory or align is not that. */
void *nm_strstore_alloc(nm_strstore *st, size_t size, size_t align);
/* Forgets every string (pointers into the store go stale), keeps the blocks. */
void nm_strstore_clear(nm_strstore *st);
void nm_strstore_free(nm_strstore *st);
/* Bytes of the blocks held (for tests and diagnostics). */
size_t nm_strstore_capacity(const nm_strstore *st);
/* 1 when p points into one of the store's blocks (for tests: a string that
 * must live in this store and not in another's). */
int nm_strstore_owns(const nm_strstore *st, const void *p);

/* Ordered to leave no hole (376 bytes on LP64, 4 of them tail padding;
 * 864 with every string and the wireless statistics inline, 520 with
 * kind, devtype, driver and the wireless statistics inline). The string
 * pointers are never NULL for a record made by nm_snapshot_add_interface
 * or a parser ("" when absent). They, and wireless, point into the owning
 * snapshot's string store, or (strings only) at static text. Records may
 * be moved and copied within their snapshot (finish, retain); copying one
 * into another snapshot must copy what they point to into that
 * snapshot's store. */
struct netmetrics_interface {
    int32_t ifindex;
    char name[NM_IFNAME_SIZE];
    uint32_t flags;         /* NETMETRICS_FLAG_* */
    uint32_t mtu;
    int32_t link_type;      /* ARPHRD_*, -1 unknown */
    uint32_t stats_valid;   /* bit i set: stats[i] is provided */
    uint8_t operstate;      /* netmetrics_operstate */
    int8_t carrier;         /* 1, 0, -1 unknown */
    /* Non-zero when the backend's counters are 32 bits wide (old kernels'
     * IFLA_STATS, macOS if_data): a decrease is then a wrap, not a reset. */
    uint8_t counters_32bit;
    uint8_t hwaddr_len;
    uint8_t hwaddr[NM_HWADDR_MAX];
    const char *kind;       /* IFLA_INFO_KIND ("veth", "bridge", ...), "" when none */
    uint64_t stats[NETMETRICS_STAT_COUNT];
    /* Set by nm_snapshot_finish: this interface's slice of addrs. */
    const netmetrics_address *addrs;
    size_t addr_count;

    /* ---- link details (classification issue) ---- */
    uint32_t link_valid;      /* NM_LINK_HAVE_* bits: which optional values are known */
    uint32_t txqlen;          /* IFLA_TXQLEN */
    uint32_t carrier_changes; /* IFLA_CARRIER_CHANGES */
    int32_t master_ifindex;   /* IFLA_MASTER: bridge or bond; 0 when none */
    uint64_t speed_bytes;     /* link speed in bytes/s (NM_LINK_HAVE_SPEED) */
    const char *ifalias;      /* IFLA_IFALIAS, "" when none */
    const char *parent_dev;   /* IFLA_PARENT_DEV_NAME: the backing device, "" when none */
    const char *parent_bus;   /* IFLA_PARENT_DEV_BUS_NAME ("pci", "usb", ...), "" when none */
    const char *devtype;      /* uevent DEVTYPE ("wlan", "wwan", ...), "" when none */
    const char *driver;       /* the backing device's driver, "" when none */
    /* NULL, or valid == 0: no wireless statistics. Only Wi-Fi interfaces
     * have them, so they live in the string store (nm_snapshot_wireless). */
    netmetrics_wireless *wireless;
    int8_t has_device;        /* backing device: 1, 0 (virtual), -1 unknown */
    uint8_t wireless_marker;  /* sysfs wireless/ or phy80211 present */
    uint8_t duplex;           /* netmetrics_duplex */
    uint8_t iftype;           /* netmetrics_interface_type, set by nm_snapshot_finish */
};

/* Bits of netmetrics_interface.link_valid. */
#define NM_LINK_HAVE_TXQLEN          0x1u
#define NM_LINK_HAVE_CARRIER_CHANGES 0x2u
#define NM_LINK_HAVE_SPEED           0x4u

/* An address before finish: which interface it belongs to. */
typedef struct nm_addr_entry {
    int32_t ifindex;
    netmetrics_address addr;
} nm_addr_entry;

struct netmetrics_snapshot {
    struct netmetrics_interface *ifaces;
    size_t count, cap;
    nm_addr_entry *entries;       /* as appended */
    netmetrics_address *addrs;    /* sorted, per interface, after finish */
    size_t addr_count, addr_cap;
    nm_strstore strings;          /* the interfaces' strings and wireless statistics */
    const char *backend;          /* static string */
    uint64_t time_ns;
    netmetrics_status part_status[NETMETRICS_PART_COUNT];
    double part_seconds[NETMETRICS_PART_COUNT];
    char part_error[NETMETRICS_PART_COUNT][NETMETRICS_ERROR_MESSAGE_MAX];
};

/* Mask with every stat bit set. */
#define NM_STATS_ALL ((uint32_t)((1u << NETMETRICS_STAT_COUNT) - 1u))

/* Empties the snapshot, keeping its memory (the string store's too). */
void nm_snapshot_reset(netmetrics_snapshot *snap);

/* Makes *i an interface that knows nothing yet: zeroed, carrier, link type
 * and backing device unknown (-1), every string "". */
void nm_interface_blank(struct netmetrics_interface *i);

/* A new zeroed interface at the end (carrier -1, link_type -1, the string
 * pointers "", no wireless statistics), or NULL when out of memory. The
 * pointer is valid until the next add. */
struct netmetrics_interface *nm_snapshot_add_interface(netmetrics_snapshot *snap);

/* The wireless statistics of iface, an interface of snap, to fill in: the
 * ones it has, else new zeroed ones in snap's string store, which iface
 * points to from then on (they follow it through finish and retain).
 * NULL when out of memory (iface unchanged). */
netmetrics_wireless *nm_snapshot_wireless(netmetrics_snapshot *snap,
                                          struct netmetrics_interface *iface);

/* Drops the interface most recently added (a parser that fails half way). */
void nm_snapshot_drop_last(netmetrics_snapshot *snap);

/* Records an address of interface ifindex. 0, or -1 when out of memory. */
int nm_snapshot_add_address(netmetrics_snapshot *snap, int ifindex,
                            const netmetrics_address *addr);

/* Sorts interfaces by ifindex, drops duplicate ifindexes (keeping one), attaches each interface's addresses (sorted: IPv4 first, then
 * by bytes and prefix), drops addresses of interfaces not in the table and
 * duplicates. 0, or -1 when out of memory. */
int nm_snapshot_finish(netmetrics_snapshot *snap);

/* Keeps the interfaces of a finished snapshot for which keep(iface, arg)
 * returns non-zero and drops the others, in place and in order (the table
 * stays sorted by ifindex; each kept interface keeps its addresses).
 * Returns the number kept. */
size_t nm_snapshot_retain(netmetrics_snapshot *snap,
                          int (*keep)(const struct netmetrics_interface *iface, void *arg),
                          void *arg);

/* Sets iface->iftype from its facts (classify.h); nm_snapshot_finish
 * calls it for every interface. */
void nm_interface_classify(struct netmetrics_interface *iface);

/* Monotonic clock in nanoseconds. */
uint64_t nm_monotonic_ns(void);

#endif

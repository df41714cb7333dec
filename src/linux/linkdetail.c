/* SPDX-License-Identifier: MIT */
/* sysfs link details with a per-ifindex cache. A sysfs read costs ~10 us
 * (open, read, close), so reading speed and duplex of 1,000 veths on every
 * scrape costs ~25 ms, ten times the whole RTM_GETLINK dump. Hence:
 *  - the static facts (backing device, driver, DEVTYPE, wireless markers)
 *    are read once per (ifindex, name) and kept until the interface is
 *    re-created or renamed; interfaces with a link kind other than "wwan"
 *    need none of them (they are virtual whatever sysfs says);
 *  - speed and duplex change only when the link renegotiates, which takes
 *    the carrier down and up, so they are re-read when IFLA_CARRIER_CHANGES
 *    moved; aggregates (bond, team, bridge) take their speed from their
 *    ports without a carrier change of their own and are re-read on every
 *    scrape, as is everything when the backend gives no carrier count;
 *  - a link that is down or has no carrier has no speed: not read at all.
 * Failed reads (EINVAL on a down link, ENOENT when the interface vanished)
 * leave the value unknown and never fail the collection. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "fileio.h"
#include "linkdetail.h"
#include "sysfs_parse.h"
#include "uevent_parse.h"

/* uevent files are a few hundred bytes; more is cut, which only matters
 * for keys we do not read. */
#define NM_LD_READ_MAX 2048

typedef struct nm_ld_entry {
    int32_t ifindex;
    char name[NM_IFNAME_SIZE];
    /* static facts */
    int8_t has_device;
    uint8_t wireless;
    char devtype[NM_KIND_SIZE];
    char driver[NM_KIND_SIZE];
    /* speed cache: valid when speed_cached, for carrier count speed_cc */
    uint8_t speed_cached;
    uint8_t have_speed;
    uint8_t duplex;
    uint32_t speed_cc;
    uint32_t speed_mbps;
} nm_ld_entry;

struct nm_linkdetail {
    char root[PATH_MAX];
    nm_ld_entry *cache, *next; /* sorted by ifindex; next is built per fill */
    size_t count, cap, next_cap;
    size_t reads;
};

nm_linkdetail *nm_linkdetail_new(const char *sys_root)
{
    nm_linkdetail *ld;

    if (!sys_root || strlen(sys_root) >= PATH_MAX)
        return NULL;
    ld = calloc(1, sizeof *ld);
    if (ld)
        strcpy(ld->root, sys_root);
    return ld;
}

void nm_linkdetail_free(nm_linkdetail *ld)
{
    if (!ld)
        return;
    free(ld->cache);
    free(ld->next);
    free(ld);
}

size_t nm_linkdetail_reads(const nm_linkdetail *ld)
{
    return ld ? ld->reads : 0;
}

/* <root>/class/net/<name>/<attr> into path; -1 when it does not fit. */
static int attr_path(const nm_linkdetail *ld, const char *name, const char *attr, char *path,
                     size_t size)
{
    char rel[NM_IFNAME_SIZE + 64];
    size_t n = strlen(name);

    /* A name of "." or ".." or with '/' would leave class/net. */
    if (n == 0 || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
        strlen(attr) > 48)
        return -1;
    strcpy(rel, "class/net/");
    strcat(rel, name);
    strcat(rel, "/");
    strcat(rel, attr);
    return nm_path_join(path, size, ld->root, rel);
}

/* Reads a small attribute into buf (NUL-terminated); its length, or -1
 * when it cannot be read for any reason (the value is then unknown). */
static ssize_t read_attr(nm_linkdetail *ld, const char *name, const char *attr, char *buf,
                         size_t size)
{
    char path[PATH_MAX];
    ssize_t n;
    size_t got = 0;
    int fd;

    if (attr_path(ld, name, attr, path, sizeof path) < 0)
        return -1;
    ld->reads++;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while (got < size - 1) {
        n = read(fd, buf + got, size - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) { /* EINVAL: link down; ENODEV: being unregistered */
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    return (ssize_t)got;
}

/* 1 when <attr> exists (a directory, file or link to one), 0 when not. */
static int attr_exists(nm_linkdetail *ld, const char *name, const char *attr)
{
    char path[PATH_MAX];
    struct stat st;

    if (attr_path(ld, name, attr, path, sizeof path) < 0)
        return 0;
    ld->reads++;
    return stat(path, &st) == 0;
}

static const nm_ld_entry *cache_find(const nm_linkdetail *ld, int32_t ifindex)
{
    size_t lo = 0, hi = ld->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (ld->cache[mid].ifindex == ifindex)
            return &ld->cache[mid];
        if (ld->cache[mid].ifindex < ifindex)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int is_kind(const struct netmetrics_interface *it, const char *k)
{
    return it->kind && strcmp(it->kind, k) == 0;
}

/* The facts that cannot change while the ifindex and name stay. Returns 1
 * when they may be cached, 0 when sysfs did not match this interface (a
 * rename under way, or it vanished): then they stay unknown this time. */
static int read_static(nm_linkdetail *ld, const struct netmetrics_interface *it, nm_ld_entry *e)
{
    char buf[NM_LD_READ_MAX];
    uint64_t idx;
    ssize_t n;

    e->has_device = it->has_device;
    e->wireless = 0;
    e->devtype[0] = '\0';
    e->driver[0] = '\0';
    if (it->kind && it->kind[0] && !is_kind(it, "wwan")) {
        /* A software link: no device unless netlink named a parent
         * (a macvlan's lower device is not its parent). */
        if (e->has_device < 0)
            e->has_device = 0;
        return 1;
    }
    /* Make sure the directory is this interface's, not a namesake's. */
    n = read_attr(ld, it->name, "ifindex", buf, sizeof buf);
    if (n < 0 || nm_sysfs_parse_uint(buf, (size_t)n, INT32_MAX, &idx) != NETMETRICS_OK ||
        (int32_t)idx != it->ifindex)
        return 0;
    if (e->has_device < 0)
        e->has_device = (int8_t)attr_exists(ld, it->name, "device");
    e->wireless = (uint8_t)(attr_exists(ld, it->name, "phy80211") ||
                            attr_exists(ld, it->name, "wireless"));
    n = read_attr(ld, it->name, "uevent", buf, sizeof buf);
    if (n > 0)
        nm_uevent_value(buf, (size_t)n, "DEVTYPE", e->devtype, sizeof e->devtype);
    if (e->has_device == 1) {
        n = read_attr(ld, it->name, "device/uevent", buf, sizeof buf);
        if (n > 0)
            nm_uevent_value(buf, (size_t)n, "DRIVER", e->driver, sizeof e->driver);
    }
    return 1;
}

/* Speed and duplex into e, re-read unless the cached value still holds. */
static void update_speed(nm_linkdetail *ld, const struct netmetrics_interface *it, nm_ld_entry *e)
{
    char buf[64];
    uint32_t mbps;
    ssize_t n;
    int has_cc = (it->link_valid & NM_LINK_HAVE_CARRIER_CHANGES) != 0;
    int aggregate = is_kind(it, "bond") || is_kind(it, "team") || is_kind(it, "bridge");

    /* Down, or no carrier: the kernel answers EINVAL; do not even ask. */
    if (!(it->flags & NETMETRICS_FLAG_UP) || it->carrier == 0 ||
        (it->flags & NETMETRICS_FLAG_LOOPBACK)) {
        e->speed_cached = 0;
        e->have_speed = 0;
        e->duplex = NETMETRICS_DUPLEX_UNKNOWN;
        return;
    }
    if (e->speed_cached && has_cc && !aggregate && e->speed_cc == it->carrier_changes)
        return;
    e->have_speed = 0;
    e->duplex = NETMETRICS_DUPLEX_UNKNOWN;
    n = read_attr(ld, it->name, "speed", buf, sizeof buf);
    if (n >= 0 && nm_sysfs_parse_speed(buf, (size_t)n, &mbps) == NETMETRICS_OK) {
        e->have_speed = 1;
        e->speed_mbps = mbps;
        n = read_attr(ld, it->name, "duplex", buf, sizeof buf);
        if (n >= 0)
            e->duplex = (uint8_t)nm_sysfs_parse_duplex(buf, (size_t)n);
    }
    e->speed_cached = (uint8_t)has_cc;
    e->speed_cc = it->carrier_changes;
}

/* Into it, the text copied into its snapshot's store (the snapshot never
 * points into this cache). -1 when the store cannot grow: the text is then
 * unknown (""), as after a failed read. */
static int apply(const nm_ld_entry *e, struct netmetrics_interface *it, nm_strstore *strings)
{
    int r = 0;

    it->has_device = e->has_device;
    it->wireless_marker = e->wireless;
    it->devtype = nm_strstore_add(strings, e->devtype, strlen(e->devtype));
    it->driver = nm_strstore_add(strings, e->driver, strlen(e->driver));
    if (!it->devtype || !it->driver) {
        it->devtype = it->devtype ? it->devtype : "";
        it->driver = it->driver ? it->driver : "";
        r = -1;
    }
    if (e->have_speed) {
        it->speed_bytes = (uint64_t)e->speed_mbps * 125000u; /* Mb/s to bytes/s */
        it->link_valid |= NM_LINK_HAVE_SPEED;
        it->duplex = e->duplex;
    }
    return r;
}

static int cmp_entry(const void *a, const void *b)
{
    int32_t x = ((const nm_ld_entry *)a)->ifindex, y = ((const nm_ld_entry *)b)->ifindex;

    return (x > y) - (x < y);
}

netmetrics_status nm_linkdetail_fill(nm_linkdetail *ld, netmetrics_snapshot *snap)
{
    netmetrics_status st = NETMETRICS_OK;
    size_t i, used = 0;
    int caching = 1;
    nm_ld_entry *swap;

    if (snap->count > ld->next_cap) {
        nm_ld_entry *nn = realloc(ld->next, snap->count * sizeof *nn);

        if (nn) {
            ld->next = nn;
            ld->next_cap = snap->count;
        } else {
            caching = 0; /* still fill this snapshot, one entry at a time */
            st = NETMETRICS_ERR_NO_MEMORY;
        }
    }
    for (i = 0; i < snap->count; i++) {
        struct netmetrics_interface *it = &snap->ifaces[i];
        const nm_ld_entry *old = cache_find(ld, it->ifindex);
        nm_ld_entry e;
        int keep = 1;

        if (old && strcmp(old->name, it->name) == 0) {
            e = *old;
        } else {
            memset(&e, 0, sizeof e);
            e.ifindex = it->ifindex;
            memcpy(e.name, it->name, sizeof e.name);
            keep = read_static(ld, it, &e);
        }
        update_speed(ld, it, &e);
        if (apply(&e, it, &snap->strings) < 0)
            st = NETMETRICS_ERR_NO_MEMORY;
        if (caching && keep)
            ld->next[used++] = e;
    }
    if (!caching)
        return st;
    /* Interfaces gone since the last fill drop out with the old table. */
    if (used > 1)
        qsort(ld->next, used, sizeof *ld->next, cmp_entry);
    swap = ld->cache;
    ld->cache = ld->next;
    ld->next = swap;
    i = ld->cap;
    ld->cap = ld->next_cap;
    ld->next_cap = i;
    ld->count = used;
    return st;
}

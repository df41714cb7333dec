/* SPDX-License-Identifier: MIT */
/* Snapshot storage, the builder backends use, and the public read-only
 * accessors. Lookups are by binary search on the ifindex-sorted table or a
 * linear scan by name; nothing here is quadratic in the interface count. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "grow.h"
#include "snapshot.h"

uint64_t nm_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The first block's size; each new one doubles, up to the last size, so a
 * store holds few blocks whatever it is filled with (1,001 interfaces with
 * 255-byte aliases take 11). A host's few parent devices fit in the first. */
#define NM_STRBLOCK_FIRST 1024u
#define NM_STRBLOCK_LAST (64u * 1024u)

/* n bytes at an offset that is a multiple of align (a power of two no
 * larger than malloc's alignment, which every block starts at), or NULL. */
static void *strstore_reserve(nm_strstore *st, size_t n, size_t align)
{
    nm_strblock *b;
    size_t at, size;

    if (n >= SIZE_MAX / 2)
        return NULL;
    /* Skip blocks without room (kept ones after a clear may be small). */
    while (st->cur < st->count) {
        b = &st->blocks[st->cur];
        at = (st->used + align - 1) & ~(align - 1);
        if (at <= b->size && b->size - at >= n) {
            st->used = at + n;
            return b->text + at;
        }
        st->cur++;
        st->used = 0;
    }
    size = st->count >= 6 ? NM_STRBLOCK_LAST : NM_STRBLOCK_FIRST << st->count;
    if (size < n)
        size = n;
    if (nm_grow((void **)&st->blocks, &st->cap, st->count + 1, sizeof *st->blocks) < 0)
        return NULL;
    b = &st->blocks[st->count];
    b->text = malloc(size);
    if (!b->text)
        return NULL;
    b->size = size;
    st->cur = st->count++;
    st->used = n;
    return b->text;
}

const char *nm_strstore_add(nm_strstore *st, const char *s, size_t n)
{
    char *out;

    if (n == 0)
        return "";
    if (n >= SIZE_MAX / 2)
        return NULL;
    out = strstore_reserve(st, n + 1, 1);
    if (!out)
        return NULL;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

void *nm_strstore_alloc(nm_strstore *st, size_t size, size_t align)
{
    if (align == 0 || (align & (align - 1)) != 0 || align > _Alignof(max_align_t))
        return NULL;
    return strstore_reserve(st, size ? size : 1, align);
}

void nm_strstore_clear(nm_strstore *st)
{
    st->cur = 0;
    st->used = 0;
}

void nm_strstore_free(nm_strstore *st)
{
    size_t i;

    for (i = 0; i < st->count; i++)
        free(st->blocks[i].text);
    free(st->blocks);
    memset(st, 0, sizeof *st);
}

size_t nm_strstore_capacity(const nm_strstore *st)
{
    size_t i, total = 0;

    for (i = 0; i < st->count; i++)
        total += st->blocks[i].size;
    return total;
}

int nm_strstore_owns(const nm_strstore *st, const void *p)
{
    const char *c = p;
    size_t i;

    for (i = 0; i < st->count; i++)
        if (c >= st->blocks[i].text && c < st->blocks[i].text + st->blocks[i].size)
            return 1;
    return 0;
}

netmetrics_snapshot *netmetrics_snapshot_new(void)
{
    netmetrics_snapshot *s = calloc(1, sizeof *s);

    if (s)
        nm_snapshot_reset(s);
    return s;
}

void netmetrics_snapshot_free(netmetrics_snapshot *snap)
{
    if (!snap)
        return;
    free(snap->ifaces);
    free(snap->entries);
    free(snap->addrs);
    nm_strstore_free(&snap->strings);
    free(snap);
}

void nm_snapshot_reset(netmetrics_snapshot *snap)
{
    int i;

    snap->count = 0;
    snap->addr_count = 0;
    nm_strstore_clear(&snap->strings);
    snap->backend = "";
    snap->time_ns = 0;
    for (i = 0; i < NETMETRICS_PART_COUNT; i++) {
        snap->part_status[i] = NETMETRICS_ERR_NOT_AVAILABLE;
        snap->part_seconds[i] = 0.0;
        snap->part_error[i][0] = '\0';
    }
}

void nm_interface_blank(struct netmetrics_interface *i)
{
    memset(i, 0, sizeof *i);
    i->carrier = -1;
    i->link_type = -1;
    i->has_device = -1; /* unknown until IFLA_PARENT_DEV_NAME or sysfs says */
    i->kind = "";
    i->ifalias = "";
    i->parent_dev = "";
    i->parent_bus = "";
    i->devtype = "";
    i->driver = "";
}

struct netmetrics_interface *nm_snapshot_add_interface(netmetrics_snapshot *snap)
{
    struct netmetrics_interface *i;

    if (nm_grow((void **)&snap->ifaces, &snap->cap, snap->count + 1, sizeof *snap->ifaces) < 0)
        return NULL;
    i = &snap->ifaces[snap->count++];
    nm_interface_blank(i);
    return i;
}

netmetrics_wireless *nm_snapshot_wireless(netmetrics_snapshot *snap,
                                          struct netmetrics_interface *iface)
{
    netmetrics_wireless *w = iface->wireless;

    if (w)
        return w;
    w = nm_strstore_alloc(&snap->strings, sizeof *w, _Alignof(netmetrics_wireless));
    if (!w)
        return NULL;
    memset(w, 0, sizeof *w);
    iface->wireless = w;
    return w;
}

void nm_snapshot_drop_last(netmetrics_snapshot *snap)
{
    if (snap->count)
        snap->count--;
}

int nm_snapshot_add_address(netmetrics_snapshot *snap, int ifindex, const netmetrics_address *addr)
{
    size_t cap = snap->addr_cap;

    /* entries and addrs share one capacity */
    if (nm_grow((void **)&snap->entries, &cap, snap->addr_count + 1, sizeof *snap->entries) < 0)
        return -1;
    if (cap != snap->addr_cap) {
        void *np = realloc(snap->addrs, cap * sizeof *snap->addrs);

        if (!np)
            return -1;
        snap->addrs = np;
        snap->addr_cap = cap;
    }
    snap->entries[snap->addr_count].ifindex = ifindex;
    snap->entries[snap->addr_count].addr = *addr;
    snap->addr_count++;
    return 0;
}

static int cmp_iface(const void *a, const void *b)
{
    const struct netmetrics_interface *x = a, *y = b;

    return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

static int cmp_addr(const netmetrics_address *x, const netmetrics_address *y)
{
    int c;

    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    c = memcmp(x->bytes, y->bytes, sizeof x->bytes);
    if (c)
        return c;
    return (x->prefix_length > y->prefix_length) - (x->prefix_length < y->prefix_length);
}

static int cmp_entry(const void *a, const void *b)
{
    const nm_addr_entry *x = a, *y = b;

    if (x->ifindex != y->ifindex)
        return x->ifindex < y->ifindex ? -1 : 1;
    return cmp_addr(&x->addr, &y->addr);
}

/* 1 when the table is already in order. The kernel dumps links in ifindex
 * order, so the interface table normally needs no sort (qsort of a
 * thousand large structs cost about half a million instructions a scrape
 * even when it moved nothing). Non-strict order suffices: equal neighbours
 * are what the duplicate pass below expects, and unsorted they keep the
 * order they were added in, which a stable sort would keep too. */
static int sorted_by(const void *base, size_t count, size_t size,
                     int (*cmp)(const void *, const void *))
{
    const char *p = base;
    size_t i;

    for (i = 1; i < count; i++)
        if (cmp(p + (i - 1) * size, p + i * size) > 0)
            return 0;
    return 1;
}

int nm_snapshot_finish(netmetrics_snapshot *snap)
{
    size_t i, w, a, out;

    if (snap->count > 1) {
        /* A dump never repeats an ifindex, but a backend stitched from
         * several sources might: keep one entry per ifindex. The dropped
         * one's strings and wireless statistics stay in the store, unused,
         * until the reset. */
        if (!sorted_by(snap->ifaces, snap->count, sizeof *snap->ifaces, cmp_iface))
            qsort(snap->ifaces, snap->count, sizeof *snap->ifaces, cmp_iface);
        for (i = 1, w = 0; i < snap->count; i++) {
            if (snap->ifaces[i].ifindex == snap->ifaces[w].ifindex)
                snap->ifaces[w] = snap->ifaces[i];
            else
                snap->ifaces[++w] = snap->ifaces[i];
        }
        snap->count = w + 1;
    }
    if (snap->addr_count > 1 &&
        !sorted_by(snap->entries, snap->addr_count, sizeof *snap->entries, cmp_entry))
        qsort(snap->entries, snap->addr_count, sizeof *snap->entries, cmp_entry);

    /* nm_snapshot_add_address grows addrs together with entries, so addrs
     * exists whenever an address does; checked here so the merge below is
     * plainly safe rather than safe by that distant invariant. */
    if (snap->addr_count > 0 && !snap->addrs)
        return -1;
    /* Merge the two sorted tables: linear in interfaces + addresses. */
    for (i = 0, a = 0, out = 0; i < snap->count; i++) {
        struct netmetrics_interface *it = &snap->ifaces[i];
        size_t first = out;

        while (a < snap->addr_count && snap->entries[a].ifindex < it->ifindex)
            a++; /* address of an interface not in the table */
        while (a < snap->addr_count && snap->entries[a].ifindex == it->ifindex) {
            if (out == first || cmp_addr(&snap->addrs[out - 1], &snap->entries[a].addr) != 0)
                snap->addrs[out++] = snap->entries[a].addr;
            a++;
        }
        it->addrs = snap->addrs ? &snap->addrs[first] : NULL;
        it->addr_count = out - first;
        /* Every backend's facts are in by now: classify once, here, so
         * every reader of the snapshot sees the same type. */
        nm_interface_classify(it);
    }
    return 0;
}

size_t nm_snapshot_retain(netmetrics_snapshot *snap,
                          int (*keep)(const struct netmetrics_interface *iface, void *arg),
                          void *arg)
{
    size_t i, w = 0;

    /* Structs move, the address array and the string store do not: each
     * interface's addrs slice, strings and wireless statistics stay valid
     * wherever it lands. */
    for (i = 0; i < snap->count; i++) {
        if (!keep(&snap->ifaces[i], arg))
            continue;
        if (w != i)
            snap->ifaces[w] = snap->ifaces[i];
        w++;
    }
    snap->count = w;
    return w;
}

size_t netmetrics_snapshot_count(const netmetrics_snapshot *snap)
{
    return snap ? snap->count : 0;
}

const netmetrics_interface *netmetrics_snapshot_interface(const netmetrics_snapshot *snap, size_t i)
{
    if (!snap || i >= snap->count)
        return NULL;
    return &snap->ifaces[i];
}

const netmetrics_interface *netmetrics_snapshot_find(const netmetrics_snapshot *snap,
                                                     const char *name)
{
    size_t i;

    if (!snap || !name)
        return NULL;
    for (i = 0; i < snap->count; i++)
        if (strncmp(snap->ifaces[i].name, name, NM_IFNAME_SIZE) == 0 &&
            strlen(name) < NM_IFNAME_SIZE)
            return &snap->ifaces[i];
    return NULL;
}

const netmetrics_interface *netmetrics_snapshot_find_index(const netmetrics_snapshot *snap,
                                                           int ifindex)
{
    size_t lo = 0, hi;

    if (!snap)
        return NULL;
    hi = snap->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (snap->ifaces[mid].ifindex == ifindex)
            return &snap->ifaces[mid];
        if (snap->ifaces[mid].ifindex < ifindex)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *netmetrics_snapshot_backend(const netmetrics_snapshot *snap)
{
    return snap && snap->backend ? snap->backend : "";
}

uint64_t netmetrics_snapshot_time_ns(const netmetrics_snapshot *snap)
{
    return snap ? snap->time_ns : 0;
}

netmetrics_status netmetrics_snapshot_part_status(const netmetrics_snapshot *snap,
                                                  netmetrics_part part)
{
    if (!snap || (unsigned)part >= NETMETRICS_PART_COUNT)
        return NETMETRICS_ERR_INVALID;
    return snap->part_status[part];
}

double netmetrics_snapshot_part_seconds(const netmetrics_snapshot *snap, netmetrics_part part)
{
    if (!snap || (unsigned)part >= NETMETRICS_PART_COUNT)
        return 0.0;
    return snap->part_seconds[part];
}

const char *netmetrics_snapshot_part_error(const netmetrics_snapshot *snap, netmetrics_part part)
{
    if (!snap || (unsigned)part >= NETMETRICS_PART_COUNT)
        return "";
    return snap->part_error[part];
}

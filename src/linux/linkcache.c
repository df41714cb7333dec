/* SPDX-License-Identifier: MIT */
/* The link metadata and address cache of the rtnetlink backend (see
 * linkcache.h for where each field comes from). It keeps the links sorted
 * by ifindex, applies notifications in the order the kernel sent them, and
 * merges a stats dump into the links it emitted. It must never do I/O, and
 * never serve a table it is not sure of: anything unexpected invalidates
 * it, which costs one full dump, never a wrong answer. Nothing here is
 * quadratic in the number of links: lookups are binary searches, a deleted
 * link is only marked (the table is compacted once per emit), and a new
 * link normally has the highest ifindex (the kernel hands them out in
 * increasing order), so inserting it moves nothing. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "grow.h"
#include "linkcache.h"
#include "nmerror.h"
#include "rtnl_parse.h"

/* One link's metadata: what nm_rtnl_parse_link fills, without counters
 * (they come from the stats dump): 136 bytes a link on 64-bit, where a
 * netmetrics_interface takes 376. The kind is kept inline (most virtual
 * links have one, and it is short); the rarely set text lives in one
 * allocation of the link's own. A field the parser learns to fill must be
 * carried here too; check_rtnl_stats's round trip fails until it is. */
typedef struct lc_link {
    /* "alias\0parent_dev\0parent_bus\0", NULL when all three are "" */
    char *text;
    int32_t ifindex, link_type, master_ifindex;
    uint32_t flags, mtu, link_valid, txqlen, carrier_changes;
    uint16_t dev_at, bus_at; /* where parent_dev and parent_bus start in text */
    uint8_t operstate, hwaddr_len;
    int8_t carrier, has_device;
    uint8_t live; /* 0: deleted, waiting for compaction */
    char name[NM_IFNAME_SIZE];
    uint8_t hwaddr[NM_HWADDR_MAX];
    char kind[NM_KIND_SIZE];
} lc_link;

struct nm_linkcache {
    lc_link *links; /* sorted by ifindex, live and deleted alike */
    size_t count, cap, dead;
    int links_valid;
    nm_addr_entry *addrs;
    size_t addr_count, addr_cap;
    int addrs_valid;
    /* the merge in progress: links msnap->ifaces[mfirst, mfirst + mcount) */
    netmetrics_snapshot *msnap;
    size_t mfirst, mcount, mcursor, mseen;
    int mbehind;
    uint8_t *seen;
    size_t seen_cap;
    nm_strstore scratch; /* the strings of the notification being parsed */
    nm_linkcache_counts counts;
};

nm_linkcache *nm_linkcache_new(void)
{
    return calloc(1, sizeof(nm_linkcache));
}

void nm_linkcache_free(nm_linkcache *lc)
{
    size_t i;

    if (!lc)
        return;
    for (i = 0; i < lc->count; i++)
        free(lc->links[i].text);
    free(lc->links);
    free(lc->addrs);
    free(lc->seen);
    nm_strstore_free(&lc->scratch);
    free(lc);
}

int nm_linkcache_links_valid(const nm_linkcache *lc)
{
    return lc->links_valid;
}

int nm_linkcache_addrs_valid(const nm_linkcache *lc)
{
    return lc->addrs_valid;
}

void nm_linkcache_invalidate(nm_linkcache *lc)
{
    lc->links_valid = 0;
    lc->addrs_valid = 0;
    lc->msnap = NULL;
    lc->counts.invalidations++;
}

size_t nm_linkcache_link_count(const nm_linkcache *lc)
{
    return lc->links_valid ? lc->count - lc->dead : 0;
}

void nm_linkcache_get_counts(const nm_linkcache *lc, nm_linkcache_counts *out)
{
    *out = lc->counts;
}

static const char *lc_alias(const lc_link *l)
{
    return l->text ? l->text : "";
}

static const char *lc_parent_dev(const lc_link *l)
{
    return l->text ? l->text + l->dev_at : "";
}

static const char *lc_parent_bus(const lc_link *l)
{
    return l->text ? l->text + l->bus_at : "";
}

/* 1 when have (NUL-terminated) is the first n bytes of want and no more. */
static int same_text(const char *have, const char *want, size_t n)
{
    return strncmp(have, want, n) == 0 && have[n] == '\0';
}

/* Sets l's text from m's strings (NULL taken as ""), keeping the
 * allocation when nothing changed. -1 when out of memory, l unchanged. */
static int set_text(lc_link *l, const struct netmetrics_interface *m)
{
    const char *a = m->ifalias ? m->ifalias : "";
    const char *d = m->parent_dev ? m->parent_dev : "";
    const char *b = m->parent_bus ? m->parent_bus : "";
    /* the parsers' limits, which also keep the offsets within 16 bits */
    size_t na = strnlen(a, NM_IFALIAS_MAX), nd = strnlen(d, NM_PARENT_MAX);
    size_t nb = strnlen(b, NM_PARENT_BUS_MAX);
    char *text = NULL;

    if (na + nd + nb > 0) {
        if (l->text && same_text(lc_alias(l), a, na) && same_text(lc_parent_dev(l), d, nd) &&
            same_text(lc_parent_bus(l), b, nb))
            return 0; /* unchanged: keep it */
        text = malloc(na + nd + nb + 3);
        if (!text)
            return -1;
        memcpy(text, a, na);
        text[na] = '\0';
        memcpy(text + na + 1, d, nd);
        text[na + 1 + nd] = '\0';
        memcpy(text + na + nd + 2, b, nb);
        text[na + nd + 2 + nb] = '\0';
    }
    free(l->text);
    l->text = text;
    l->dev_at = (uint16_t)(na + 1);
    l->bus_at = (uint16_t)(na + nd + 2);
    return 0;
}

/* Takes m's metadata (every field nm_rtnl_parse_link sets but the
 * counters, which come from the stats dump). -1 when out of memory, with
 * l unchanged. */
static int set_meta(lc_link *l, const struct netmetrics_interface *m)
{
    size_t kn;

    if (set_text(l, m) < 0)
        return -1;
    l->ifindex = m->ifindex;
    l->link_type = m->link_type;
    l->master_ifindex = m->master_ifindex;
    l->flags = m->flags;
    l->mtu = m->mtu;
    l->link_valid = m->link_valid;
    l->txqlen = m->txqlen;
    l->carrier_changes = m->carrier_changes;
    l->operstate = m->operstate;
    l->hwaddr_len = m->hwaddr_len;
    l->carrier = m->carrier;
    l->has_device = m->has_device;
    memcpy(l->name, m->name, sizeof l->name);
    memcpy(l->hwaddr, m->hwaddr, sizeof l->hwaddr);
    /* the parser refuses longer kinds; NULL as "" like the other text */
    kn = m->kind ? strnlen(m->kind, sizeof l->kind - 1) : 0;
    memcpy(l->kind, m->kind ? m->kind : "", kn);
    l->kind[kn] = '\0';
    l->live = 1;
    return 0;
}

/* The reverse, into an interface nm_snapshot_add_interface just zeroed,
 * the text (the kind too) copied into that snapshot's store: the snapshot
 * must not point into the cache, which frees or rewrites a link's text
 * when the link changes while the snapshot may still be read. -1 when the
 * store cannot grow. */
static int get_meta(const lc_link *l, struct netmetrics_interface *it, nm_strstore *strings)
{
    it->ifindex = l->ifindex;
    it->link_type = l->link_type;
    it->master_ifindex = l->master_ifindex;
    it->flags = l->flags;
    it->mtu = l->mtu;
    it->link_valid = l->link_valid;
    it->txqlen = l->txqlen;
    it->carrier_changes = l->carrier_changes;
    it->operstate = l->operstate;
    it->hwaddr_len = l->hwaddr_len;
    it->carrier = l->carrier;
    it->has_device = l->has_device;
    memcpy(it->name, l->name, sizeof it->name);
    memcpy(it->hwaddr, l->hwaddr, sizeof it->hwaddr);
    it->kind = nm_strstore_add(strings, l->kind, strlen(l->kind));
    if (!it->kind)
        return -1;
    if (l->text) {
        it->ifalias = nm_strstore_add(strings, lc_alias(l), l->dev_at - 1u);
        it->parent_dev = nm_strstore_add(strings, lc_parent_dev(l),
                                         (size_t)(l->bus_at - l->dev_at) - 1u);
        it->parent_bus = nm_strstore_add(strings, lc_parent_bus(l), strlen(lc_parent_bus(l)));
        if (!it->ifalias || !it->parent_dev || !it->parent_bus)
            return -1;
    }
    return 0;
}

/* 1 with *pos at ifindex's entry, or 0 with *pos where it would go. */
static int find(const nm_linkcache *lc, int32_t ifindex, size_t *pos)
{
    size_t lo = 0, hi = lc->count;

    /* New links have the highest ifindex: check the end first. */
    if (hi == 0 || lc->links[hi - 1].ifindex < ifindex) {
        *pos = hi;
        return 0;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (lc->links[mid].ifindex == ifindex) {
            *pos = mid;
            return 1;
        }
        if (lc->links[mid].ifindex < ifindex)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return 0;
}

static int upsert(nm_linkcache *lc, const struct netmetrics_interface *m)
{
    size_t pos;

    if (find(lc, m->ifindex, &pos)) {
        int was_live = lc->links[pos].live;

        if (set_meta(&lc->links[pos], m) < 0)
            return -1;
        if (!was_live)
            lc->dead--;
        return 0;
    }
    if (nm_grow((void **)&lc->links, &lc->cap, lc->count + 1, sizeof *lc->links) < 0)
        return -1;
    if (pos < lc->count)
        memmove(&lc->links[pos + 1], &lc->links[pos], (lc->count - pos) * sizeof *lc->links);
    lc->links[pos].text = NULL;
    lc->count++;
    if (set_meta(&lc->links[pos], m) < 0) {
        /* take the hole out again */
        lc->count--;
        if (pos < lc->count)
            memmove(&lc->links[pos], &lc->links[pos + 1], (lc->count - pos) * sizeof *lc->links);
        return -1;
    }
    return 0;
}

static void remove_link(nm_linkcache *lc, int32_t ifindex)
{
    size_t pos;

    if (find(lc, ifindex, &pos) && lc->links[pos].live) {
        lc->links[pos].live = 0;
        lc->dead++;
    }
}

void nm_linkcache_feed_events(nm_linkcache *lc, const void *buf, size_t len)
{
    struct netmetrics_interface parsed;
    struct ifinfomsg ifi;
    netmetrics_error e;
    nm_rtnl_walker w;
    nm_rtnl_msg m;

    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_events(&w);
    nm_rtnl_walk_buffer(&w, buf, len);
    for (;;) {
        switch (nm_rtnl_walk_next(&w, &m, &e)) {
        case NM_RTNL_STEP_MORE:
            return;
        case NM_RTNL_STEP_DONE:  /* an ACK or NLMSG_DONE among notifications */
        case NM_RTNL_STEP_ERROR: /* malformed, NLMSG_ERROR or NLMSG_OVERRUN */
            nm_linkcache_invalidate(lc);
            return;
        case NM_RTNL_STEP_MSG:
            break;
        }
        switch (m.type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
            if (m.payload_len < sizeof ifi) {
                nm_linkcache_invalidate(lc);
                return;
            }
            memcpy(&ifi, m.payload, sizeof ifi);
            if (ifi.ifi_family != AF_UNSPEC) {
                lc->counts.ignored_events++;
                continue;
            }
            lc->addrs_valid = 0;
            if (!lc->links_valid)
                continue;
            /* upsert copies the parsed strings: the scratch store holds
             * one message's at a time */
            nm_strstore_clear(&lc->scratch);
            if (m.type == RTM_DELLINK) {
                if (ifi.ifi_index <= 0) {
                    nm_linkcache_invalidate(lc);
                    return;
                }
                remove_link(lc, ifi.ifi_index);
            } else if (nm_rtnl_parse_link(m.payload, m.payload_len, &parsed, &lc->scratch, &e) !=
                           NETMETRICS_OK ||
                       upsert(lc, &parsed) < 0) {
                nm_linkcache_invalidate(lc);
                return;
            }
            lc->counts.link_events++;
            break;
        case RTM_NEWADDR:
        case RTM_DELADDR:
            lc->addrs_valid = 0;
            lc->counts.addr_events++;
            break;
        default:
            lc->counts.ignored_events++;
            break;
        }
    }
}

static int cmp_link(const void *a, const void *b)
{
    const lc_link *x = a, *y = b;

    return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

int nm_linkcache_load_links(nm_linkcache *lc, const netmetrics_snapshot *snap, size_t first)
{
    size_t n = snap->count > first ? snap->count - first : 0, i, w;
    int sorted = 1;

    lc->links_valid = 0;
    lc->msnap = NULL;
    for (i = 0; i < lc->count; i++) {
        free(lc->links[i].text);
        lc->links[i].text = NULL;
    }
    lc->count = 0;
    lc->dead = 0;
    if (nm_grow((void **)&lc->links, &lc->cap, n, sizeof *lc->links) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        lc->links[i].text = NULL;
        lc->count = i + 1; /* owns what set_meta allocated, for the next load or free */
        if (set_meta(&lc->links[i], &snap->ifaces[first + i]) < 0)
            return -1;
        if (i > 0 && lc->links[i - 1].ifindex >= lc->links[i].ifindex)
            sorted = 0;
    }
    /* Kernels before 6.7 dump in hash order; a dump never repeats an
     * ifindex, but keep one per ifindex whatever happens (the later one,
     * as nm_snapshot_finish does). */
    if (!sorted && n > 1) {
        qsort(lc->links, n, sizeof *lc->links, cmp_link);
        for (i = 1, w = 0; i < n; i++) {
            if (lc->links[i].ifindex == lc->links[w].ifindex) {
                /* the later entry replaces the earlier, taking its text */
                char *old = lc->links[w].text;

                lc->links[w] = lc->links[i];
                lc->links[i].text = NULL;
                if (old != lc->links[w].text)
                    free(old);
                continue;
            }
            if (++w != i) {
                lc->links[w] = lc->links[i];
                lc->links[i].text = NULL;
            }
        }
        n = w + 1;
    }
    lc->count = n;
    lc->links_valid = 1;
    return 0;
}

int nm_linkcache_load_addrs(nm_linkcache *lc, const netmetrics_snapshot *snap, size_t first)
{
    size_t n = snap->addr_count > first ? snap->addr_count - first : 0;

    lc->addrs_valid = 0;
    if (nm_grow((void **)&lc->addrs, &lc->addr_cap, n, sizeof *lc->addrs) < 0)
        return -1;
    if (n)
        memcpy(lc->addrs, snap->entries + first, n * sizeof *lc->addrs);
    lc->addr_count = n;
    lc->addrs_valid = 1;
    return 0;
}

netmetrics_status nm_linkcache_emit_links(nm_linkcache *lc, netmetrics_snapshot *snap,
                                          netmetrics_error *err)
{
    size_t base = snap->count, i, w;

    lc->msnap = NULL;
    if (!lc->links_valid)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "link cache is not valid");
    if (lc->dead) {
        for (i = 0, w = 0; i < lc->count; i++) {
            if (!lc->links[i].live) {
                free(lc->links[i].text);
                continue;
            }
            if (w != i)
                lc->links[w] = lc->links[i];
            w++;
        }
        lc->count = w;
        lc->dead = 0;
    }
    if (nm_grow((void **)&lc->seen, &lc->seen_cap, lc->count, sizeof *lc->seen) < 0)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    if (lc->count)
        memset(lc->seen, 0, lc->count);
    for (i = 0; i < lc->count; i++) {
        struct netmetrics_interface *it = nm_snapshot_add_interface(snap);

        if (!it || get_meta(&lc->links[i], it, &snap->strings) < 0) {
            snap->count = base; /* strings already copied wait for the reset */
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        }
    }
    lc->msnap = snap;
    lc->mfirst = base;
    lc->mcount = lc->count;
    lc->mcursor = 0;
    lc->mseen = 0;
    lc->mbehind = 0;
    return NETMETRICS_OK;
}

void nm_linkcache_merge_stats(void *ctx, const nm_rtnl_stats *stats)
{
    nm_linkcache *lc = ctx;
    struct netmetrics_interface *ifs;
    size_t i, lo, hi;

    if (!lc->msnap)
        return;
    if (lc->msnap->count < lc->mfirst + lc->mcount) { /* snapshot changed under us */
        lc->mbehind = 1;
        return;
    }
    ifs = lc->msnap->ifaces + lc->mfirst;
    i = lc->mcursor;
    if (i >= lc->mcount || ifs[i].ifindex != stats->ifindex) {
        lo = 0;
        hi = lc->mcount;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (ifs[mid].ifindex < stats->ifindex)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo >= lc->mcount || ifs[lo].ifindex != stats->ifindex) {
            lc->mbehind = 1; /* a link the cache does not know (yet) */
            return;
        }
        i = lo;
    }
    lc->mcursor = i + 1;
    if (lc->seen[i]) {
        lc->mbehind = 1;
        return;
    }
    lc->seen[i] = 1;
    lc->mseen++;
    memcpy(ifs[i].stats, stats->counters, sizeof ifs[i].stats);
    ifs[i].stats_valid = stats->valid;
    ifs[i].counters_32bit = 0;
}

int nm_linkcache_merge_complete(nm_linkcache *lc)
{
    int ok = lc->msnap && !lc->mbehind && lc->mseen == lc->mcount;

    if (!ok)
        lc->counts.behind++;
    lc->msnap = NULL;
    return ok;
}

netmetrics_status nm_linkcache_emit_addrs(const nm_linkcache *lc, netmetrics_snapshot *snap,
                                          netmetrics_error *err)
{
    size_t base = snap->addr_count, i;

    if (!lc->addrs_valid)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "address cache is not valid");
    for (i = 0; i < lc->addr_count; i++) {
        if (nm_snapshot_add_address(snap, lc->addrs[i].ifindex, &lc->addrs[i].addr) < 0) {
            snap->addr_count = base;
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        }
    }
    return NETMETRICS_OK;
}

/* SPDX-License-Identifier: MIT */
/* The rtnetlink backend's cache of link metadata and addresses, so that a
 * scrape asks the kernel only for counters (RTM_GETSTATS: a tenth of the
 * bytes and kernel time of a full RTM_GETLINK dump). Pure: it takes message
 * bytes and snapshots, never a socket, so every decision it makes (apply a
 * notification, notice it is behind, give up and ask for a full dump) is
 * unit-tested on made-up messages. netlink_backend.c does the I/O.
 *
 * Where each field of a collected interface comes from on the cached path:
 *  - from the last RTM_NEWLINK the kernel sent for the link, in a full dump
 *    or as an RTNLGRP_LINK notification (both carry the whole link, made by
 *    the same kernel function): ifindex, name, flags, mtu, operstate,
 *    carrier, link_type, hwaddr, kind, txqlen, carrier_changes,
 *    master_ifindex, ifalias, parent_dev, parent_bus, has_device and the
 *    TXQLEN / CARRIER_CHANGES bits of link_valid;
 *  - from this scrape's RTM_GETSTATS (IFLA_STATS_LINK_64, the same
 *    dev_get_stats() the link dump reads): stats, stats_valid;
 *    counters_32bit is 0 (the kernel has 64-bit counters if it has
 *    RTM_GETSTATS);
 *  - filled later, whichever path ran: speed, duplex, driver, devtype,
 *    wireless markers and the SPEED bit (extras, sysfs), wireless
 *    statistics, addrs and iftype (nm_snapshot_finish).
 * The kernel announces every change to the first group with a notification,
 * with these exceptions (Linux 6.x, checked with `ip monitor`), which a
 * periodic full dump (netlink_backend.c) bounds:
 *  - netdev_state_change() notifies only for links that are up, so an alias
 *    set, or a carrier change reported by a driver, while the link is
 *    administratively down is seen at the link's next notification;
 *  - carrier and carrier_changes follow the linkwatch notification, which
 *    the kernel may hold back up to a second after the carrier bit moved
 *    (operstate waits for the same event in a full dump).
 * Addresses are re-dumped after any RTNLGRP_IPV4_IFADDR/IPV6_IFADDR or link
 * notification: IPv6 link-local addresses appear (tentative) when the link
 * gets its carrier, before the link notification, and are announced
 * themselves only once DAD completes; the link notification covers them. */
#ifndef NM_LINKCACHE_H
#define NM_LINKCACHE_H

#include <stddef.h>

#include "netmetrics.h"
#include "rtnl_stats_parse.h"
#include "snapshot.h"

typedef struct nm_linkcache nm_linkcache;

/* What the cache did, over its lifetime (for tests and diagnostics). */
typedef struct nm_linkcache_counts {
    size_t link_events;    /* RTM_NEWLINK / RTM_DELLINK applied */
    size_t addr_events;    /* RTM_NEWADDR / RTM_DELADDR seen */
    size_t ignored_events; /* other families (AF_BRIDGE port messages) or types */
    size_t invalidations;  /* nm_linkcache_invalidate, or a notification in doubt */
    size_t behind;         /* merges that found the cache behind the kernel */
} nm_linkcache_counts;

/* An empty, invalid cache; NULL when out of memory. */
nm_linkcache *nm_linkcache_new(void);
void nm_linkcache_free(nm_linkcache *lc);

/* 1 when the link table (addresses) can be served from the cache. */
int nm_linkcache_links_valid(const nm_linkcache *lc);
int nm_linkcache_addrs_valid(const nm_linkcache *lc);

/* Forgets both tables: the caller must full-dump links and addresses before
 * the cache serves again (lost notifications, doubt, a periodic resync). */
void nm_linkcache_invalidate(nm_linkcache *lc);

/* Applies the notifications in one datagram from the kernel (any number of
 * messages). RTM_NEWLINK of family AF_UNSPEC replaces or adds the link,
 * RTM_DELLINK of AF_UNSPEC removes it; both, and RTM_NEWADDR / RTM_DELADDR,
 * mark the addresses stale. Other families (the bridge's per-port
 * RTM_NEWLINK / RTM_DELLINK carry only a few attributes) and types are
 * ignored. A malformed datagram or message, or memory running out,
 * invalidates the cache. While the links are invalid nothing is applied:
 * the full dump that must come next is newer than these messages. */
void nm_linkcache_feed_events(nm_linkcache *lc, const void *buf, size_t len);

/* After a full link dump appended interfaces to snap from index `first`:
 * takes them (counters dropped) as the link table, which becomes valid.
 * -1 when out of memory (the links stay invalid). */
int nm_linkcache_load_links(nm_linkcache *lc, const netmetrics_snapshot *snap, size_t first);

/* After a full address dump appended snap->entries from index `first`:
 * takes them as the address table, which becomes valid. -1 when out of
 * memory (the addresses stay invalid). */
int nm_linkcache_load_addrs(nm_linkcache *lc, const netmetrics_snapshot *snap, size_t first);

/* Appends the cached links to snap in ifindex order, without counters, and
 * starts a merge: nm_linkcache_merge_stats then fills their counters. Their
 * text (kind, alias, parent device) is copied into snap's string store: the
 * snapshot never points into the cache, so it stays readable whatever the
 * cache does next.
 * NETMETRICS_ERR_NO_MEMORY (snap back to its count on entry) or OK.
 * Requires valid links. */
netmetrics_status nm_linkcache_emit_links(nm_linkcache *lc, netmetrics_snapshot *snap,
                                          netmetrics_error *err);

/* The counters of one interface from the stats dump, for the links the
 * last nm_linkcache_emit_links appended (the snapshot must not have been
 * touched since). An ifindex that is not among them, or one seen twice,
 * means the cache is behind the kernel. Matching is by a cursor (the kernel
 * dumps in ifindex order) with a binary search when it misses: linear in
 * the number of links. Fits nm_rtnl_stats_sink. */
void nm_linkcache_merge_stats(void *lc, const nm_rtnl_stats *stats);

/* 1 when every emitted link got its counters and nothing was unknown; 0
 * when the cache is behind (a link came or went since its last
 * notification arrived): the caller drops the emitted links and full-dumps. */
int nm_linkcache_merge_complete(nm_linkcache *lc);

/* Appends the cached addresses to snap. NETMETRICS_ERR_NO_MEMORY or OK.
 * Requires valid addresses. */
netmetrics_status nm_linkcache_emit_addrs(const nm_linkcache *lc, netmetrics_snapshot *snap,
                                          netmetrics_error *err);

/* Number of links in the table (0 when invalid). */
size_t nm_linkcache_link_count(const nm_linkcache *lc);

void nm_linkcache_get_counts(const nm_linkcache *lc, nm_linkcache_counts *out);

#endif

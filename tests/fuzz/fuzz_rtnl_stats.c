/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the cached rtnetlink path. The input is used twice:
 *  - as the recv() buffers of an RTM_GETSTATS dump (given twice in a row,
 *    like the links target, so the walker's hand-over is covered), merged
 *    into links a link cache emitted: every counter set must belong to a
 *    link the cache knew, and a complete merge must have filled them all;
 *  - as a datagram of notifications fed to that cache: whatever it applies,
 *    the links it emits stay sorted by ifindex, unique, and named, and the
 *    snapshot built from them renders to a valid exposition.
 * Seeds: real dumps and notifications captured by gen_rtnl_seeds.py. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_common.h"
#include "linkcache.h"
#include "rtnl_parse.h"
#include "rtnl_stats_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The links the cache starts from: ifindexes 1..4, the lo and veths of the
 * seed namespace. */
#define SEED_LINKS 4

static void seed_cache(nm_linkcache *lc)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    int i;

    if (!snap)
        return;
    for (i = 1; i <= SEED_LINKS; i++) {
        struct netmetrics_interface *it = nm_snapshot_add_interface(snap);

        if (!it)
            break;
        it->ifindex = i;
        snprintf(it->name, sizeof it->name, "seed%d", i);
    }
    (void)nm_linkcache_load_links(lc, snap, 0);
    netmetrics_snapshot_free(snap);
}

static void check_emitted(const netmetrics_snapshot *snap, size_t first)
{
    size_t i;

    for (i = first; i < snap->count; i++) {
        if (!snap->ifaces[i].name[0])
            nm_fuzz_fail("the link cache emitted a link without a name");
        if (i > first && snap->ifaces[i - 1].ifindex >= snap->ifaces[i].ifindex)
            nm_fuzz_fail("the link cache emitted links out of ifindex order");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    nm_linkcache *lc = nm_linkcache_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t i;
    int round, complete;

    if (!snap || !lc)
        goto out;
    seed_cache(lc);

    /* 1: a stats dump merged into the seed links */
    if (nm_linkcache_emit_links(lc, snap, &err) != NETMETRICS_OK)
        goto out;
    nm_rtnl_walk_init(&w);
    nm_rtnl_tally_init(&t);
    for (round = 0; round < 2; round++) {
        if (nm_rtnl_feed_stats(&w, data, size, nm_linkcache_merge_stats, lc, &t, &err) !=
                NETMETRICS_OK ||
            nm_rtnl_walk_done(&w))
            break;
    }
    complete = nm_linkcache_merge_complete(lc);
    for (i = 0; i < snap->count; i++) {
        if (snap->ifaces[i].stats_valid & ~NM_STATS_ALL)
            nm_fuzz_fail("counters marked valid beyond the known ones");
        if (complete && !snap->ifaces[i].stats_valid)
            nm_fuzz_fail("a complete merge left a link without counters");
    }
    if (complete && t.added < snap->count)
        nm_fuzz_fail("a complete merge with fewer stats messages than links");

    /* 2: the input as notifications */
    nm_linkcache_feed_events(lc, data, size);
    nm_snapshot_reset(snap);
    if (nm_linkcache_links_valid(lc)) {
        if (nm_linkcache_emit_links(lc, snap, &err) != NETMETRICS_OK)
            goto out;
        check_emitted(snap, 0);
        (void)nm_linkcache_merge_complete(lc);
        if (nm_snapshot_finish(snap) == 0)
            nm_fuzz_check_snapshot(snap);
    }
out:
    nm_linkcache_free(lc);
    netmetrics_snapshot_free(snap);
    return 0;
}

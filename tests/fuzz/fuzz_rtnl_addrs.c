/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the rtnetlink walker and the RTM_NEWADDR parser, fed
 * the input as the recv() buffers of an RTM_GETADDR dump (twice, like the
 * links target). An interface is then made up for every ifindex the
 * addresses named, so nm_snapshot_finish attaches them and the renderer
 * writes them: the result must be a valid exposition. */
#include "config.h"

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "rtnl_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Enough interfaces to attach addresses to, few enough to stay fast. */
#define MAX_MADE_UP 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    netmetrics_error err;
    netmetrics_status st;
    size_t i, n;
    int round;

    if (!snap)
        return 0;
    nm_rtnl_walk_init(&w);
    nm_rtnl_tally_init(&t);
    for (round = 0; round < 2; round++) {
        st = nm_rtnl_feed_addrs(&w, data, size, snap, &t, &err);
        if (st != NETMETRICS_OK || nm_rtnl_walk_done(&w))
            break;
    }
    if (t.added != snap->addr_count)
        nm_fuzz_fail("tally and snapshot disagree on the address count");
    n = snap->addr_count < MAX_MADE_UP ? snap->addr_count : MAX_MADE_UP;
    for (i = 0; i < n; i++) {
        struct netmetrics_interface *ifc;
        const nm_addr_entry *e = &snap->entries[i];

        if (e->ifindex <= 0)
            nm_fuzz_fail("address with ifindex <= 0 accepted");
        ifc = nm_snapshot_add_interface(snap);
        if (!ifc)
            break;
        ifc->ifindex = e->ifindex;
        snprintf(ifc->name, sizeof ifc->name, "if%d", (int)e->ifindex);
    }
    if (nm_snapshot_finish(snap) == 0)
        nm_fuzz_check_snapshot(snap);
    netmetrics_snapshot_free(snap);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the rtnetlink walker and the RTM_NEWLINK parser, fed
 * the input as the recv() buffers of an RTM_GETLINK dump. The input is
 * given twice in a row (as the first and, when the walker asks for more,
 * the second buffer), so the walker's hand-over between buffers is covered
 * too. The snapshot that results must keep its invariants and render to a
 * valid exposition, whatever the bytes were. Seeds: real dumps captured by
 * tests/fuzz/gen_rtnl_seeds.py. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "rtnl_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    netmetrics_error err;
    netmetrics_status st;
    int round;

    if (!snap)
        return 0;
    nm_rtnl_walk_init(&w);
    nm_rtnl_tally_init(&t);
    for (round = 0; round < 2; round++) {
        st = nm_rtnl_feed_links(&w, data, size, snap, &t, &err);
        if (st != NETMETRICS_OK || nm_rtnl_walk_done(&w))
            break;
    }
    if (t.added > snap->count)
        nm_fuzz_fail("tally counts more interfaces than the snapshot holds");
    if (nm_snapshot_finish(snap) == 0)
        nm_fuzz_check_snapshot(snap);
    netmetrics_snapshot_free(snap);
    return 0;
}

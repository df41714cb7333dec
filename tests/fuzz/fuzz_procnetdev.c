/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the /proc/net/dev parser. Every accepted row goes into
 * a snapshot the way the procfs backend puts it there; the summary must add
 * up and the snapshot must render to a valid exposition. Seeds: the
 * fixtures of tests/fixtures/proc_net_dev/. */
#include "config.h"

#include <string.h>

#include "fuzz_common.h"
#include "procnetdev_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
    netmetrics_snapshot *snap;
    int32_t next_index;
} ctx;

static netmetrics_status add_row(const nm_procnetdev_row *row, void *arg)
{
    ctx *c = arg;
    struct netmetrics_interface *ifc;
    size_t n = strnlen(row->name, sizeof row->name);

    if (n == 0 || n >= sizeof row->name)
        nm_fuzz_fail("row name empty or not NUL-terminated");
    ifc = nm_snapshot_add_interface(c->snap);
    if (!ifc)
        return NETMETRICS_ERR_NO_MEMORY;
    ifc->ifindex = ++c->next_index;
    nm_procnetdev_fill(row, ifc);
    if ((ifc->stats_valid & ~nm_procnetdev_stats_mask()) != 0)
        nm_fuzz_fail("fill set stats_valid bits outside its mask");
    return NETMETRICS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nm_procnetdev_summary sum;
    netmetrics_status st;
    ctx c;

    c.snap = netmetrics_snapshot_new();
    c.next_index = 0;
    if (!c.snap)
        return 0;
    st = nm_procnetdev_parse((const char *)data, size, add_row, &c, &sum);
    if (st == NETMETRICS_OK) {
        if (sum.rows != c.snap->count)
            nm_fuzz_fail("summary rows differ from rows delivered");
        if ((sum.rejected == 0) != (sum.first_rejected_why == NULL))
            nm_fuzz_fail("rejected count and first reason disagree");
        if (nm_snapshot_finish(c.snap) == 0)
            nm_fuzz_check_snapshot(c.snap);
    }
    netmetrics_snapshot_free(c.snap);
    return 0;
}

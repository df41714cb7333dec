/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the macOS `netstat -ibdn` text parser (the fallback
 * backend's), which Linux builds too. Rows go into a snapshot the way the
 * netstat backend fills it; the snapshot must render to a valid
 * exposition. */
#include "config.h"

#include <string.h>

#include "fuzz_common.h"
#include "netstat_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static netmetrics_status row_cb(const nm_netstat_row *row, void *ctx)
{
    netmetrics_snapshot *snap = ctx;
    struct netmetrics_interface *ifc;
    size_t n = strnlen(row->name, sizeof row->name);

    if (n == 0 || n == sizeof row->name)
        nm_fuzz_fail("row name empty or not NUL-terminated");
    if (row->hwaddr_len > NM_HWADDR_MAX)
        nm_fuzz_fail("hardware address length out of range");
    ifc = nm_snapshot_add_interface(snap);
    if (!ifc)
        return NETMETRICS_ERR_NO_MEMORY;
    nm_netstat_fill(row, ifc);
    return NETMETRICS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    nm_netstat_summary sum;
    netmetrics_error err;

    if (!snap)
        return 0;
    if (nm_netstat_parse((const char *)data, size, row_cb, snap, &sum, &err) == NETMETRICS_OK) {
        if (sum.rows != snap->count)
            nm_fuzz_fail("summary rows differ from rows delivered");
        if (nm_snapshot_finish(snap) == 0)
            nm_fuzz_check_snapshot(snap);
    }
    netmetrics_snapshot_free(snap);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the macOS routing-message walker (sysctl
 * NET_RT_IFLIST2 buffers: if_msghdr2 and sockaddr_dl), which Linux builds
 * too. Every link it delivers goes into a snapshot the way the sysctl
 * backend fills it; the snapshot must keep its invariants and render to a
 * valid exposition. */
#include "config.h"

#include <string.h>

#include "fuzz_common.h"
#include "ifmsg_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static netmetrics_status link_cb(const nm_dw_iflink *link, void *ctx)
{
    netmetrics_snapshot *snap = ctx;
    struct netmetrics_interface *ifc;

    if (memchr(link->name, '\0', sizeof link->name) == NULL)
        nm_fuzz_fail("link name not NUL-terminated");
    if (link->hwaddr_len > NM_HWADDR_MAX)
        nm_fuzz_fail("hardware address length out of range");
    if (link->name[0] == '\0')
        return NETMETRICS_OK; /* the backend skips links without a name */
    ifc = nm_snapshot_add_interface(snap);
    if (!ifc)
        return NETMETRICS_ERR_NO_MEMORY;
    nm_dw_iflink_fill(link, ifc);
    return NETMETRICS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    nm_dw_ifmsg_summary sum;
    netmetrics_error err;

    if (!snap)
        return 0;
    if (nm_dw_ifmsg_walk(data, size, link_cb, snap, &sum, &err) == NETMETRICS_OK &&
        nm_snapshot_finish(snap) == 0)
        nm_fuzz_check_snapshot(snap);
    netmetrics_snapshot_free(snap);
    return 0;
}

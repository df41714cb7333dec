/* SPDX-License-Identifier: MIT */
/* What macOS does not provide yet, said honestly: the platform seams that
 * other parts of the library call (backend.h's link extras and wireless,
 * connlist.h's connection table) exist here so the library links on macOS,
 * and answer "nothing to add" or NETMETRICS_ERR_NOT_AVAILABLE. Link speed
 * already comes from ifi_baudrate in the sysctl backend; Wi-Fi signal
 * (CoreWLAN) and connections with PIDs (proc_pidinfo) are not implemented
 * (README: Platforms). Compiled on macOS only. */
#include "config.h"

#include <stdlib.h>

#include "backend.h"
#include "connlist.h"
#include "nmerror.h"

struct nm_extras {
    int unused;
};

nm_extras *nm_extras_new(const nm_roots *roots)
{
    (void)roots;
    return calloc(1, sizeof(nm_extras));
}

void nm_extras_free(nm_extras *x)
{
    free(x);
}

void nm_extras_links(nm_extras *x, netmetrics_snapshot *snap)
{
    (void)x;
    (void)snap;
}

netmetrics_status nm_extras_wireless(nm_extras *x, netmetrics_snapshot *snap,
                                     netmetrics_error *err)
{
    (void)x;
    (void)snap;
    (void)err;
    return NETMETRICS_OK; /* no wireless statistics: nothing added */
}

const char *nm_extras_wireless_source(const nm_extras *x)
{
    (void)x;
    return "";
}

netmetrics_status nm_conn_collect_netlink(netmetrics_connections *l, unsigned flags,
                                          netmetrics_error *err)
{
    (void)l;
    (void)flags;
    return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                        "connections are not implemented on macOS yet");
}

netmetrics_status nm_conn_collect_procfs(netmetrics_connections *l, const char *proc_root,
                                         unsigned flags, netmetrics_error *err)
{
    (void)l;
    (void)proc_root;
    (void)flags;
    return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "macOS has no /proc/net/tcp");
}

netmetrics_status nm_conn_find_owners(netmetrics_connections *l, const char *proc_root,
                                      netmetrics_error *err)
{
    (void)l;
    (void)proc_root;
    return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                        "process owners are not implemented on macOS yet");
}

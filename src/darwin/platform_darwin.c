/* SPDX-License-Identifier: MIT */
/* macOS's backend table for the collector (see backend.h): sysctl
 * (NET_RT_IFLIST2 + ifmibdata) is native, `netstat -ibdn` the fallback. */
#include "config.h"

#include "backend.h"

const nm_platform_backend nm_platform_backends[] = {
    {NETMETRICS_BACKEND_SYSCTL, &nm_backend_sysctl},
    {NETMETRICS_BACKEND_NETSTAT, &nm_backend_netstat},
    {NETMETRICS_BACKEND_AUTO, NULL},
};

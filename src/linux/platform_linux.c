/* SPDX-License-Identifier: MIT */
/* Linux's backend table for the collector (see backend.h): rtnetlink is
 * native, /proc/net/dev + sysfs the fallback. */
#include "config.h"

#include "backend.h"

const nm_platform_backend nm_platform_backends[] = {
    {NETMETRICS_BACKEND_NETLINK, &nm_backend_netlink},
    {NETMETRICS_BACKEND_PROCFS, &nm_backend_procfs},
    {NETMETRICS_BACKEND_AUTO, NULL},
};

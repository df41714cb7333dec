/* SPDX-License-Identifier: MIT */
/* The macOS platform extras (backend.h), applied whichever backend (sysctl
 * or netstat) filled the link table. Link details need nothing more here:
 * both backends read speed (ifi_baudrate) and classify as they go.
 * Wireless statistics come from CoreWLAN (wifi_corewlan.h), or from
 * nowhere in a build without it. Glue only. Compiled on macOS only. */
#include "config.h"

#include <stdlib.h>

#include "backend.h"
#include "wifi_corewlan.h"

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
    return nm_dw_wifi_collect(snap, err);
}

const char *nm_extras_wireless_source(const nm_extras *x)
{
    (void)x;
    return nm_dw_wifi_source();
}

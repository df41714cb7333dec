/* SPDX-License-Identifier: MIT */
/* The Linux platform extras (backend.h): sysfs link details and wireless
 * statistics, applied to a snapshot whichever backend (netlink or procfs)
 * filled its link table. Glue only: the work is in linkdetail.c and
 * wireless.c. */
#include "config.h"

#include <stdlib.h>

#include "backend.h"
#include "linkdetail.h"
#include "wireless.h"

struct nm_extras {
    nm_linkdetail *links;
    nm_wireless *wireless;
};

nm_extras *nm_extras_new(const nm_roots *roots)
{
    nm_extras *x = calloc(1, sizeof *x);

    if (!x)
        return NULL;
    x->links = nm_linkdetail_new(roots->sys);
    x->wireless = nm_wireless_new(roots->proc);
    if (!x->links || !x->wireless) {
        nm_extras_free(x);
        return NULL;
    }
    return x;
}

void nm_extras_free(nm_extras *x)
{
    if (!x)
        return;
    nm_linkdetail_free(x->links);
    nm_wireless_free(x->wireless);
    free(x);
}

void nm_extras_links(nm_extras *x, netmetrics_snapshot *snap)
{
    (void)nm_linkdetail_fill(x->links, snap);
}

netmetrics_status nm_extras_wireless(nm_extras *x, netmetrics_snapshot *snap,
                                     netmetrics_error *err)
{
    return nm_wireless_collect(x->wireless, snap, err);
}

const char *nm_extras_wireless_source(const nm_extras *x)
{
    return nm_wireless_source(x->wireless);
}

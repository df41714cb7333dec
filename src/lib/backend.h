/* SPDX-License-Identifier: MIT */
/* The seam between the portable core and a platform: a backend fills a
 * snapshot's link and address tables. Backends live in src/<os>/ and are
 * chosen by configure; collector.c only sees this table of functions. */
#ifndef NM_BACKEND_H
#define NM_BACKEND_H

#include <limits.h>

#include "netmetrics.h"
#include "snapshot.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

typedef struct nm_roots {
    char proc[PATH_MAX]; /* "/proc" unless overridden */
    char sys[PATH_MAX];  /* "/sys" unless overridden */
} nm_roots;

typedef struct nm_backend_ops {
    const char *name; /* "netlink", "procfs" */
    /* Opens sockets or checks files. *state may stay NULL. Errors say why
     * the backend cannot be used (AUTO then tries the next). */
    netmetrics_status (*open)(void **state, const nm_roots *roots, netmetrics_error *err);
    /* Appends every interface with its counters to snap (nm_snapshot_add_interface). */
    netmetrics_status (*collect_links)(void *state, netmetrics_snapshot *snap,
                                       netmetrics_error *err);
    /* Appends every IPv4/IPv6 address (nm_snapshot_add_address). */
    netmetrics_status (*collect_addresses)(void *state, netmetrics_snapshot *snap,
                                           netmetrics_error *err);
    void (*close)(void *state);
} nm_backend_ops;

/* Provided by the platform directory; NULL entries are not built there. */
extern const nm_backend_ops nm_backend_netlink;
extern const nm_backend_ops nm_backend_procfs;

#endif

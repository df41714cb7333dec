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

/* Linux's backends (src/linux/), named directly by their unit tests. */
extern const nm_backend_ops nm_backend_netlink;
extern const nm_backend_ops nm_backend_procfs;
/* macOS's backends (src/darwin/). */
extern const nm_backend_ops nm_backend_sysctl;
extern const nm_backend_ops nm_backend_netstat;

/* The backends a platform builds, in the order AUTO tries them: the first
 * is the native one, the second its fallback (used when the native one
 * cannot be opened, and for a collection the native one fails). The table
 * ends with an entry whose ops is NULL. Defined once per platform, in
 * src/<os>/platform_<os>.c: Linux netlink + procfs, macOS sysctl +
 * netstat. The collector knows no backend by name, only this table. */
typedef struct nm_platform_backend {
    netmetrics_backend id;
    const nm_backend_ops *ops;
} nm_platform_backend;

extern const nm_platform_backend nm_platform_backends[];

/* What the platform adds beside whichever backend filled the link table:
 * link details the backends do not read (Linux: sysfs speed, duplex,
 * driver, device type) and wireless statistics. Defined once per platform
 * (Linux: src/linux/extras.c). */
typedef struct nm_extras nm_extras;

/* NULL only when out of memory. Opening never fails otherwise: a facility
 * that is missing just adds nothing. */
nm_extras *nm_extras_new(const nm_roots *roots);
void nm_extras_free(nm_extras *x);
/* Fills link details of snap's interfaces (before nm_snapshot_finish).
 * Best effort: never fails a collection. */
void nm_extras_links(nm_extras *x, netmetrics_snapshot *snap);
/* Fills wireless statistics; its status is the wireless part's. */
netmetrics_status nm_extras_wireless(nm_extras *x, netmetrics_snapshot *snap,
                                     netmetrics_error *err);
/* netmetrics_collector_wireless_source's answer. */
const char *nm_extras_wireless_source(const nm_extras *x);

#endif

/* SPDX-License-Identifier: MIT */
/* What the rtnetlink backend (nm_backend_netlink, backend.h) did, for its
 * unit tests and for diagnostics: which collections were served by the
 * link cache and which needed full dumps. */
#ifndef NM_NETLINK_BACKEND_H
#define NM_NETLINK_BACKEND_H

#include <stddef.h>

typedef struct nm_netlink_counts {
    int cached;          /* 1 while the cached path is on */
    size_t link_dumps;   /* full RTM_GETLINK dumps (first, resyncs, or every time) */
    size_t stats_dumps;  /* link collections served by the cache + RTM_GETSTATS */
    size_t behind;       /* stats dumps that found the cache behind (a full dump followed) */
    size_t overflows;    /* ENOBUFS on the notification socket (notifications lost) */
    size_t addr_dumps;   /* RTM_GETADDR dumps */
    size_t addr_cached;  /* address collections served by the cache */
} nm_netlink_counts;

/* The counts of a state opened by nm_backend_netlink.open (all zero for NULL). */
void nm_netlink_get_counts(const void *state, nm_netlink_counts *out);

#endif

/* SPDX-License-Identifier: MIT */
/* Link details that rtnetlink does not carry, read from sysfs under an
 * overridable root: backing device, driver, DEVTYPE, wireless markers, link
 * speed and duplex. What cannot change for an ifindex is cached until the
 * interface is re-created; speed and duplex are re-read when the link may
 * have renegotiated. */
#ifndef NM_LINKDETAIL_H
#define NM_LINKDETAIL_H

#include <stddef.h>

#include "netmetrics.h"
#include "snapshot.h"

typedef struct nm_linkdetail nm_linkdetail;

/* A reader of <sys_root>/class/net; NULL when out of memory. */
nm_linkdetail *nm_linkdetail_new(const char *sys_root);
void nm_linkdetail_free(nm_linkdetail *ld);

/* Fills has_device, wireless_marker, devtype, driver, speed and duplex of
 * every interface in snap (any order, before nm_snapshot_finish). A value
 * sysfs cannot give (link down: EINVAL; interface gone: ENOENT) stays
 * unknown; nothing here fails a collection. devtype and driver are copied
 * into snap's string store. Returns NETMETRICS_OK, or
 * NETMETRICS_ERR_NO_MEMORY when the cache cannot grow (the snapshot is
 * then filled without caching) or the store cannot (devtype and driver
 * are then "" where it failed). */
netmetrics_status nm_linkdetail_fill(nm_linkdetail *ld, netmetrics_snapshot *snap);

/* sysfs files opened or probed since nm_linkdetail_new (for tests and
 * measurements of the cache). */
size_t nm_linkdetail_reads(const nm_linkdetail *ld);

#endif

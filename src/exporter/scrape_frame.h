/* SPDX-License-Identifier: MIT */
/* One collection, ready to be rendered by any number of responses at once.
 *
 * A response is streamed (scrape_stream.h): its text is rendered a few
 * rows at a time while it is sent, never held whole. What it renders from
 * must therefore stay unchanged until the last response carrying it is
 * done, while the scraper goes on collecting. A frame holds that: the
 * snapshot it shows (by reference, in a box the scraper will not refill
 * while anybody else holds it), its own copies of the speeds and the
 * process metrics, the connections list, and the render plan built over
 * them. Frames are reference-counted and read-only after creation. */
#ifndef NM_SCRAPE_FRAME_H
#define NM_SCRAPE_FRAME_H

#include <stdint.h>

#include "netmetrics.h"
#include "render.h"
#include "render_connections.h"

/* A snapshot with a reference count: the scraper holds one reference to
 * each of its snapshots and frames one each to the snapshot they show. */
typedef struct nm_snapbox nm_snapbox;

/* An empty snapshot in a box, one reference held by the caller; NULL when
 * out of memory. */
nm_snapbox *nm_snapbox_new(void);
netmetrics_snapshot *nm_snapbox_snapshot(const nm_snapbox *b);
nm_snapbox *nm_snapbox_ref(nm_snapbox *b);
/* Drops a reference (b may be NULL); the last one frees the snapshot. */
void nm_snapbox_release(nm_snapbox *b);
/* 1 when a holder other than the caller's one reference exists: the
 * snapshot must not be refilled. */
int nm_snapbox_shared(const nm_snapbox *b);

/* Where the scraper gets its boxes. Every frame in flight holds one
 * snapshot, so under many concurrent scrapes the number of snapshots alive
 * would follow the number of responses still being sent; the pool keeps
 * it near soft_max instead: when that many are in use, a new one is made
 * only after waiting for one to be released (the requests arriving in the
 * meantime then share the next collection), and a released box is kept
 * for reuse (no fresh pages to fault in). The wait is bounded, so a slow
 * client holding a frame delays collections but never stops them. The
 * pool is reference-counted by its boxes and outlives its owner while any
 * is in use. */
typedef struct nm_snappool nm_snappool;

nm_snappool *nm_snappool_new(unsigned soft_max);
/* Drops the owner's reference. */
void nm_snappool_release(nm_snappool *p);
/* A box with one reference (its snapshot may hold an earlier collection:
 * collecting resets it): a free one, else a new one while fewer than
 * soft_max exist, else a free one as soon as one is released, waiting no
 * later than the nm_monotonic_ns() instant wait_until_ns (0: no wait),
 * after which a new one is made anyway. NULL when out of memory. */
nm_snapbox *nm_snappool_get(nm_snappool *p, uint64_t wait_until_ns);

typedef struct nm_scrape_frame nm_scrape_frame;

/* A frame showing box's snapshot (box may be NULL: nothing collected)
 * with info. The frame takes a reference to box, copies info, the speeds
 * info->rates points to (one per interface of the snapshot) and the
 * process metrics and a reading of the server's request counters
 * (info->http), and takes over *conn when not NULL (its list is then the
 * frame's to free; *conn is cleared). NULL when out of memory
 * (box and *conn are then untouched, still the caller's). */
nm_scrape_frame *nm_scrape_frame_new(nm_snapbox *box, const nm_scrape_info *info,
                                     nm_conn_render *conn);
nm_scrape_frame *nm_scrape_frame_ref(nm_scrape_frame *f);
/* Drops a reference (f may be NULL). Thread-safe. */
void nm_scrape_frame_release(nm_scrape_frame *f);
const nm_render_plan *nm_scrape_frame_plan(const nm_scrape_frame *f);

#endif

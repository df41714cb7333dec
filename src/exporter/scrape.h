/* SPDX-License-Identifier: MIT */
/* The scrape engine: one collector, its snapshots and the lock that
 * serializes their use. The HTTP layer calls nm_scraper_acquire from any
 * of its threads; collections run one at a time (the collector and
 * snapshots are single-threaded objects), each collecting fresh data (or,
 * within the speed min-interval, reusing the last speeds) into a frame
 * that the responses then render from, outside the lock. */
#ifndef NM_SCRAPE_H
#define NM_SCRAPE_H

#include "log.h"
#include "netmetrics.h"
#include "connections_scrape.h"
#include "devfilter.h"
#include "httpstats.h"
#include "render.h"
#include "scrape_frame.h"
#include "strbuf.h"

typedef struct nm_scraper nm_scraper;

typedef struct nm_scraper_config {
    netmetrics_collector_options collector;
    const nm_logger *log; /* failed collections are logged here; may be NULL */
    /* --collector.speed.min-interval: a scrape within this many ns of the
     * last good snapshot reuses that snapshot and its speeds instead of
     * collecting (0: every scrape collects). */
    uint64_t speed_min_interval_ns;
    /* The connections collector (connections_scrape.h); disabled when
     * connections.enabled is 0. */
    nm_conn_config connections;
    /* --collector.wireless.ssid */
    int wireless_ssid;
    /* --collector.device-include/-exclude and --collector.type-exclude
     * (devfilter.h): applied to each collection before anything else. */
    nm_devfilter_spec filter;
    /* NM_COLLECTOR_BIT set of the disabled collectors (collectors.h); 0:
     * all on. A disabled collector's library part is not collected and its
     * families not rendered; with every interface collector off the
     * interface table is not read at all. (The connections collector is
     * switched by connections.enabled.) */
    unsigned collectors_off;
    /* procfs root the exporter's own process_* metrics are read from
     * ("/proc"; procself.h), or NULL for none. */
    const char *self_procfs;
} nm_scraper_config;

/* Opens the collector (the backend's sockets or files) and allocates the
 * snapshot. Errors are the collector's (PERMISSION, SYSTEM, NOT_AVAILABLE,
 * INVALID) with its message, or NO_MEMORY / SYSTEM for the scraper's own
 * allocations and lock. */
netmetrics_status nm_scraper_new(const nm_scraper_config *cfg, nm_scraper **out,
                                 netmetrics_error *err);
void nm_scraper_free(nm_scraper *s);

/* Backend the collector uses ("netlink", "procfs"). */
const char *nm_scraper_backend(const nm_scraper *s);

/* Collects and renders one scrape, appending the exposition text to out.
 * A failed collection still renders (its self metrics report success 0)
 * and is logged at warn level; it is not an error here. Returns 0, or -1
 * when out of memory (out->failed is then set and its contents must not be
 * served). Safe to call from several threads at once. */
int nm_scraper_scrape(nm_scraper *s, nm_format fmt, nm_strbuf *out);

/* What an HTTP request asks of a scrape beyond the format. */
typedef struct nm_scrape_request {
    nm_format fmt;
    /* nm_monotonic_ns() time the answer is due by (scrape_timeout.h), or 0
     * for none. The scrape waits for the lock (another scrape) no longer:
     * reached while waiting, or past once the lock is taken, nothing is
     * collected and NM_SCRAPE_LATE is returned at once. Past it before the
     * connections collector starts: that collector is skipped (success 0,
     * no connection families). */
    uint64_t deadline_ns;
    /* The server's request counters, rendered with the self metrics; may
     * be NULL. */
    const nm_http_stats *http;
} nm_scrape_request;

#define NM_SCRAPE_LATE (-2)

/* nm_scraper_scrape for one request: 0, -1 when out of memory, or
 * NM_SCRAPE_LATE (out untouched). */
int nm_scraper_scrape_request(nm_scraper *s, const nm_scrape_request *req, nm_strbuf *out);

/* The HTTP layer's scrape: a frame (scrape_frame.h) that responses render
 * from as they are sent. Concurrent requests share frames: a request takes
 * the frame of a collection that started after it arrived when there is
 * one (so it is never older than the request), and otherwise collects
 * itself, leaving its frame for the requests that queued behind it. At
 * most one collection runs at a time either way, so N clients scraping at
 * once cost one collection, not N. Frames do not depend on the format. On
 * 0, *out holds a reference the caller releases (nm_scrape_frame_release);
 * -1 and NM_SCRAPE_LATE as above, with *out NULL. */
int nm_scraper_acquire(nm_scraper *s, const nm_scrape_request *req, nm_scrape_frame **out);

/* The min-interval rule, pure for tests: 1 when a collection at now_ns
 * should show the speeds computed at last_ns (the baseline) rather than
 * become the new baseline. A clock that appears to go backwards never
 * reuses. */
int nm_scrape_should_reuse(uint64_t now_ns, uint64_t last_ns, uint64_t min_interval_ns);

#endif

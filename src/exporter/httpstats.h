/* SPDX-License-Identifier: MIT */
/* The HTTP server's own accounting: answers by route and status code, the
 * scrapes in flight (and the --web.max-requests admission that uses them),
 * and the scrapes refused. Every counter is an atomic, so MHD's threads
 * update them without a lock and a scrape reads them while others run.
 * Rendered on the telemetry path with the other self metrics:
 *   netmetrics_exporter_http_requests_total{handler,code}
 *   netmetrics_exporter_http_requests_in_flight
 *   netmetrics_exporter_scrapes_rejected_total{reason} */
#ifndef NM_HTTPSTATS_H
#define NM_HTTPSTATS_H

#include <stdint.h>

#include "expfmt.h"

/* The routes the server answers, as the handler label names them. */
typedef enum nm_http_route {
    NM_ROUTE_METRICS = 0, /* the telemetry path, labelled with that path */
    NM_ROUTE_ROOT,        /* "/" */
    NM_ROUTE_HEALTHY,     /* "/-/healthy" */
    NM_ROUTE_READY,       /* "/-/ready" */
    NM_ROUTE_CONNECTIONS, /* "/connections", when that endpoint is on */
    NM_ROUTE_OTHER,       /* "other": any other path */
    NM_ROUTE_COUNT
} nm_http_route;

/* Why a scrape was answered 503 without being served. */
typedef enum nm_scrape_reject {
    NM_REJECT_LIMIT = 0, /* --web.max-requests scrapes were already in flight */
    NM_REJECT_TIMEOUT,   /* it waited for the scrape lock past its deadline */
    NM_REJECT_COUNT
} nm_scrape_reject;

typedef struct nm_http_stats nm_http_stats;

/* telemetry_path is copied. connections_route: /connections is served
 * (otherwise it counts as "other"). NULL when out of memory. */
nm_http_stats *nm_http_stats_new(const char *telemetry_path, int connections_route);
void nm_http_stats_free(nm_http_stats *st);

/* The route of a request path, as handle_request dispatches it. */
nm_http_route nm_http_stats_route(const nm_http_stats *st, const char *url);

/* One answer with this status (100..599; others are not counted). */
void nm_http_stats_count(nm_http_stats *st, nm_http_route route, unsigned status);
uint64_t nm_http_stats_requests(const nm_http_stats *st, nm_http_route route, unsigned status);

/* Admission of a scrape: 1 and the scrape is in flight until
 * nm_http_stats_leave, or 0 when limit scrapes already are (limit 0: no
 * limit). Exact under concurrency: no more than limit are ever admitted at
 * once, and a refusal only happens when limit were in flight at that
 * instant. */
int nm_http_stats_enter(nm_http_stats *st, unsigned limit);
void nm_http_stats_leave(nm_http_stats *st);
unsigned nm_http_stats_in_flight(const nm_http_stats *st);

void nm_http_stats_reject(nm_http_stats *st, nm_scrape_reject why);
uint64_t nm_http_stats_rejected(const nm_http_stats *st, nm_scrape_reject why);

/* The counters at one instant, for a response rendered after it: a scrape
 * shows the requests as they stood when its collection was made (this one
 * in flight, not yet answered), however long it takes to send. */
#define NM_HTTP_COUNTS_MAX 128
typedef struct nm_http_counts {
    const nm_http_stats *st; /* NULL: nothing to write */
    size_t count;            /* entries in use */
    struct nm_http_count {
        uint8_t route;   /* nm_http_route */
        uint16_t status;
        uint64_t value;
    } e[NM_HTTP_COUNTS_MAX]; /* in route, then status order */
    unsigned in_flight;
    uint64_t rejected[NM_REJECT_COUNT];
} nm_http_counts;

/* Reads st's counters into out (st may be NULL); out keeps st for its
 * labels, so st must outlive it. */
void nm_http_stats_read(const nm_http_stats *st, nm_http_counts *out);

/* Writes the three families from a reading. Nothing when c->st is NULL. */
void nm_http_counts_render(nm_expfmt *w, const nm_http_counts *c);

/* Writes the three families. Codes that matter are present from the start
 * at 0 so rate() works on them: 200, 500 and 503 on the telemetry path,
 * 200 (and 500 for /connections) on the other routes, 404 on "other";
 * any other code once it has been answered. Nothing when st is NULL. */
void nm_http_stats_render(nm_expfmt *w, const nm_http_stats *st);

#endif

/* SPDX-License-Identifier: MIT */
/* Request accounting for the HTTP server. One table of atomic counters per
 * route and status code (100..599: every code HTTP defines, so a code the
 * server starts answering later needs no change here), read with relaxed
 * loads: a scrape shows counts that were true at some instant during it.
 * The in-flight count is taken with a compare-and-swap loop, not an
 * increment that is undone on refusal, so a refusal never comes from
 * another request's own overshoot. */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "httpstats.h"

#define STATUS_MIN 100u
#define STATUS_SLOTS 500u /* 100..599 */

struct nm_http_stats {
    char *telemetry_path;
    int connections_route;
    atomic_uint in_flight;
    atomic_uint_least64_t rejected[NM_REJECT_COUNT];
    atomic_uint_least64_t requests[NM_ROUTE_COUNT][STATUS_SLOTS];
};

/* Series written from the start, at 0 until counted. */
static const struct {
    nm_http_route route;
    unsigned status;
} always_shown[] = {
    {NM_ROUTE_METRICS, 200},  {NM_ROUTE_METRICS, 500}, {NM_ROUTE_METRICS, 503},
    {NM_ROUTE_ROOT, 200},     {NM_ROUTE_HEALTHY, 200}, {NM_ROUTE_READY, 200},
    {NM_ROUTE_CONNECTIONS, 200}, {NM_ROUTE_CONNECTIONS, 500}, {NM_ROUTE_OTHER, 404},
};

static const char *const reject_names[NM_REJECT_COUNT] = {"limit", "timeout"};

nm_http_stats *nm_http_stats_new(const char *telemetry_path, int connections_route)
{
    nm_http_stats *st = calloc(1, sizeof *st);
    size_t r, c;

    if (!st)
        return NULL;
    st->telemetry_path = strdup(telemetry_path ? telemetry_path : "/metrics");
    if (!st->telemetry_path) {
        free(st);
        return NULL;
    }
    st->connections_route = connections_route;
    atomic_init(&st->in_flight, 0);
    for (r = 0; r < NM_REJECT_COUNT; r++)
        atomic_init(&st->rejected[r], 0);
    for (r = 0; r < NM_ROUTE_COUNT; r++) {
        for (c = 0; c < STATUS_SLOTS; c++)
            atomic_init(&st->requests[r][c], 0);
    }
    return st;
}

void nm_http_stats_free(nm_http_stats *st)
{
    if (!st)
        return;
    free(st->telemetry_path);
    free(st);
}

nm_http_route nm_http_stats_route(const nm_http_stats *st, const char *url)
{
    /* the order of handle_request: the telemetry path wins */
    if (strcmp(url, st->telemetry_path) == 0)
        return NM_ROUTE_METRICS;
    if (st->connections_route && strcmp(url, "/connections") == 0)
        return NM_ROUTE_CONNECTIONS;
    if (strcmp(url, "/") == 0)
        return NM_ROUTE_ROOT;
    if (strcmp(url, "/-/healthy") == 0)
        return NM_ROUTE_HEALTHY;
    if (strcmp(url, "/-/ready") == 0)
        return NM_ROUTE_READY;
    return NM_ROUTE_OTHER;
}

void nm_http_stats_count(nm_http_stats *st, nm_http_route route, unsigned status)
{
    if ((unsigned)route >= NM_ROUTE_COUNT || status < STATUS_MIN ||
        status >= STATUS_MIN + STATUS_SLOTS)
        return;
    atomic_fetch_add_explicit(&st->requests[route][status - STATUS_MIN], 1,
                              memory_order_relaxed);
}

uint64_t nm_http_stats_requests(const nm_http_stats *st, nm_http_route route, unsigned status)
{
    if ((unsigned)route >= NM_ROUTE_COUNT || status < STATUS_MIN ||
        status >= STATUS_MIN + STATUS_SLOTS)
        return 0;
    /* the cast drops const for C11's atomic_load, which takes a non-const
     * pointer in some libcs; nothing is written */
    return atomic_load_explicit(
        (atomic_uint_least64_t *)&st->requests[route][status - STATUS_MIN],
        memory_order_relaxed);
}

int nm_http_stats_enter(nm_http_stats *st, unsigned limit)
{
    unsigned cur = atomic_load_explicit(&st->in_flight, memory_order_relaxed);

    do {
        if (limit && cur >= limit)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(&st->in_flight, &cur, cur + 1,
                                                    memory_order_acq_rel,
                                                    memory_order_relaxed));
    return 1;
}

void nm_http_stats_leave(nm_http_stats *st)
{
    atomic_fetch_sub_explicit(&st->in_flight, 1, memory_order_acq_rel);
}

unsigned nm_http_stats_in_flight(const nm_http_stats *st)
{
    return atomic_load_explicit((atomic_uint *)&st->in_flight, memory_order_relaxed);
}

void nm_http_stats_reject(nm_http_stats *st, nm_scrape_reject why)
{
    if ((unsigned)why < NM_REJECT_COUNT)
        atomic_fetch_add_explicit(&st->rejected[why], 1, memory_order_relaxed);
}

uint64_t nm_http_stats_rejected(const nm_http_stats *st, nm_scrape_reject why)
{
    if ((unsigned)why >= NM_REJECT_COUNT)
        return 0;
    return atomic_load_explicit((atomic_uint_least64_t *)&st->rejected[why],
                                memory_order_relaxed);
}

static const char *route_label(const nm_http_stats *st, nm_http_route r)
{
    switch (r) {
    case NM_ROUTE_METRICS:
        return st->telemetry_path;
    case NM_ROUTE_ROOT:
        return "/";
    case NM_ROUTE_HEALTHY:
        return "/-/healthy";
    case NM_ROUTE_READY:
        return "/-/ready";
    case NM_ROUTE_CONNECTIONS:
        return "/connections";
    default:
        return "other";
    }
}

static int is_always_shown(const nm_http_stats *st, nm_http_route r, unsigned status)
{
    size_t i;

    if (r == NM_ROUTE_CONNECTIONS && !st->connections_route)
        return 0;
    for (i = 0; i < sizeof always_shown / sizeof always_shown[0]; i++) {
        if (always_shown[i].route == r && always_shown[i].status == status)
            return 1;
    }
    return 0;
}

void nm_http_stats_read(const nm_http_stats *st, nm_http_counts *out)
{
    unsigned r, c;

    out->st = st;
    out->count = 0;
    out->in_flight = 0;
    memset(out->rejected, 0, sizeof out->rejected);
    if (!st)
        return;
    for (r = 0; r < NM_ROUTE_COUNT; r++) {
        for (c = STATUS_MIN; c < STATUS_MIN + STATUS_SLOTS; c++) {
            uint64_t v = nm_http_stats_requests(st, (nm_http_route)r, c);

            if (v == 0 && !is_always_shown(st, (nm_http_route)r, c))
                continue;
            /* the server answers a handful of codes; past the table's
             * room, a code is left out rather than anything overrun */
            if (out->count == NM_HTTP_COUNTS_MAX)
                break;
            out->e[out->count].route = (uint8_t)r;
            out->e[out->count].status = (uint16_t)c;
            out->e[out->count].value = v;
            out->count++;
        }
    }
    out->in_flight = nm_http_stats_in_flight(st);
    for (r = 0; r < NM_REJECT_COUNT; r++)
        out->rejected[r] = nm_http_stats_rejected(st, (nm_scrape_reject)r);
}

void nm_http_counts_render(nm_expfmt *w, const nm_http_counts *hc)
{
    size_t i;
    unsigned r;
    nm_label l[2];

    if (!hc->st)
        return;
    nm_expfmt_family(w, "netmetrics_exporter_http_requests_total", NM_METRIC_COUNTER,
                     "HTTP requests answered, by route (handler) and status code.");
    for (i = 0; i < hc->count; i++) {
        const char *handler = route_label(hc->st, (nm_http_route)hc->e[i].route);
        char code[NM_EXPFMT_INT_SIZE];

        nm_expfmt_int_text(code, (int64_t)hc->e[i].status);
        l[0].name = "handler";
        l[0].value = handler;
        l[0].value_len = strlen(handler);
        l[1].name = "code";
        l[1].value = code;
        l[1].value_len = strlen(code);
        nm_expfmt_sample_u64(w, l, 2, hc->e[i].value);
    }

    nm_expfmt_family(w, "netmetrics_exporter_http_requests_in_flight", NM_METRIC_GAUGE,
                     "Scrapes of the telemetry path being served, this one included.");
    nm_expfmt_sample_u64(w, NULL, 0, hc->in_flight);

    nm_expfmt_family(w, "netmetrics_exporter_scrapes_rejected_total", NM_METRIC_COUNTER,
                     "Scrapes answered 503 unserved: over --web.max-requests (limit) or "
                     "past the scrape timeout (timeout).");
    for (r = 0; r < NM_REJECT_COUNT; r++) {
        l[0].name = "reason";
        l[0].value = reject_names[r];
        l[0].value_len = strlen(reject_names[r]);
        nm_expfmt_sample_u64(w, l, 1, hc->rejected[r]);
    }
}

void nm_http_stats_render(nm_expfmt *w, const nm_http_stats *st)
{
    nm_http_counts hc;

    nm_http_stats_read(st, &hc);
    nm_http_counts_render(w, &hc);
}

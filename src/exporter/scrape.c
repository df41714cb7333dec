/* SPDX-License-Identifier: MIT */
/* Scrapes under a mutex. The collector and the snapshot are not
 * thread-safe, and the renderer reads the snapshot, so collection and
 * rendering form one critical section; concurrent scrapers wait their turn
 * rather than each collecting (which would multiply the kernel's work for
 * no fresher data). The output buffer belongs to the caller, so the lock is
 * not held while the response is sent. The size of the last output is kept
 * to reserve the next buffer in one allocation instead of a chain of
 * doublings. Logging happens after unlocking. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmerror.h"
#include "rates.h"
#include "scrape.h"
#include "snapshot.h"

struct nm_scraper {
    pthread_mutex_t lock;
    netmetrics_collector *collector;
    netmetrics_snapshot *snap;
    const nm_logger *log;
    /* Guarded by lock. */
    size_t last_size;            /* bytes rendered by the last good scrape */
    netmetrics_status last_status; /* to log when collection recovers */
    netmetrics_status conn_last_status; /* likewise for connections */
    /* Speeds. Every scrape collects afresh into `spare`, so series always
     * show the interfaces of this instant. `snap` is the baseline: the last
     * collection speeds were computed at, with rates[i] belonging to its
     * i-th interface. When a scrape comes min_interval or more after the
     * baseline, its collection becomes the new baseline (the two swap) and
     * speeds are computed over that interval; a scrape within min_interval
     * shows the baseline's speeds, matched by ifindex into `shown` (an
     * interface new since then has none), instead of dividing a tiny delta
     * by a tiny interval. A failed collection never costs the baseline. */
    netmetrics_snapshot *spare;
    nm_rates *rates;
    size_t rates_cap;
    nm_rates *shown;             /* rates matched to `spare` on reuse */
    size_t shown_cap;
    int have_good, have_rates;
    uint64_t min_interval_ns;
    nm_conn_config conn; /* read-only after creation */
    int wireless_ssid;   /* read-only after creation */
};

int nm_scrape_should_reuse(uint64_t now_ns, uint64_t last_ns, uint64_t min_interval_ns)
{
    return now_ns >= last_ns && now_ns - last_ns < min_interval_ns;
}

/* Makes *arr hold at least n rates; 0, or -1 when out of memory. */
static int rates_reserve(nm_rates **arr, size_t *cap, size_t n)
{
    nm_rates *r;

    if (n <= *cap)
        return 0;
    r = realloc(*arr, n * sizeof *r);
    if (!r)
        return -1;
    *arr = r;
    *cap = n;
    return 0;
}

/* After a good collection into `spare` at least min_interval after the
 * baseline: swap it in and compute its speeds against the baseline it
 * replaces. Called with the lock held. When the rates cannot be allocated
 * the speeds are simply absent this time. */
static void scraper_take_new(nm_scraper *s)
{
    netmetrics_snapshot *t = s->snap;
    size_t n;

    s->snap = s->spare;
    s->spare = t;
    s->have_rates = 0;
    n = s->snap->count;
    if (s->have_good && rates_reserve(&s->rates, &s->rates_cap, n) == 0) {
        if (n)
            nm_snapshot_rates(s->spare, s->snap, s->rates);
        s->have_rates = 1;
    }
    s->have_good = 1;
}

/* Within min_interval: the baseline's speeds for the interfaces of the
 * fresh collection in `spare`, matched by ifindex and name in one merge of
 * the two ifindex-sorted tables. NULL when there are none to show. */
static const nm_rates *scraper_match_rates(nm_scraper *s)
{
    const netmetrics_snapshot *cur = s->spare, *base = s->snap;
    size_t i, j = 0;

    if (!s->have_rates || rates_reserve(&s->shown, &s->shown_cap, cur->count) < 0)
        return NULL;
    for (i = 0; i < cur->count; i++) {
        const struct netmetrics_interface *c = &cur->ifaces[i];

        while (j < base->count && base->ifaces[j].ifindex < c->ifindex)
            j++;
        if (j < base->count && base->ifaces[j].ifindex == c->ifindex &&
            strcmp(base->ifaces[j].name, c->name) == 0)
            s->shown[i] = s->rates[j];
        else
            memset(&s->shown[i], 0, sizeof s->shown[i]);
    }
    return s->shown;
}

netmetrics_status nm_scraper_new(const nm_scraper_config *cfg, nm_scraper **out,
                                 netmetrics_error *err)
{
    nm_scraper *s;
    netmetrics_status st;
    int rc;

    *out = NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    rc = pthread_mutex_init(&s->lock, NULL);
    if (rc != 0) {
        free(s);
        return nm_error_errno(err, rc, "cannot create the scrape lock");
    }
    s->log = cfg->log;
    s->last_status = NETMETRICS_OK;
    s->conn_last_status = NETMETRICS_OK;
    s->min_interval_ns = cfg->speed_min_interval_ns;
    s->conn = cfg->connections;
    s->wireless_ssid = cfg->wireless_ssid;
    s->snap = netmetrics_snapshot_new();
    s->spare = netmetrics_snapshot_new();
    if (!s->snap || !s->spare) {
        nm_scraper_free(s);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    st = netmetrics_collector_new(&cfg->collector, &s->collector, err);
    if (st != NETMETRICS_OK) {
        nm_scraper_free(s);
        return st;
    }
    /* Said once, here, rather than as an error on every scrape. */
    nm_log(s->log, NM_LOG_INFO, "wireless statistics", "source",
           netmetrics_collector_wireless_source(s->collector), "note",
           strcmp(netmetrics_collector_wireless_source(s->collector), "nl80211") == 0
               ? "nl80211 family present"
               : "no nl80211 generic-netlink family; /proc/net/wireless only",
           (char *)NULL);
    *out = s;
    return NETMETRICS_OK;
}

void nm_scraper_free(nm_scraper *s)
{
    if (!s)
        return;
    netmetrics_collector_free(s->collector);
    netmetrics_snapshot_free(s->snap);
    netmetrics_snapshot_free(s->spare);
    free(s->rates);
    free(s->shown);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *nm_scraper_backend(const nm_scraper *s)
{
    return netmetrics_collector_backend(s->collector);
}

int nm_scraper_scrape(nm_scraper *s, nm_format fmt, nm_strbuf *out)
{
    netmetrics_error err;
    nm_scrape_info info;
    const netmetrics_snapshot *shown;
    netmetrics_status prev, conn_prev;
    uint64_t t0, t1;
    size_t hint, rendered = 0;
    int rc;
    nm_conn_render conn;
    netmetrics_error cerr;

    nm_error_clear(&err);
    memset(&info, 0, sizeof info);
    memset(&conn, 0, sizeof conn);
    t0 = nm_monotonic_ns();
    pthread_mutex_lock(&s->lock);
    info.backend = netmetrics_collector_backend(s->collector);
    info.wireless_ssid = s->wireless_ssid;
    info.collect_status = netmetrics_collector_collect(s->collector, s->spare, &err);
    if (info.collect_status != NETMETRICS_OK) {
        shown = s->spare; /* empty after the failure; the baseline stays */
    } else if (s->have_good &&
               nm_scrape_should_reuse(s->spare->time_ns, s->snap->time_ns, s->min_interval_ns)) {
        /* Several servers scraping at once: fresh series, the last speeds. */
        shown = s->spare;
        info.rates = scraper_match_rates(s);
    } else {
        scraper_take_new(s);
        shown = s->snap;
        info.rates = s->have_rates ? s->rates : NULL;
    }
    /* The output usually changes little between scrapes: reserve what the
     * last one needed plus some room for new interfaces. */
    hint = s->last_size + s->last_size / 8;
    if (hint)
        nm_strbuf_reserve(out, hint);
    if (s->conn.enabled) {
        nm_error_clear(&cerr);
        nm_conn_scrape_collect(&s->conn, &conn, &cerr);
        info.connections = &conn;
    }
    rc = nm_render_metrics(out, fmt, shown, &info);
    nm_conn_scrape_release(&conn);
    if (rc == 0 && !out->failed) {
        s->last_size = out->len;
        rendered = out->len;
    }
    prev = s->last_status;
    s->last_status = info.collect_status;
    conn_prev = s->conn_last_status;
    if (info.connections)
        s->conn_last_status = conn.status;
    pthread_mutex_unlock(&s->lock);
    t1 = nm_monotonic_ns();

    if (info.collect_status != NETMETRICS_OK) {
        nm_log(s->log, NM_LOG_WARN, "collection failed", "backend", info.backend, "status",
               netmetrics_status_string(info.collect_status), "err", err.message, (char *)NULL);
    } else if (prev != NETMETRICS_OK) {
        nm_log(s->log, NM_LOG_INFO, "collection recovered", "backend", info.backend,
               (char *)NULL);
    }
    /* A lasting failure (no sock_diag, no /proc/net/tcp) is said once,
     * and its end too, not on every scrape. */
    if (info.connections && conn.status != NETMETRICS_OK && conn_prev == NETMETRICS_OK)
        nm_log(s->log, NM_LOG_WARN, "connections collection failed", "status",
               netmetrics_status_string(conn.status), "err", cerr.message, (char *)NULL);
    else if (info.connections && conn.status == NETMETRICS_OK && conn_prev != NETMETRICS_OK)
        nm_log(s->log, NM_LOG_INFO, "connections collection recovered", (char *)NULL);
    if (rc != 0 || out->failed) {
        nm_log(s->log, NM_LOG_ERROR, "out of memory rendering metrics", (char *)NULL);
        return -1;
    }
    if (nm_log_enabled(s->log, NM_LOG_DEBUG)) {
        char secs[32], bytes[32];

        snprintf(secs, sizeof secs, "%.6f", (double)(t1 - t0) / 1e9);
        snprintf(bytes, sizeof bytes, "%zu", rendered);
        nm_log(s->log, NM_LOG_DEBUG, "scrape", "duration_seconds", secs, "bytes", bytes,
               (char *)NULL);
    }
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* Scrapes under a mutex. The collector and the snapshot are not
 * thread-safe, and the renderer reads the snapshot, so collection and
 * rendering form one critical section; concurrent scrapers wait their turn
 * rather than each collecting (which would multiply the kernel's work for
 * no fresher data). The output buffer belongs to the caller, so the lock is
 * not held while the response is sent. The size of the last output is kept
 * to reserve the next buffer in one allocation instead of a chain of
 * doublings. Logging happens after unlocking. A request with a deadline
 * (the scrape timeout its client announced) waits for the lock no longer
 * than that, and skips the connections collector once it is past. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collectors.h"
#include "nmerror.h"
#include "procself.h"
#include "rates.h"
#include "scrape.h"
#include "scrape_body.h"
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
    /* Read-only after creation: the device filter (NULL: none), the
     * disabled collectors, and whether any interface collector is on. */
    nm_devfilter *filter;
    unsigned collectors_off;
    int collect_interfaces;
    nm_procself *procself; /* process_* metrics; NULL when not wanted */
    /* Sharing (nm_scraper_acquire): collections started so far, requests
     * between their ticket and the lock, and the body of the last
     * collection while such requests may still take it (lock-guarded). */
    atomic_uint_least64_t started;
    atomic_uint waiting;
    nm_scrape_body *shared;
    nm_body_pool *pool; /* buffers of released bodies, for the next */
    nm_format shared_fmt;
    uint64_t shared_gen;
};

int nm_scrape_should_reuse(uint64_t now_ns, uint64_t last_ns, uint64_t min_interval_ns)
{
    return now_ns >= last_ns && now_ns - last_ns < min_interval_ns;
}

/* Makes *arr hold at least n rates; 0, or -1 when out of memory. */
static int rates_reserve(nm_rates **arr, size_t *cap, size_t n)
{
    nm_rates *r;

    /* Never a NULL array: a table the device filter emptied still has its
     * (zero) totals. */
    if (n == 0)
        n = 1;
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
    if (s->have_good && !(s->collectors_off & NM_COLLECTOR_BIT(NM_COLLECTOR_SPEED)) &&
        rates_reserve(&s->rates, &s->rates_cap, n) == 0) {
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

/* Why the wireless series look the way they will, per source. */
static const char *wireless_note(const char *source)
{
    if (strcmp(source, "nl80211") == 0)
        return "nl80211 family present";
    if (strcmp(source, "proc") == 0)
        return "no nl80211 generic-netlink family; /proc/net/wireless only";
    if (strcmp(source, "corewlan") == 0)
        return "CoreWLAN: series for associated Wi-Fi interfaces only (none without Wi-Fi "
               "hardware or an association); SSID and BSSID absent when macOS redacts them";
    return "no wireless statistics source in this build";
}

netmetrics_status nm_scraper_new(const nm_scraper_config *cfg, nm_scraper **out,
                                 netmetrics_error *err)
{
    nm_scraper *s;
    netmetrics_collector_options copts;
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
    s->collectors_off = cfg->collectors_off;
    s->collect_interfaces = (~cfg->collectors_off & NM_COLLECTORS_INTERFACES) != 0;
    s->snap = netmetrics_snapshot_new();
    s->spare = netmetrics_snapshot_new();
    s->pool = nm_body_pool_new();
    if (!s->snap || !s->spare || !s->pool) {
        nm_scraper_free(s);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    /* A disabled collector's library part is not collected at all. */
    copts = cfg->collector;
    if (s->collectors_off & NM_COLLECTOR_BIT(NM_COLLECTOR_ADDRESSES))
        copts.skip_parts |= 1u << NETMETRICS_PART_ADDRESSES;
    if (s->collectors_off & NM_COLLECTOR_BIT(NM_COLLECTOR_WIRELESS))
        copts.skip_parts |= 1u << NETMETRICS_PART_WIRELESS;
    st = nm_devfilter_new(&cfg->filter, &s->filter, err);
    if (st == NETMETRICS_OK)
        st = netmetrics_collector_new(&copts, &s->collector, err);
    if (st == NETMETRICS_OK && cfg->self_procfs)
        st = nm_procself_new(cfg->self_procfs, &s->procself, err);
    if (st != NETMETRICS_OK) {
        nm_scraper_free(s);
        return st;
    }
    /* Said once, here, rather than as an error on every scrape. */
    nm_log(s->log, NM_LOG_INFO, "wireless statistics", "source",
           netmetrics_collector_wireless_source(s->collector), "note",
           wireless_note(netmetrics_collector_wireless_source(s->collector)), (char *)NULL);
    *out = s;
    return NETMETRICS_OK;
}

void nm_scraper_free(nm_scraper *s)
{
    if (!s)
        return;
    netmetrics_collector_free(s->collector);
    nm_procself_free(s->procself);
    nm_scrape_body_release(s->shared);
    nm_body_pool_release(s->pool);
    nm_devfilter_free(s->filter);
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
    nm_scrape_request req;

    memset(&req, 0, sizeof req);
    req.fmt = fmt;
    return nm_scraper_scrape_request(s, &req, out);
}

/* 1 when the request has a deadline and it has passed. */
static int past_deadline(const nm_scrape_request *req)
{
    return req->deadline_ns && nm_monotonic_ns() >= req->deadline_ns;
}

/* Takes the scrape lock, waiting no later than the request's deadline.
 * Returns 0 with the lock held, or -1 (not held) when the deadline came
 * first, so a scrape stuck behind a slow one is refused in time rather
 * than answered late. Without pthread_mutex_timedlock (macOS) it waits
 * for the lock and the check after it does the refusing. */
static int lock_by_deadline(nm_scraper *s, const nm_scrape_request *req)
{
#if defined(_POSIX_TIMEOUTS) && _POSIX_TIMEOUTS > 0
    if (req->deadline_ns) {
        uint64_t now = nm_monotonic_ns(), left;
        struct timespec at;
        int rc;

        if (pthread_mutex_trylock(&s->lock) == 0)
            return 0;
        if (now >= req->deadline_ns)
            return -1;
        /* timedlock takes a CLOCK_REALTIME instant: now on that clock plus
         * what is left on the monotonic one */
        left = req->deadline_ns - now;
        clock_gettime(CLOCK_REALTIME, &at);
        at.tv_sec += (time_t)(left / 1000000000u);
        at.tv_nsec += (long)(left % 1000000000u);
        if (at.tv_nsec >= 1000000000L) {
            at.tv_sec++;
            at.tv_nsec -= 1000000000L;
        }
        do {
            rc = pthread_mutex_timedlock(&s->lock, &at);
        } while (rc == EINTR);
        return rc == 0 ? 0 : -1;
    }
#endif
    pthread_mutex_lock(&s->lock);
    return 0;
}

/* Moves the rendered text of collection `gen` into a body: *share gets
 * one reference and the cache another while requests are waiting that may
 * take it (the previous body leaves the cache either way). Called with the
 * lock held; 0, or -1 when out of memory. */
static int share_body(nm_scraper *s, nm_strbuf *out, nm_format fmt, uint64_t gen,
                      nm_scrape_body **share)
{
    nm_scrape_body *b;
    size_t len, cap = out->cap;
    char *data = nm_strbuf_steal(out, &len);

    b = nm_scrape_body_new(data, len, cap, s->pool);
    if (!b) {
        free(data);
        return -1;
    }
    nm_scrape_body_release(s->shared);
    s->shared = NULL;
    if (atomic_load(&s->waiting) > 0) {
        s->shared = nm_scrape_body_ref(b);
        s->shared_fmt = fmt;
        s->shared_gen = gen;
    }
    *share = b;
    return 0;
}

/* A shared body ends its turn in the cache once nobody who could still take
 * it is waiting. Called with the lock held. */
static void share_drop_if_unwanted(nm_scraper *s)
{
    if (atomic_load(&s->waiting) == 0 && s->shared) {
        nm_scrape_body_release(s->shared);
        s->shared = NULL;
    }
}

/* One scrape. With `share` NULL: collects and renders into out, as
 * nm_scraper_scrape_request documents. With `share`: first looks for a
 * body rendered, in the requested format, from a collection that started
 * after this request arrived (the request's ticket is the number of
 * collections started before it); only when there is none does it collect,
 * rendering into out and then into a shared body that later requests of
 * the same wait may take. Either way *share gets a reference. */
static int scrape_request(nm_scraper *s, const nm_scrape_request *req, nm_strbuf *out,
                          nm_scrape_body **share)
{
    const nm_format fmt = req->fmt;
    uint64_t ticket = 0, gen;
    netmetrics_error err;
    nm_scrape_info info;
    const netmetrics_snapshot *shown;
    netmetrics_status prev, conn_prev;
    uint64_t t0, t1;
    size_t hint, rendered = 0;
    int rc, locked, conn_skipped = 0;
    nm_conn_render conn;
    netmetrics_error cerr;
    nm_process_metrics proc;

    nm_error_clear(&err);
    memset(&info, 0, sizeof info);
    memset(&conn, 0, sizeof conn);
    t0 = nm_monotonic_ns();
    if (share) {
        /* waiting first, then the ticket: a collection that starts after
         * the ticket was read then sees this request waiting (both are
         * sequentially consistent) and keeps its body for it */
        atomic_fetch_add(&s->waiting, 1);
        ticket = atomic_load(&s->started);
    }
    /* Waited for the lock past the deadline: the client has given up or is
     * about to, so a late answer would only cost a collection. */
    locked = lock_by_deadline(s, req) == 0;
    if (share)
        atomic_fetch_sub(&s->waiting, 1);
    if (locked && share && s->shared && s->shared_fmt == fmt && s->shared_gen > ticket &&
        !past_deadline(req)) {
        /* Collected after this request arrived: as fresh as its own. */
        *share = nm_scrape_body_ref(s->shared);
        share_drop_if_unwanted(s);
        pthread_mutex_unlock(&s->lock);
        return 0;
    }
    if (!locked || past_deadline(req)) {
        if (locked)
            pthread_mutex_unlock(&s->lock);
        if (nm_log_enabled(s->log, NM_LOG_DEBUG)) {
            char secs[32];

            snprintf(secs, sizeof secs, "%.6f", (double)(nm_monotonic_ns() - t0) / 1e9);
            nm_log(s->log, NM_LOG_DEBUG, "scrape refused: waited past its deadline",
                   "waited_seconds", secs, (char *)NULL);
        }
        return NM_SCRAPE_LATE;
    }
    gen = atomic_load(&s->started) + 1;
    atomic_store(&s->started, gen);
    info.http = req->http;
    info.backend = netmetrics_collector_backend(s->collector);
    info.wireless_ssid = s->wireless_ssid;
    info.collectors_off = s->collectors_off;
    if (s->collect_interfaces) {
        info.collect_status = netmetrics_collector_collect(s->collector, s->spare, &err);
        /* Filtered before speeds and rendering: an interface left out
         * costs nothing more and appears in no family, totals included. */
        if (info.collect_status == NETMETRICS_OK && s->filter)
            nm_devfilter_apply(s->filter, s->spare);
    } else {
        /* No interface collector: the table is not read; `spare` stays
         * the empty snapshot it was created as. */
        info.collect_status = NETMETRICS_OK;
    }
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
    if (share && out->cap == 0 && s->pool) {
        /* a shared body renders into the last released one's buffer when
         * it is back: no fresh pages to fault in */
        size_t cap;
        char *buf = nm_body_pool_take(s->pool, &cap);

        /* one far larger than needed (the table shrank) is let go */
        if (buf && cap / 2 > hint + 65536) {
            free(buf);
            buf = NULL;
        }
        if (buf) {
            out->data = buf;
            out->cap = cap;
            out->len = 0;
            buf[0] = '\0';
        }
    }
    if (hint)
        nm_strbuf_reserve(out, hint);
    if (s->conn.enabled) {
        nm_error_clear(&cerr);
        /* Optional and the slowest part: skipped (success 0, no families)
         * when the deadline has already passed. */
        if (past_deadline(req)) {
            conn.status = NETMETRICS_ERR_NOT_AVAILABLE;
            conn_skipped = 1;
        } else {
            nm_conn_scrape_collect(&s->conn, &conn, &cerr);
        }
        info.connections = &conn;
    }
    if (s->procself) {
        nm_procself_read(s->procself, &proc);
        info.process = &proc;
    }
    rc = nm_render_metrics(out, fmt, shown, &info);
    nm_conn_scrape_release(&conn);
    if (rc == 0 && !out->failed) {
        s->last_size = out->len;
        rendered = out->len;
        if (share && share_body(s, out, fmt, gen, share) < 0)
            rc = -1;
    }
    prev = s->last_status;
    s->last_status = info.collect_status;
    conn_prev = s->conn_last_status;
    if (info.connections && !conn_skipped)
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
    if (conn_skipped)
        nm_log(s->log, NM_LOG_DEBUG, "connections collector skipped: scrape deadline passed",
               (char *)NULL);
    else if (info.connections && conn.status != NETMETRICS_OK && conn_prev == NETMETRICS_OK)
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

int nm_scraper_scrape_request(nm_scraper *s, const nm_scrape_request *req, nm_strbuf *out)
{
    return scrape_request(s, req, out, NULL);
}

int nm_scraper_acquire(nm_scraper *s, const nm_scrape_request *req, nm_scrape_body **out)
{
    nm_strbuf buf;
    int rc;

    *out = NULL;
    nm_strbuf_init(&buf);
    rc = scrape_request(s, req, &buf, out);
    nm_strbuf_free(&buf);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* Collections under a mutex. The collector and the snapshots are not
 * thread-safe, so collection forms one critical section; concurrent
 * scrapers wait their turn rather than each collecting (which would
 * multiply the kernel's work for no fresher data), and take the frame of
 * the collection they waited for. Rendering is not in the critical
 * section: each response renders from its frame while it is sent. Logging
 * happens after unlocking. A request with a deadline (the scrape timeout
 * its client announced) waits for the lock no longer than that, and skips
 * the connections collector once it is past. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
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
#include "scrape_frame.h"
#include "scrape_timeout.h"
#include "snapshot.h"

/* Snapshots kept (scrape_frame.h): the one collected into, which the
 * newest frame shows, and one more for the frame before it, still being
 * sent while the next collection runs. */
#define NM_SNAPSHOTS_SOFT_MAX 2
/* How long a collection waits for a frame in flight to give its snapshot
 * back before making another: about what sending a thousand interfaces
 * to 32 clients at once takes on two cores, and short, since a slow
 * client can hold a frame for as long as the connection timeout. */
#define NM_SNAPSHOT_WAIT_NS (250u * 1000000u)

struct nm_scraper {
    pthread_mutex_t lock;
    netmetrics_collector *collector;
    const nm_logger *log;
    /* Guarded by lock. */
    netmetrics_status last_status; /* to log when collection recovers */
    netmetrics_status conn_last_status; /* likewise for connections */
    /* Every scrape collects afresh into the snapshot in `spareb` (boxed: a
     * frame showing it holds a reference, and a box somebody else holds is
     * never refilled; another comes from the pool), so series always show
     * the interfaces of this instant. Speeds: `base` keeps the counters of
     * the last collection speeds were computed at, with rates[i] belonging
     * to its i-th interface. When a scrape comes min_interval or more after
     * the baseline, its collection becomes the new baseline and speeds are
     * computed over that interval; a scrape within min_interval shows the
     * baseline's speeds, matched by ifindex into `shown` (an interface new
     * since then has none), instead of dividing a tiny delta by a tiny
     * interval. A failed collection never costs the baseline. */
    nm_snapbox *spareb;
    nm_snappool *pool; /* where boxes come from (scrape_frame.h) */
    nm_rate_base base;
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
     * between their ticket and the lock, and the frame of the last
     * collection while such requests may still take it (lock-guarded). */
    atomic_uint_least64_t started;
    atomic_uint waiting;
    nm_scrape_frame *shared;
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
 * baseline: its speeds against the baseline, which it then becomes. Called
 * with the lock held. When the rates cannot be allocated the speeds are
 * simply absent this time; without memory for the baseline, next time. */
static void scraper_take_new(nm_scraper *s)
{
    const netmetrics_snapshot *cur = nm_snapbox_snapshot(s->spareb);
    size_t n = cur->count;

    s->have_rates = 0;
    if (s->have_good && !(s->collectors_off & NM_COLLECTOR_BIT(NM_COLLECTOR_SPEED)) &&
        rates_reserve(&s->rates, &s->rates_cap, n) == 0) {
        if (n)
            nm_rate_base_rates(&s->base, cur, s->rates);
        s->have_rates = 1;
    }
    s->have_good = nm_rate_base_take(&s->base, cur) == 0;
    if (!s->have_good)
        s->have_rates = 0;
}

/* Within min_interval: the baseline's speeds for the interfaces of the
 * fresh collection in `spare`, matched by ifindex and name in one merge of
 * the two ifindex-sorted tables. NULL when there are none to show. */
static const nm_rates *scraper_match_rates(nm_scraper *s)
{
    const netmetrics_snapshot *cur = nm_snapbox_snapshot(s->spareb);
    const nm_rate_base *base = &s->base;
    size_t i, j = 0;

    if (!s->have_rates || rates_reserve(&s->shown, &s->shown_cap, cur->count) < 0)
        return NULL;
    for (i = 0; i < cur->count; i++) {
        const struct netmetrics_interface *c = &cur->ifaces[i];

        while (j < base->count && base->e[j].ifindex < c->ifindex)
            j++;
        if (j < base->count && base->e[j].ifindex == c->ifindex &&
            strncmp(base->e[j].name, c->name, sizeof base->e[j].name) == 0)
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
    nm_rate_base_init(&s->base);
    s->pool = nm_snappool_new(NM_SNAPSHOTS_SOFT_MAX);
    if (s->pool)
        s->spareb = nm_snappool_get(s->pool, 0);
    if (!s->spareb) {
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
    nm_scrape_frame_release(s->shared);
    nm_devfilter_free(s->filter);
    nm_snapbox_release(s->spareb);
    nm_snappool_release(s->pool);
    nm_rate_base_free(&s->base);
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
        struct timespec at;
        int rc;

        if (pthread_mutex_trylock(&s->lock) == 0)
            return 0;
        if (nm_monotonic_ns() >= req->deadline_ns)
            return -1;
        nm_deadline_realtime(req->deadline_ns, &at);
        do {
            rc = pthread_mutex_timedlock(&s->lock, &at);
        } while (rc == EINTR);
        return rc == 0 ? 0 : -1;
    }
#endif
    pthread_mutex_lock(&s->lock);
    return 0;
}

/* Publishes the frame of collection `gen`: the cache keeps a reference
 * while requests are waiting that may take it (the previous frame leaves
 * the cache either way). Called with the lock held. */
static void share_frame(nm_scraper *s, nm_scrape_frame *f, uint64_t gen)
{
    nm_scrape_frame_release(s->shared);
    s->shared = NULL;
    if (atomic_load(&s->waiting) > 0) {
        s->shared = nm_scrape_frame_ref(f);
        s->shared_gen = gen;
    }
}

/* A shared frame ends its turn in the cache once nobody who could still
 * take it is waiting. Called with the lock held. */
static void share_drop_if_unwanted(nm_scraper *s)
{
    if (atomic_load(&s->waiting) == 0 && s->shared) {
        nm_scrape_frame_release(s->shared);
        s->shared = NULL;
    }
}

/* Makes sure the spare snapshot can be refilled: one a frame still shows
 * is left to that frame and another box taken from the pool, waiting a
 * little for one when all are in use (never past the request's
 * deadline). Called with the lock held; 0, or -1 when out of memory. */
static int spare_writable(nm_scraper *s, const nm_scrape_request *req)
{
    uint64_t until;
    nm_snapbox *b;

    if (!nm_snapbox_shared(s->spareb))
        return 0;
    until = nm_monotonic_ns() + NM_SNAPSHOT_WAIT_NS;
    if (req->deadline_ns && req->deadline_ns < until)
        until = req->deadline_ns;
    b = nm_snappool_get(s->pool, until);
    if (!b)
        return -1;
    nm_snapbox_release(s->spareb);
    s->spareb = b;
    return 0;
}

/* One scrape, as nm_scraper_acquire documents: first looks for the frame
 * of a collection that started after this request arrived (the request's
 * ticket is the number of collections started before it); only when there
 * is none does it collect, publishing its frame for the requests of the
 * same wait. */
static int scrape_request(nm_scraper *s, const nm_scrape_request *req, nm_scrape_frame **out)
{
    uint64_t ticket, gen;
    netmetrics_error err;
    nm_scrape_info info;
    nm_snapbox *shown;
    netmetrics_snapshot *spare;
    netmetrics_status prev, conn_prev, conn_status;
    uint64_t t0, t1;
    size_t count = 0;
    int rc = 0, locked, conn_skipped = 0;
    nm_conn_render conn;
    netmetrics_error cerr;
    nm_process_metrics proc;
    nm_scrape_frame *frame = NULL;

    *out = NULL;
    nm_error_clear(&err);
    memset(&info, 0, sizeof info);
    memset(&conn, 0, sizeof conn);
    t0 = nm_monotonic_ns();
    /* waiting first, then the ticket: a collection that starts after the
     * ticket was read then sees this request waiting (both are
     * sequentially consistent) and keeps its frame for it */
    atomic_fetch_add(&s->waiting, 1);
    ticket = atomic_load(&s->started);
    /* Waited for the lock past the deadline: the client has given up or is
     * about to, so a late answer would only cost a collection. */
    locked = lock_by_deadline(s, req) == 0;
    atomic_fetch_sub(&s->waiting, 1);
    if (locked && s->shared && s->shared_gen > ticket && !past_deadline(req)) {
        /* Collected after this request arrived: as fresh as its own. */
        *out = nm_scrape_frame_ref(s->shared);
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
    if (spare_writable(s, req) < 0) {
        share_drop_if_unwanted(s);
        pthread_mutex_unlock(&s->lock);
        nm_log(s->log, NM_LOG_ERROR, "out of memory for a snapshot", (char *)NULL);
        return -1;
    }
    gen = atomic_load(&s->started) + 1;
    atomic_store(&s->started, gen);
    spare = nm_snapbox_snapshot(s->spareb);
    info.http = req->http;
    info.backend = netmetrics_collector_backend(s->collector);
    info.wireless_ssid = s->wireless_ssid;
    info.collectors_off = s->collectors_off;
    if (s->collect_interfaces) {
        info.collect_status = netmetrics_collector_collect(s->collector, spare, &err);
        /* Filtered before speeds and rendering: an interface left out
         * costs nothing more and appears in no family, totals included. */
        if (info.collect_status == NETMETRICS_OK && s->filter)
            nm_devfilter_apply(s->filter, spare);
    } else {
        /* No interface collector: the table is not read; `spare` stays
         * the empty snapshot it was created as. */
        info.collect_status = NETMETRICS_OK;
    }
    /* After a failure the snapshot is empty and the baseline stays. */
    shown = s->spareb;
    if (info.collect_status == NETMETRICS_OK) {
        if (s->have_good &&
            nm_scrape_should_reuse(spare->time_ns, s->base.time_ns, s->min_interval_ns)) {
            /* Several servers scraping at once: fresh series, the last speeds. */
            info.rates = scraper_match_rates(s);
        } else {
            scraper_take_new(s);
            info.rates = s->have_rates ? s->rates : NULL;
        }
    }
    count = netmetrics_snapshot_count(nm_snapbox_snapshot(shown));
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
    /* the frame takes conn over: its status is kept for the log below */
    conn_status = conn.status;
    /* Rendering happens later, in each response as it is sent: the frame
     * keeps what it needs. */
    frame = nm_scrape_frame_new(shown, &info, info.connections ? &conn : NULL);
    if (frame) {
        share_frame(s, frame, gen);
        *out = frame;
    } else {
        nm_conn_scrape_release(&conn);
        share_drop_if_unwanted(s);
        rc = -1;
    }
    prev = s->last_status;
    s->last_status = info.collect_status;
    conn_prev = s->conn_last_status;
    if (info.connections && !conn_skipped)
        s->conn_last_status = conn_status;
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
    else if (info.connections && conn_status != NETMETRICS_OK && conn_prev == NETMETRICS_OK)
        nm_log(s->log, NM_LOG_WARN, "connections collection failed", "status",
               netmetrics_status_string(conn_status), "err", cerr.message, (char *)NULL);
    else if (info.connections && conn_status == NETMETRICS_OK && conn_prev != NETMETRICS_OK)
        nm_log(s->log, NM_LOG_INFO, "connections collection recovered", (char *)NULL);
    if (rc != 0) {
        nm_log(s->log, NM_LOG_ERROR, "out of memory preparing a scrape", (char *)NULL);
        return -1;
    }
    if (nm_log_enabled(s->log, NM_LOG_DEBUG)) {
        char secs[32], ifaces[32];

        snprintf(secs, sizeof secs, "%.6f", (double)(t1 - t0) / 1e9);
        snprintf(ifaces, sizeof ifaces, "%zu", count);
        nm_log(s->log, NM_LOG_DEBUG, "scrape", "duration_seconds", secs, "interfaces", ifaces,
               (char *)NULL);
    }
    return 0;
}

int nm_scraper_scrape_request(nm_scraper *s, const nm_scrape_request *req, nm_strbuf *out)
{
    nm_render_cursor cur = NM_RENDER_CURSOR_INIT;
    nm_scrape_frame *f;
    nm_expfmt w;
    int rc = scrape_request(s, req, &f);

    if (rc != 0)
        return rc;
    nm_expfmt_init(&w, out, req->fmt);
    rc = nm_render_step(nm_scrape_frame_plan(f), &w, &cur, SIZE_MAX);
    nm_scrape_frame_release(f);
    if (rc != 1) {
        nm_log(s->log, NM_LOG_ERROR, "out of memory rendering metrics", (char *)NULL);
        return -1;
    }
    return 0;
}

int nm_scraper_acquire(nm_scraper *s, const nm_scrape_request *req, nm_scrape_frame **out)
{
    return scrape_request(s, req, out);
}

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

#include "nmerror.h"
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
};

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
    s->snap = netmetrics_snapshot_new();
    if (!s->snap) {
        nm_scraper_free(s);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    st = netmetrics_collector_new(&cfg->collector, &s->collector, err);
    if (st != NETMETRICS_OK) {
        nm_scraper_free(s);
        return st;
    }
    *out = s;
    return NETMETRICS_OK;
}

void nm_scraper_free(nm_scraper *s)
{
    if (!s)
        return;
    netmetrics_collector_free(s->collector);
    netmetrics_snapshot_free(s->snap);
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
    netmetrics_status prev;
    uint64_t t0, t1;
    size_t hint, rendered = 0;
    int rc;

    nm_error_clear(&err);
    t0 = nm_monotonic_ns();
    pthread_mutex_lock(&s->lock);
    info.collect_status = netmetrics_collector_collect(s->collector, s->snap, &err);
    info.backend = netmetrics_collector_backend(s->collector);
    /* The output usually changes little between scrapes: reserve what the
     * last one needed plus some room for new interfaces. */
    hint = s->last_size + s->last_size / 8;
    if (hint)
        nm_strbuf_reserve(out, hint);
    rc = nm_render_metrics(out, fmt, s->snap, &info);
    if (rc == 0 && !out->failed) {
        s->last_size = out->len;
        rendered = out->len;
    }
    prev = s->last_status;
    s->last_status = info.collect_status;
    pthread_mutex_unlock(&s->lock);
    t1 = nm_monotonic_ns();

    if (info.collect_status != NETMETRICS_OK) {
        nm_log(s->log, NM_LOG_WARN, "collection failed", "backend", info.backend, "status",
               netmetrics_status_string(info.collect_status), "err", err.message, (char *)NULL);
    } else if (prev != NETMETRICS_OK) {
        nm_log(s->log, NM_LOG_INFO, "collection recovered", "backend", info.backend,
               (char *)NULL);
    }
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

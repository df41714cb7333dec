/* SPDX-License-Identifier: MIT */
/* Snapshot boxes and frames (scrape_frame.h). */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "connections_scrape.h"
#include "httpstats.h"
#include "procself.h"
#include "rates.h"
#include "scrape_frame.h"
#include "scrape_timeout.h"
#include "snapshot.h"

struct nm_snapbox {
    atomic_size_t refs;
    netmetrics_snapshot *snap;
    nm_snappool *pool; /* NULL: freed with its last reference */
    nm_snapbox *next;  /* in the pool's free list */
};

struct nm_snappool {
    atomic_size_t refs; /* the owner's, and one per box of the pool */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    unsigned soft_max;
    /* guarded by lock */
    unsigned alive;     /* boxes of the pool, free or in use */
    nm_snapbox *free_list;
};

static void box_destroy(nm_snapbox *b)
{
    netmetrics_snapshot_free(b->snap);
    free(b);
}

nm_snapbox *nm_snapbox_new(void)
{
    nm_snapbox *b = calloc(1, sizeof *b);

    if (!b)
        return NULL;
    b->snap = netmetrics_snapshot_new();
    if (!b->snap) {
        free(b);
        return NULL;
    }
    atomic_init(&b->refs, 1);
    return b;
}

netmetrics_snapshot *nm_snapbox_snapshot(const nm_snapbox *b)
{
    return b->snap;
}

nm_snapbox *nm_snapbox_ref(nm_snapbox *b)
{
    atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    return b;
}

static void pool_unref(nm_snappool *p)
{
    nm_snapbox *b;

    if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1)
        return;
    while ((b = p->free_list)) {
        p->free_list = b->next;
        box_destroy(b);
    }
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void nm_snapbox_release(nm_snapbox *b)
{
    nm_snappool *p;

    if (!b || atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) != 1)
        return;
    p = b->pool;
    if (!p) {
        box_destroy(b);
        return;
    }
    pthread_mutex_lock(&p->lock);
    if (p->alive > p->soft_max) {
        /* one made past the limit while all were busy: let it go */
        p->alive--;
        pthread_mutex_unlock(&p->lock);
        box_destroy(b);
    } else {
        b->next = p->free_list;
        p->free_list = b;
        pthread_cond_signal(&p->freed);
        pthread_mutex_unlock(&p->lock);
    }
    pool_unref(p);
}

int nm_snapbox_shared(const nm_snapbox *b)
{
    /* acquire: a frame's last reads of the snapshot happen before its
     * release is seen here */
    return atomic_load_explicit(&b->refs, memory_order_acquire) > 1;
}

nm_snappool *nm_snappool_new(unsigned soft_max)
{
    nm_snappool *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->freed, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    atomic_init(&p->refs, 1);
    p->soft_max = soft_max;
    return p;
}

void nm_snappool_release(nm_snappool *p)
{
    if (p)
        pool_unref(p);
}

nm_snapbox *nm_snappool_get(nm_snappool *p, uint64_t wait_until_ns)
{
    nm_snapbox *b = NULL;
    struct timespec at;
    int waited = 0;

    pthread_mutex_lock(&p->lock);
    while (!p->free_list && p->alive >= p->soft_max && !waited && wait_until_ns &&
           nm_monotonic_ns() < wait_until_ns) {
        nm_deadline_realtime(wait_until_ns, &at);
        if (pthread_cond_timedwait(&p->freed, &p->lock, &at) != 0)
            waited = 1; /* timed out (or failed): make one anyway */
    }
    if (p->free_list) {
        b = p->free_list;
        p->free_list = b->next;
        pthread_mutex_unlock(&p->lock);
        b->next = NULL;
        atomic_store_explicit(&b->refs, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
        return b;
    }
    p->alive++;
    pthread_mutex_unlock(&p->lock);
    b = nm_snapbox_new();
    if (!b) {
        pthread_mutex_lock(&p->lock);
        p->alive--;
        pthread_mutex_unlock(&p->lock);
        return NULL;
    }
    b->pool = p;
    atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
    return b;
}

struct nm_scrape_frame {
    atomic_size_t refs;
    nm_snapbox *box;
    nm_scrape_info info;
    nm_rates *rates;
    nm_conn_render conn;
    nm_process_metrics proc;
    nm_http_counts http;
    nm_render_plan *plan;
};

static void frame_free(nm_scrape_frame *f)
{
    nm_render_plan_free(f->plan);
    nm_conn_scrape_release(&f->conn);
    free(f->rates);
    nm_snapbox_release(f->box);
    free(f);
}

nm_scrape_frame *nm_scrape_frame_new(nm_snapbox *box, const nm_scrape_info *info,
                                     nm_conn_render *conn)
{
    nm_scrape_frame *f = calloc(1, sizeof *f);
    const netmetrics_snapshot *snap = box ? box->snap : NULL;

    if (!f)
        return NULL;
    atomic_init(&f->refs, 1);
    f->info = *info;
    if (info->rates && snap) {
        size_t n = netmetrics_snapshot_count(snap);

        /* never a NULL array: an empty table still has its (zero) totals */
        f->rates = malloc((n ? n : 1) * sizeof *f->rates);
        if (!f->rates) {
            free(f);
            return NULL;
        }
        memcpy(f->rates, info->rates, n * sizeof *f->rates);
    }
    f->info.rates = f->rates;
    if (info->process) {
        f->proc = *info->process;
        f->info.process = &f->proc;
    }
    f->info.connections = conn ? &f->conn : NULL;
    if (info->http) {
        nm_http_stats_read(info->http, &f->http);
        f->info.http_counts = &f->http;
    }
    if (nm_render_plan_new(snap, &f->info, &f->plan) < 0) {
        free(f->rates);
        free(f);
        return NULL;
    }
    /* nothing can fail past here: take what the frame keeps */
    if (conn) {
        f->conn = *conn;
        memset(conn, 0, sizeof *conn);
    }
    f->box = box ? nm_snapbox_ref(box) : NULL;
    return f;
}

nm_scrape_frame *nm_scrape_frame_ref(nm_scrape_frame *f)
{
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
    return f;
}

void nm_scrape_frame_release(nm_scrape_frame *f)
{
    if (!f || atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    frame_free(f);
}

const nm_render_plan *nm_scrape_frame_plan(const nm_scrape_frame *f)
{
    return f->plan;
}

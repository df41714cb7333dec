/* SPDX-License-Identifier: MIT */
/* Reference-counted scrape text and the pool of its buffers
 * (scrape_body.h). */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "scrape_body.h"

struct nm_body_pool {
    atomic_size_t refs;
    pthread_mutex_t lock;
    char *spare; /* guarded by lock */
    size_t spare_cap;
};

struct nm_scrape_body {
    atomic_size_t refs;
    char *data;
    size_t len, cap;
    nm_body_pool *pool;
    char *gz; /* NULL until attached */
    size_t gz_len;
};

nm_body_pool *nm_body_pool_new(void)
{
    nm_body_pool *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    atomic_init(&p->refs, 1);
    return p;
}

void nm_body_pool_release(nm_body_pool *p)
{
    if (!p || atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1)
        return;
    free(p->spare);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

char *nm_body_pool_take(nm_body_pool *p, size_t *cap)
{
    char *buf;

    pthread_mutex_lock(&p->lock);
    buf = p->spare;
    *cap = buf ? p->spare_cap : 0;
    p->spare = NULL;
    p->spare_cap = 0;
    pthread_mutex_unlock(&p->lock);
    return buf;
}

/* Keeps buf as the spare when there is none; otherwise frees it. */
static void pool_give(nm_body_pool *p, char *buf, size_t cap)
{
    if (p && buf && cap) {
        pthread_mutex_lock(&p->lock);
        if (!p->spare) {
            p->spare = buf;
            p->spare_cap = cap;
            buf = NULL;
        }
        pthread_mutex_unlock(&p->lock);
    }
    free(buf);
}

nm_scrape_body *nm_scrape_body_new(char *data, size_t len, size_t cap, nm_body_pool *pool)
{
    nm_scrape_body *b = calloc(1, sizeof *b);

    if (!b)
        return NULL;
    atomic_init(&b->refs, 1);
    b->data = data;
    b->len = data ? len : 0;
    b->cap = data ? cap : 0;
    if (pool) {
        atomic_fetch_add_explicit(&pool->refs, 1, memory_order_relaxed);
        b->pool = pool;
    }
    return b;
}

nm_scrape_body *nm_scrape_body_ref(nm_scrape_body *b)
{
    atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    return b;
}

void nm_scrape_body_release(void *p)
{
    nm_scrape_body *b = p;

    if (!b)
        return;
    /* acq_rel: every use by other holders happens before the free */
    if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) != 1)
        return;
    pool_give(b->pool, b->data, b->cap);
    nm_body_pool_release(b->pool);
    free(b->gz);
    free(b);
}

const char *nm_scrape_body_data(const nm_scrape_body *b, size_t *len)
{
    *len = b->len;
    return b->data ? b->data : "";
}

int nm_scrape_body_gzip(const nm_scrape_body *b, const char **data, size_t *len)
{
    if (!b->gz)
        return 0;
    *data = b->gz;
    *len = b->gz_len;
    return 1;
}

int nm_scrape_body_set_gzip(nm_scrape_body *b, const void *data, size_t len)
{
    char *copy;

    if (b->gz || len == 0)
        return -1;
    copy = malloc(len);
    if (!copy)
        return -1;
    memcpy(copy, data, len);
    b->gz = copy;
    b->gz_len = len;
    return 0;
}

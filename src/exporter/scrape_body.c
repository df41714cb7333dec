/* SPDX-License-Identifier: MIT */
/* Reference-counted scrape text (scrape_body.h). */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "scrape_body.h"

struct nm_scrape_body {
    atomic_size_t refs;
    char *data;
    size_t len;
    char *gz; /* NULL until attached */
    size_t gz_len;
};

nm_scrape_body *nm_scrape_body_new(char *data, size_t len)
{
    nm_scrape_body *b = calloc(1, sizeof *b);

    if (!b)
        return NULL;
    atomic_init(&b->refs, 1);
    b->data = data;
    b->len = data ? len : 0;
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
    free(b->data);
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

/* SPDX-License-Identifier: MIT */
/* A rendered scrape that several responses send at once. Concurrent
 * scrapers share one collection (scrape.c), so its text is rendered once
 * and referenced by every response that carries it; the last response to
 * finish sending releases it (the release function doubles as
 * libmicrohttpd's free callback). The text never changes after creation;
 * the gzip form is attached later, once, by whoever compresses it first.
 *
 * A released body's buffer goes back to its pool, which keeps one spare for
 * the next rendering: at a thousand interfaces a body is megabytes, and a
 * fresh buffer per scrape costs a page fault per 4 KiB (a tenth of the
 * scrape's CPU time). The pool is reference-counted by its bodies, so it
 * outlives the scraper if a response does. */
#ifndef NM_SCRAPE_BODY_H
#define NM_SCRAPE_BODY_H

#include <stddef.h>

typedef struct nm_scrape_body nm_scrape_body;
typedef struct nm_body_pool nm_body_pool;

/* A pool holding no buffer, with one reference; NULL when out of memory. */
nm_body_pool *nm_body_pool_new(void);

/* Drops a reference (p may be NULL); the last one frees the spare. */
void nm_body_pool_release(nm_body_pool *p);

/* Takes the spare buffer and its capacity in bytes, or NULL (*cap 0) when
 * there is none. The caller owns it (malloc'd). Thread-safe. */
char *nm_body_pool_take(nm_body_pool *p, size_t *cap);

/* A body owning data (malloc'd, cap bytes of which len hold the text;
 * NULL only when len is 0), with one reference held by the caller; pool
 * (may be NULL) gets the buffer back when the body is freed. NULL when out
 * of memory, data then still belongs to the caller. */
nm_scrape_body *nm_scrape_body_new(char *data, size_t len, size_t cap, nm_body_pool *pool);

/* Another reference; returns b. Thread-safe. */
nm_scrape_body *nm_scrape_body_ref(nm_scrape_body *b);

/* Drops a reference (b may be NULL); the last one frees the body. A void
 * pointer so it fits libmicrohttpd's MHD_ContentReaderFreeCallback.
 * Thread-safe. */
void nm_scrape_body_release(void *b);

/* The text and its length. */
const char *nm_scrape_body_data(const nm_scrape_body *b, size_t *len);

/* The gzip form, when attached: 1 with *data and *len set, else 0. The
 * caller serializes this with nm_scrape_body_set_gzip (one compressor lock). */
int nm_scrape_body_gzip(const nm_scrape_body *b, const char **data, size_t *len);

/* Attaches a copy of the len compressed bytes; 0, or -1 when out of memory
 * (nothing attached). Once only: a second call is refused with -1. */
int nm_scrape_body_set_gzip(nm_scrape_body *b, const void *data, size_t len);

#endif

/* SPDX-License-Identifier: MIT */
/* gzip compression of scrape bodies with zlib. One compressor keeps its
 * deflate state and output buffer between scrapes, so a compressed scrape
 * allocates nothing once the buffer has grown to the largest body seen. */
#ifndef NM_GZIP_H
#define NM_GZIP_H

#include <stddef.h>

typedef struct nm_gzip nm_gzip;

/* A compressor at zlib level 1..9; NULL when out of memory. */
nm_gzip *nm_gzip_new(int level);
void nm_gzip_free(nm_gzip *g);

/* Compresses len bytes of in as one gzip member. On success returns 0 and
 * points *out at the compressed bytes, which stay valid until the next
 * call or nm_gzip_free; -1 when out of memory or zlib fails (the caller
 * then sends the body uncompressed). Not thread-safe: callers serialize. */
int nm_gzip_compress(nm_gzip *g, const void *in, size_t len, const void **out, size_t *out_len);

#endif

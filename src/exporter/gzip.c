/* SPDX-License-Identifier: MIT */
/* The gzip compressor behind Content-Encoding: gzip. deflateInit2 costs a
 * few hundred KiB of state, so it runs once and each scrape only resets the
 * stream; the output buffer is sized by deflateBound, which guarantees a
 * single deflate(Z_FINISH) call completes, so there is no output loop. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gzip.h"

/* windowBits 15 + 16: the gzip wrapper (header and CRC-32) instead of
 * zlib's, as HTTP's "gzip" coding requires. */
#define GZIP_WINDOW_BITS (15 + 16)
#define GZIP_MEM_LEVEL 8

struct nm_gzip {
    z_stream zs;
    unsigned char *buf;
    size_t cap;
};

nm_gzip *nm_gzip_new(int level)
{
    nm_gzip *g = calloc(1, sizeof *g);

    if (!g)
        return NULL;
    if (deflateInit2(&g->zs, level, Z_DEFLATED, GZIP_WINDOW_BITS, GZIP_MEM_LEVEL,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        return NULL;
    }
    return g;
}

void nm_gzip_free(nm_gzip *g)
{
    if (!g)
        return;
    deflateEnd(&g->zs);
    free(g->buf);
    free(g);
}

int nm_gzip_compress(nm_gzip *g, const void *in, size_t len, const void **out, size_t *out_len)
{
    uLong bound;

    /* zlib counts in uInt; a body of 4 GiB is not a scrape */
    if (len > UINT_MAX / 2 || deflateReset(&g->zs) != Z_OK)
        return -1;
    bound = deflateBound(&g->zs, (uLong)len);
    if (bound > g->cap) {
        unsigned char *nb = realloc(g->buf, bound);

        if (!nb)
            return -1;
        g->buf = nb;
        g->cap = bound;
    }
    /* zlib's API is not const-correct; deflate only reads next_in */
    g->zs.next_in = (Bytef *)(uintptr_t)in;
    g->zs.avail_in = (uInt)len;
    g->zs.next_out = g->buf;
    g->zs.avail_out = (uInt)(g->cap > UINT_MAX ? UINT_MAX : g->cap);
    if (deflate(&g->zs, Z_FINISH) != Z_STREAM_END)
        return -1;
    *out = g->buf;
    *out_len = (size_t)g->zs.total_out;
    return 0;
}

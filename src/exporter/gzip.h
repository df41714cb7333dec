/* SPDX-License-Identifier: MIT */
/* Streaming gzip for Content-Encoding: gzip. Each compressed response has
 * its own encoder fed piece by piece as the text is rendered, so neither
 * the text nor its compressed form is ever held whole. The encoder uses a
 * small window: deflate's default state is about 256 KiB, which times the
 * connections served at once would be most of the exporter's memory; this
 * one is about 16 KiB and compresses the exposition as well (gzip.c). */
#ifndef NM_GZIP_H
#define NM_GZIP_H

#include <stddef.h>
#include <sys/types.h>

typedef struct nm_gzip nm_gzip;

/* An encoder for one gzip member at zlib level 1..9; NULL when out of
 * memory. */
nm_gzip *nm_gzip_new(int level);
void nm_gzip_free(nm_gzip *g);

/* Compresses from *in (*in_len bytes; both advanced past what was taken)
 * into out, at most out_max bytes. With last set, the member is finished
 * once all input is taken, and *done becomes 1 when its final bytes have
 * been written. Returns the bytes written to out (0 when it needs more
 * input), or -1 when zlib fails. */
ssize_t nm_gzip_write(nm_gzip *g, const char **in, size_t *in_len, int last, char *out,
                      size_t out_max, int *done);

#endif

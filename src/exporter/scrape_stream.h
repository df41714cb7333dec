/* SPDX-License-Identifier: MIT */
/* One response's body, rendered as it is sent. A stream reads a frame
 * (scrape_frame.h) through its own cursor and writer, renders a few rows
 * whenever the connection has room for more bytes, and hands them over,
 * gzip-compressed when the client asked for it. Plain text is written
 * straight into the caller's buffer; compressing takes an encoder and a
 * few KiB of text. Either way the memory does not grow with the size of
 * the exposition. */
#ifndef NM_SCRAPE_STREAM_H
#define NM_SCRAPE_STREAM_H

#include <stddef.h>
#include <sys/types.h>

#include "expfmt.h"
#include "scrape_frame.h"

typedef struct nm_scrape_stream nm_scrape_stream;

/* A stream of frame f (it takes a reference) in format fmt, gzip-encoded
 * when gzip is set. NULL when out of memory. */
nm_scrape_stream *nm_scrape_stream_new(nm_scrape_frame *f, nm_format fmt, int gzip);

/* Frees the stream and drops its frame reference. A void pointer so it
 * fits libmicrohttpd's MHD_ContentReaderFreeCallback; NULL is ignored. */
void nm_scrape_stream_free(void *st);

/* The next bytes of the body, at most max (max > 0) into buf. Returns the
 * count, 0 once the body is complete, or -1 when out of memory or the
 * encoder fails (the body cannot be completed). */
ssize_t nm_scrape_stream_read(nm_scrape_stream *st, char *buf, size_t max);

#endif

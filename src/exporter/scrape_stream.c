/* SPDX-License-Identifier: MIT */
/* Streamed response bodies (scrape_stream.h). Plain text is rendered into
 * the connection's own output buffer; gzip input goes through a small text
 * buffer of the stream's. Neither depends on the number of interfaces. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "scrape_stream.h"
#include "strbuf.h"

/* Text rendered per step when compressing: the encoder takes it this much
 * at a time, so the buffer stays about this size. */
#define NM_STREAM_STEP 4096
/* zlib level: 1 costs the least CPU and the text is repetitive enough
 * that higher levels gain little. */
#define NM_STREAM_GZIP_LEVEL 1

struct nm_scrape_stream {
    nm_scrape_frame *frame;
    const nm_render_plan *plan;
    nm_strbuf text; /* rendered, handed out from `off` on */
    size_t off;
    nm_expfmt w;
    nm_render_cursor cur;
    int rendered; /* the cursor reached the end */
    nm_gzip *gz;  /* NULL: plain */
    int gz_done;
};

nm_scrape_stream *nm_scrape_stream_new(nm_scrape_frame *f, nm_format fmt, int gzip)
{
    nm_scrape_stream *st = calloc(1, sizeof *st);
    const nm_render_cursor start = NM_RENDER_CURSOR_INIT;

    if (!st)
        return NULL;
    if (gzip && !(st->gz = nm_gzip_new(NM_STREAM_GZIP_LEVEL))) {
        free(st);
        return NULL;
    }
    nm_strbuf_init(&st->text);
    nm_expfmt_init(&st->w, &st->text, fmt);
    st->cur = start;
    st->frame = nm_scrape_frame_ref(f);
    st->plan = nm_scrape_frame_plan(f);
    return st;
}

void nm_scrape_stream_free(void *p)
{
    nm_scrape_stream *st = p;

    if (!st)
        return;
    nm_gzip_free(st->gz);
    nm_strbuf_free(&st->text);
    nm_scrape_frame_release(st->frame);
    free(st);
}

/* Renders more text once everything rendered has been handed out, until at
 * least `want` bytes wait or the end is reached. 0, or -1 when out of
 * memory. */
static int stream_fill(nm_scrape_stream *st, size_t want)
{
    int rc;

    if (st->rendered || st->off < st->text.len)
        return 0;
    nm_strbuf_reset(&st->text);
    st->off = 0;
    rc = nm_render_step(st->plan, &st->w, &st->cur, want);
    if (rc < 0)
        return -1;
    if (rc == 1)
        st->rendered = 1;
    return 0;
}

/* Hands out what the text buffer holds from a spilled row. */
static size_t drain_text(nm_scrape_stream *st, char *buf, size_t max)
{
    size_t n = st->text.len - st->off;

    if (n > max)
        n = max;
    if (n)
        memcpy(buf, st->text.data + st->off, n);
    st->off += n;
    return n;
}

/* Plain text is rendered straight into the connection's buffer, whole rows
 * while they fit: no copy and no buffer of the stream's own. A row larger
 * than the whole buffer (a big connections block) goes through the text
 * buffer instead and is handed out over several reads. */
static ssize_t read_plain(nm_scrape_stream *st, char *buf, size_t max)
{
    size_t done = drain_text(st, buf, max);
    nm_strbuf direct;
    int rc;

    if (done == max || st->rendered)
        return (ssize_t)done;
    nm_strbuf_borrow(&direct, buf + done, max - done);
    st->w.out = &direct;
    rc = nm_render_fill(st->plan, &st->w, &st->cur);
    st->w.out = &st->text;
    done += direct.len;
    if (rc == 1)
        st->rendered = 1;
    if (rc != NM_RENDER_ROW_TOO_BIG || done > 0)
        return rc == -1 ? -1 : (ssize_t)done;
    /* spill: the one row, rendered whole, then handed out piece by piece */
    if (stream_fill(st, 1) < 0)
        return -1;
    return (ssize_t)drain_text(st, buf, max);
}

static ssize_t read_gzip(nm_scrape_stream *st, char *buf, size_t max)
{
    size_t done = 0;

    while (done < max && !st->gz_done) {
        const char *in;
        size_t in_len;
        ssize_t n;

        if (stream_fill(st, NM_STREAM_STEP) < 0)
            return -1;
        in_len = st->text.len - st->off;
        in = in_len ? st->text.data + st->off : "";
        n = nm_gzip_write(st->gz, &in, &in_len, st->rendered, buf + done, max - done,
                          &st->gz_done);
        if (n < 0)
            return -1;
        st->off = st->text.len - in_len;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

ssize_t nm_scrape_stream_read(nm_scrape_stream *st, char *buf, size_t max)
{
    if (max == 0)
        return 0;
    return st->gz ? read_gzip(st, buf, max) : read_plain(st, buf, max);
}

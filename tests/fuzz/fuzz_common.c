/* SPDX-License-Identifier: MIT */
/* The checks behind nm_fuzz_check_snapshot and the UTF-8 validator the
 * targets share. Everything a parser produces ends up in an exposition, so
 * the strongest property a fuzzer can test cheaply is that whatever bytes
 * went in, the exposition that comes out is well-formed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "render.h"
#include "snapshot.h"
#include "strbuf.h"

void nm_fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz check failed: %s\n", what);
    abort();
}

int nm_fuzz_utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        size_t n, k;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07u;
        } else {
            return 0;
        }
        if (len - i < n)
            return 0;
        for (k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n;
    }
    return 1;
}

/* Every line is "# ..." or "name{...} value" / "name value"; the text ends
 * in a newline. A label value with a raw newline or quote would break this
 * line structure, which is what this looks for. */
static void check_exposition(const nm_strbuf *b)
{
    const char *p = b->data, *end = b->data + b->len;

    if (b->len == 0)
        nm_fuzz_fail("empty exposition");
    if (memchr(b->data, '\0', b->len) != NULL)
        nm_fuzz_fail("NUL byte in the exposition");
    if (!nm_fuzz_utf8_valid((const unsigned char *)b->data, b->len))
        nm_fuzz_fail("exposition is not valid UTF-8");
    if (end[-1] != '\n')
        nm_fuzz_fail("exposition does not end in a newline");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *q;
        int quoted = 0;

        if (nl == p)
            nm_fuzz_fail("empty line in the exposition");
        if (*p != '#') {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == ':'))
                nm_fuzz_fail("sample line does not start with a metric name");
            /* Quotes must pair up, with escapes honoured, and the line must
             * end outside a label value. */
            for (q = p; q < nl; q++) {
                if (quoted && *q == '\\') {
                    q++;
                    if (q == nl || (*q != '\\' && *q != '"' && *q != 'n'))
                        nm_fuzz_fail("bad escape in a label value");
                } else if (*q == '"') {
                    quoted = !quoted;
                }
            }
            if (quoted)
                nm_fuzz_fail("unterminated label value");
        }
        p = nl + 1;
    }
}

/* The exposition rendered as a response streams it, into fixed buffers of
 * a few sizes (rows that do not fit an empty one spilled through a growable
 * buffer, as scrape_stream.c does), must be the whole text byte for byte:
 * whatever the names' escaping makes of a row's size, no row is lost,
 * doubled or cut. */
static void check_pieces(const netmetrics_snapshot *snap, const nm_scrape_info *info,
                         nm_format fmt, const nm_strbuf *whole)
{
    static const size_t sizes[] = {1, 97, 4096};
    char buf[4096];
    size_t k;

    for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        nm_render_cursor cur = NM_RENDER_CURSOR_INIT;
        nm_render_plan *plan;
        nm_strbuf got, piece, spill;
        nm_expfmt w;
        int rc = 0;

        if (nm_render_plan_new(snap, info, &plan) != 0)
            nm_fuzz_fail("render plan failed (out of memory?)");
        nm_strbuf_init(&got);
        nm_strbuf_init(&spill);
        nm_expfmt_init(&w, &piece, fmt);
        while (rc != 1) {
            nm_strbuf_borrow(&piece, buf, sizes[k]);
            w.out = &piece;
            rc = nm_render_fill(plan, &w, &cur);
            if (rc == NM_RENDER_ROW_TOO_BIG) {
                nm_strbuf_reset(&spill);
                w.out = &spill;
                rc = nm_render_step(plan, &w, &cur, 1);
                if (rc < 0 || spill.len == 0)
                    nm_fuzz_fail("a row too big for the buffer rendered nothing");
                nm_strbuf_append(&got, spill.data, spill.len);
            } else if (rc < 0) {
                nm_fuzz_fail("render fill failed");
            } else {
                if (rc == 0 && piece.len == 0)
                    nm_fuzz_fail("render fill made no progress");
                nm_strbuf_append(&got, piece.data, piece.len);
            }
        }
        if (got.failed || got.len != whole->len || memcmp(got.data, whole->data, got.len) != 0)
            nm_fuzz_fail("the exposition rendered in pieces differs from the whole");
        nm_strbuf_free(&got);
        nm_strbuf_free(&spill);
        nm_render_plan_free(plan);
    }
}

void nm_fuzz_check_snapshot(const netmetrics_snapshot *snap)
{
    static const nm_format formats[] = {NM_FORMAT_TEXT, NM_FORMAT_OPENMETRICS};
    nm_scrape_info info;
    nm_strbuf out;
    size_t i;

    for (i = 0; i < snap->count; i++) {
        const struct netmetrics_interface *ifc = &snap->ifaces[i];

        if (memchr(ifc->name, '\0', sizeof ifc->name) == NULL)
            nm_fuzz_fail("interface name not NUL-terminated");
        if (ifc->name[0] == '\0')
            nm_fuzz_fail("empty interface name");
        if (!ifc->kind || strnlen(ifc->kind, NM_KIND_SIZE) >= NM_KIND_SIZE)
            nm_fuzz_fail("link kind missing or longer than the parser allows");
        if (ifc->hwaddr_len > NM_HWADDR_MAX)
            nm_fuzz_fail("hardware address length out of range");
        if (i > 0 && snap->ifaces[i - 1].ifindex >= ifc->ifindex)
            nm_fuzz_fail("interfaces not sorted by ifindex, or a duplicate ifindex");
    }

    memset(&info, 0, sizeof info);
    info.collect_status = NETMETRICS_OK;
    info.backend = "fuzz";
    nm_strbuf_init(&out);
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        nm_strbuf_reset(&out);
        if (nm_render_metrics(&out, formats[i], snap, &info) != 0)
            nm_fuzz_fail("render failed (out of memory?)");
        check_exposition(&out);
        check_pieces(snap, &info, formats[i], &out);
    }
    nm_strbuf_free(&out);
}

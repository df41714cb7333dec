/* SPDX-License-Identifier: MIT */
/* Exposition-format writer: Prometheus text 0.0.4 and OpenMetrics 1.0.0.
 * Each piece of a sample line is written through a plain pointer after
 * reserving its worst case (every label byte escaped), so a series costs
 * a few bounds checks and copies, and no allocation once the caller's
 * buffer is warm. It must never emit a label value that is not valid
 * UTF-8: Prometheus fails the whole scrape on one, and interface names are
 * arbitrary bytes. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expfmt.h"
#include "utf8.h"

static const char nm_hex[] = "0123456789abcdef";

/* 1 for a byte copied as it is: ASCII but backslash, double quote and
 * newline. Other control characters are valid UTF-8 and legal in a label
 * value; only a newline would end the line. */
static const unsigned char nm_plain[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, /* 0x00, \n at 0x0a */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20, " at 0x22 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50, \\ at 0x5c */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x80..0xff: zero, checked as UTF-8 */
};

/* Writes the escaped label value at p, which has room for
 * NM_EXPFMT_LABEL_VALUE_MAX(len) bytes; returns the new end. Interface
 * names are short and nearly always plain ASCII, so the common case is a
 * single byte loop through the table, without a memcpy call. An invalid
 * byte becomes the text \xNN, whose backslash is itself escaped, hence
 * five bytes on the wire; a literal backslash before "xNN" becomes \x5c
 * (also five bytes), so decoding is unambiguous. */

static char *nm_put_escaped(char *p, const unsigned char *s, size_t len)
{
    size_t i = 0, k;

    while (i < len) {
        unsigned char c = s[i];

        if (nm_plain[c]) {
            *p++ = (char)c;
            i++;
            continue;
        }
        switch (c) {
        case '\\':
            /* A literal backslash that would read as an \xNN escape is
             * written \x5c itself, so the mapping from names to label
             * values stays one-to-one: no two interfaces share a series. */
            *p++ = '\\';
            *p++ = '\\';
            if (len - i > 3 && s[i + 1] == 'x' && nm_is_hex_digit(s[i + 2]) && nm_is_hex_digit(s[i + 3])) {
                *p++ = 'x';
                *p++ = '5';
                *p++ = 'c';
            }
            i++;
            continue;
        case '"':
            *p++ = '\\';
            *p++ = '"';
            i++;
            continue;
        case '\n':
            *p++ = '\\';
            *p++ = 'n';
            i++;
            continue;
        default:
            break;
        }
        k = nm_utf8_seq_len(s + i, len - i);
        if (k == 0) {
            *p++ = '\\';
            *p++ = '\\';
            *p++ = 'x';
            *p++ = nm_hex[c >> 4];
            *p++ = nm_hex[c & 15];
            i++;
        } else {
            memcpy(p, s + i, k);
            p += k;
            i += k;
        }
    }
    return p;
}

/* nm_strbuf_reserve, without the call when the room is already there:
 * a sample asks three or more times. */
static int nm_room(nm_strbuf *b, size_t n)
{
    if (!b->failed && b->cap - b->len > n)
        return 0;
    return nm_strbuf_reserve(b, n);
}

int nm_expfmt_put_label_value(nm_strbuf *b, const char *s, size_t len)
{
    char *end;

    if (len > (SIZE_MAX - 1) / 5 || nm_strbuf_reserve(b, NM_EXPFMT_LABEL_VALUE_MAX(len)) < 0) {
        b->failed = 1;
        return -1;
    }
    end = nm_put_escaped(b->data + b->len, (const unsigned char *)s, len);
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
    return 0;
}

/* Copies the short pieces of a sample line (a name, a pre-spelled label,
 * a number) without a call into libc: memcpy of a length not known at
 * compile time is a call, and a sample line makes four. From 8 to 64
 * bytes the copy is 8-byte words, the last one overlapping its neighbour;
 * under 8 a byte loop; longer pieces go to memcpy. Returns p + n. */
static inline char *nm_copy(char *p, const char *s, size_t n)
{
    size_t i;

    if (n >= 8 && n <= 64) {
        for (i = 0; i + 8 < n; i += 8)
            memcpy(p + i, s + i, 8);
        memcpy(p + n - 8, s + n - 8, 8);
    } else if (n < 8) {
        for (i = 0; i < n; i++)
            p[i] = s[i];
    } else {
        memcpy(p, s, n);
    }
    return p + n;
}

static const char nm_digit_pairs[] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Decimal digits of v ending at end; returns where they start. Two digits
 * per division: counters are mostly 8 to 14 digits long and there are
 * tens of thousands of them per scrape. */
static char *nm_format_u64(char *end, uint64_t v)
{
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);

        v /= 100;
        end -= 2;
        memcpy(end, nm_digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, nm_digit_pairs + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

size_t nm_expfmt_int_text(char *buf, int64_t v)
{
    char tmp[NM_EXPFMT_INT_SIZE];
    char *end = tmp + sizeof tmp, *start;
    size_t n;

    /* negate in unsigned arithmetic so INT64_MIN is safe */
    start = nm_format_u64(end, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
    if (v < 0)
        *--start = '-';
    n = (size_t)(end - start);
    memcpy(buf, start, n);
    buf[n] = '\0';
    return n;
}

/* Spells v into buf (at least 32 bytes); returns the length. */
static size_t nm_format_double(char *buf, size_t size, double v)
{
    /* 2^53: every integer up to here is exact, so it prints as digits. */
    const double exact = 9007199254740992.0;
    size_t n, i;
    int prec;

    if (isnan(v)) {
        memcpy(buf, "NaN", 4);
        return 3;
    }
    if (isinf(v)) {
        memcpy(buf, v > 0 ? "+Inf" : "-Inf", 5);
        return 4;
    }
    if (v >= -exact && v <= exact) {
        int64_t iv = (int64_t)v;

        if ((double)iv == v)
            return nm_expfmt_int_text(buf, iv);
    }
    /* Shortest of the three precisions that reads back exactly; %.17g
     * always does for an IEEE double. */
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    n = strlen(buf);
    /* printf follows LC_NUMERIC; an embedding program may have set a
     * locale with a decimal comma, which Prometheus would reject. */
    for (i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    return n;
}

int nm_expfmt_put_double(nm_strbuf *b, double v)
{
    char buf[40];
    size_t n = nm_format_double(buf, sizeof buf, v);

    return nm_strbuf_append(b, buf, n);
}

void nm_expfmt_init(nm_expfmt *w, nm_strbuf *out, nm_format fmt)
{
    w->out = out;
    w->fmt = fmt;
    w->name = "";
    w->name_len = 0;
    w->help = "";
    w->type = NM_METRIC_GAUGE;
    w->header_pending = 0;
}

void nm_expfmt_family(nm_expfmt *w, const char *name, nm_metric_type type, const char *help)
{
    w->name = name;
    w->name_len = strlen(name);
    w->help = help ? help : "";
    w->type = type;
    w->header_pending = 1;
}

/* HELP text: text 0.0.4 escapes backslash and newline; OpenMetrics also
 * the double quote. HELP is ours and ASCII, so no UTF-8 check here. */
static void nm_put_help(nm_expfmt *w)
{
    const char *s = w->help, *run = s;

    for (; *s; s++) {
        const char *esc;

        if (*s == '\\')
            esc = "\\\\";
        else if (*s == '\n')
            esc = "\\n";
        else if (*s == '"' && w->fmt == NM_FORMAT_OPENMETRICS)
            esc = "\\\"";
        else
            continue;
        nm_strbuf_append(w->out, run, (size_t)(s - run));
        nm_strbuf_append(w->out, esc, 2);
        run = s + 1;
    }
    nm_strbuf_append(w->out, run, (size_t)(s - run));
}

/* Metadata name: the sample name in text 0.0.4; in OpenMetrics a counter
 * family drops "_total" and an info family drops "_info". */
static size_t nm_meta_name_len(const nm_expfmt *w)
{
    static const char total[] = "_total", info[] = "_info";
    size_t n = w->name_len;

    if (w->fmt != NM_FORMAT_OPENMETRICS)
        return n;
    if (w->type == NM_METRIC_COUNTER && n > sizeof total - 1 &&
        memcmp(w->name + n - (sizeof total - 1), total, sizeof total - 1) == 0)
        return n - (sizeof total - 1);
    if (w->type == NM_METRIC_INFO && n > sizeof info - 1 &&
        memcmp(w->name + n - (sizeof info - 1), info, sizeof info - 1) == 0)
        return n - (sizeof info - 1);
    return n;
}

static const char *nm_type_name(const nm_expfmt *w)
{
    switch (w->type) {
    case NM_METRIC_COUNTER: return "counter";
    case NM_METRIC_INFO: return w->fmt == NM_FORMAT_OPENMETRICS ? "info" : "gauge";
    case NM_METRIC_STATESET: return w->fmt == NM_FORMAT_OPENMETRICS ? "stateset" : "gauge";
    case NM_METRIC_GAUGE: break;
    }
    return "gauge";
}

/* The OpenMetrics unit of a counter or gauge family whose name ends in
 * one ("_bytes", "_seconds"), or NULL: a UNIT line is written only where
 * the name carries the unit, as the specification requires. */
static const char *nm_unit(const nm_expfmt *w, size_t meta)
{
    static const char *const units[] = {"bytes", "seconds"};
    size_t u, n;

    if (w->fmt != NM_FORMAT_OPENMETRICS ||
        (w->type != NM_METRIC_COUNTER && w->type != NM_METRIC_GAUGE))
        return NULL;
    for (u = 0; u < sizeof units / sizeof units[0]; u++) {
        n = strlen(units[u]);
        if (meta > n + 1 && w->name[meta - n - 1] == '_' &&
            memcmp(w->name + meta - n, units[u], n) == 0)
            return units[u];
    }
    return NULL;
}

static int nm_put_header(nm_expfmt *w)
{
    size_t meta = nm_meta_name_len(w);
    const char *unit = nm_unit(w, meta);

    w->header_pending = 0;
    nm_strbuf_append(w->out, "# HELP ", 7);
    nm_strbuf_append(w->out, w->name, meta);
    nm_strbuf_putc(w->out, ' ');
    nm_put_help(w);
    nm_strbuf_append(w->out, "\n# TYPE ", 8);
    nm_strbuf_append(w->out, w->name, meta);
    nm_strbuf_putc(w->out, ' ');
    nm_strbuf_puts(w->out, nm_type_name(w));
    if (unit) {
        nm_strbuf_append(w->out, "\n# UNIT ", 8);
        nm_strbuf_append(w->out, w->name, meta);
        nm_strbuf_putc(w->out, ' ');
        nm_strbuf_puts(w->out, unit);
    }
    return nm_strbuf_putc(w->out, '\n');
}

/* One sample line whose value is already spelled. Space is reserved piece
 * by piece (name, each label at its worst-case escaped size, value), so
 * each label name is measured once; a failed reservation removes the
 * partial line, leaving only whole lines in the buffer. */
static int nm_put_sample(nm_expfmt *w, const nm_label_pre *pre, const nm_label *labels,
                         size_t nlabels, const char *val, size_t val_len)
{
    nm_strbuf *b = w->out;
    size_t start, i, pre_len = pre ? pre->len : 0;
    int any = pre_len > 0 || nlabels > 0;
    char *p;

    if (w->header_pending && nm_put_header(w) < 0)
        return -1;
    start = b->len;
    /* name, '{', the pre-escaped labels as they are */
    if (pre_len > SIZE_MAX / 2 || nm_room(b, w->name_len + 1 + pre_len) < 0)
        return -1;
    p = b->data + b->len;
    p = nm_copy(p, w->name, w->name_len);
    if (any)
        *p++ = '{';
    p = nm_copy(p, pre ? pre->text : "", pre_len);
    b->len = (size_t)(p - b->data);

    for (i = 0; i < nlabels; i++) {
        size_t nlen = strlen(labels[i].name), vlen = labels[i].value_len;

        /* ,name="value" -- the guard keeps an absurd length from wrapping */
        if (vlen > SIZE_MAX / 8 || nlen > SIZE_MAX / 8 ||
            nm_room(b, nlen + 4 + NM_EXPFMT_LABEL_VALUE_MAX(vlen)) < 0)
            goto fail;
        p = b->data + b->len;
        if (i || pre_len)
            *p++ = ',';
        p = nm_copy(p, labels[i].name, nlen);
        *p++ = '=';
        *p++ = '"';
        p = nm_put_escaped(p, (const unsigned char *)labels[i].value, vlen);
        *p++ = '"';
        b->len = (size_t)(p - b->data);
    }

    /* } value newline */
    if (nm_room(b, 3 + val_len) < 0)
        goto fail;
    p = b->data + b->len;
    if (any)
        *p++ = '}';
    *p++ = ' ';
    p = nm_copy(p, val, val_len);
    *p++ = '\n';
    b->len = (size_t)(p - b->data);
    b->data[b->len] = '\0';
    return 0;

fail:
    b->failed = 1;
    b->len = start;
    b->data[start] = '\0'; /* the name's reservation succeeded, so data exists */
    return -1;
}

int nm_expfmt_sample_u64(nm_expfmt *w, const nm_label *labels, size_t nlabels, uint64_t value)
{
    return nm_expfmt_sample_u64_pre(w, NULL, labels, nlabels, value);
}

int nm_expfmt_sample_double(nm_expfmt *w, const nm_label *labels, size_t nlabels, double value)
{
    return nm_expfmt_sample_double_pre(w, NULL, labels, nlabels, value);
}

int nm_expfmt_sample_u64_pre(nm_expfmt *w, const nm_label_pre *pre, const nm_label *labels,
                             size_t nlabels, uint64_t value)
{
    char buf[20];
    char *start = nm_format_u64(buf + sizeof buf, value);

    return nm_put_sample(w, pre, labels, nlabels, start, (size_t)(buf + sizeof buf - start));
}

int nm_expfmt_sample_double_pre(nm_expfmt *w, const nm_label_pre *pre, const nm_label *labels,
                                size_t nlabels, double value)
{
    char buf[40];
    size_t n = nm_format_double(buf, sizeof buf, value);

    return nm_put_sample(w, pre, labels, nlabels, buf, n);
}

int nm_expfmt_put_label_pre(nm_strbuf *b, const char *name, const char *value, size_t len)
{
    if (nm_strbuf_puts(b, name) < 0 || nm_strbuf_append(b, "=\"", 2) < 0 ||
        nm_expfmt_put_label_value(b, value, len) < 0)
        return -1;
    return nm_strbuf_putc(b, '"');
}

int nm_expfmt_finish(nm_expfmt *w)
{
    if (w->fmt == NM_FORMAT_OPENMETRICS)
        nm_strbuf_append(w->out, "# EOF\n", 6);
    return w->out->failed ? -1 : 0;
}

/* SPDX-License-Identifier: MIT */
/* Exposition-format writer: Prometheus text 0.0.4 and OpenMetrics 1.0.0.
 * A sample line is written with one reservation sized for the worst case
 * (every label byte escaped), then filled through a plain pointer, so the
 * per-series cost is a few memcpy calls and no allocation once the
 * caller's buffer is warm. It must never emit a label value that is not
 * valid UTF-8: Prometheus drops the whole scrape when it sees one, and
 * interface names are arbitrary bytes. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expfmt.h"

static const char nm_hex[] = "0123456789abcdef";

/* Length of the well-formed UTF-8 sequence starting at s (Unicode table
 * 3-7), or 0 when s[0] does not start one. The narrowed second-byte ranges
 * after E0, ED, F0 and F4 are what reject overlong forms, UTF-16
 * surrogates and code points above U+10FFFF. */
static size_t nm_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xbf;
    size_t need, i;

    if (c < 0x80)
        return 1;
    if (c < 0xc2) /* a continuation byte, or C0/C1: overlong by construction */
        return 0;
    if (c < 0xe0) {
        need = 2;
    } else if (c < 0xf0) {
        need = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c < 0xf5) {
        need = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return need;
}

/* Writes the escaped label value at p, which has room for
 * NM_EXPFMT_LABEL_VALUE_MAX(len) bytes; returns the new end. Runs of plain
 * ASCII are copied in one go since interface names are nearly always
 * that. An invalid byte becomes the text \xNN, whose backslash is itself
 * escaped, hence five bytes on the wire. */
static char *nm_put_escaped(char *p, const unsigned char *s, size_t len)
{
    size_t i = 0, run, k;

    while (i < len) {
        for (run = i; run < len; run++) {
            unsigned char c = s[run];

            if (c < 0x20 || c >= 0x80 || c == '\\' || c == '"')
                break;
        }
        if (run > i) {
            memcpy(p, s + i, run - i);
            p += run - i;
            i = run;
            if (i == len)
                break;
        }
        switch (s[i]) {
        case '\\':
            *p++ = '\\';
            *p++ = '\\';
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
            *p++ = nm_hex[s[i] >> 4];
            *p++ = nm_hex[s[i] & 15];
            i++;
        } else {
            /* Other control characters are valid UTF-8 and legal in a
             * label value; only newline would break the line. */
            memcpy(p, s + i, k);
            p += k;
            i += k;
        }
    }
    return p;
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

/* Decimal digits of v ending at end; returns where they start. */
static char *nm_format_u64(char *end, uint64_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
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

        if ((double)iv == v) {
            char *start, *end = buf + 21;
            uint64_t mag = iv < 0 ? (uint64_t)0 - (uint64_t)iv : (uint64_t)iv;

            start = nm_format_u64(end, mag);
            if (iv < 0)
                *--start = '-';
            n = (size_t)(end - start);
            memmove(buf, start, n);
            buf[n] = '\0';
            return n;
        }
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
    case NM_METRIC_GAUGE: break;
    }
    return "gauge";
}

static int nm_put_header(nm_expfmt *w)
{
    size_t meta = nm_meta_name_len(w);

    w->header_pending = 0;
    nm_strbuf_append(w->out, "# HELP ", 7);
    nm_strbuf_append(w->out, w->name, meta);
    nm_strbuf_putc(w->out, ' ');
    nm_put_help(w);
    nm_strbuf_append(w->out, "\n# TYPE ", 8);
    nm_strbuf_append(w->out, w->name, meta);
    nm_strbuf_putc(w->out, ' ');
    nm_strbuf_puts(w->out, nm_type_name(w));
    return nm_strbuf_putc(w->out, '\n');
}

/* One sample line whose value is already spelled. */
static int nm_put_sample(nm_expfmt *w, const nm_label *labels, size_t nlabels, const char *val,
                         size_t val_len)
{
    nm_strbuf *b = w->out;
    size_t need, i, nlen;
    char *p;

    if (w->header_pending && nm_put_header(w) < 0)
        return -1;
    /* name, braces, space, value, newline */
    need = w->name_len + 2 + 1 + val_len + 1;
    for (i = 0; i < nlabels; i++) {
        size_t vlen = labels[i].value_len;

        /* name="value", — guarded so an absurd length cannot wrap need */
        if (need > SIZE_MAX / 4 || vlen > SIZE_MAX / 16) {
            b->failed = 1;
            return -1;
        }
        need += strlen(labels[i].name) + 4 + NM_EXPFMT_LABEL_VALUE_MAX(vlen);
    }
    if (nm_strbuf_reserve(b, need) < 0)
        return -1;

    p = b->data + b->len;
    memcpy(p, w->name, w->name_len);
    p += w->name_len;
    if (nlabels) {
        *p++ = '{';
        for (i = 0; i < nlabels; i++) {
            if (i)
                *p++ = ',';
            nlen = strlen(labels[i].name);
            memcpy(p, labels[i].name, nlen);
            p += nlen;
            *p++ = '=';
            *p++ = '"';
            p = nm_put_escaped(p, (const unsigned char *)labels[i].value, labels[i].value_len);
            *p++ = '"';
        }
        *p++ = '}';
    }
    *p++ = ' ';
    memcpy(p, val, val_len);
    p += val_len;
    *p++ = '\n';
    b->len = (size_t)(p - b->data);
    b->data[b->len] = '\0';
    return 0;
}

int nm_expfmt_sample_u64(nm_expfmt *w, const nm_label *labels, size_t nlabels, uint64_t value)
{
    char buf[20];
    char *start = nm_format_u64(buf + sizeof buf, value);

    return nm_put_sample(w, labels, nlabels, start, (size_t)(buf + sizeof buf - start));
}

int nm_expfmt_sample_double(nm_expfmt *w, const nm_label *labels, size_t nlabels, double value)
{
    char buf[40];
    size_t n = nm_format_double(buf, sizeof buf, value);

    return nm_put_sample(w, labels, nlabels, buf, n);
}

int nm_expfmt_finish(nm_expfmt *w)
{
    if (w->fmt == NM_FORMAT_OPENMETRICS)
        nm_strbuf_append(w->out, "# EOF\n", 6);
    return w->out->failed ? -1 : 0;
}

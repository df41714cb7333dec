/* SPDX-License-Identifier: MIT */
/* Unit tests of the exposition writer (expfmt) and the renderer, one suite
 * each. The renderer is checked against golden files in
 * tests/fixtures/render/, built from a hand-made snapshot with deterministic
 * durations, and the golden text is linted by promtool. Set
 * NM_UPDATE_GOLDEN=1 to rewrite the golden files from the current output
 * (then review the diff: the golden files are the spec). */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expfmt.h"
#include "netmetrics.h"
#include "render.h"
#include "snapshot.h"
#include "strbuf.h"

#define GOLDEN_DIR NM_FIXTURES_DIR "/render"
#define PROMTOOL "/usr/bin/promtool"

/* ------------------------------------------------------------ helpers -- */

static nm_strbuf buf;

static void buf_setup(void)
{
    nm_strbuf_init(&buf);
}

static void buf_teardown(void)
{
    nm_strbuf_free(&buf);
}

/* The escaped form of s[0..len), as written between the quotes. No
 * ck_assert on success: each one costs a write to Check's pipe, and the
 * exhaustive test calls this millions of times. */
static const char *esc(const char *s, size_t len)
{
    nm_strbuf_reset(&buf);
    if (nm_expfmt_put_label_value(&buf, s, len) != 0)
        ck_abort_msg("nm_expfmt_put_label_value failed");
    return buf.data ? buf.data : "";
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

#define assert_has(text, s) ck_assert_msg(strstr(text, s) != NULL, "output lacks %s", s)
#define assert_lacks(text, s) ck_assert_msg(strstr(text, s) == NULL, "output has %s", s)

static const char *dbl(double v)
{
    nm_strbuf_reset(&buf);
    ck_assert_int_eq(nm_expfmt_put_double(&buf, v), 0);
    return buf.data;
}

/* Reads a whole file; NULL when it cannot be read. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    nm_strbuf b;
    char chunk[4096];
    size_t n;

    if (!f)
        return NULL;
    nm_strbuf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        nm_strbuf_append(&b, chunk, n);
    fclose(f);
    nm_strbuf_append(&b, "", 0);
    if (b.failed) {
        nm_strbuf_free(&b);
        return NULL;
    }
    return nm_strbuf_steal(&b, NULL);
}

/* Copy of s with every occurrence of from replaced by to (malloc'd). */
static char *subst(const char *s, const char *from, const char *to)
{
    nm_strbuf b;
    const char *p;
    size_t flen = strlen(from);

    nm_strbuf_init(&b);
    nm_strbuf_append(&b, "", 0);
    while ((p = strstr(s, from)) != NULL) {
        nm_strbuf_append(&b, s, (size_t)(p - s));
        nm_strbuf_puts(&b, to);
        s = p + flen;
    }
    nm_strbuf_puts(&b, s);
    ck_assert(!b.failed);
    return nm_strbuf_steal(&b, NULL);
}

/* The golden files carry placeholders where the output depends on the
 * build (version, OS), so they survive a version bump and another OS. */
static char *golden_expand(const char *text)
{
    char *a = subst(text, "@VERSION@", netmetrics_version());
    char *b = subst(a, "@OS@", NM_OS);

    free(a);
    return b;
}

static char *golden_collapse(const char *text)
{
    char from[128], to[128];

    snprintf(from, sizeof from, "{version=\"%s\",os=\"%s\"}", netmetrics_version(), NM_OS);
    snprintf(to, sizeof to, "{version=\"@VERSION@\",os=\"@OS@\"}");
    return subst(text, from, to);
}

/* Fails with the first differing line, which says far more than a
 * whole-buffer mismatch. */
static void assert_text_eq(const char *got, const char *want, const char *what)
{
    const char *g = got, *w = want;
    unsigned line = 1;

    while (*g && *g == *w) {
        if (*g == '\n')
            line++;
        g++;
        w++;
    }
    if (*g == *w)
        return;
    {
        const char *gl = g, *wl = w;
        int gn, wn;

        while (gl > got && gl[-1] != '\n')
            gl--;
        while (wl > want && wl[-1] != '\n')
            wl--;
        gn = (int)strcspn(gl, "\n");
        wn = (int)strcspn(wl, "\n");
        ck_abort_msg("%s differs at line %u:\n  got:  %.*s\n  want: %.*s", what, line, gn, gl,
                     wn, wl);
    }
}

static void compare_golden(const char *got, const char *name)
{
    char path[1024];
    char *raw, *want;

    snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, name);
    if (getenv("NM_UPDATE_GOLDEN")) {
        char *text = golden_collapse(got);
        FILE *f = fopen(path, "wb");

        ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
        fputs(text, f);
        fclose(f);
        free(text);
    }
    raw = read_file(path);
    ck_assert_msg(raw != NULL, "cannot read golden file %s", path);
    want = golden_expand(raw);
    assert_text_eq(got, want, path);
    free(want);
    free(raw);
}

/* ------------------------------------------------ structure validation -- */

typedef struct line_list {
    char **v;
    size_t n, cap;
} line_list;

static void list_push(line_list *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        ck_assert(l->v != NULL);
    }
    l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does sample name `s` (length n) belong to family `fam` of type `type`?
 * Text 0.0.4 names samples like the family (counters ending in _total);
 * OpenMetrics adds _total to a counter's samples and _info to an info's. */
static int sample_belongs(const char *s, size_t n, const char *fam, const char *type,
                          nm_format fmt)
{
    size_t fl = strlen(fam);
    const char *suffix = "";

    if (fmt == NM_FORMAT_TEXT) {
        if (strcmp(type, "counter") == 0 && (fl < 6 || strcmp(fam + fl - 6, "_total") != 0))
            return 0;
        return n == fl && strncmp(s, fam, n) == 0;
    }
    if (strcmp(type, "counter") == 0)
        suffix = "_total";
    else if (strcmp(type, "info") == 0)
        suffix = "_info";
    return n == fl + strlen(suffix) && strncmp(s, fam, fl) == 0 &&
           strncmp(s + fl, suffix, n - fl) == 0;
}

/* Every family once, HELP then TYPE before its samples, samples together,
 * no series twice, and for OpenMetrics "# EOF" last. */
static void check_structure(const char *text, nm_format fmt)
{
    char *copy = strdup(text), *line, *save = NULL;
    line_list lines = {0}, families = {0}, series = {0};
    const char *fam = NULL, *type = NULL;
    size_t i, f;
    int eof = 0;

    ck_assert(copy != NULL);
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        list_push(&lines, line);
    ck_assert_msg(strlen(text) > 0 && text[strlen(text) - 1] == '\n', "no final newline");

    for (i = 0; i < lines.n; i++) {
        char *l = lines.v[i];

        ck_assert_msg(!eof, "line after # EOF: %s", l);
        if (strcmp(l, "# EOF") == 0) {
            ck_assert_msg(fmt == NM_FORMAT_OPENMETRICS, "# EOF in text format");
            eof = 1;
            continue;
        }
        if (strncmp(l, "# HELP ", 7) == 0) {
            char *name = l + 7, *sp = strchr(name, ' ');
            char *next;
            size_t nl;

            ck_assert_msg(sp != NULL, "HELP without text: %s", l);
            nl = (size_t)(sp - name);
            ck_assert_msg(i + 1 < lines.n, "HELP at the end: %s", l);
            next = lines.v[i + 1];
            ck_assert_msg(strncmp(next, "# TYPE ", 7) == 0 && strncmp(next + 7, name, nl) == 0 &&
                              next[7 + nl] == ' ',
                          "HELP not followed by its TYPE: %s / %s", l, next);
            ck_assert_msg(strcmp(next + 8 + nl, "counter") == 0 ||
                              strcmp(next + 8 + nl, "gauge") == 0 ||
                              (fmt == NM_FORMAT_OPENMETRICS &&
                               (strcmp(next + 8 + nl, "info") == 0 ||
                                strcmp(next + 8 + nl, "stateset") == 0)),
                          "unexpected type: %s", next);
            *sp = '\0';
            for (f = 0; f < families.n; f++)
                ck_assert_msg(strcmp(families.v[f], name) != 0, "family %s written twice", name);
            list_push(&families, name);
            fam = name;
            type = next + 7 + nl + 1;
            i++;
            /* OpenMetrics: a UNIT line only where the family name ends in
             * that unit (the specification's rule) */
            if (fmt == NM_FORMAT_OPENMETRICS && i + 1 < lines.n &&
                strncmp(lines.v[i + 1], "# UNIT ", 7) == 0) {
                const char *u = lines.v[i + 1] + 7;
                size_t ul;

                ck_assert_msg(strncmp(u, name, nl) == 0 && u[nl] == ' ',
                              "UNIT of another family: %s", lines.v[i + 1]);
                u += nl + 1;
                ul = strlen(u);
                ck_assert_msg(ul > 0 && nl > ul + 1 && name[nl - ul - 1] == '_' &&
                                  strncmp(name + nl - ul, u, ul) == 0,
                              "UNIT the name does not end in: %s", lines.v[i + 1]);
                i++;
            }
            continue;
        }
        ck_assert_msg(l[0] != '#', "unexpected comment: %s", l);
        {
            size_t n = strcspn(l, "{ ");
            char *last = strrchr(l, ' ');

            ck_assert_msg(fam != NULL, "sample before any HELP/TYPE: %s", l);
            ck_assert_msg(sample_belongs(l, n, fam, type, fmt), "sample %s outside family %s", l,
                          fam);
            ck_assert_msg(last != NULL && last[1] != '\0', "sample without value: %s", l);
            *last = '\0'; /* the series key: name and labels */
            list_push(&series, l);
        }
    }
    if (fmt == NM_FORMAT_OPENMETRICS)
        ck_assert_msg(eof, "OpenMetrics output without # EOF");
    if (series.n > 1) /* qsort wants a non-NULL array even for 0 items */
        qsort(series.v, series.n, sizeof *series.v, cmp_str);
    for (i = 1; i < series.n; i++)
        ck_assert_msg(strcmp(series.v[i - 1], series.v[i]) != 0, "duplicate series %s",
                      series.v[i]);
    free(lines.v);
    free(families.v);
    free(series.v);
    free(copy);
}

/* ------------------------------------------------------------- expfmt -- */

START_TEST(test_label_plain)
{
    ck_assert_str_eq(ESC("eth0"), "eth0");
    ck_assert_str_eq(ESC(""), "");
    ck_assert_str_eq(ESC("a{b}=c,d#e"), "a{b}=c,d#e");
}
END_TEST

START_TEST(test_label_escapes)
{
    ck_assert_str_eq(ESC("a\\b"), "a\\\\b");
    ck_assert_str_eq(ESC("we\"ird\\"), "we\\\"ird\\\\");
    ck_assert_str_eq(ESC("line\nbreak"), "line\\nbreak");
    ck_assert_str_eq(ESC("\\\"\n"), "\\\\\\\"\\n");
    /* other control characters are valid UTF-8 and stay as they are */
    ck_assert_str_eq(ESC("tab\there"), "tab\there");
}
END_TEST

START_TEST(test_label_invalid_utf8)
{
    /* each invalid byte becomes the text \xNN, its backslash escaped */
    ck_assert_str_eq(ESC("\xff"), "\\\\xff");
    ck_assert_str_eq(ESC("a\xff" "b"), "a\\\\xffb");
    ck_assert_str_eq(ESC("\x80"), "\\\\x80");                       /* lone continuation */
    ck_assert_str_eq(ESC("\xe2\x82"), "\\\\xe2\\\\x82");            /* truncated at end */
    ck_assert_str_eq(ESC("\xe2\x82" "A"), "\\\\xe2\\\\x82A");       /* truncated mid-string */
    ck_assert_str_eq(ESC("\xf0\x9f\x98"), "\\\\xf0\\\\x9f\\\\x98"); /* truncated 4-byte */
    ck_assert_str_eq(ESC("\xc0\x80"), "\\\\xc0\\\\x80");            /* overlong NUL */
    ck_assert_str_eq(ESC("\xc1\xbf"), "\\\\xc1\\\\xbf");            /* overlong 2-byte */
    ck_assert_str_eq(ESC("\xe0\x80\xaf"), "\\\\xe0\\\\x80\\\\xaf"); /* overlong '/' */
    ck_assert_str_eq(ESC("\xf0\x80\x80\xaf"), "\\\\xf0\\\\x80\\\\x80\\\\xaf");
    ck_assert_str_eq(ESC("\xed\xa0\x80"), "\\\\xed\\\\xa0\\\\x80"); /* surrogate U+D800 */
    ck_assert_str_eq(ESC("\xed\xbf\xbf"), "\\\\xed\\\\xbf\\\\xbf"); /* surrogate U+DFFF */
    ck_assert_str_eq(ESC("\xf4\x90\x80\x80"), "\\\\xf4\\\\x90\\\\x80\\\\x80"); /* U+110000 */
    ck_assert_str_eq(ESC("\xf5\x80\x80\x80"), "\\\\xf5\\\\x80\\\\x80\\\\x80");
    ck_assert_str_eq(ESC("\xfe"), "\\\\xfe");
    /* an escaped backslash next to an invalid byte */
    ck_assert_str_eq(ESC("\\\xff"), "\\\\\\\\xff");
    /* A literal backslash that reads like an \xNN escape is written \x5c,
     * so the name "nm\xffx" (ASCII) and "nm<0xff>x" get different labels. */
    ck_assert_str_eq(ESC("nm\\xffx"), "nm\\\\x5cxffx");
    ck_assert_str_eq(ESC("nm\xffx"), "nm\\\\xffx");
    ck_assert_str_eq(ESC("a\\xA0"), "a\\\\x5cxA0");
    /* not an escape: no hex pair, or cut short */
    ck_assert_str_eq(ESC("a\\xg0"), "a\\\\xg0");
    ck_assert_str_eq(ESC("a\\xf"), "a\\\\xf");
    ck_assert_str_eq(ESC("we\"ird\\"), "we\\\"ird\\\\");
}
END_TEST

START_TEST(test_label_valid_utf8)
{
    ck_assert_str_eq(ESC("caf\xc3\xa9"), "caf\xc3\xa9");           /* é */
    ck_assert_str_eq(ESC("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80"); /* emoji U+1F600 */
    ck_assert_str_eq(ESC("\xc2\x80"), "\xc2\x80");                 /* U+0080 */
    ck_assert_str_eq(ESC("\xe0\xa0\x80"), "\xe0\xa0\x80");         /* U+0800 */
    ck_assert_str_eq(ESC("\xed\x9f\xbf"), "\xed\x9f\xbf");         /* U+D7FF */
    ck_assert_str_eq(ESC("\xee\x80\x80"), "\xee\x80\x80");         /* U+E000 */
    ck_assert_str_eq(ESC("\xef\xbf\xbf"), "\xef\xbf\xbf");         /* U+FFFF */
    ck_assert_str_eq(ESC("\xf0\x90\x80\x80"), "\xf0\x90\x80\x80"); /* U+10000 */
    ck_assert_str_eq(ESC("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
    /* valid after invalid: resynchronises on the next byte */
    ck_assert_str_eq(ESC("\xff\xc3\xa9"), "\\\\xff\xc3\xa9");
    ck_assert_str_eq(ESC("\xe2\xc3\xa9"), "\\\\xe2\xc3\xa9");
}
END_TEST

/* Reference validator written from code points (not byte ranges, as the
 * writer is): a sequence is valid when it decodes, is not overlong, is not
 * a surrogate and is at most U+10FFFF. */
static int ref_valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0, k, j;
    uint32_t cp, min;

    while (i < n) {
        unsigned c = s[i];

        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            k = 2; cp = c & 0x1f; min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            k = 3; cp = c & 0x0f; min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            k = 4; cp = c & 0x07; min = 0x10000;
        } else {
            return 0;
        }
        if (i + k > n)
            return 0;
        for (j = 1; j < k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += k;
    }
    return 1;
}

/* Every 1-, 2- and 3-byte string over the non-ASCII bytes, and the 4-byte
 * strings around every lead byte's boundaries: the writer keeps a string
 * exactly when the reference calls it valid, and otherwise produces text
 * that is itself valid UTF-8. */
START_TEST(test_label_utf8_exhaustive)
{
    static const unsigned char edge[] = {0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0};
    unsigned char s[4];
    unsigned a, b, c, d;
    size_t len;

    for (len = 1; len <= 3; len++) {
        for (a = 0x80; a <= 0xff; a++) {
            for (b = 0x80; b <= (len > 1 ? 0xffu : 0x80u); b++) {
                for (c = 0x80; c <= (len > 2 ? 0xffu : 0x80u); c++) {
                    const char *out;
                    int same;

                    s[0] = (unsigned char)a;
                    s[1] = (unsigned char)b;
                    s[2] = (unsigned char)c;
                    out = esc((const char *)s, len);
                    same = strlen(out) == len && memcmp(out, s, len) == 0;
                    if (same != ref_valid_utf8(s, len))
                        ck_abort_msg("%02x %02x %02x (len %zu): writer %s, reference %s", a, b,
                                     c, len, same ? "kept" : "escaped",
                                     ref_valid_utf8(s, len) ? "valid" : "invalid");
                    if (!ref_valid_utf8((const unsigned char *)out, strlen(out)))
                        ck_abort_msg("%02x %02x %02x: output is not UTF-8", a, b, c);
                }
            }
        }
    }
    for (a = 0xf0; a <= 0xff; a++)
        for (b = 0x80; b <= 0xff; b++)
            for (c = 0; c < sizeof edge; c++)
                for (d = 0; d < sizeof edge; d++) {
                    const char *out;
                    int same;

                    s[0] = (unsigned char)a;
                    s[1] = (unsigned char)b;
                    s[2] = edge[c];
                    s[3] = edge[d];
                    out = esc((const char *)s, 4);
                    same = strlen(out) == 4 && memcmp(out, s, 4) == 0;
                    if (same != ref_valid_utf8(s, 4))
                        ck_abort_msg("%02x %02x %02x %02x: writer %s", a, b, s[2], s[3],
                                     same ? "kept" : "escaped");
                }
}
END_TEST

START_TEST(test_help_escaping)
{
    nm_expfmt w;

    nm_expfmt_init(&w, &buf, NM_FORMAT_TEXT);
    nm_expfmt_family(&w, "m", NM_METRIC_GAUGE, "back\\slash\nnew \"quoted\"");
    nm_expfmt_sample_u64(&w, NULL, 0, 1);
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    ck_assert_str_eq(buf.data, "# HELP m back\\\\slash\\nnew \"quoted\"\n"
                               "# TYPE m gauge\n"
                               "m 1\n");

    /* OpenMetrics escapes the double quote in HELP as well */
    nm_strbuf_reset(&buf);
    nm_expfmt_init(&w, &buf, NM_FORMAT_OPENMETRICS);
    nm_expfmt_family(&w, "m", NM_METRIC_GAUGE, "back\\slash\nnew \"quoted\"");
    nm_expfmt_sample_u64(&w, NULL, 0, 1);
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    ck_assert_str_eq(buf.data, "# HELP m back\\\\slash\\nnew \\\"quoted\\\"\n"
                               "# TYPE m gauge\n"
                               "m 1\n"
                               "# EOF\n");
}
END_TEST

START_TEST(test_u64)
{
    nm_expfmt w;
    nm_label l = {"device", "eth0", 4};

    nm_expfmt_init(&w, &buf, NM_FORMAT_TEXT);
    nm_expfmt_family(&w, "c_total", NM_METRIC_COUNTER, "C.");
    nm_expfmt_sample_u64(&w, &l, 1, UINT64_MAX);
    nm_expfmt_sample_u64(&w, &l, 1, 0);
    nm_expfmt_sample_u64(&w, &l, 1, 10);
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    ck_assert_str_eq(buf.data, "# HELP c_total C.\n"
                               "# TYPE c_total counter\n"
                               "c_total{device=\"eth0\"} 18446744073709551615\n"
                               "c_total{device=\"eth0\"} 0\n"
                               "c_total{device=\"eth0\"} 10\n");
}
END_TEST

START_TEST(test_int_text)
{
    char t[NM_EXPFMT_INT_SIZE];

    ck_assert_uint_eq(nm_expfmt_int_text(t, 0), 1);
    ck_assert_str_eq(t, "0");
    nm_expfmt_int_text(t, -42);
    ck_assert_str_eq(t, "-42");
    ck_assert_uint_eq(nm_expfmt_int_text(t, INT64_MIN), 20);
    ck_assert_str_eq(t, "-9223372036854775808");
    nm_expfmt_int_text(t, INT64_MAX);
    ck_assert_str_eq(t, "9223372036854775807");
}
END_TEST

START_TEST(test_doubles)
{
    ck_assert_str_eq(dbl(0.0), "0");
    ck_assert_str_eq(dbl(-0.0), "0");
    ck_assert_str_eq(dbl(1.0), "1");
    ck_assert_str_eq(dbl(-2.0), "-2");
    ck_assert_str_eq(dbl(1500.0), "1500");
    ck_assert_str_eq(dbl(0.1), "0.1");
    ck_assert_str_eq(dbl(1.5), "1.5");
    ck_assert_str_eq(dbl(0.00125), "0.00125");
    ck_assert_str_eq(dbl(1e-9), "1e-09");
    ck_assert_str_eq(dbl(0.1 + 0.2), "0.30000000000000004"); /* needs 17 digits */
    ck_assert_str_eq(dbl(1.0 / 3.0), "0.3333333333333333");  /* needs 16 */
    ck_assert_str_eq(dbl(9007199254740992.0), "9007199254740992"); /* 2^53 */
    ck_assert_str_eq(dbl(1e20), "1e+20");
    ck_assert_str_eq(dbl(1e300), "1e+300");
    ck_assert_str_eq(dbl(DBL_MAX), "1.7976931348623157e+308");
    ck_assert_str_eq(dbl(DBL_MIN), "2.2250738585072014e-308");
    /* subnormal: 15 digits already read back (shortest would be 5e-324) */
    ck_assert_str_eq(dbl(5e-324), "4.94065645841247e-324");
    ck_assert_str_eq(dbl((double)INFINITY), "+Inf");
    ck_assert_str_eq(dbl(-(double)INFINITY), "-Inf");
    ck_assert_str_eq(dbl((double)NAN), "NaN");
}
END_TEST

/* Whatever the value, the text reads back to the same double. */
START_TEST(test_doubles_round_trip)
{
    unsigned i;
    uint64_t x = 0x9e3779b97f4a7c15u;

    for (i = 0; i < 20000; i++) {
        double v;
        const char *t;

        /* xorshift64: deterministic bit patterns across the whole range */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(&v, &x, sizeof v);
        if (isnan(v) || isinf(v))
            continue;
        t = dbl(v);
        ck_assert_msg(strtod(t, NULL) == v, "%s does not read back as %.17g", t, v);
        ck_assert_msg(strlen(t) <= 24, "%s is longer than needed", t);
    }
}
END_TEST

START_TEST(test_family_without_samples)
{
    nm_expfmt w;

    nm_expfmt_init(&w, &buf, NM_FORMAT_TEXT);
    nm_expfmt_family(&w, "empty_total", NM_METRIC_COUNTER, "Nothing.");
    nm_expfmt_family(&w, "g", NM_METRIC_GAUGE, "G.");
    nm_expfmt_sample_double(&w, NULL, 0, 0.5);
    nm_expfmt_family(&w, "empty_too", NM_METRIC_GAUGE, "Nothing.");
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    ck_assert_str_eq(buf.data, "# HELP g G.\n# TYPE g gauge\ng 0.5\n");

    /* an exposition with no sample at all is empty in text format */
    nm_strbuf_reset(&buf);
    nm_expfmt_init(&w, &buf, NM_FORMAT_TEXT);
    nm_expfmt_family(&w, "empty", NM_METRIC_GAUGE, "Nothing.");
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    ck_assert_uint_eq(buf.len, 0);
}
END_TEST

START_TEST(test_labels_several)
{
    nm_expfmt w;
    nm_label l[3] = {{"device", "a\"b", 3}, {"empty", "", 0}, {"bytes", "x\xffy", 3}};

    nm_expfmt_init(&w, &buf, NM_FORMAT_TEXT);
    nm_expfmt_family(&w, "g", NM_METRIC_GAUGE, "G.");
    nm_expfmt_sample_u64(&w, l, 3, 7);
    ck_assert_str_eq(buf.data, "# HELP g G.\n# TYPE g gauge\n"
                               "g{device=\"a\\\"b\",empty=\"\",bytes=\"x\\\\xffy\"} 7\n");
}
END_TEST

/* The same families in both formats: OpenMetrics drops _total and _info
 * from the metadata names, says "info", and ends with # EOF. */
START_TEST(test_formats)
{
    nm_expfmt w;
    nm_label l = {"version", "1", 1};
    nm_format fmt;

    for (fmt = NM_FORMAT_TEXT; fmt <= NM_FORMAT_OPENMETRICS; fmt++) {
        nm_strbuf_reset(&buf);
        nm_expfmt_init(&w, &buf, fmt);
        nm_expfmt_family(&w, "x_bytes_total", NM_METRIC_COUNTER, "C.");
        nm_expfmt_sample_u64(&w, NULL, 0, 3);
        nm_expfmt_family(&w, "x_build_info", NM_METRIC_INFO, "I.");
        nm_expfmt_sample_u64(&w, &l, 1, 1);
        ck_assert_int_eq(nm_expfmt_finish(&w), 0);
        if (fmt == NM_FORMAT_TEXT)
            ck_assert_str_eq(buf.data, "# HELP x_bytes_total C.\n# TYPE x_bytes_total counter\n"
                                       "x_bytes_total 3\n"
                                       "# HELP x_build_info I.\n# TYPE x_build_info gauge\n"
                                       "x_build_info{version=\"1\"} 1\n");
        else
            ck_assert_str_eq(buf.data, "# HELP x_bytes C.\n# TYPE x_bytes counter\n"
                                       "# UNIT x_bytes bytes\n"
                                       "x_bytes_total 3\n"
                                       "# HELP x_build I.\n# TYPE x_build info\n"
                                       "x_build_info{version=\"1\"} 1\n"
                                       "# EOF\n");
    }
}
END_TEST

/* After a failed growth every write is a no-op and finish reports it. */
START_TEST(test_failed_buffer)
{
    nm_expfmt w;

    nm_strbuf_append(&buf, "kept", 4);
    buf.failed = 1;
    nm_expfmt_init(&w, &buf, NM_FORMAT_OPENMETRICS);
    nm_expfmt_family(&w, "g", NM_METRIC_GAUGE, "G.");
    ck_assert_int_eq(nm_expfmt_sample_u64(&w, NULL, 0, 1), -1);
    ck_assert_int_eq(nm_expfmt_sample_double(&w, NULL, 0, 0.5), -1);
    ck_assert_int_eq(nm_expfmt_finish(&w), -1);
    ck_assert_uint_eq(buf.len, 4);
    ck_assert_str_eq(buf.data, "kept");
}
END_TEST

static Suite *expfmt_suite(void)
{
    Suite *s = suite_create("expfmt");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, buf_setup, buf_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_label_plain);
    tcase_add_test(tc, test_label_escapes);
    tcase_add_test(tc, test_label_invalid_utf8);
    tcase_add_test(tc, test_label_valid_utf8);
    tcase_add_test(tc, test_label_utf8_exhaustive);
    tcase_add_test(tc, test_help_escaping);
    tcase_add_test(tc, test_u64);
    tcase_add_test(tc, test_int_text);
    tcase_add_test(tc, test_doubles);
    tcase_add_test(tc, test_doubles_round_trip);
    tcase_add_test(tc, test_family_without_samples);
    tcase_add_test(tc, test_labels_several);
    tcase_add_test(tc, test_formats);
    tcase_add_test(tc, test_failed_buffer);
    suite_add_tcase(s, tc);
    return s;
}

/* ------------------------------------------------------------- render -- */

static netmetrics_snapshot *snap;

/* The counters /proc/net/dev provides, as the procfs backend marks them. */
#define PROCFS_STATS                                                                          \
    ((1u << NETMETRICS_STAT_RX_BYTES) | (1u << NETMETRICS_STAT_RX_PACKETS) |                  \
     (1u << NETMETRICS_STAT_RX_ERRORS) | (1u << NETMETRICS_STAT_RX_DROPPED) |                 \
     (1u << NETMETRICS_STAT_RX_FIFO_ERRORS) | (1u << NETMETRICS_STAT_RX_FRAME_ERRORS) |       \
     (1u << NETMETRICS_STAT_RX_COMPRESSED) | (1u << NETMETRICS_STAT_MULTICAST) |              \
     (1u << NETMETRICS_STAT_TX_BYTES) | (1u << NETMETRICS_STAT_TX_PACKETS) |                  \
     (1u << NETMETRICS_STAT_TX_ERRORS) | (1u << NETMETRICS_STAT_TX_DROPPED) |                 \
     (1u << NETMETRICS_STAT_TX_FIFO_ERRORS) | (1u << NETMETRICS_STAT_COLLISIONS) |            \
     (1u << NETMETRICS_STAT_TX_CARRIER_ERRORS) | (1u << NETMETRICS_STAT_TX_COMPRESSED))

static struct netmetrics_interface *add_iface(int ifindex, const char *name, uint32_t flags,
                                              uint32_t mtu, netmetrics_operstate oper,
                                              int carrier)
{
    struct netmetrics_interface *it = nm_snapshot_add_interface(snap);

    ck_assert(it != NULL);
    ck_assert(strlen(name) < sizeof it->name);
    it->ifindex = ifindex;
    strcpy(it->name, name);
    it->flags = flags;
    it->mtu = mtu;
    it->operstate = (uint8_t)oper;
    it->carrier = (int8_t)carrier;
    return it;
}

static void set_hwaddr(struct netmetrics_interface *it, const unsigned char *mac, size_t n)
{
    memcpy(it->hwaddr, mac, n);
    it->hwaddr_len = (uint8_t)n;
}

/* Counter i of an interface gets base + i, so every sample in the golden
 * file is distinguishable. */
static void set_stats(struct netmetrics_interface *it, uint32_t valid, uint64_t base)
{
    unsigned i;

    it->stats_valid = valid;
    for (i = 0; i < NETMETRICS_STAT_COUNT; i++)
        it->stats[i] = (valid & (1u << i)) ? base + i : 0;
}

static void add_addr(int ifindex, int family, const char *text, unsigned prefix, unsigned scope)
{
    netmetrics_address a;

    memset(&a, 0, sizeof a);
    a.family = family;
    a.prefix_length = prefix;
    a.scope = scope;
    ck_assert_int_eq(inet_pton(family == NETMETRICS_FAMILY_INET ? AF_INET : AF_INET6, text,
                               a.bytes),
                     1);
    ck_assert_int_eq(nm_snapshot_add_address(snap, ifindex, &a), 0);
}

static void set_parts(double links_s, double addrs_s)
{
    snap->part_status[NETMETRICS_PART_LINKS] = NETMETRICS_OK;
    snap->part_status[NETMETRICS_PART_ADDRESSES] = NETMETRICS_OK;
    snap->part_seconds[NETMETRICS_PART_LINKS] = links_s;
    snap->part_seconds[NETMETRICS_PART_ADDRESSES] = addrs_s;
    snap->part_status[NETMETRICS_PART_WIRELESS] = NETMETRICS_OK;
}

/* lo, eth0 with IPv4 and IPv6, a procfs-like ppp0 with only some counters
 * and no carrier or MAC, a veth named we"ird\ and a bridge whose name is
 * not UTF-8. Added out of ifindex order, with one stray and one duplicate
 * address, as a backend might. */
static void snap_setup(void)
{
    static const unsigned char lo_mac[6] = {0, 0, 0, 0, 0, 0};
    static const unsigned char eth_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    static const unsigned char veth_mac[6] = {0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54};
    static const unsigned char br_mac[6] = {0x02, 0x42, 0xac, 0x11, 0x00, 0x01};
    struct netmetrics_interface *it;

    nm_strbuf_init(&buf);
    snap = netmetrics_snapshot_new();
    ck_assert(snap != NULL);

    it = add_iface(2, "eth0",
                   NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_RUNNING |
                       NETMETRICS_FLAG_MULTICAST | NETMETRICS_FLAG_LOWER_UP,
                   1500, NETMETRICS_OPER_UP, 1);
    set_hwaddr(it, eth_mac, sizeof eth_mac);
    set_stats(it, NM_STATS_ALL, 2000);
    /* link details (render_link.c): a 10 Gb/s NIC with a device */
    it->link_type = 1;
    it->has_device = 1;
    it->driver = "virtio_net";
    it->speed_bytes = 1250000000u;
    it->duplex = NETMETRICS_DUPLEX_FULL;
    it->txqlen = 1000;
    it->carrier_changes = 2;
    it->link_valid = NM_LINK_HAVE_SPEED | NM_LINK_HAVE_TXQLEN | NM_LINK_HAVE_CARRIER_CHANGES;
    it->ifalias = "uplink \"A\""; /* static text: lives as long as the snapshot */

    it = add_iface(1, "lo",
                   NETMETRICS_FLAG_UP | NETMETRICS_FLAG_LOOPBACK | NETMETRICS_FLAG_RUNNING |
                       NETMETRICS_FLAG_LOWER_UP,
                   65536, NETMETRICS_OPER_UNKNOWN, 1);
    set_hwaddr(it, lo_mac, sizeof lo_mac);
    set_stats(it, NM_STATS_ALL, 1000);

    it = add_iface(3, "ppp0",
                   NETMETRICS_FLAG_UP | NETMETRICS_FLAG_POINTOPOINT | NETMETRICS_FLAG_RUNNING |
                       NETMETRICS_FLAG_NOARP | NETMETRICS_FLAG_MULTICAST,
                   1492, NETMETRICS_OPER_UNKNOWN, -1);
    set_stats(it, PROCFS_STATS, 3000);

    it = add_iface(10, "we\"ird\\", NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_MULTICAST, 1500,
                   NETMETRICS_OPER_DOWN, 0);
    it->kind = "veth";
    set_hwaddr(it, veth_mac, sizeof veth_mac);
    set_stats(it, NM_STATS_ALL, 0);
    it->master_ifindex = 11; /* a port of the bridge */
    it->stats[NETMETRICS_STAT_RX_BYTES] = UINT64_MAX;

    it = add_iface(11, "caf\xc3\xa9\xff",
                   NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_MULTICAST,
                   1500, NETMETRICS_OPER_LOWERLAYERDOWN, 0);
    it->kind = "bridge";
    set_hwaddr(it, br_mac, sizeof br_mac);
    set_stats(it, NM_STATS_ALL, 5000);

    /* a Wi-Fi card, associated; its SSID shows only with the opt-in flag */
    it = add_iface(12, "wlan0",
                   NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_RUNNING |
                       NETMETRICS_FLAG_MULTICAST | NETMETRICS_FLAG_LOWER_UP,
                   1500, NETMETRICS_OPER_UP, 1);
    it->link_type = 1;
    it->has_device = 1;
    it->wireless_marker = 1;
    it->driver = "iwlwifi";
    ck_assert_ptr_nonnull(nm_snapshot_wireless(snap, it)); /* in the snapshot's store */
    it->wireless->valid = NETMETRICS_WIRELESS_SIGNAL | NETMETRICS_WIRELESS_NOISE |
                          NETMETRICS_WIRELESS_QUALITY | NETMETRICS_WIRELESS_BITRATE |
                          NETMETRICS_WIRELESS_FREQUENCY | NETMETRICS_WIRELESS_SSID |
                          NETMETRICS_WIRELESS_BSSID;
    it->wireless->signal_dbm = -56;
    it->wireless->noise_dbm = -95;
    it->wireless->link_quality = 54.0 / 70.0;
    it->wireless->tx_bitrate = 108337500u;
    it->wireless->frequency_hz = 5180000000u;
    strcpy(it->wireless->ssid, "lab-net");
    memcpy(it->wireless->bssid, "\x02\xaa\xbb\xcc\xdd\xee", 6);

    add_addr(2, NETMETRICS_FAMILY_INET6, "fe80::5054:ff:fe12:3456", 64, 253);
    add_addr(2, NETMETRICS_FAMILY_INET, "198.18.0.2", 24, 0);
    add_addr(2, NETMETRICS_FAMILY_INET6, "fd00::2", 64, 0);
    add_addr(1, NETMETRICS_FAMILY_INET6, "::1", 128, 254);
    add_addr(1, NETMETRICS_FAMILY_INET, "127.0.0.1", 8, 254);
    add_addr(3, NETMETRICS_FAMILY_INET, "100.64.0.1", 32, 0);
    add_addr(3, NETMETRICS_FAMILY_INET6, "fec0::1", 64, 200);
    add_addr(99, NETMETRICS_FAMILY_INET, "192.0.2.1", 24, 0); /* no such interface */
    add_addr(2, NETMETRICS_FAMILY_INET, "198.18.0.2", 24, 0); /* duplicate */
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);

    snap->backend = "netlink";
    snap->time_ns = 1;
    set_parts(0.00125, 0.0005);
}

static void snap_teardown(void)
{
    netmetrics_snapshot_free(snap);
    snap = NULL;
    nm_strbuf_free(&buf);
}

static const char *render(nm_format fmt, netmetrics_status collect_status)
{
    nm_scrape_info info;

    memset(&info, 0, sizeof info); /* no rates: the speed families are absent */
    info.collect_status = collect_status;
    info.backend = "netlink";
    nm_strbuf_reset(&buf);
    ck_assert_int_eq(nm_render_metrics(&buf, fmt, snap, &info), 0);
    ck_assert(!buf.failed);
    return buf.data;
}

START_TEST(test_render_golden_text)
{
    const char *out = render(NM_FORMAT_TEXT, NETMETRICS_OK);

    compare_golden(out, "basic.prom");
    check_structure(out, NM_FORMAT_TEXT);
}
END_TEST

START_TEST(test_render_golden_openmetrics)
{
    const char *out = render(NM_FORMAT_OPENMETRICS, NETMETRICS_OK);

    compare_golden(out, "basic.om.txt");
    check_structure(out, NM_FORMAT_OPENMETRICS);
}
END_TEST

/* A failed collection: self metrics only, both parts unsuccessful. */
START_TEST(test_render_collect_failed)
{
    const char *out = render(NM_FORMAT_TEXT, NETMETRICS_ERR_PERMISSION);

    compare_golden(out, "collect_failed.prom");
    check_structure(out, NM_FORMAT_TEXT);
    assert_lacks(out, "device=");
    assert_has(out, "netmetrics_scrape_collector_success{collector=\"links\"} 0\n");
    assert_has(out, "netmetrics_scrape_collector_success{collector=\"addresses\"} 0\n");
}
END_TEST

START_TEST(test_render_addresses_failed)
{
    const char *out;

    snap->part_status[NETMETRICS_PART_ADDRESSES] = NETMETRICS_ERR_SYSTEM;
    out = render(NM_FORMAT_TEXT, NETMETRICS_OK);
    check_structure(out, NM_FORMAT_TEXT);
    assert_has(out, "netmetrics_scrape_collector_success{collector=\"links\"} 1\n");
    assert_has(out, "netmetrics_scrape_collector_success{collector=\"addresses\"} 0\n");
    assert_has(out, "netmetrics_receive_bytes_total{device=\"eth0\"} 2002\n");
}
END_TEST

/* Only a procfs-like interface with unknown carrier: the families nobody
 * provides leave no HELP or TYPE behind. */
/* SSID and BSSID reveal where the machine is: only with the opt-in. */
START_TEST(test_render_wireless_ssid_opt_in)
{
    nm_scrape_info info;

    memset(&info, 0, sizeof info);
    info.collect_status = NETMETRICS_OK;
    info.backend = "netlink";
    nm_strbuf_reset(&buf);
    ck_assert_int_eq(nm_render_metrics(&buf, NM_FORMAT_TEXT, snap, &info), 0);
    ck_assert_ptr_null(strstr(buf.data, "lab-net"));
    ck_assert_ptr_null(strstr(buf.data, "netmetrics_wireless_network_info"));
    info.wireless_ssid = 1;
    nm_strbuf_reset(&buf);
    ck_assert_int_eq(nm_render_metrics(&buf, NM_FORMAT_TEXT, snap, &info), 0);
    ck_assert_ptr_nonnull(strstr(buf.data,
                                 "\nnetmetrics_wireless_network_info{device=\"wlan0\","
                                 "ssid=\"lab-net\",bssid=\"02:aa:bb:cc:dd:ee\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(buf.data, "\nnetmetrics_wireless_signal_dbm{device=\"wlan0\"} -56\n"));
}
END_TEST

START_TEST(test_render_partial_stats)
{
    struct netmetrics_interface *it;
    const char *out;

    nm_snapshot_reset(snap);
    it = add_iface(3, "ppp0", NETMETRICS_FLAG_UP, 1492, NETMETRICS_OPER_UNKNOWN, -1);
    set_stats(it, PROCFS_STATS, 0);
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);
    snap->backend = "procfs";
    set_parts(0.25, 0.5);
    out = render(NM_FORMAT_TEXT, NETMETRICS_OK);
    check_structure(out, NM_FORMAT_TEXT);
    assert_has(out, "\nnetmetrics_receive_bytes_total{device=\"ppp0\"} 2\n");
    assert_has(out, "\nnetmetrics_transmit_carrier_errors_total{device=\"ppp0\"} 17\n");
    assert_lacks(out, "netmetrics_receive_nohandler_packets_total");
    assert_lacks(out, "netmetrics_receive_crc_errors_total");
    assert_lacks(out, "netmetrics_receive_missed_errors_total");
    assert_lacks(out, "netmetrics_interface_carrier");
    assert_lacks(out, "netmetrics_interface_address_info");
    assert_has(out, "netmetrics_interface_info{device=\"ppp0\",ifindex=\"3\","
                    "mac=\"\",operstate=\"unknown\",kind=\"\",type=\"other\","
                    "duplex=\"unknown\",driver=\"\",master=\"\"} 1\n");
    assert_has(out, "{collector=\"links\"} 0.25\n");
}
END_TEST

START_TEST(test_render_without_snapshot)
{
    const char *out;

    ck_assert_int_eq(nm_render_metrics(&buf, NM_FORMAT_TEXT, NULL, NULL), 0);
    out = buf.data;
    check_structure(out, NM_FORMAT_TEXT);
    assert_lacks(out, "device=");
    assert_has(out, "netmetrics_scrape_collector_success{collector=\"links\"} 0\n");
    assert_has(out, "netmetrics_collector_backend_info{backend=\"\"} 1\n");
}
END_TEST

/* The renderer appends, and a warm buffer does not grow on a re-render. */
START_TEST(test_render_appends_and_reuses)
{
    nm_scrape_info info;
    char *first;
    size_t len, cap;

    /* zeroed, so fields added to nm_scrape_info later stay off */
    memset(&info, 0, sizeof info);
    info.collect_status = NETMETRICS_OK;
    info.backend = "netlink";
    nm_strbuf_puts(&buf, "# prefix\n");
    ck_assert_int_eq(nm_render_metrics(&buf, NM_FORMAT_TEXT, snap, &info), 0);
    ck_assert(strncmp(buf.data, "# prefix\n# HELP ", 16) == 0);
    first = strdup(buf.data + 9);
    ck_assert(first != NULL);
    len = buf.len;
    cap = buf.cap;
    nm_strbuf_reset(&buf);
    ck_assert_int_eq(nm_render_metrics(&buf, NM_FORMAT_TEXT, snap, &info), 0);
    ck_assert_str_eq(buf.data, first);
    ck_assert_uint_eq(buf.len, len - 9);
    ck_assert_uint_eq(buf.cap, cap);
    free(first);
}
END_TEST

/* A thousand interfaces with an address each: still one family at a time,
 * no series twice. */
START_TEST(test_render_many)
{
    const char *out;
    int i;

    nm_snapshot_reset(snap);
    for (i = 1000; i >= 1; i--) {
        struct netmetrics_interface *it;
        char name[16];
        netmetrics_address a;

        snprintf(name, sizeof name, "veth%d", i);
        it = add_iface(i, name, NETMETRICS_FLAG_UP, 1500, NETMETRICS_OPER_UP, 1);
        set_stats(it, NM_STATS_ALL, (uint64_t)i * 100);
        memset(&a, 0, sizeof a);
        a.family = NETMETRICS_FAMILY_INET;
        a.prefix_length = 32;
        a.bytes[0] = 10;
        a.bytes[2] = (unsigned char)(i >> 8);
        a.bytes[3] = (unsigned char)i;
        ck_assert_int_eq(nm_snapshot_add_address(snap, i, &a), 0);
    }
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);
    set_parts(0.5, 0.5);
    out = render(NM_FORMAT_TEXT, NETMETRICS_OK);
    check_structure(out, NM_FORMAT_TEXT);
    assert_has(out, "\nnetmetrics_receive_bytes_total{device=\"veth1\"} 102\n"
                    "netmetrics_receive_bytes_total{device=\"veth2\"} 202\n");
    out = render(NM_FORMAT_OPENMETRICS, NETMETRICS_OK);
    check_structure(out, NM_FORMAT_OPENMETRICS);
}
END_TEST

START_TEST(test_content_type)
{
    ck_assert_str_eq(nm_format_content_type(NM_FORMAT_TEXT),
                     "text/plain; version=0.0.4; charset=utf-8");
    ck_assert_str_eq(nm_format_content_type(NM_FORMAT_OPENMETRICS),
                     "application/openmetrics-text; version=1.0.0; charset=utf-8");
}
END_TEST

/* Runs `promtool check metrics` with the file on stdin; returns its exit
 * status and leaves what it printed in out. */
static int promtool_check(const char *path, char *out, size_t size)
{
    int pipefd[2], status, in;
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    ck_assert_int_eq(pipe(pipefd), 0);
    in = open(path, O_RDONLY);
    ck_assert_msg(in >= 0, "cannot open %s: %s", path, strerror(errno));
    pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        dup2(in, 0);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        execl(PROMTOOL, "promtool", "check", "metrics", (char *)NULL);
        _exit(127);
    }
    close(in);
    close(pipefd[1]);
    while (len + 1 < size && (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(pipefd[0]);
    ck_assert(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* CI installs promtool (Debian package "prometheus"); a missing one is a
 * failure, not a skip, so a lint regression cannot pass unseen. */
START_TEST(test_promtool)
{
    static const char *const files[] = {"basic.prom", "collect_failed.prom"};
    char path[1024], out[8192];
    size_t i;
    int rc;

    ck_assert_msg(access(PROMTOOL, X_OK) == 0,
                  PROMTOOL " not found: install the Debian package \"prometheus\" to lint "
                           "the golden files");
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, files[i]);
        rc = promtool_check(path, out, sizeof out);
        ck_assert_msg(rc == 0, "promtool check metrics < %s: exit %d\n%s", path, rc, out);
    }
}
END_TEST

static Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, snap_setup, snap_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_render_golden_text);
    tcase_add_test(tc, test_render_golden_openmetrics);
    tcase_add_test(tc, test_render_collect_failed);
    tcase_add_test(tc, test_render_addresses_failed);
    tcase_add_test(tc, test_render_partial_stats);
    tcase_add_test(tc, test_render_wireless_ssid_opt_in);
    tcase_add_test(tc, test_render_without_snapshot);
    tcase_add_test(tc, test_render_appends_and_reuses);
    tcase_add_test(tc, test_render_many);
    tcase_add_test(tc, test_content_type);
    tcase_add_test(tc, test_promtool);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(expfmt_suite());
    int failed;

    srunner_add_suite(sr, render_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

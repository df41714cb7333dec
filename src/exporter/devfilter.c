/* SPDX-License-Identifier: MIT */
/* The device filter (devfilter.h). Patterns are checked before regcomp
 * sees them, because regcomp trusts its input: it expands counted
 * repetitions eagerly (a 25-byte pattern can ask for gigabytes) and reads
 * Perl escapes it does not know as plain letters. Names are matched as
 * bytes (the exporter never calls setlocale, so regexec runs in the C
 * locale): a name that is not UTF-8 is matched like any other. Nothing here
 * allocates per scrape. */
#include "config.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "devfilter.h"
#include "nmerror.h"
#include "snapshot.h"

/* Parentheses nested deeper than this are refused (regcomp recurses). */
#define NESTING_MAX 32
/* Numbers in {m,n} are read up to this; RE_DUP_MAX is far below. */
#define COUNT_CAP 1000000u

struct nm_devfilter {
    regex_t include, exclude;
    int has_include, has_exclude;
    unsigned type_exclude;
};

static int why_set(char *why, size_t whysize, const char *text)
{
    if (whysize)
        snprintf(why, whysize, "%s", text);
    return -1;
}

/* Index of the ']' closing the bracket expression that opens at p[i], or 0
 * when it is not closed (regcomp then reports the error). A ']' first in
 * the list is a member, and so is anything inside [:class:], [=e=], [.c.]. */
static size_t bracket_end(const char *p, size_t i)
{
    i++;
    if (p[i] == '^')
        i++;
    if (p[i] == ']')
        i++;
    while (p[i]) {
        if (p[i] == '[' && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
            char t = p[i + 1];

            for (i += 2; p[i] && !(p[i] == t && p[i + 1] == ']'); i++)
                ;
            if (!p[i])
                return 0;
            i += 2;
            continue;
        }
        if (p[i] == ']')
            return i;
        i++;
    }
    return 0;
}

/* Reads an interval "{m}", "{m,}" or "{m,n}" at p[i]: the count it
 * multiplies its atom by (the upper bound, or m + 1 when open) in *k and
 * its length in *len. 0 when p[i] does not start one (then '{' is a
 * literal for glibc, or an error regcomp reports). */
static int read_interval(const char *p, size_t i, uint64_t *k, size_t *len)
{
    uint64_t m = 0, n = 0;
    size_t j = i + 1;
    int comma = 0, have_n = 0;

    if (p[j] < '0' || p[j] > '9')
        return 0;
    for (; p[j] >= '0' && p[j] <= '9'; j++)
        if (m < COUNT_CAP)
            m = m * 10 + (uint64_t)(p[j] - '0');
    if (p[j] == ',') {
        comma = 1;
        for (j++; p[j] >= '0' && p[j] <= '9'; j++) {
            have_n = 1;
            if (n < COUNT_CAP)
                n = n * 10 + (uint64_t)(p[j] - '0');
        }
    }
    if (p[j] != '}')
        return 0;
    *k = have_n ? n : comma ? m + 1 : m;
    *len = j + 1 - i;
    return 1;
}

/* What came before a repetition operator. */
enum prev_token {
    PREV_NOTHING, /* start, "(", "|", an anchor: nothing to repeat */
    PREV_ATOM,    /* something a repetition operator may follow */
    PREV_REPEAT   /* a repetition operator */
};

/* A repetition operator (*, +, ?, {m,n}) may follow only an atom. POSIX
 * leaves the others undefined and glibc compiles stacked ones into
 * exponential work ("x+++++" doubles five times, and a few dozen "?"
 * after that cost the fuzzer a timeout); RE2, node_exporter's syntax,
 * rejects both as well (its lazy x+? x*? x?? have no POSIX meaning). */
static int check_repeat(enum prev_token prev, char *why, size_t whysize)
{
    if (prev == PREV_REPEAT)
        return why_set(why, whysize,
                       "a repetition operator follows another (lazy +? *? ?? are RE2 "
                       "syntax, not POSIX)");
    if (prev == PREV_NOTHING)
        return why_set(why, whysize, "a repetition operator has nothing to repeat");
    return 0;
}

/* The checks regcomp does not make (see the file comment): escapes POSIX
 * lacks, repetition operators in a row, nesting, and the size of the
 * pattern once its repetitions are multiplied out. The size is counted per
 * parenthesis level: `sum` holds the atoms of the current level, `last`
 * those of the atom a repetition operator would copy. Every count stays
 * below EXPANSION_MAX * COUNT_CAP, far from overflowing. */
static int check_pattern(const char *p, char *why, size_t whysize)
{
    uint64_t saved[NESTING_MAX], outer = 0, sum = 0, last = 0, k;
    size_t i = 0, depth = 0, len, end;
    enum prev_token prev = PREV_NOTHING;

    while (p[i]) {
        unsigned char c = (unsigned char)p[i];

        switch (c) {
        case '\\':
            c = (unsigned char)p[i + 1];
            if (c == '\0')
                return 0; /* a trailing backslash: regcomp's error */
            /* glibc knows \w \W \s \S \b \B; any other letter would be
             * taken as itself, which is never what a Go or Perl user
             * meant (\d, \D, \A, \z, \pL). */
            if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && !strchr("wWsSbB", c)) {
                if (whysize)
                    snprintf(why, whysize,
                             "\\%c is not POSIX regular expression syntax (for digits "
                             "write [0-9])",
                             c);
                return -1;
            }
            last = 1;
            sum++;
            i += 2;
            prev = PREV_ATOM;
            break;
        case '[':
            end = bracket_end(p, i);
            if (end == 0)
                return 0; /* unterminated: regcomp says so */
            last = 1;
            sum++;
            i = end + 1;
            prev = PREV_ATOM;
            break;
        case '(':
            if (depth == NESTING_MAX)
                return why_set(why, whysize, "parentheses are nested too deeply");
            saved[depth++] = sum;
            outer += sum;
            sum = 0;
            last = 0;
            i++;
            prev = PREV_NOTHING;
            break;
        case ')':
            if (depth == 0) { /* unmatched: a literal or regcomp's error */
                last = 1;
                sum++;
            } else {
                last = sum;
                depth--;
                outer -= saved[depth];
                sum = saved[depth] + last;
            }
            i++;
            prev = PREV_ATOM;
            break;
        case '{':
            if (!read_interval(p, i, &k, &len)) {
                last = 1; /* a literal brace, or regcomp's error */
                sum++;
                i++;
                prev = PREV_ATOM;
                break;
            }
            if (check_repeat(prev, why, whysize) < 0)
                return -1;
            sum = sum - last + last * k;
            last *= k;
            i += len;
            prev = PREV_REPEAT;
            break;
        case '+':
        case '*':
        case '?':
            if (check_repeat(prev, why, whysize) < 0)
                return -1;
            /* glibc writes x+ as x x*: one copy */
            if (c == '+') {
                sum += last;
                last *= 2;
            }
            i++;
            prev = PREV_REPEAT;
            break;
        case '|':
        case '^':
        case '$':
            i++;
            prev = PREV_NOTHING;
            break;
        default:
            last = 1;
            sum++;
            i++;
            prev = PREV_ATOM;
            break;
        }
        if (outer + sum > NM_DEVFILTER_EXPANSION_MAX) {
            if (whysize)
                snprintf(why, whysize,
                         "its repetitions expand to more than %d atoms (interface names "
                         "are at most 15 bytes)",
                         NM_DEVFILTER_EXPANSION_MAX);
            return -1;
        }
    }
    return 0;
}

/* Compiles pattern into re after check_pattern. 0, or -1 with why. */
static int compile(regex_t *re, const char *pattern, char *why, size_t whysize)
{
    char msg[160];
    int rc;

    if (strlen(pattern) > NM_DEVFILTER_PATTERN_MAX) {
        if (whysize)
            snprintf(why, whysize, "longer than %d bytes", NM_DEVFILTER_PATTERN_MAX);
        return -1;
    }
    if (check_pattern(pattern, why, whysize) < 0)
        return -1;
    rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        regerror(rc, re, msg, sizeof msg);
        /* regcomp frees what it built when it fails; re is not to be
         * passed to regfree. */
        if (whysize)
            snprintf(why, whysize, "not a valid regular expression: %s", msg);
        return -1;
    }
    return 0;
}

int nm_devfilter_check_regex(const char *pattern, char *why, size_t whysize)
{
    regex_t re;

    if (compile(&re, pattern, why, whysize) < 0)
        return -1;
    regfree(&re);
    return 0;
}

/* Copies item (n bytes) into out for a message: printable ASCII kept,
 * anything else as '?', cut at 32 bytes. */
static void shown_item(const char *item, size_t n, char *out, size_t size)
{
    size_t i, o = 0;

    for (i = 0; i < n && o + 1 < size && i < 32; i++) {
        unsigned char c = (unsigned char)item[i];

        out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[o] = '\0';
}

int nm_devfilter_parse_types(const char *list, unsigned *mask, char *why, size_t whysize)
{
    const char *p = list;
    unsigned m = 0;

    if (*list == '\0') {
        *mask = 0;
        return 0;
    }
    /* one item per comma-separated field, the last one after the last comma
     * included, so "virtual," has an empty item */
    for (;;) {
        const char *start = p, *stop;
        size_t n;
        int t, found = -1;

        while (*p && *p != ',')
            p++;
        stop = p;
        /* blanks around an item, as in "virtual, loopback" */
        while (start < stop && (*start == ' ' || *start == '\t'))
            start++;
        while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
            stop--;
        n = (size_t)(stop - start);
        if (n == 0)
            return why_set(why, whysize, "empty item in the list of interface types");
        for (t = NETMETRICS_IFTYPE_ETHERNET; t <= NETMETRICS_IFTYPE_OTHER; t++) {
            const char *name = netmetrics_interface_type_name((netmetrics_interface_type)t);

            if (strlen(name) == n && strncasecmp(name, start, n) == 0) {
                found = t;
                break;
            }
        }
        if (found < 0) {
            char shown[40];

            shown_item(start, n, shown, sizeof shown);
            if (whysize)
                snprintf(why, whysize,
                         "unknown interface type \"%s\" (types: ethernet, wifi, loopback, "
                         "virtual, cellular, other)",
                         shown);
            return -1;
        }
        m |= 1u << found;
        if (*p == '\0')
            break;
        p++; /* past the comma */
    }
    *mask = m;
    return 0;
}

netmetrics_status nm_devfilter_new(const nm_devfilter_spec *spec, nm_devfilter **out,
                                   netmetrics_error *err)
{
    const unsigned all_types = (1u << (NETMETRICS_IFTYPE_OTHER + 1)) - 1u;
    int inc = spec->include && spec->include[0];
    int exc = spec->exclude && spec->exclude[0];
    char why[NETMETRICS_ERROR_MESSAGE_MAX];
    nm_devfilter *f;

    *out = NULL;
    if (inc && exc)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0,
                            "--collector.device-include and --collector.device-exclude are "
                            "mutually exclusive");
    if (spec->type_exclude & ~all_types)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0,
                            "--collector.type-exclude: unknown type bits 0x%x",
                            spec->type_exclude & ~all_types);
    if (!inc && !exc && spec->type_exclude == 0)
        return NETMETRICS_OK;
    f = calloc(1, sizeof *f);
    if (!f)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    f->type_exclude = spec->type_exclude;
    if (inc) {
        if (compile(&f->include, spec->include, why, sizeof why) < 0) {
            free(f);
            return nm_error_set(err, NETMETRICS_ERR_INVALID, 0,
                                "--collector.device-include: %s", why);
        }
        f->has_include = 1;
    }
    if (exc) {
        if (compile(&f->exclude, spec->exclude, why, sizeof why) < 0) {
            nm_devfilter_free(f);
            return nm_error_set(err, NETMETRICS_ERR_INVALID, 0,
                                "--collector.device-exclude: %s", why);
        }
        f->has_exclude = 1;
    }
    *out = f;
    return NETMETRICS_OK;
}

void nm_devfilter_free(nm_devfilter *f)
{
    if (!f)
        return;
    if (f->has_include)
        regfree(&f->include);
    if (f->has_exclude)
        regfree(&f->exclude);
    free(f);
}

int nm_devfilter_keeps(const nm_devfilter *f, const char *name, netmetrics_interface_type type)
{
    if (!f)
        return 1;
    if ((unsigned)type < 32 && (f->type_exclude & (1u << type)))
        return 0;
    /* node_exporter's rule: dropped when the exclude pattern matches, or
     * when an include pattern exists and does not */
    if (f->has_exclude && regexec(&f->exclude, name, 0, NULL, 0) == 0)
        return 0;
    if (f->has_include && regexec(&f->include, name, 0, NULL, 0) != 0)
        return 0;
    return 1;
}

static int keep_iface(const struct netmetrics_interface *iface, void *arg)
{
    return nm_devfilter_keeps(arg, netmetrics_interface_name(iface),
                              netmetrics_interface_type_get(iface));
}

size_t nm_devfilter_apply(const nm_devfilter *f, netmetrics_snapshot *snap)
{
    if (!f)
        return netmetrics_snapshot_count(snap);
    /* keep_iface only reads the filter */
    return nm_snapshot_retain(snap, keep_iface, (void *)f);
}

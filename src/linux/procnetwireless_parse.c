/* SPDX-License-Identifier: MIT */
/* /proc/net/wireless rows (see procnetwireless_parse.h). A line is a row
 * when it has a ':' (interface names cannot contain one; header lines have
 * none). Everything is bounded by the line: no strtol, no NUL needed. */
#include "config.h"

#include <string.h>

#include "procnetwireless_parse.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Reads an optionally signed decimal number at *p (< end), with an optional
 * trailing '.', then skips blanks. 0 and the value, or -1. */
static int read_num(const char **p, const char *end, long *out)
{
    const char *q = *p;
    long v = 0;
    int neg = 0, digits = 0;

    if (q < end && (*q == '-' || *q == '+')) {
        neg = *q == '-';
        q++;
    }
    while (q < end && *q >= '0' && *q <= '9') {
        if (v > 100000000L)
            return -1;
        v = v * 10 + (*q - '0');
        q++;
        digits++;
    }
    if (!digits)
        return -1;
    if (q < end && *q == '.')
        q++;
    if (q < end && !is_blank(*q))
        return -1;
    while (q < end && is_blank(*q))
        q++;
    *p = q;
    *out = neg ? -v : v;
    return 0;
}

static int parse_row(const char *p, const char *end, nm_wext_row *row)
{
    const char *colon = memchr(p, ':', (size_t)(end - p));
    const char *name_end, *c;
    long status_digits = 0, link, level, noise;

    memset(row, 0, sizeof *row);
    while (p < colon && is_blank(*p))
        p++;
    name_end = colon;
    if (name_end == p || (size_t)(name_end - p) >= sizeof row->name)
        return -1;
    /* No name the kernel prints holds a NUL, '/' or white space; copied as
     * is, a NUL would cut the name short and put this row's values on
     * another (or an empty) name. Found by tests/fuzz. */
    for (c = p; c < name_end; c++) {
        if (*c == '\0' || *c == '/' || *c == ' ' || (*c >= '\t' && *c <= '\r'))
            return -1;
    }
    memcpy(row->name, p, (size_t)(name_end - p));
    p = colon + 1;
    while (p < end && is_blank(*p))
        p++;
    /* status: hex digits */
    while (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
                       (*p >= 'A' && *p <= 'F'))) {
        p++;
        status_digits++;
    }
    if (!status_digits || (p < end && !is_blank(*p)))
        return -1;
    while (p < end && is_blank(*p))
        p++;
    if (read_num(&p, end, &link) < 0 || read_num(&p, end, &level) < 0 ||
        read_num(&p, end, &noise) < 0)
        return -1;
    if (link >= 0 && link <= 255) {
        double q = (double)link / NM_WEXT_QUALITY_MAX;

        row->w.link_quality = q > 1.0 ? 1.0 : q;
        row->w.valid |= NETMETRICS_WIRELESS_QUALITY;
    }
    if (level < 0 && level > -256) {
        row->w.signal_dbm = (int)level;
        row->w.valid |= NETMETRICS_WIRELESS_SIGNAL;
    }
    if (noise < 0 && noise > -256) {
        row->w.noise_dbm = (int)noise;
        row->w.valid |= NETMETRICS_WIRELESS_NOISE;
    }
    return 0;
}

netmetrics_status nm_procnetwireless_parse(const char *text, size_t len, nm_wext_row_fn fn,
                                           void *arg, nm_wext_summary *sum)
{
    const char *p = text, *end = text ? text + len : NULL;

    sum->rows = 0;
    sum->rejected = 0;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;

        if (memchr(p, ':', (size_t)(eol - p))) {
            nm_wext_row row;

            if (parse_row(p, eol, &row) == 0) {
                netmetrics_status st = fn(&row, arg);

                sum->rows++;
                if (st != NETMETRICS_OK)
                    return st;
            } else {
                sum->rejected++;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return NETMETRICS_OK;
}

/* SPDX-License-Identifier: MIT */
/* Duration parsing in integer nanoseconds: a fraction is scaled by its unit
 * digit by digit, so "0.1s" is exactly 100000000 ns (no binary floating
 * point on the way), and every multiplication is checked for overflow. It
 * must never read past the string's NUL nor accept a sign. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "duration.h"

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

static const struct {
    const char *name;
    uint64_t ns;
} units[] = {
    /* longest first where one unit is a prefix of another ("ms" vs "m") */
    {"ns", 1}, {"us", NS_PER_US}, {"\xc2\xb5s", NS_PER_US}, {"\xce\xbcs", NS_PER_US},
    {"ms", NS_PER_MS}, {"s", NS_PER_S}, {"m", 60 * NS_PER_S}, {"h", 3600 * NS_PER_S},
};

static int fail(char *why, size_t whysize, const char *text)
{
    if (whysize)
        snprintf(why, whysize, "%s", text);
    return -1;
}

/* a + b into *sum; 0, or -1 on overflow. */
static int add_u64(uint64_t a, uint64_t b, uint64_t *sum)
{
    if (a > UINT64_MAX - b)
        return -1;
    *sum = a + b;
    return 0;
}

/* One "<digits>[.<digits>]" at *p, scaled by unit ns. Fraction digits past
 * what the unit can resolve are ignored (truncation, as Go does). */
static int scaled_number(const char *int_start, size_t int_len, const char *frac_start,
                         size_t frac_len, uint64_t unit, uint64_t *out)
{
    uint64_t v = 0, scale = unit, part;
    size_t i;

    for (i = 0; i < int_len; i++) {
        uint64_t d = (uint64_t)(int_start[i] - '0');

        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (unit && v > UINT64_MAX / unit)
        return -1;
    v *= unit;
    for (i = 0; i < frac_len && scale >= 10; i++) {
        scale /= 10;
        part = (uint64_t)(frac_start[i] - '0') * scale;
        if (add_u64(v, part, &v) < 0)
            return -1;
    }
    *out = v;
    return 0;
}

int nm_duration_parse(const char *text, uint64_t *ns, char *why, size_t whysize)
{
    const char *p = text;
    uint64_t total = 0;
    int parts = 0;

    if (!text || !*text)
        return fail(why, whysize, "empty duration");
    while (*p) {
        const char *int_start = p, *frac_start = NULL;
        size_t int_len = 0, frac_len = 0, u, ulen = 0;
        uint64_t unit = 0, v;

        while (*p >= '0' && *p <= '9') {
            p++;
            int_len++;
        }
        if (*p == '.') {
            p++;
            frac_start = p;
            while (*p >= '0' && *p <= '9') {
                p++;
                frac_len++;
            }
        }
        if (int_len == 0 && frac_len == 0)
            return fail(why, whysize,
                        "expected a number, e.g. 500ms, 1s, 2.5s or plain seconds");
        for (u = 0; u < sizeof units / sizeof units[0]; u++) {
            size_t n = strlen(units[u].name);

            if (strncmp(p, units[u].name, n) == 0 && n > ulen) {
                ulen = n;
                unit = units[u].ns;
            }
        }
        if (ulen == 0) {
            /* a plain number is seconds, but only as the whole text */
            if (*p != '\0' || parts > 0)
                return fail(why, whysize, "unknown unit (use ns, us, ms, s, m or h)");
            unit = NS_PER_S;
        }
        p += ulen;
        if (scaled_number(int_start, int_len, frac_start, frac_len, unit, &v) < 0 ||
            add_u64(total, v, &total) < 0)
            return fail(why, whysize, "duration is too long");
        parts++;
    }
    *ns = total;
    return 0;
}

char *nm_duration_format(uint64_t ns, char *buf, size_t size)
{
    uint64_t s = ns / NS_PER_S, frac = ns % NS_PER_S;
    char tail[16];
    size_t n;

    if (size == 0)
        return buf;
    if (ns == 0) {
        snprintf(buf, size, "0s");
        return buf;
    }
    if (s == 0) {
        if (ns % NS_PER_MS == 0)
            snprintf(buf, size, "%llums", (unsigned long long)(ns / NS_PER_MS));
        else if (ns % NS_PER_US == 0)
            snprintf(buf, size, "%lluus", (unsigned long long)(ns / NS_PER_US));
        else
            snprintf(buf, size, "%lluns", (unsigned long long)ns);
        return buf;
    }
    /* seconds with the fraction's trailing zeros removed */
    tail[0] = '\0';
    if (frac) {
        snprintf(tail, sizeof tail, ".%09llu", (unsigned long long)frac);
        n = strlen(tail);
        while (n > 1 && tail[n - 1] == '0')
            tail[--n] = '\0';
    }
    if (s >= 60 && frac == 0) {
        uint64_t h = s / 3600, m = (s % 3600) / 60, sec = s % 60;

        if (h)
            snprintf(buf, size, "%lluh%llum%llus", (unsigned long long)h,
                     (unsigned long long)m, (unsigned long long)sec);
        else
            snprintf(buf, size, "%llum%llus", (unsigned long long)m, (unsigned long long)sec);
        return buf;
    }
    snprintf(buf, size, "%llu%ss", (unsigned long long)s, tail);
    return buf;
}

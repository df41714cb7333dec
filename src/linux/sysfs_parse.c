/* SPDX-License-Identifier: MIT */
/* Parsers of sysfs attribute text. Pure and bounded by `len`: they are fed
 * whatever a read returned, including nothing, a fixture's CRLF, or a value
 * cut short. */
#include "config.h"

#include <string.h>

#include "sysfs_parse.h"
#include "utf8.h"

static int is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Narrows [*p, *end) to exclude surrounding white space. */
static void trim(const char **p, const char **end)
{
    while (*p < *end && is_space(**p))
        (*p)++;
    while (*end > *p && is_space((*end)[-1]))
        (*end)--;
}

netmetrics_status nm_sysfs_parse_uint(const char *text, size_t len, uint64_t max, uint64_t *out)
{
    const char *p, *end;
    uint64_t v = 0;

    *out = 0;
    if (!text)
        return NETMETRICS_ERR_PARSE;
    p = text;
    end = text + len;
    trim(&p, &end);
    if (p == end)
        return NETMETRICS_ERR_PARSE;
    for (; p < end; p++) {
        unsigned d;

        if (*p < '0' || *p > '9')
            return NETMETRICS_ERR_PARSE;
        d = (unsigned)(*p - '0');
        if (d > max || v > (max - d) / 10)
            return NETMETRICS_ERR_PARSE;
        v = v * 10 + d;
    }
    *out = v;
    return NETMETRICS_OK;
}

netmetrics_status nm_sysfs_parse_hex32(const char *text, size_t len, uint32_t *out)
{
    const char *p, *end;
    uint32_t v = 0;

    *out = 0;
    if (!text)
        return NETMETRICS_ERR_PARSE;
    p = text;
    end = text + len;
    trim(&p, &end);
    if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    if (p == end)
        return NETMETRICS_ERR_PARSE;
    for (; p < end; p++) {
        int d = nm_hex_value(*p);

        if (d < 0 || v > 0x0fffffffu)
            return NETMETRICS_ERR_PARSE;
        v = (v << 4) | (uint32_t)d;
    }
    *out = v;
    return NETMETRICS_OK;
}

netmetrics_status nm_sysfs_parse_operstate(const char *text, size_t len, netmetrics_operstate *out)
{
    /* The kernel's words, indexed by IF_OPER_* (= netmetrics_operstate). */
    static const char *const words[] = {"unknown", "notpresent", "down", "lowerlayerdown",
                                        "testing", "dormant", "up"};
    const char *p, *end;
    size_t i, n;

    *out = NETMETRICS_OPER_UNKNOWN;
    if (!text)
        return NETMETRICS_ERR_PARSE;
    p = text;
    end = text + len;
    trim(&p, &end);
    n = (size_t)(end - p);
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i]) == n && memcmp(words[i], p, n) == 0) {
            *out = (netmetrics_operstate)i;
            return NETMETRICS_OK;
        }
    }
    return NETMETRICS_ERR_PARSE;
}

netmetrics_status nm_sysfs_parse_hwaddr(const char *text, size_t len, unsigned char *out,
                                        size_t size, size_t *out_len)
{
    const char *p, *end;
    size_t n = 0;

    *out_len = 0;
    if (!text)
        return NETMETRICS_ERR_PARSE;
    p = text;
    end = text + len;
    trim(&p, &end);
    if (p == end)
        return NETMETRICS_OK; /* no address, as for tun or wireguard */
    for (;;) {
        int hi, lo;

        if (end - p < 2 || n == size)
            return NETMETRICS_ERR_PARSE;
        hi = nm_hex_value(p[0]);
        lo = nm_hex_value(p[1]);
        if (hi < 0 || lo < 0)
            return NETMETRICS_ERR_PARSE;
        out[n++] = (unsigned char)(hi << 4 | lo);
        p += 2;
        if (p == end)
            break;
        if (*p != ':')
            return NETMETRICS_ERR_PARSE;
        p++;
    }
    *out_len = n;
    return NETMETRICS_OK;
}

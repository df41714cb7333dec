/* SPDX-License-Identifier: MIT */
/* Parsers of uevent, speed and duplex text (see uevent_parse.h). The kernel
 * ends every value with '\n'; fixtures may not, or may use CRLF, so white
 * space at either end is ignored. */
#include "config.h"

#include <string.h>

#include "sysfs_parse.h"
#include "uevent_parse.h"

static int is_blank(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static void trim(const char **p, const char **end)
{
    while (*p < *end && is_blank(**p))
        (*p)++;
    while (*end > *p && is_blank((*end)[-1]))
        (*end)--;
}

netmetrics_status nm_uevent_value(const char *text, size_t len, const char *key, char *out,
                                  size_t size)
{
    size_t klen = strlen(key);
    const char *p = text, *end = text ? text + len : NULL;

    out[0] = '\0';
    if (!text || klen == 0)
        return NETMETRICS_ERR_NOT_AVAILABLE;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;

        if ((size_t)(eol - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1, *vend = eol;
            size_t n;

            trim(&v, &vend);
            n = (size_t)(vend - v);
            if (n >= size)
                n = size - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return NETMETRICS_OK;
        }
        p = nl ? nl + 1 : end;
    }
    return NETMETRICS_ERR_NOT_AVAILABLE;
}

netmetrics_status nm_sysfs_parse_speed(const char *text, size_t len, uint32_t *mbps)
{
    uint64_t v;

    *mbps = 0;
    /* "-1" fails here as it should: the sign is not a digit. */
    if (nm_sysfs_parse_uint(text, len, UINT32_MAX, &v) != NETMETRICS_OK || v == 0 ||
        v == UINT32_MAX)
        return NETMETRICS_ERR_NOT_AVAILABLE;
    *mbps = (uint32_t)v;
    return NETMETRICS_OK;
}

netmetrics_duplex nm_sysfs_parse_duplex(const char *text, size_t len)
{
    const char *p = text, *end;

    if (!text)
        return NETMETRICS_DUPLEX_UNKNOWN;
    end = text + len;
    trim(&p, &end);
    if (end - p == 4 && memcmp(p, "full", 4) == 0)
        return NETMETRICS_DUPLEX_FULL;
    if (end - p == 4 && memcmp(p, "half", 4) == 0)
        return NETMETRICS_DUPLEX_HALF;
    return NETMETRICS_DUPLEX_UNKNOWN;
}

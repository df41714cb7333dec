/* SPDX-License-Identifier: MIT */
/* IPv4 and IPv6 address text (addrtext.h). Plain digit writers: no printf,
 * no locale, no allocation; each writes at most NM_ADDR_TEXT_SIZE bytes. */
#include "config.h"

#include <stdint.h>

#include "addrtext.h"

static const char nm_hexdig[] = "0123456789abcdef";

/* Decimal of one byte at p; returns the new end. */
static char *put_byte(char *p, unsigned v)
{
    if (v >= 100) {
        *p++ = (char)('0' + v / 100);
        v %= 100;
        *p++ = (char)('0' + v / 10);
    } else if (v >= 10) {
        *p++ = (char)('0' + v / 10);
    }
    *p++ = (char)('0' + v % 10);
    return p;
}

static char *put_quad(char *p, const unsigned char *b)
{
    int i;

    for (i = 0; i < 4; i++) {
        if (i)
            *p++ = '.';
        p = put_byte(p, b[i]);
    }
    return p;
}

size_t nm_addr_text4(const unsigned char *b, char *buf)
{
    char *end = put_quad(buf, b);

    *end = '\0';
    return (size_t)(end - buf);
}

/* Hex of one group without leading zeros. */
static char *put_group(char *p, unsigned v)
{
    int shift = 12;

    while (shift > 0 && (v >> shift) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        *p++ = nm_hexdig[(v >> shift) & 15];
    return p;
}

size_t nm_addr_text6(const unsigned char *b, char *buf)
{
    unsigned words[8];
    int i, best = -1, best_len = 0, cur = -1, cur_len = 0;
    char *p = buf;

    for (i = 0; i < 8; i++)
        words[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    /* the first longest run of zero groups; runs of one are not shortened */
    for (i = 0; i < 8; i++) {
        if (words[i] == 0) {
            if (cur < 0)
                cur = i, cur_len = 0;
            cur_len++;
        }
        if (cur >= 0 && (words[i] != 0 || i == 7)) {
            if (best < 0 || cur_len > best_len)
                best = cur, best_len = cur_len;
            cur = -1;
        }
    }
    if (best_len < 2)
        best = -1;

    for (i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + best_len) {
            if (i == best)
                *p++ = ':';
            continue;
        }
        if (i)
            *p++ = ':';
        /* IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) */
        if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
            p = put_quad(p, b + 12);
            break;
        }
        p = put_group(p, words[i]);
    }
    if (best >= 0 && best + best_len == 8)
        *p++ = ':';
    *p = '\0';
    return (size_t)(p - buf);
}

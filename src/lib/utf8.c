/* SPDX-License-Identifier: MIT */
/* UTF-8 well-formedness (see utf8.h). */
#include "config.h"

#include "utf8.h"

/* The narrowed second-byte ranges after E0, ED, F0 and F4 are what reject overlong forms, UTF-16
 * surrogates and code points above U+10FFFF. */
size_t nm_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c;
    unsigned lo = 0x80, hi = 0xbf;
    size_t need, i;

    if (n == 0)
        return 0;
    c = s[0];
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

int nm_is_hex_digit(unsigned char c)
{
    return nm_hex_value((char)c) >= 0;
}

int nm_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* SPDX-License-Identifier: MIT */
/* Escaping of interface names. The UTF-8 check follows the well-formed
 * byte sequences table of the Unicode standard (chapter 3), so overlong
 * forms and surrogates count as ill-formed, exactly as a strict JSON or
 * Prometheus parser would see them. It never reads past len. */
#include "config.h"

#include "escape.h"

static const char hex[] = "0123456789abcdef";

size_t nm_cli_utf8_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t n, i;

    if (len == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4;
    else
        return 0;
    if (len < n)
        return 0;
    /* the second byte's range is narrower after E0, ED, F0 and F4 */
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    }
    return n;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* \xNN as text; in JSON the backslash itself is escaped. */
static void put_xnn(nm_strbuf *b, unsigned char c, int json)
{
    char e[6];
    size_t k = 0;

    e[k++] = '\\';
    if (json)
        e[k++] = '\\';
    e[k++] = 'x';
    e[k++] = hex[c >> 4];
    e[k++] = hex[c & 15];
    nm_strbuf_append(b, e, k);
}

static int put_name(nm_strbuf *b, const char *str, size_t len, int json)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, k;

    while (i < len) {
        unsigned char c = s[i];

        if (c == '\\') {
            /* keep the mapping one-to-one: "\x41" as text is not byte 0x41 */
            if (len - i > 3 && s[i + 1] == 'x' && is_hex(s[i + 2]) && is_hex(s[i + 3]))
                put_xnn(b, c, json);
            else
                nm_strbuf_append(b, json ? "\\\\" : "\\", json ? 2 : 1);
            i++;
            continue;
        }
        if (c == '"' && json) {
            nm_strbuf_append(b, "\\\"", 2);
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            if (json && c < 0x20) {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

                nm_strbuf_append(b, e, sizeof e);
            } else if (json) {
                nm_strbuf_putc(b, (char)c); /* DEL is legal in JSON strings */
            } else {
                put_xnn(b, c, 0);
            }
            i++;
            continue;
        }
        k = nm_cli_utf8_len(s + i, len - i);
        if (k == 0) {
            put_xnn(b, c, json);
            i++;
        } else {
            nm_strbuf_append(b, s + i, k);
            i += k;
        }
    }
    return b->failed ? -1 : 0;
}

int nm_cli_json_string(nm_strbuf *b, const char *s, size_t len)
{
    nm_strbuf_putc(b, '"');
    put_name(b, s, len, 1);
    nm_strbuf_putc(b, '"');
    return b->failed ? -1 : 0;
}

int nm_cli_text_string(nm_strbuf *b, const char *s, size_t len)
{
    return put_name(b, s, len, 0);
}

/* SPDX-License-Identifier: MIT */
/* Escaping of interface names for the terminal and JSON. Well-formedness
 * comes from src/lib/utf8.c, shared with the exporter, so overlong forms
 * and surrogates count as ill-formed exactly as a strict JSON or
 * Prometheus parser would see them. It never reads past len. */
#include "config.h"

#include "escape.h"
#include "utf8.h"

static const char hex[] = "0123456789abcdef";

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
            if (len - i > 3 && s[i + 1] == 'x' && nm_is_hex_digit(s[i + 2]) &&
                nm_is_hex_digit(s[i + 3]))
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
        k = nm_utf8_seq_len(s + i, len - i);
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

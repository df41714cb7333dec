/* SPDX-License-Identifier: MIT */
/* Growable buffer used by readers and the renderer. Never aborts: a failed
 * growth leaves the contents intact and marks the buffer failed. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void nm_strbuf_init(nm_strbuf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
    b->borrowed = 0;
}

void nm_strbuf_free(nm_strbuf *b)
{
    if (!b->borrowed)
        free(b->data);
    nm_strbuf_init(b);
}

void nm_strbuf_borrow(nm_strbuf *b, char *buf, size_t cap)
{
    b->data = buf;
    b->len = 0;
    b->cap = cap;
    b->failed = 0;
    b->borrowed = 1;
    buf[0] = '\0';
}

void nm_strbuf_reset(nm_strbuf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

int nm_strbuf_reserve(nm_strbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->failed)
        return -1;
    if (extra > SIZE_MAX - b->len - 1)
        goto fail;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    if (b->borrowed)
        goto fail;
    cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    p = realloc(b->data, cap);
    if (!p)
        goto fail;
    b->data = p;
    b->cap = cap;
    return 0;
fail:
    b->failed = 1;
    return -1;
}

int nm_strbuf_append(nm_strbuf *b, const void *data, size_t len)
{
    if (nm_strbuf_reserve(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int nm_strbuf_puts(nm_strbuf *b, const char *s)
{
    return nm_strbuf_append(b, s, strlen(s));
}

int nm_strbuf_putc(nm_strbuf *b, char c)
{
    if (nm_strbuf_reserve(b, 1) < 0)
        return -1;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}

int nm_strbuf_printf(nm_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || nm_strbuf_reserve(b, (size_t)n) < 0) {
        b->failed = 1;
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int nm_strbuf_put_u64(nm_strbuf *b, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof tmp;

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return nm_strbuf_append(b, tmp + i, sizeof tmp - i);
}

int nm_strbuf_put_i64(nm_strbuf *b, int64_t v)
{
    if (v < 0) {
        if (nm_strbuf_putc(b, '-') < 0)
            return -1;
        /* negate in unsigned arithmetic so INT64_MIN is safe */
        return nm_strbuf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    }
    return nm_strbuf_put_u64(b, (uint64_t)v);
}

char *nm_strbuf_steal(nm_strbuf *b, size_t *len)
{
    char *p = b->borrowed ? NULL : b->data;

    if (len)
        *len = b->len;
    nm_strbuf_init(b);
    return p;
}

/* SPDX-License-Identifier: MIT */
/* A growable byte buffer. It keeps its capacity across nm_strbuf_reset so a
 * renderer or reader reused on every scrape stops allocating once warm.
 * Appends return 0 or -1 (out of memory, or the size would overflow); after
 * a failure the buffer keeps what it had and `failed` is set, so a caller may
 * append many pieces and check once at the end. */
#ifndef NM_STRBUF_H
#define NM_STRBUF_H

#include <stddef.h>
#include <stdint.h>

#include "nmerror.h"

typedef struct nm_strbuf {
    char *data;   /* always NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
    int failed;
    int borrowed; /* data is the caller's (nm_strbuf_borrow): never grown or freed */
} nm_strbuf;

void nm_strbuf_init(nm_strbuf *b);
void nm_strbuf_free(nm_strbuf *b);
/* Makes b write into the caller's buf of cap bytes (cap > 0), which it
 * never grows or frees: an append that does not fit (with its NUL) fails
 * like an allocation would. For writing straight into another library's
 * output buffer. */
void nm_strbuf_borrow(nm_strbuf *b, char *buf, size_t cap);
void nm_strbuf_reset(nm_strbuf *b);            /* len = 0, failed = 0, keeps memory */
int nm_strbuf_reserve(nm_strbuf *b, size_t extra);
int nm_strbuf_append(nm_strbuf *b, const void *data, size_t len);
int nm_strbuf_puts(nm_strbuf *b, const char *s);
int nm_strbuf_putc(nm_strbuf *b, char c);
int nm_strbuf_printf(nm_strbuf *b, const char *fmt, ...) NM_PRINTF(2, 3);
int nm_strbuf_put_u64(nm_strbuf *b, uint64_t v);   /* decimal, no printf */
int nm_strbuf_put_i64(nm_strbuf *b, int64_t v);
/* Hands the buffer to the caller (who frees it with free()) and leaves b
 * empty. Returns NULL when b holds nothing allocated (or a borrowed
 * buffer, which is not b's to give). */
char *nm_strbuf_steal(nm_strbuf *b, size_t *len);

#endif

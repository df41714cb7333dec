/* SPDX-License-Identifier: MIT */
/* libFuzzer target: label-value escaping (nm_expfmt_put_label_value). The
 * input is any bytes, as an interface name may be. The output must be valid
 * UTF-8 with no raw newline and no unescaped quote, fit the documented
 * bound, and be reversible: decoding it (first the exposition's escapes
 * \\ \" \n, then the \xNN byte escapes the writer adds for bytes that are
 * not UTF-8) must give back the input exactly. Reversible means one-to-one,
 * so two different interface names can never share a series. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "expfmt.h"
#include "fuzz_common.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Undoes the exposition's escapes into out (room for len bytes); returns
 * the decoded length. A raw quote or newline, or an unknown escape, fails
 * the target: Prometheus would reject or misread the line. */
static size_t unescape_exposition(const unsigned char *s, size_t len, unsigned char *out)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '"' || s[i] == '\n')
            nm_fuzz_fail("raw quote or newline in a label value");
        if (s[i] != '\\') {
            out[n++] = s[i];
            continue;
        }
        if (++i == len)
            nm_fuzz_fail("label value ends in a lone backslash");
        switch (s[i]) {
        case '\\': out[n++] = '\\'; break;
        case '"': out[n++] = '"'; break;
        case 'n': out[n++] = '\n'; break;
        default: nm_fuzz_fail("unknown escape in a label value");
        }
    }
    return n;
}

/* Undoes the writer's own \xNN escapes (in place): what remains must be
 * the original bytes. */
static size_t unescape_bytes(unsigned char *s, size_t len)
{
    size_t i = 0, n = 0;

    while (i < len) {
        if (s[i] == '\\' && len - i >= 4 && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 &&
            hexval(s[i + 3]) >= 0) {
            s[n++] = (unsigned char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
            i += 4;
        } else {
            s[n++] = s[i++];
        }
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *dec;
    nm_strbuf b;
    size_t n;

    nm_strbuf_init(&b);
    /* Something in front, so appending to a non-empty buffer is covered. */
    if (nm_strbuf_puts(&b, "x{device=\"") != 0) {
        nm_strbuf_free(&b);
        return 0;
    }
    if (nm_expfmt_put_label_value(&b, (const char *)data, size) != 0) {
        nm_strbuf_free(&b);
        return 0; /* out of memory: nothing to check */
    }
    n = b.len - 10;
    if (n > NM_EXPFMT_LABEL_VALUE_MAX(size))
        nm_fuzz_fail("escaped value longer than NM_EXPFMT_LABEL_VALUE_MAX");
    if (b.data[b.len] != '\0')
        nm_fuzz_fail("buffer not NUL-terminated");
    if (!nm_fuzz_utf8_valid((const unsigned char *)b.data + 10, n))
        nm_fuzz_fail("escaped value is not valid UTF-8");
    dec = malloc(n ? n : 1);
    if (!dec)
        nm_fuzz_fail("out of memory");
    n = unescape_exposition((const unsigned char *)b.data + 10, n, dec);
    n = unescape_bytes(dec, n);
    if (n != size || (size > 0 && memcmp(dec, data, size) != 0))
        nm_fuzz_fail("escaping is not reversible: two names could share a series");
    free(dec);
    nm_strbuf_free(&b);
    return 0;
}

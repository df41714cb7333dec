/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the --web.config.file parser (webconfig.c) and the
 * Authorization header decoder (basicauth.c), on the same bytes, each from
 * an exact-size heap copy so AddressSanitizer sees any read past the end.
 * A parse either fails with a one-line printable message that starts with
 * its line, or yields a configuration that keeps the schema's promises:
 * TLS has a certificate and a key, versions are ordered, only the allowed
 * headers with clean values, bcrypt hashes of the right shape. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "basicauth.h"
#include "fuzz_common.h"
#include "webconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_config(const nm_webconfig *c)
{
    static const char *const allowed[] = {"Content-Security-Policy", "Strict-Transport-Security",
                                          "X-Content-Type-Options", "X-Frame-Options",
                                          "X-XSS-Protection"};
    size_t i, k;

    if (!nm_webconfig_priorities(c) || strncmp(nm_webconfig_priorities(c), "NORMAL:", 7) != 0)
        nm_fuzz_fail("no GnuTLS priority string");
    if (nm_webconfig_min_version(c) > nm_webconfig_max_version(c))
        nm_fuzz_fail("min_version above max_version");
    if (nm_webconfig_tls(c)) {
        if (!nm_webconfig_cert_file(c) && !nm_webconfig_cert_pem(c))
            nm_fuzz_fail("TLS without a certificate");
        if (!nm_webconfig_key_file(c) && !nm_webconfig_key_pem(c))
            nm_fuzz_fail("TLS without a key");
    }
    if (nm_webconfig_header_count(c) > 5)
        nm_fuzz_fail("more headers than there are allowed names");
    for (i = 0; i < nm_webconfig_header_count(c); i++) {
        const char *name, *value;

        nm_webconfig_header(c, i, &name, &value);
        for (k = 0; k < 5 && strcmp(name, allowed[k]) != 0; k++)
            ;
        if (k == 5)
            nm_fuzz_fail("a header outside the allowed set");
        if (!value[0])
            nm_fuzz_fail("an empty header value is kept");
        for (k = 0; value[k]; k++) {
            unsigned char ch = (unsigned char)value[k];

            if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                nm_fuzz_fail("a control character in a header value");
        }
    }
    for (i = 0; i < nm_webconfig_user_count(c); i++) {
        const char *name, *hash;

        nm_webconfig_user(c, i, &name, &hash);
        if (strchr(name, ':'))
            nm_fuzz_fail("a user name with a colon");
        if (strlen(hash) != 60 || strncmp(hash, "$2", 2) != 0)
            nm_fuzz_fail("a password that is not a bcrypt hash");
    }
}

static void check_error(const char *err)
{
    size_t i, n = strnlen(err, NM_WEBCONFIG_ERROR_MAX);

    if (n == NM_WEBCONFIG_ERROR_MAX)
        nm_fuzz_fail("error message not NUL-terminated");
    if (n == 0)
        nm_fuzz_fail("failure without a message");
    if (strncmp(err, "line ", 5) != 0 && strcmp(err, "out of memory") != 0)
        nm_fuzz_fail("error message does not start with its line");
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)err[i];

        if (ch < 0x20 || ch >= 0x7f)
            nm_fuzz_fail("error message is not one printable line");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[NM_WEBCONFIG_ERROR_MAX];
    nm_webconfig *c = NULL;
    const char *user, *pass;
    char *copy, *buf;

    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    memset(err, 'X', sizeof err);
    if (nm_webconfig_parse(copy, size, &c, err, sizeof err) == 0) {
        if (!c)
            nm_fuzz_fail("success without a configuration");
        check_config(c);
        nm_webconfig_free(c);
    } else {
        if (c)
            nm_fuzz_fail("failure left a configuration");
        check_error(err);
    }

    buf = nm_basicauth_decode(copy, size, &user, &pass);
    if (buf) {
        if (strchr(user, ':'))
            nm_fuzz_fail("decoded user holds a colon");
        nm_basicauth_wipe_free(buf);
    }
    free(copy);
    return 0;
}

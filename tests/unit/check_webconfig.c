/* SPDX-License-Identifier: MIT */
/* Unit tests of --web.config.file: the YAML schema (webconfig.c), the file
 * loader with its relative paths and TLS material (tlsserver.c) and basic
 * authentication (basicauth.c). Every error is checked with its line.
 * Inputs are parsed from heap copies of exactly their length, so a read
 * past the end is an ASan error rather than luck.
 *
 * tests/fixtures/webconfig/ holds a CA, a server certificate it signed and
 * its key, and an unrelated key, made once with openssl (EC P-256, 100
 * years): req -x509 for the CA; req + x509 -req for the server; genpkey
 * for other.key. */
#include "config.h"

#include <check.h>
#include <crypt.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "basicauth.h"
#include "options.h"
#include "tlsserver.h"
#include "webconfig.h"

#define FIXTURES NM_FIXTURES_DIR "/webconfig"

/* A bcrypt hash of pw at cost, made here with the system's crypt. */
static void make_hash(const char *pw, unsigned long cost, char *out, size_t size)
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data cd;
    const char *h;

    ck_assert_ptr_nonnull(crypt_gensalt_rn("$2b$", cost, NULL, 0, setting, sizeof setting));
    memset(&cd, 0, sizeof cd);
    h = crypt_rn(pw, setting, &cd, sizeof cd);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_lt(strlen(h), size);
    snprintf(out, size, "%s", h);
}

/* Parses text from a heap buffer of exactly its length. */
static int parse(const char *text, nm_webconfig **out, char *err, size_t errsize)
{
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, len);
    rc = nm_webconfig_parse(copy, len, out, err, errsize);
    free(copy);
    return rc;
}

static nm_webconfig *parse_ok(const char *text)
{
    char err[NM_WEBCONFIG_ERROR_MAX];
    nm_webconfig *c = NULL;

    if (parse(text, &c, err, sizeof err) != 0)
        ck_abort_msg("parse failed: %s\n--- input ---\n%s", err, text);
    ck_assert_ptr_nonnull(c);
    return c;
}

static void parse_fails(const char *text, const char *want)
{
    char err[NM_WEBCONFIG_ERROR_MAX];
    nm_webconfig *c = (nm_webconfig *)&err; /* must be reset to NULL */

    if (parse(text, &c, err, sizeof err) == 0) {
        nm_webconfig_free(c);
        ck_abort_msg("parse succeeded, want \"%s\"\n--- input ---\n%s", want, text);
    }
    ck_assert_ptr_null(c);
    if (!strstr(err, want))
        ck_abort_msg("error \"%s\" lacks \"%s\"\n--- input ---\n%s", err, want, text);
}

/* ------------------------------------------------------------ valid files -- */

START_TEST(test_empty)
{
    static const char *const empty[] = {"", "\n", "# only a comment\n", "~\n", "---\n",
                                        "---\n...\n", "tls_server_config:\n",
                                        "http_server_config: ~\nbasic_auth_users: {}\n"};
    size_t i;

    for (i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        nm_webconfig *c = parse_ok(empty[i]);

        ck_assert_int_eq(nm_webconfig_tls(c), 0);
        ck_assert_uint_eq(nm_webconfig_user_count(c), 0);
        ck_assert_uint_eq(nm_webconfig_header_count(c), 0);
        ck_assert_int_eq(nm_webconfig_http2(c), 1);
        nm_webconfig_free(c);
    }
}
END_TEST

START_TEST(test_full)
{
    char hash[128], text[2048];
    const char *name, *value;
    nm_webconfig *c;

    make_hash("pw", 4, hash, sizeof hash);
    snprintf(text, sizeof text,
             "# comment\n"
             "tls_server_config:\n"
             "  cert_file: tls/server.crt\n"
             "  key_file: /abs/server.key\n"
             "  client_auth_type: RequireAndVerifyClientCert\n"
             "  client_ca_file: 'ca.pem'\n"
             "  min_version: TLS13\n"
             "  max_version: TLS13\n"
             "  curve_preferences: [X25519, CurveP384]\n"
             "  prefer_server_cipher_suites: false\n"
             "  cipher_suites: []\n"
             "  client_allowed_sans: ~\n"
             "http_server_config:\n"
             "  http2: false\n"
             "  headers:\n"
             "    X-Frame-Options: sameorigin\n"
             "    X-Content-Type-Options: nosniff\n"
             "    Content-Security-Policy: \"default-src 'none'\"\n"
             "    Strict-Transport-Security: ''\n"
             "basic_auth_users:\n"
             "  alice: %s\n"
             "  \"bob smith\": '%s'\n",
             hash, hash);
    c = parse_ok(text);
    ck_assert_int_eq(nm_webconfig_tls(c), 1);
    ck_assert_str_eq(nm_webconfig_cert_file(c), "tls/server.crt"); /* parse keeps it */
    ck_assert_str_eq(nm_webconfig_key_file(c), "/abs/server.key");
    ck_assert_str_eq(nm_webconfig_client_ca_file(c), "ca.pem");
    ck_assert_ptr_null(nm_webconfig_cert_pem(c)); /* files are read by the loader */
    ck_assert_int_eq(nm_webconfig_client_auth(c), NM_CLIENT_AUTH_REQUIRE_VERIFY);
    ck_assert_int_eq(nm_webconfig_min_version(c), NM_TLS13);
    ck_assert_int_eq(nm_webconfig_max_version(c), NM_TLS13);
    ck_assert_str_eq(nm_webconfig_priorities(c),
                     "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1");
    ck_assert_int_eq(nm_webconfig_http2(c), 0);
    /* the blank Strict-Transport-Security is not sent */
    ck_assert_uint_eq(nm_webconfig_header_count(c), 3);
    nm_webconfig_header(c, 0, &name, &value);
    ck_assert_str_eq(name, "X-Frame-Options");
    ck_assert_str_eq(value, "sameorigin");
    nm_webconfig_header(c, 2, &name, &value);
    ck_assert_str_eq(name, "Content-Security-Policy");
    ck_assert_str_eq(value, "default-src 'none'");
    ck_assert_uint_eq(nm_webconfig_user_count(c), 2);
    nm_webconfig_user(c, 1, &name, &value);
    ck_assert_str_eq(name, "bob smith");
    ck_assert_str_eq(value, hash);
    nm_webconfig_free(c);
}
END_TEST

START_TEST(test_tls_defaults)
{
    nm_webconfig *c = parse_ok("tls_server_config:\n  cert: |\n    inline\n  key_file: k\n");

    ck_assert_int_eq(nm_webconfig_tls(c), 1);
    ck_assert_str_eq(nm_webconfig_cert_pem(c), "inline\n");
    ck_assert_ptr_null(nm_webconfig_cert_file(c));
    ck_assert_int_eq(nm_webconfig_client_auth(c), NM_CLIENT_AUTH_NONE);
    ck_assert_int_eq(nm_webconfig_min_version(c), NM_TLS12);
    ck_assert_int_eq(nm_webconfig_max_version(c), NM_TLS13);
    ck_assert_str_eq(nm_webconfig_priorities(c), "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2");
    nm_webconfig_free(c);

    /* every version in the range, newest first */
    c = parse_ok("tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS10\n"
                 "  max_version: TLS12\n");
    ck_assert_str_eq(nm_webconfig_priorities(c),
                     "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0");
    nm_webconfig_free(c);

    /* TLS settings without any of the keys that turn TLS on: plain HTTP,
     * as in exporter-toolkit */
    c = parse_ok("tls_server_config:\n  min_version: TLS13\n");
    ck_assert_int_eq(nm_webconfig_tls(c), 0);
    nm_webconfig_free(c);

    /* Go's old name for RequireAnyClientCert */
    c = parse_ok("tls_server_config:\n  cert_file: c\n  key_file: k\n"
                 "  client_auth_type: RequireClientCert\n");
    ck_assert_int_eq(nm_webconfig_client_auth(c), NM_CLIENT_AUTH_REQUIRE_ANY);
    nm_webconfig_free(c);

    /* modes that need no CA */
    c = parse_ok("tls_server_config:\n  cert_file: c\n  key_file: k\n"
                 "  client_auth_type: RequestClientCert\n");
    ck_assert_int_eq(nm_webconfig_client_auth(c), NM_CLIENT_AUTH_REQUEST);
    nm_webconfig_free(c);
}
END_TEST

/* The example shipped in etc/ is valid as it stands. */
START_TEST(test_shipped_example)
{
    char err[NM_WEBCONFIG_ERROR_MAX], *data;
    const char *path = NM_FIXTURES_DIR "/../../etc/web-config.yml";
    nm_webconfig *c = NULL;
    FILE *f = fopen(path, "rb");
    size_t len;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    data = malloc(65536);
    ck_assert_ptr_nonnull(data);
    len = fread(data, 1, 65536, f);
    fclose(f);
    if (nm_webconfig_parse(data, len, &c, err, sizeof err) != 0)
        ck_abort_msg("etc/web-config.yml: %s", err);
    free(data);
    ck_assert_int_eq(nm_webconfig_tls(c), 1);
    ck_assert_int_eq(nm_webconfig_client_auth(c), NM_CLIENT_AUTH_REQUIRE_VERIFY);
    ck_assert_uint_ge(nm_webconfig_header_count(c), 1);
    nm_webconfig_free(c);
}
END_TEST

/* ---------------------------------------------------------------- errors -- */

static const struct {
    const char *text;
    const char *want;
} error_cases[] = {
    /* keys */
    {"foo: 1\n", "line 1: unknown key \"foo\""},
    {"tls_server_config:\n  cert_file: a\n  key_file: b\n  foo: c\n",
     "line 4: unknown key \"foo\" in tls_server_config"},
    {"http_server_config:\n\n  http3: true\n",
     "line 3: unknown key \"http3\" in http_server_config"},
    {"rate_limit:\n  burst: 1\n", "line 1: rate_limit is not supported"},
    {"tls_server_config: ~\ntls_server_config: ~\n", "line 2: duplicate key \"tls_server_config\""},
    {"tls_server_config:\n  cert_file: a\n  key_file: b\n  cert_file: c\n",
     "line 4: duplicate key \"cert_file\" in tls_server_config"},
    {"http_server_config:\n  headers:\n    X-Frame-Options: deny\n    X-Frame-Options: deny\n",
     "line 4: duplicate key \"X-Frame-Options\" in headers"},
    {"? [a, b]\n: c\n", "line 1: a key in the top level must be a string, not a list"},
    {"\"a\\0b\": 1\n", "line 1: a key in the top level holds a NUL character"},
    /* types */
    {"- a\n- b\n", "line 1: the top level must be a mapping, not a list"},
    {"just text\n", "line 1: the top level must be a mapping, not a string"},
    {"tls_server_config: [a]\n", "line 1: tls_server_config must be a mapping, not a list"},
    {"tls_server_config:\n  cert_file:\n    a: b\n",
     "line 3: cert_file must be a string, not a mapping"},
    {"tls_server_config:\n  key_file: [x]\n", "line 2: key_file must be a string, not a list"},
    {"http_server_config:\n  http2: yes please\n", "line 2: http2 must be true or false"},
    {"http_server_config:\n  http2: \"true\"\n", "line 2: http2 must be true or false"},
    {"http_server_config:\n  headers: nosniff\n",
     "line 2: headers must be a mapping, not a string"},
    {"basic_auth_users: [a]\n", "line 1: basic_auth_users must be a mapping, not a list"},
    {"tls_server_config:\n  curve_preferences: X25519\n",
     "line 2: curve_preferences must be a list, not a string"},
    {"tls_server_config:\n  cert_file: !!int 5\n", "line 2: cert_file: unsupported YAML tag"},
    {"tls_server_config:\n  cert_file: !custom x\n", "line 2: cert_file: unsupported YAML tag"},
    {"tls_server_config:\n  cert_file: \"a\\0b\"\n", "line 2: cert_file holds a NUL character"},
    /* TLS rules */
    {"tls_server_config:\n  cert_file: c\n", "line 1: tls_server_config needs key_file"},
    {"\ntls_server_config:\n  key_file: k\n", "line 2: tls_server_config needs cert_file"},
    {"tls_server_config:\n  client_auth_type: NoClientCert\n",
     "line 1: tls_server_config needs cert_file"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  cert: x\n",
     "line 4: cert and cert_file are both set"},
    {"tls_server_config:\n  client_ca: x\n  cert_file: c\n  key_file: k\n  client_ca_file: y\n",
     "line 5: client_ca_file and client_ca are both set"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Always\n",
     "line 4: client_auth_type \"Always\" is not one of"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca\n",
     "line 4: client_ca_file is set but client_auth_type is NoClientCert"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n"
     "  client_auth_type: RequireAndVerifyClientCert\n",
     "line 4: client_auth_type RequireAndVerifyClientCert needs client_ca_file"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n"
     "  client_auth_type: VerifyClientCertIfGiven\n",
     "line 4: client_auth_type VerifyClientCertIfGiven needs client_ca_file"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS14\n",
     "line 4: min_version \"TLS14\" is not one of TLS10, TLS11, TLS12, TLS13"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  max_version: tls13\n",
     "line 4: max_version \"tls13\" is not one of"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n"
     "  max_version: TLS12\n",
     "line 4: min_version TLS13 is above max_version TLS12"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  max_version: TLS11\n",
     "line 4: min_version TLS12 is above max_version TLS11"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites:\n"
     "    - TLS_AES_128_GCM_SHA256\n",
     "line 5: cipher_suites is not supported"},
    {"tls_server_config:\n  cert_file: c\n  key_file: k\n  client_allowed_sans: [a]\n",
     "line 4: client_allowed_sans is not supported"},
    {"tls_server_config:\n  curve_preferences: [X25519, CurveP999]\n",
     "line 2: unknown curve \"CurveP999\""},
    {"tls_server_config:\n  curve_preferences:\n    - X25519\n    - X25519\n",
     "line 4: curve \"X25519\" is listed twice"},
    {"tls_server_config:\n  curve_preferences: [[X25519]]\n",
     "line 2: a curve_preferences item must be a string, not a list"},
    {"tls_server_config:\n  prefer_server_cipher_suites: 1\n",
     "line 2: prefer_server_cipher_suites must be true or false"},
    /* headers */
    {"http_server_config:\n  headers:\n    Server: x\n",
     "line 3: header \"Server\" cannot be configured"},
    {"http_server_config:\n  headers:\n    x-frame-options: deny\n",
     "line 3: header \"x-frame-options\" cannot be configured"},
    {"http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
     "line 3: header X-Frame-Options: \"allow\" is not one of deny, sameorigin"},
    {"http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
     "line 3: header X-Content-Type-Options: \"sniff\" is not one of nosniff"},
    {"http_server_config:\n  headers:\n    Content-Security-Policy: \"a\\r\\nSet-Cookie: x\"\n",
     "line 3: header Content-Security-Policy: value holds a control character"},
    /* users */
    {"basic_auth_users:\n  alice: secret\n",
     "line 2: password of user \"alice\" is not a bcrypt hash"},
    {"basic_auth_users:\n  alice:\n", "line 2: user \"alice\" has no password hash"},
    {"basic_auth_users:\n  alice: $2b$03$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n",
     "is not a bcrypt hash"},
    {"basic_auth_users:\n  alice: $2x$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n",
     "is not a bcrypt hash"},
    {"basic_auth_users:\n  alice: $2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123!\n",
     "is not a bcrypt hash"},
    {"basic_auth_users:\n  \"a:b\": $2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n",
     "line 2: user name \"a:b\" holds a colon"},
    {"basic_auth_users:\n"
     "  bob: $2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n"
     "  alice: $2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n"
     "  bob: $2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n",
     "line 4: duplicate user \"bob\" in basic_auth_users"},
    /* YAML itself */
    {"tls_server_config:\n  cert_file: [a\n", "line 3: invalid YAML"},
    {"a: b\nc d\n", "line 2: invalid YAML"},
    {"a: 'unterminated\n\n", "line 1: invalid YAML: while scanning a quoted scalar"},
    {"tls_server_config:\n  curve_preferences: [[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]\n",
     "line 2: nested deeper than 16 levels"},
    {"basic_auth_users: *nothing\n", "invalid YAML"},
    {"tls_server_config: ~\n---\nfoo: 1\n", "line 3: a second YAML document"},
    {"tls_server_config: ~\n--- [\n", "invalid YAML"},
    {"a: \"\xff\"\n", "invalid YAML"},
};

START_TEST(test_errors)
{
    parse_fails(error_cases[_i].text, error_cases[_i].want);
}
END_TEST

/* Messages stay one printable line, whatever the key held. */
START_TEST(test_error_shown_safely)
{
    char err[NM_WEBCONFIG_ERROR_MAX];
    nm_webconfig *c;
    size_t i;

    ck_assert_int_eq(parse("\"a\\tb\\u00e9\\x01cccccccccccccccccccccccccccccccccccccccc"
                           "cccccccccccccccccccccccccccccccccc\": 1\n",
                           &c, err, sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "unknown key \"a?b???cccc") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "...\"") != NULL, "%s", err);
    for (i = 0; err[i]; i++)
        ck_assert_msg((unsigned char)err[i] >= 0x20 && (unsigned char)err[i] < 0x7f, "%s", err);
    /* a tiny buffer is cut, not overrun */
    ck_assert_int_eq(parse("foo: 1\n", &c, err, 5), -1);
    ck_assert_str_eq(err, "line");
    ck_assert_int_eq(parse("foo: 1\n", &c, NULL, 0), -1);
}
END_TEST

/* ---------------------------------------------------------------- hostile -- */

START_TEST(test_hostile)
{
    char err[NM_WEBCONFIG_ERROR_MAX];
    nm_webconfig *c;
    char *text;
    size_t n, i;

    /* deep nesting */
    n = 100000;
    text = malloc(2 * n + 32);
    ck_assert_ptr_nonnull(text);
    memcpy(text, "tls_server_config: ", 19);
    memset(text + 19, '[', n);
    memset(text + 19 + n, ']', n);
    ck_assert_int_eq(nm_webconfig_parse(text, 19 + 2 * n, &c, err, sizeof err), -1);
    free(text);

    /* a NUL byte and bytes that are not UTF-8 in the raw input */
    ck_assert_int_eq(nm_webconfig_parse("a: b\0c: d\n", 10, &c, err, sizeof err), -1);
    ck_assert_int_eq(nm_webconfig_parse("\xc3\x28: x\n", 6, &c, err, sizeof err), -1);

    /* an alias loop and a "billion laughs" of aliases: the walk has a fixed
     * depth, so neither loops nor explodes */
    parse_fails("tls_server_config:\n  curve_preferences: &a [*a]\n",
                "a curve_preferences item must be a string, not a list");
    parse_fails("x: &a {tls_server_config: *a}\n", "unknown key \"x\"");
    parse_fails("a0: &a0 [x, x, x, x, x, x, x, x]\n"
                "a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n"
                "a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n"
                "a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n"
                "a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n"
                "a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n"
                "a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\n"
                "a7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n"
                "a8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]\n",
                "unknown key \"a0\"");
    parse_fails("tls_server_config:\n  curve_preferences: &c [X25519]\n"
                "  client_allowed_sans: *c\n",
                "client_allowed_sans is not supported");

    /* many users through one aliased hash: accepted, duplicates found by
     * sorting, not by comparing every pair */
    n = 20000;
    text = malloc(n * 16 + 128);
    ck_assert_ptr_nonnull(text);
    i = (size_t)sprintf(text, "basic_auth_users:\n  u0: &h "
                              "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n");
    {
        size_t k;

        for (k = 1; k < n; k++)
            i += (size_t)sprintf(text + i, "  u%zu: *h\n", k);
        c = NULL;
        if (nm_webconfig_parse(text, i, &c, err, sizeof err) != 0)
            ck_abort_msg("%s", err);
        ck_assert_uint_eq(nm_webconfig_user_count(c), n);
        nm_webconfig_free(c);
        i += (size_t)sprintf(text + i, "  u%zu: *h\n", n / 2);
        ck_assert_int_eq(nm_webconfig_parse(text, i, &c, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "duplicate user \"u10000\"") != NULL, "%s", err);
    }
    free(text);
}
END_TEST

/* ---------------------------------------------------------------- loader -- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_webconfig.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
}

static char *read_fixture(const char *name)
{
    char path[512], *buf = malloc(8192);
    FILE *f;
    size_t n;

    ck_assert_ptr_nonnull(buf);
    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    n = fread(buf, 1, 8191, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void copy_fixture(const char *name, const char *to)
{
    char *text = read_fixture(name);

    write_file(to, text);
    free(text);
}

static int load(const char *name, nm_webconfig **c, char *err, size_t errsize)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return nm_webconfig_load(path, c, err, errsize);
}

static void load_fails(const char *name, const char *want)
{
    char err[NM_WEBCONFIG_ERROR_MAX], prefix[256];
    nm_webconfig *c = NULL;

    ck_assert_int_eq(load(name, &c, err, sizeof err), -1);
    ck_assert_ptr_null(c);
    snprintf(prefix, sizeof prefix, "web config %s/%s", tmpdir, name);
    ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0, "\"%s\" lacks \"%s\"", err, prefix);
    ck_assert_msg(strstr(err, want) != NULL, "\"%s\" lacks \"%s\"", err, want);
}

START_TEST(test_load_relative)
{
    char err[NM_WEBCONFIG_ERROR_MAX], want[256], sub[128];
    nm_webconfig *c = NULL;
    char *cert = read_fixture("server.pem");

    make_tmpdir();
    snprintf(sub, sizeof sub, "%s/tls", tmpdir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    copy_fixture("server.pem", "tls/server.pem");
    copy_fixture("server.key", "tls/server.key");
    copy_fixture("ca.pem", "ca.pem");
    write_file("web.yml", "tls_server_config:\n"
                          "  cert_file: tls/server.pem\n"
                          "  key_file: ./tls/server.key\n"
                          "  client_auth_type: VerifyClientCertIfGiven\n"
                          "  client_ca_file: ca.pem\n");
    if (load("web.yml", &c, err, sizeof err) != 0)
        ck_abort_msg("%s", err);
    snprintf(want, sizeof want, "%s/tls/server.pem", tmpdir);
    ck_assert_str_eq(nm_webconfig_cert_file(c), want);
    snprintf(want, sizeof want, "%s/./tls/server.key", tmpdir);
    ck_assert_str_eq(nm_webconfig_key_file(c), want);
    snprintf(want, sizeof want, "%s/ca.pem", tmpdir);
    ck_assert_str_eq(nm_webconfig_client_ca_file(c), want);
    ck_assert_str_eq(nm_webconfig_cert_pem(c), cert);
    ck_assert_ptr_nonnull(strstr(nm_webconfig_key_pem(c), "PRIVATE KEY"));
    ck_assert_ptr_nonnull(strstr(nm_webconfig_client_ca_pem(c), "CERTIFICATE"));
    nm_webconfig_free(c);

    /* an absolute path is kept as it is */
    snprintf(want, sizeof want,
             "tls_server_config:\n  cert_file: %s/tls/server.pem\n  key_file: tls/server.key\n",
             tmpdir);
    write_file("abs.yml", want);
    if (load("abs.yml", &c, err, sizeof err) != 0)
        ck_abort_msg("%s", err);
    snprintf(want, sizeof want, "%s/tls/server.pem", tmpdir);
    ck_assert_str_eq(nm_webconfig_cert_file(c), want);
    nm_webconfig_free(c);

    /* no TLS: nothing is read */
    write_file("plain.yml", "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
    if (load("plain.yml", &c, err, sizeof err) != 0)
        ck_abort_msg("%s", err);
    ck_assert_int_eq(nm_webconfig_tls(c), 0);
    nm_webconfig_free(c);
    free(cert);
    remove_tmpdir();
}
END_TEST

START_TEST(test_load_errors)
{
    char err[NM_WEBCONFIG_ERROR_MAX], text[512], sub[128];
    nm_webconfig *c = NULL;

    make_tmpdir();
    copy_fixture("server.pem", "server.pem");
    copy_fixture("server.key", "server.key");
    copy_fixture("other.key", "other.key");
    copy_fixture("ca.pem", "ca.pem");

    /* the file itself */
    ck_assert_int_eq(nm_webconfig_load("/nonexistent/web.yml", &c, err, sizeof err), -1);
    ck_assert_str_eq(err,
                     "web config /nonexistent/web.yml: cannot read: No such file or directory");
    snprintf(sub, sizeof sub, "%s/dir.yml", tmpdir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    load_fails("dir.yml", ": cannot read: Is a directory");
    write_file("syntax.yml", "tls_server_config:\n  cert_file: a\n  oops\n");
    load_fails("syntax.yml", "syntax.yml:3: invalid YAML: while scanning a simple key");
    write_file("unknown.yml", "# comment\n\ntls_server_config:\n  cert_file: a\n  kee_file: b\n");
    load_fails("unknown.yml", "unknown.yml:5: unknown key \"kee_file\" in tls_server_config");

    /* the files it names */
    write_file("missing.yml", "tls_server_config:\n  cert_file: server.pem\n"
                              "  key_file: nothere.key\n");
    snprintf(text, sizeof text,
             "missing.yml:3: cannot read key_file \"%s/nothere.key\": No such file", tmpdir);
    load_fails("missing.yml", text);
    write_file("pair.yml",
               "tls_server_config:\n\n  cert_file: server.pem\n  key_file: other.key\n");
    load_fails("pair.yml", "pair.yml:3: cert_file and key_file: not a usable certificate and key");
    write_file("junk.pem", "not PEM\n");
    write_file("junk.yml", "tls_server_config:\n  cert_file: junk.pem\n  key_file: server.key\n");
    load_fails("junk.yml", "junk.yml:2: cert_file and key_file:");
    write_file("inline.yml", "tls_server_config:\n  cert: junk\n  key_file: server.key\n");
    load_fails("inline.yml", "inline.yml:2: cert and key_file:");
    write_file("ca.yml", "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
                         "  client_auth_type: RequireAndVerifyClientCert\n"
                         "  client_ca_file: server.key\n");
    load_fails("ca.yml", "ca.yml:5: client_ca_file: holds no PEM certificate");
    write_file("nul.pem", "");
    snprintf(sub, sizeof sub, "%s/nul.pem", tmpdir);
    {
        FILE *f = fopen(sub, "wb");

        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite("a\0b", 1, 3, f), 3);
        fclose(f);
    }
    write_file("nul.yml", "tls_server_config:\n  cert_file: nul.pem\n  key_file: server.key\n");
    load_fails("nul.yml", "nul.yml:2: cert_file");
    load_fails("nul.yml", "is not PEM text");
    write_file("dev.yml", "tls_server_config:\n  cert_file: /dev/zero\n  key_file: server.key\n");
    load_fails("dev.yml", "dev.yml:2: cannot read cert_file \"/dev/zero\": not a regular file");
    remove_tmpdir();
}
END_TEST

/* ------------------------------------------------------------- tlsserver -- */

START_TEST(test_tls_checks)
{
    char why[256];
    char *cert = read_fixture("server.pem"), *key = read_fixture("server.key");
    char *other = read_fixture("other.key"), *ca = read_fixture("ca.pem");

    ck_assert_int_eq(nm_tls_check_keypair(cert, key, why, sizeof why), 0);
    ck_assert_int_eq(nm_tls_check_keypair(cert, other, why, sizeof why), -1);
    ck_assert_int_eq(nm_tls_check_keypair(key, cert, why, sizeof why), -1);
    ck_assert_int_eq(nm_tls_check_keypair("", "", why, sizeof why), -1);
    ck_assert_int_eq(nm_tls_check_ca(ca, why, sizeof why), 1);
    ck_assert_int_eq(nm_tls_check_ca(key, why, sizeof why), -1);
    ck_assert_str_eq(why, "holds no PEM certificate");
    ck_assert_int_eq(nm_tls_check_priorities("NORMAL:-VERS-ALL:+VERS-TLS1.3", why, sizeof why), 0);
    ck_assert_int_eq(nm_tls_check_priorities("NORMAL:+NONSENSE", why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "NONSENSE"));
    ck_assert_ptr_nonnull(nm_tls_library_version());
    free(cert);
    free(key);
    free(other);
    free(ca);
}
END_TEST

/* ------------------------------------------------------------- basicauth -- */

static const struct {
    const char *header;
    const char *user; /* NULL: refused */
    const char *pass;
} decode_cases[] = {
    {"Basic dXNlcjpwYXNz", "user", "pass"},
    {"basic dXNlcjpwYXNz", "user", "pass"},
    {"BASIC \t dXNlcjpwYXNz  ", "user", "pass"},
    {"Basic YTpiOmM=", "a", "b:c"},     /* the password may hold colons */
    {"Basic OnBhc3M=", "", "pass"},     /* empty user */
    {"Basic dXNlcjo=", "user", ""},     /* empty password */
    {"Basic w6k6w6k=", "\xc3\xa9", "\xc3\xa9"},
    {"Basic dXNlcjpwYXNz=", NULL, NULL}, /* bad length */
    {"Basic dXNlcjpwYXM", NULL, NULL},   /* padding missing */
    {"Basic YTpiOmM", NULL, NULL},
    {"Basic dXNl*jpwYXNz", NULL, NULL},
    {"Basic dXNlcg==", NULL, NULL},      /* no colon */
    {"Basic YQBiOmM=", NULL, NULL},      /* NUL in the user */
    {"Basic YTpiAGM=", NULL, NULL},      /* NUL in the password */
    {"Basic =dXNlcjpwYXNz", NULL, NULL},
    {"Basic ab=c", NULL, NULL},
    {"Basic", NULL, NULL},
    {"Basic ", NULL, NULL},
    {"Basicdxnl", NULL, NULL},
    {"Bearer dXNlcjpwYXNz", NULL, NULL},
    {"", NULL, NULL},
};

START_TEST(test_decode)
{
    const char *h = decode_cases[_i].header, *user, *pass;
    size_t len = strlen(h);
    char *copy = malloc(len ? len : 1), *buf;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, h, len);
    buf = nm_basicauth_decode(copy, len, &user, &pass);
    if (!decode_cases[_i].user) {
        ck_assert_msg(buf == NULL, "\"%s\" accepted", h);
    } else {
        ck_assert_msg(buf != NULL, "\"%s\" refused", h);
        ck_assert_str_eq(user, decode_cases[_i].user);
        ck_assert_str_eq(pass, decode_cases[_i].pass);
    }
    nm_basicauth_wipe_free(buf);
    free(copy);
}
END_TEST

static char *basic_header(const char *user, const char *pass)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char raw[256], *out;
    size_t n, i, o = 6;

    n = (size_t)snprintf(raw, sizeof raw, "%s:%s", user, pass);
    out = malloc(6 + (n + 2) / 3 * 4 + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, "Basic ", 6);
    for (i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)raw[i] << 16;

        if (i + 1 < n)
            v |= (unsigned char)raw[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)raw[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

static int check_creds(nm_basicauth *a, const char *user, const char *pass)
{
    char *h = basic_header(user, pass);
    int ok = nm_basicauth_check(a, h);

    free(h);
    return ok;
}

static nm_basicauth *make_auth(unsigned long cost, nm_webconfig **cfg)
{
    char h1[128], h2[128], text[512], why[256];
    nm_basicauth *a = NULL;

    make_hash("right password", cost, h1, sizeof h1);
    make_hash("b's password", cost, h2, sizeof h2);
    snprintf(text, sizeof text, "basic_auth_users:\n  alice: %s\n  bob: %s\n", h1, h2);
    *cfg = parse_ok(text);
    if (nm_basicauth_new(*cfg, &a, why, sizeof why) != 0)
        ck_abort_msg("%s", why);
    return a;
}

START_TEST(test_auth)
{
    nm_webconfig *cfg;
    nm_basicauth *a = make_auth(4, &cfg);
    unsigned long runs, hits;

    nm_webconfig_free(cfg); /* the authenticator keeps its own copy */
    ck_assert_int_eq(nm_basicauth_check(a, NULL), 0);
    ck_assert_int_eq(nm_basicauth_check(a, "Basic !!!!"), 0);
    ck_assert_int_eq(check_creds(a, "alice", "wrong"), 0);
    ck_assert_int_eq(check_creds(a, "alice", "b's password"), 0); /* bob's */
    ck_assert_int_eq(check_creds(a, "mallory", "right password"), 0);
    ck_assert_int_eq(check_creds(a, "Alice", "right password"), 0);
    ck_assert_int_eq(check_creds(a, "alice", "right passwor"), 0);
    ck_assert_int_eq(check_creds(a, "alice", "right password "), 0);
    nm_basicauth_stats(a, &runs, &hits);
    /* every refusal, unknown user included, cost one bcrypt */
    ck_assert_uint_eq(runs, 6);
    ck_assert_uint_eq(hits, 0);

    ck_assert_int_eq(check_creds(a, "alice", "right password"), 1);
    ck_assert_int_eq(check_creds(a, "bob", "b's password"), 1);
    nm_basicauth_stats(a, &runs, &hits);
    ck_assert_uint_eq(runs, 8);
    /* the same credentials again: from the cache, no bcrypt */
    ck_assert_int_eq(check_creds(a, "alice", "right password"), 1);
    ck_assert_int_eq(check_creds(a, "bob", "b's password"), 1);
    nm_basicauth_stats(a, &runs, &hits);
    ck_assert_uint_eq(runs, 8);
    ck_assert_uint_eq(hits, 2);
    /* a cached user with a wrong password is still checked, and refused */
    ck_assert_int_eq(check_creds(a, "alice", "wrong"), 0);
    ck_assert_int_eq(check_creds(a, "bob", "right password"), 0);
    nm_basicauth_stats(a, &runs, &hits);
    ck_assert_uint_eq(runs, 10);
    nm_basicauth_free(a);
}
END_TEST

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An unknown user costs what a known user with a wrong password costs:
 * without the dummy hash it would be answered in microseconds, a thousand
 * times faster. Measured interleaved, fastest of several, with wide bounds:
 * the machine may be busy. */
START_TEST(test_auth_timing)
{
    nm_webconfig *cfg;
    nm_basicauth *a = make_auth(8, &cfg);
    double known = 1e9, unknown = 1e9;
    int i;

    for (i = 0; i < 7; i++) {
        double t0 = now_s(), t1, t2;

        ck_assert_int_eq(check_creds(a, "alice", "wrong"), 0);
        t1 = now_s();
        ck_assert_int_eq(check_creds(a, "mallory", "wrong"), 0);
        t2 = now_s();
        if (t1 - t0 < known)
            known = t1 - t0;
        if (t2 - t1 < unknown)
            unknown = t2 - t1;
    }
    ck_assert_msg(unknown > known * 0.25 && unknown < known * 4.0,
                  "wrong password %.4f s, unknown user %.4f s", known, unknown);
    nm_basicauth_free(a);
    nm_webconfig_free(cfg);
}
END_TEST

/* The cache is bounded: more distinct successes than slots evict the
 * least recently used. */
START_TEST(test_auth_cache_bound)
{
    enum { N = NM_BASICAUTH_CACHE_SLOTS + 1 };
    char hash[128], why[256], *text, user[16];
    nm_webconfig *cfg;
    nm_basicauth *a = NULL;
    unsigned long runs, hits;
    size_t n = 0;
    int i;

    make_hash("pw", 4, hash, sizeof hash);
    text = malloc(N * 96 + 32);
    ck_assert_ptr_nonnull(text);
    n += (size_t)sprintf(text, "basic_auth_users:\n");
    for (i = 0; i < N; i++)
        n += (size_t)sprintf(text + n, "  u%d: %s\n", i, hash);
    cfg = parse_ok(text);
    free(text);
    ck_assert_int_eq(nm_basicauth_new(cfg, &a, why, sizeof why), 0);
    nm_webconfig_free(cfg);
    for (i = 0; i < N; i++) {
        snprintf(user, sizeof user, "u%d", i);
        ck_assert_int_eq(check_creds(a, user, "pw"), 1);
    }
    nm_basicauth_stats(a, &runs, &hits);
    ck_assert_uint_eq(runs, N);
    /* u1..u64 are cached, u0 was evicted */
    ck_assert_int_eq(check_creds(a, "u64", "pw"), 1);
    ck_assert_int_eq(check_creds(a, "u1", "pw"), 1);
    nm_basicauth_stats(a, &runs, &hits);
    ck_assert_uint_eq(runs, N);
    ck_assert_uint_eq(hits, 2);
    ck_assert_int_eq(check_creds(a, "u0", "pw"), 1);
    nm_basicauth_stats(a, &runs, &hits);
    ck_assert_uint_eq(runs, N + 1);
    nm_basicauth_free(a);
}
END_TEST

static void *hammer(void *arg)
{
    nm_basicauth *a = arg;
    int i;

    for (i = 0; i < 10; i++) {
        if (check_creds(a, "alice", "right password") != 1 || check_creds(a, "bob", "x") != 0 ||
            check_creds(a, "eve", "x") != 0)
            return (void *)1;
    }
    return NULL;
}

START_TEST(test_auth_threads)
{
    nm_webconfig *cfg;
    nm_basicauth *a = make_auth(4, &cfg);
    pthread_t t[4];
    void *r;
    int i;

    for (i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, a), 0);
    for (i = 0; i < 4; i++) {
        ck_assert_int_eq(pthread_join(t[i], &r), 0);
        ck_assert_ptr_null(r);
    }
    nm_basicauth_free(a);
    nm_webconfig_free(cfg);
}
END_TEST

START_TEST(test_auth_new_needs_users)
{
    char why[256];
    nm_webconfig *cfg = parse_ok("");
    nm_basicauth *a = (nm_basicauth *)&why;

    ck_assert_int_eq(nm_basicauth_new(cfg, &a, why, sizeof why), -1);
    ck_assert_ptr_null(a);
    nm_webconfig_free(cfg);
}
END_TEST

/* The flag: a path, "" for none (a unit file's empty variable), absent by
 * default. The file itself is only read at start. */
START_TEST(test_flag)
{
    char prog[] = "netmetrics_exporter", path[] = "--web.config.file=/etc/netmetrics/web.yml";
    char empty[] = "--web.config.file=", bare[] = "--web.config.file";
    char *argv[3] = {prog, NULL, NULL};
    char err[NM_OPTIONS_ERROR_MAX];
    nm_options o;

    nm_options_init(&o);
    ck_assert_int_eq(nm_options_parse(&o, 1, argv, err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_ptr_null(o.web_config_file);
    argv[1] = path;
    ck_assert_int_eq(nm_options_parse(&o, 2, argv, err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_str_eq(o.web_config_file, "/etc/netmetrics/web.yml");
    argv[1] = empty;
    ck_assert_int_eq(nm_options_parse(&o, 2, argv, err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_ptr_null(o.web_config_file);
    argv[1] = bare;
    ck_assert_int_eq(nm_options_parse(&o, 2, argv, err, sizeof err), NM_OPTIONS_ERROR);
    ck_assert_str_eq(err, "missing value for --web.config.file");
}
END_TEST

static Suite *webconfig_suite(void)
{
    Suite *s = suite_create("webconfig");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_full);
    tcase_add_test(tc, test_tls_defaults);
    tcase_add_test(tc, test_shipped_example);
    tcase_add_loop_test(tc, test_errors, 0, (int)(sizeof error_cases / sizeof error_cases[0]));
    tcase_add_test(tc, test_error_shown_safely);
    tcase_add_test(tc, test_hostile);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("load");
    tcase_add_test(tc, test_load_relative);
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_tls_checks);
    tcase_add_test(tc, test_flag);
    suite_add_tcase(s, tc);

    tc = tcase_create("basicauth");
    tcase_add_loop_test(tc, test_decode, 0, (int)(sizeof decode_cases / sizeof decode_cases[0]));
    tcase_add_test(tc, test_auth);
    tcase_add_test(tc, test_auth_timing);
    tcase_add_test(tc, test_auth_cache_bound);
    tcase_add_test(tc, test_auth_threads);
    tcase_add_test(tc, test_auth_new_needs_users);
    /* bcrypt under valgrind is slow */
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(webconfig_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

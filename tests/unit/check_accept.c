/* SPDX-License-Identifier: MIT */
/* Unit tests of content negotiation (accept.c): tables of Accept and
 * Accept-Encoding headers as Prometheus, browsers, curl and broken clients
 * send them, each with the answer the exporter must give. Every header is
 * also parsed from a copy of exactly its length in a heap buffer, so a
 * read past len is an ASan error rather than luck. Tests run forked. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "accept.h"

static const char PROMETHEUS_2_42[] =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

static const struct {
    const char *hdr;
    nm_format want;
} format_cases[] = {
    {PROMETHEUS_2_42, NM_FORMAT_OPENMETRICS},
    /* Prometheus 3 style: protobuf first, then OpenMetrics above text */
    {"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;"
     "q=0.7,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
     "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;q=0.4,"
     "text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
     NM_FORMAT_OPENMETRICS},
    /* Prometheus with scrape_protocols: [PrometheusText0.0.4] */
    {"text/plain;version=0.0.4;q=1,*/*;q=0.1", NM_FORMAT_TEXT},
    /* browsers */
    {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
     NM_FORMAT_TEXT},
    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", NM_FORMAT_TEXT},
    /* curl, wget, absent */
    {"*/*", NM_FORMAT_TEXT},
    {"", NM_FORMAT_TEXT},
    {NULL, NM_FORMAT_TEXT},
    {"application/openmetrics-text", NM_FORMAT_OPENMETRICS},
    {"application/openmetrics-text; version=1.0.0; charset=utf-8", NM_FORMAT_OPENMETRICS},
    {"application/openmetrics-text;version=\"1.0.0\"", NM_FORMAT_OPENMETRICS},
    /* only a version we do not produce */
    {"application/openmetrics-text;version=0.0.1", NM_FORMAT_TEXT},
    {"application/openmetrics-text;version=2.0.0", NM_FORMAT_TEXT},
    {"application/openmetrics-text;charset=latin1", NM_FORMAT_TEXT},
    /* q=0: not acceptable, whatever else */
    {"application/openmetrics-text;q=0", NM_FORMAT_TEXT},
    {"application/openmetrics-text;version=1.0.0;q=0.000,*/*", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=0,text/plain;q=0", NM_FORMAT_TEXT},
    /* ranking: text above OpenMetrics, ties to OpenMetrics */
    {"text/plain;q=0.9,application/openmetrics-text;q=0.8", NM_FORMAT_TEXT},
    {"text/plain;q=0.8,application/openmetrics-text;q=0.8", NM_FORMAT_OPENMETRICS},
    {"application/openmetrics-text;q=0.5,*/*", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=0.5,text/*;q=0.501", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=0.5,text/*;q=0.5", NM_FORMAT_OPENMETRICS},
    /* the most specific range decides: text/plain;q=0 beats the wildcard */
    {"application/openmetrics-text;q=0.1,text/plain;q=0,*/*", NM_FORMAT_OPENMETRICS},
    /* wildcards alone never pick OpenMetrics */
    {"application/*", NM_FORMAT_TEXT},
    /* case-insensitive types and parameter names, spaces */
    {"APPLICATION/OpenMetrics-Text;VERSION=1.0.0;Q=1", NM_FORMAT_OPENMETRICS},
    {"  application/openmetrics-text ;  version=1.0.0 ; q=0.9 ,  text/plain ; q=0.5  ",
     NM_FORMAT_OPENMETRICS},
    {"\tapplication/openmetrics-text\t;\tq=1", NM_FORMAT_OPENMETRICS},
    {",,,application/openmetrics-text,,,", NM_FORMAT_OPENMETRICS},
    /* an overlong or out-of-range q spoils only its own element */
    {"application/openmetrics-text;q=0.1234", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=1.001", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=2", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=-1", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=", NM_FORMAT_TEXT},
    {"application/openmetrics-text;q=0.99999999999999999999999", NM_FORMAT_TEXT},
    {"text/plain;q=0.1234,application/openmetrics-text;q=0.2", NM_FORMAT_OPENMETRICS},
    {"application/openmetrics-text;q=0.1234,application/openmetrics-text;q=0.3",
     NM_FORMAT_OPENMETRICS},
    /* garbage */
    {"garbage", NM_FORMAT_TEXT},
    {";;;;====", NM_FORMAT_TEXT},
    {"/", NM_FORMAT_TEXT},
    {"*/openmetrics-text", NM_FORMAT_TEXT},
    {"application/openmetrics-text;version=\"1.0.0", NM_FORMAT_TEXT},
    {"application/openmetrics-text;version=\"1.0.0,\\\"\",application/openmetrics-text",
     NM_FORMAT_OPENMETRICS},
    {"application/openmetrics-text;version=1.0.0000000000000000000000000", NM_FORMAT_TEXT},
    {"application/openmetrics-text x", NM_FORMAT_TEXT},
    {"application/openmetrics-text;\xff=1", NM_FORMAT_TEXT},
    {"application/openmetrics-text;foo", NM_FORMAT_TEXT},
    {"bad element,application/openmetrics-text", NM_FORMAT_OPENMETRICS},
};

static const struct {
    const char *hdr;
    int want;
} gzip_cases[] = {
    {"gzip", 1},
    {"gzip;q=0", 0},
    {"deflate, gzip;q=0.5", 1},
    {"*", 1},
    {"identity", 0},
    {"", 0},
    {NULL, 0},
    {"gzip, deflate, br, zstd", 1},  /* browsers */
    {"deflate, gzip", 1},            /* curl --compressed */
    {"GZIP;Q=1.0", 1},
    {"x-gzip", 1},
    {"*;q=0", 0},
    {"gzip;q=0, *", 0},              /* named beats wildcard */
    {"*;q=0.1, gzip;q=0.000", 0},
    {"gzip;q=0.0001", 0},            /* malformed element ignored */
    {"gzip;q=1.5", 0},
    {" gzip ; q=0.001 ", 1},
    {"br;q=1, identity;q=0.5", 0},
    {"gzip\"", 0},
    {"gz ip", 0},
};

/* A heap copy of exactly the header's bytes, no terminator. */
static char *exact_copy(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);

    ck_assert_ptr_nonnull(p);
    memcpy(p, s, len);
    return p;
}

START_TEST(test_format_table)
{
    const char *hdr = format_cases[_i].hdr;
    size_t len = hdr ? strlen(hdr) : 0;
    char *copy = hdr ? exact_copy(hdr, len) : NULL;
    nm_format got = nm_accept_format(copy, len);

    ck_assert_msg(got == format_cases[_i].want, "Accept \"%s\": got %d, want %d",
                  hdr ? hdr : "(none)", (int)got, (int)format_cases[_i].want);
    free(copy);
}
END_TEST

START_TEST(test_gzip_table)
{
    const char *hdr = gzip_cases[_i].hdr;
    size_t len = hdr ? strlen(hdr) : 0;
    char *copy = hdr ? exact_copy(hdr, len) : NULL;
    int got = nm_accept_encoding_gzip(copy, len);

    ck_assert_msg(got == gzip_cases[_i].want, "Accept-Encoding \"%s\": got %d, want %d",
                  hdr ? hdr : "(none)", got, gzip_cases[_i].want);
    free(copy);
}
END_TEST

/* The length bounds the parse even when the bytes go on: a prefix of
 * Prometheus's header that stops inside "openmetrics" is not OpenMetrics. */
START_TEST(test_len_bounds_parse)
{
    ck_assert_int_eq(nm_accept_format(PROMETHEUS_2_42, 15), NM_FORMAT_TEXT);
    ck_assert_int_eq(nm_accept_format(PROMETHEUS_2_42, 28), NM_FORMAT_OPENMETRICS);
    /* cut after "q": a parameter without a value, the element is ignored */
    ck_assert_int_eq(nm_accept_format("application/openmetrics-text;q=0", 30), NM_FORMAT_TEXT);
    ck_assert_int_eq(nm_accept_encoding_gzip("gzip;q=0", 4), 1);
    ck_assert_int_eq(nm_accept_encoding_gzip("gzip", 3), 0);
}
END_TEST

START_TEST(test_parse_q)
{
    ck_assert_int_eq(nm_accept_parse_q("0", 1), 0);
    ck_assert_int_eq(nm_accept_parse_q("1", 1), 1000);
    ck_assert_int_eq(nm_accept_parse_q("0.", 2), 0);
    ck_assert_int_eq(nm_accept_parse_q("1.", 2), 1000);
    ck_assert_int_eq(nm_accept_parse_q("0.5", 3), 500);
    ck_assert_int_eq(nm_accept_parse_q("0.05", 4), 50);
    ck_assert_int_eq(nm_accept_parse_q("0.125", 5), 125);
    ck_assert_int_eq(nm_accept_parse_q("1.000", 5), 1000);
    ck_assert_int_eq(nm_accept_parse_q("1.001", 5), -1);
    ck_assert_int_eq(nm_accept_parse_q("0.1234", 6), -1);
    ck_assert_int_eq(nm_accept_parse_q("", 0), -1);
    ck_assert_int_eq(nm_accept_parse_q(".5", 2), -1);
    ck_assert_int_eq(nm_accept_parse_q("0,5", 3), -1);
    ck_assert_int_eq(nm_accept_parse_q("0.a", 3), -1);
    ck_assert_int_eq(nm_accept_parse_q("2", 1), -1);
    ck_assert_int_eq(nm_accept_parse_q("0.5", 1), 0); /* only len bytes */
}
END_TEST

static Suite *accept_suite(void)
{
    Suite *s = suite_create("accept");
    TCase *tc = tcase_create("negotiation");

    tcase_add_loop_test(tc, test_format_table, 0,
                        (int)(sizeof format_cases / sizeof format_cases[0]));
    tcase_add_loop_test(tc, test_gzip_table, 0, (int)(sizeof gzip_cases / sizeof gzip_cases[0]));
    tcase_add_test(tc, test_len_bounds_parse);
    tcase_add_test(tc, test_parse_q);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(accept_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* SPDX-License-Identifier: MIT */
/* The address writers of src/lib/addrtext.c against the C library's
 * inet_ntop, which they replace on the scrape path: any difference would
 * rename an address_info series. Every pattern of zero groups (256), with
 * the values that trigger the special forms (0xffff before an IPv4 tail,
 * 1 as the last group), plus pseudo-random addresses and the whole IPv4
 * corner set; then netmetrics_address_format's buffer-size contract. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addrtext.h"
#include "netmetrics.h"

/* xorshift, so the cases are the same on every run */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

static void same6(const unsigned char *b)
{
    char want[INET6_ADDRSTRLEN], got[NM_ADDR_TEXT_SIZE];
    size_t n;

    ck_assert_ptr_nonnull(inet_ntop(AF_INET6, b, want, sizeof want));
    n = nm_addr_text6(b, got);
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(n, strlen(want));
}

static void same4(const unsigned char *b)
{
    char want[INET_ADDRSTRLEN], got[NM_ADDR_TEXT_SIZE];
    size_t n;

    ck_assert_ptr_nonnull(inet_ntop(AF_INET, b, want, sizeof want));
    n = nm_addr_text4(b, got);
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(n, strlen(want));
}

START_TEST(test_ipv6_zero_patterns)
{
    static const unsigned values[] = {1, 0xffff, 0xf, 0xab0, 0x1000, 0xfe80};
    unsigned char b[16];
    unsigned mask, v, g;

    for (mask = 0; mask < 256; mask++) {
        for (v = 0; v < sizeof values / sizeof values[0]; v++) {
            for (g = 0; g < 8; g++) {
                /* nonzero groups take the value, or a varied one */
                unsigned w = (mask >> g & 1) ? 0 : (g & 1 ? values[v] : values[(v + g) % 6]);

                b[2 * g] = (unsigned char)(w >> 8);
                b[2 * g + 1] = (unsigned char)(w & 0xff);
            }
            same6(b);
        }
    }
}
END_TEST

START_TEST(test_ipv6_special_forms)
{
    static const unsigned char cases[][16] = {
        {0}, /* :: */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},         /* ::1 */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},         /* ::2 */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 198, 18, 0, 1},      /* ::198.18.0.1 */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 1}, /* mapped */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0},   /* ::ffff:0.0.0.0 */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 1, 2, 3, 4},   /* not mapped */
        {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 2, 3, 4},   /* SIIT-like */
        {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0xff, 0xfe, 0x78, 0x9a, 0xbc},
        {0xfd, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1},      /* fd00:0:0:1::1 */
        {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1},
        {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same6(cases[i]);
}
END_TEST

START_TEST(test_ipv6_random)
{
    unsigned char b[16];
    int i, k;

    for (i = 0; i < 200000; i++) {
        uint32_t zeros = rnd();

        for (k = 0; k < 8; k++) {
            uint32_t r = rnd();
            /* about half the groups zero, so runs of every length occur */
            unsigned w = (zeros >> k & 1) ? 0 : (unsigned)(r >> (r & 12)) & 0xffff;

            b[2 * k] = (unsigned char)(w >> 8);
            b[2 * k + 1] = (unsigned char)(w & 0xff);
        }
        same6(b);
    }
}
END_TEST

START_TEST(test_ipv4)
{
    static const unsigned char cases[][4] = {
        {0, 0, 0, 0}, {255, 255, 255, 255}, {127, 0, 0, 1}, {198, 18, 0, 1},
        {9, 10, 99, 100}, {100, 199, 200, 255},
    };
    unsigned char b[4];
    size_t i;
    unsigned v;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same4(cases[i]);
    for (v = 0; v < 256; v++) {
        b[0] = (unsigned char)v;
        b[1] = (unsigned char)(255 - v);
        b[2] = (unsigned char)(v * 7);
        b[3] = (unsigned char)(v / 3);
        same4(b);
    }
}
END_TEST

/* The public wrapper: text when it fits with its NUL, an error otherwise
 * (as inet_ntop's ENOSPC was), never a truncated address. */
START_TEST(test_format_sizes)
{
    netmetrics_address a;
    char buf[NM_ADDR_TEXT_SIZE];

    memset(&a, 0, sizeof a);
    a.family = NETMETRICS_FAMILY_INET;
    a.bytes[0] = 198, a.bytes[1] = 18, a.bytes[2] = 0, a.bytes[3] = 1;
    ck_assert_int_eq(netmetrics_address_format(&a, buf, 11), NETMETRICS_OK);
    ck_assert_str_eq(buf, "198.18.0.1");
    ck_assert_int_eq(netmetrics_address_format(&a, buf, 10), NETMETRICS_ERR_INVALID);
    a.family = NETMETRICS_FAMILY_INET6;
    memset(a.bytes, 0, sizeof a.bytes);
    a.bytes[0] = 0xfd, a.bytes[15] = 1;
    ck_assert_int_eq(netmetrics_address_format(&a, buf, 8), NETMETRICS_OK);
    ck_assert_str_eq(buf, "fd00::1");
    ck_assert_int_eq(netmetrics_address_format(&a, buf, 7), NETMETRICS_ERR_INVALID);
    ck_assert_int_eq(netmetrics_address_format(&a, buf, 0), NETMETRICS_ERR_INVALID);
    a.family = 99;
    ck_assert_int_eq(netmetrics_address_format(&a, buf, sizeof buf), NETMETRICS_ERR_INVALID);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("addrtext");
    TCase *tc = tcase_create("addrtext");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_ipv6_zero_patterns);
    tcase_add_test(tc, test_ipv6_special_forms);
    tcase_add_test(tc, test_ipv6_random);
    tcase_add_test(tc, test_ipv4);
    tcase_add_test(tc, test_format_sizes);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: MIT */
/* Regression tests for what the fuzzers (tests/fuzz/) found: each case is
 * the minimized input of one finding, fed to the parser it broke, with the
 * behaviour the fix promises. The same inputs also sit in the targets'
 * seed corpora (tests/fuzz/corpus/<target>/regress_*), so every fuzz run
 * replays them too. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "procnetwireless_parse.h"

/* ------------------------------------------------------ /proc/net/wireless -- */

static netmetrics_status count_row(const nm_wext_row *row, void *arg)
{
    size_t *n = arg;

    ck_assert_msg(row->name[0] != '\0', "a row with an empty name was delivered");
    (*n)++;
    return NETMETRICS_OK;
}

/* fuzz_procnetwireless: a name holding NUL bytes ("\0\0\0wln~") was copied
 * as is, so the row came out under an empty name (or, for "wlan0\0x",
 * under another interface's). Such rows are now rejected. */
START_TEST(test_wireless_nul_in_name)
{
    static const char text[] = "\0\0\0wln~: 00  56. 0  ";
    static const char other[] = " wlan0\0x: 0000   54.  -56.  -256        0      0      0      0     12        0\n";
    nm_wext_summary sum;
    size_t n = 0;

    ck_assert_int_eq(nm_procnetwireless_parse(text, sizeof text - 1, count_row, &n, &sum),
                     NETMETRICS_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(sum.rows, 0);
    ck_assert_uint_eq(sum.rejected, 1);

    ck_assert_int_eq(nm_procnetwireless_parse(other, sizeof other - 1, count_row, &n, &sum),
                     NETMETRICS_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(sum.rejected, 1);
}
END_TEST

/* The fix must not reject what the kernel does print. */
START_TEST(test_wireless_normal_row_still_parses)
{
    static const char text[] =
        "Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n"
        " face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n"
        " wlan0: 0000   54.  -56.  -256        0      0      0      0     12        0\n";
    nm_wext_summary sum;
    size_t n = 0;

    ck_assert_int_eq(nm_procnetwireless_parse(text, sizeof text - 1, count_row, &n, &sum),
                     NETMETRICS_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(sum.rejected, 0);
}
END_TEST

static Suite *regressions_suite(void)
{
    Suite *s = suite_create("fuzz regressions");
    TCase *tc = tcase_create("procnetwireless");

    tcase_add_test(tc, test_wireless_nul_in_name);
    tcase_add_test(tc, test_wireless_normal_row_still_parses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(regressions_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

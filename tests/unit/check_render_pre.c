/* SPDX-License-Identifier: MIT */
/* The scrape-path shortcuts of issue 8 must not change a byte of output:
 * a sample whose device label was escaped once (render_devices.c,
 * nm_expfmt_sample_*_pre) reads exactly like one escaped per sample, for
 * hostile names, both formats, with and without further labels; and
 * nm_snapshot_finish, which now skips qsort on already-ordered tables,
 * gives the same order and duplicate handling as before whether or not
 * its input was ordered. The golden files of check_render cover the whole
 * exposition; this test covers the names those fixtures do not hold. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "expfmt.h"
#include "netmetrics.h"
#include "render_devices.h"
#include "snapshot.h"
#include "strbuf.h"

static const char *const names[] = {
    "eth0", "", "a\"b", "back\\slash", "x\\x41y", "new\nline", "br{=,#}",
    "\xff\xfe", "caf\xc3\xa9", "\xe0\x80\x80", "tail\\",
};
#define NNAMES (sizeof names / sizeof names[0])

/* Both spellings of one sample: device given as a label, and given as a
 * pre-escaped fragment; nextra further labels follow it either way. */
static void compare(nm_format fmt, const char *name, size_t nextra, int dbl)
{
    nm_strbuf a, b, frag;
    nm_expfmt wa, wb;
    nm_label l[3];
    nm_label_pre pre;

    nm_strbuf_init(&a);
    nm_strbuf_init(&b);
    nm_strbuf_init(&frag);
    l[0].name = "device";
    l[0].value = name;
    l[0].value_len = strlen(name);
    l[1].name = "flag";
    l[1].value = "UP\"x";
    l[1].value_len = 4;
    l[2].name = "kind";
    l[2].value = "veth";
    l[2].value_len = 4;
    ck_assert_int_eq(nm_expfmt_put_label_pre(&frag, "device", name, strlen(name)), 0);
    pre.text = frag.data;
    pre.len = frag.len;

    nm_expfmt_init(&wa, &a, fmt);
    nm_expfmt_init(&wb, &b, fmt);
    nm_expfmt_family(&wa, "m_total", NM_METRIC_COUNTER, "M.");
    nm_expfmt_family(&wb, "m_total", NM_METRIC_COUNTER, "M.");
    if (dbl) {
        ck_assert_int_eq(nm_expfmt_sample_double(&wa, l, 1 + nextra, 0.25), 0);
        ck_assert_int_eq(nm_expfmt_sample_double_pre(&wb, &pre, l + 1, nextra, 0.25), 0);
    } else {
        ck_assert_int_eq(nm_expfmt_sample_u64(&wa, l, 1 + nextra, 42), 0);
        ck_assert_int_eq(nm_expfmt_sample_u64_pre(&wb, &pre, l + 1, nextra, 42), 0);
    }
    ck_assert_int_eq(nm_expfmt_finish(&wa), 0);
    ck_assert_int_eq(nm_expfmt_finish(&wb), 0);
    ck_assert_uint_eq(a.len, b.len);
    if (memcmp(a.data, b.data, a.len) != 0)
        ck_abort_msg("pre-escaped sample differs for a name:\n%s---\n%s", a.data, b.data);
    nm_strbuf_free(&a);
    nm_strbuf_free(&b);
    nm_strbuf_free(&frag);
}

START_TEST(test_pre_equals_escaped)
{
    size_t i, extra;
    int dbl;

    for (i = 0; i < NNAMES; i++)
        for (extra = 0; extra <= 2; extra++)
            for (dbl = 0; dbl <= 1; dbl++) {
                compare(NM_FORMAT_TEXT, names[i], extra, dbl);
                compare(NM_FORMAT_OPENMETRICS, names[i], extra, dbl);
            }
}
END_TEST

/* No fragment, or an empty one, is a sample with only its own labels. */
START_TEST(test_pre_absent_or_empty)
{
    nm_strbuf b;
    nm_expfmt w;
    nm_label_pre empty = {"", 0};
    nm_label l = {"k", "v", 1};

    nm_strbuf_init(&b);
    nm_expfmt_init(&w, &b, NM_FORMAT_TEXT);
    nm_expfmt_family(&w, "g", NM_METRIC_GAUGE, "G.");
    nm_expfmt_sample_u64_pre(&w, NULL, NULL, 0, 1);
    nm_expfmt_sample_u64_pre(&w, &empty, NULL, 0, 2);
    nm_expfmt_sample_u64_pre(&w, &empty, &l, 1, 3);
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    ck_assert_str_eq(b.data, "# HELP g G.\n# TYPE g gauge\ng 1\ng 2\ng{k=\"v\"} 3\n");
    nm_strbuf_free(&b);
}
END_TEST

static void add_if(netmetrics_snapshot *s, int idx, const char *name, uint32_t mtu)
{
    struct netmetrics_interface *i = nm_snapshot_add_interface(s);

    ck_assert_ptr_nonnull(i);
    i->ifindex = idx;
    strncpy(i->name, name, sizeof i->name - 1);
    i->mtu = mtu;
}

/* The table holds each interface's fragment, in snapshot order. */
START_TEST(test_devlabels_table)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    nm_devlabels dl;
    nm_strbuf want;
    size_t i;

    ck_assert_ptr_nonnull(s);
    for (i = 0; i < NNAMES; i++)
        add_if(s, (int)i + 1, names[i], 1500);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    nm_devlabels_init(&dl);
    nm_strbuf_init(&want);
    ck_assert_int_eq(nm_devlabels_build(&dl, s, NNAMES), 0);
    for (i = 0; i < NNAMES; i++) {
        const nm_label_pre *p = nm_devlabels_get(&dl, i);
        const char *name = netmetrics_interface_name(netmetrics_snapshot_interface(s, i));

        nm_strbuf_reset(&want);
        nm_strbuf_puts(&want, "device=\"");
        nm_expfmt_put_label_value(&want, name, strlen(name));
        nm_strbuf_putc(&want, '"');
        ck_assert_uint_eq(p->len, want.len);
        ck_assert_int_eq(memcmp(p->text, want.data, want.len), 0);
    }
    /* rebuilt smaller, and empty, on the same table */
    ck_assert_int_eq(nm_devlabels_build(&dl, s, 1), 0);
    ck_assert_uint_eq(nm_devlabels_get(&dl, 0)->len, strlen("device=\"eth0\""));
    ck_assert_int_eq(nm_devlabels_build(&dl, s, 0), 0);
    nm_devlabels_free(&dl);
    nm_strbuf_free(&want);
    netmetrics_snapshot_free(s);
}
END_TEST

/* Ordered input (skips qsort) and shuffled input (sorts) end the same,
 * and of two entries with one ifindex the one added last is kept. */
static void check_finished(netmetrics_snapshot *s)
{
    static const int want_idx[] = {1, 2, 3, 4};
    static const uint32_t want_mtu[] = {65536, 1500, 9000, 1280};
    size_t i;

    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_uint_eq(netmetrics_snapshot_count(s), 4);
    for (i = 0; i < 4; i++) {
        const netmetrics_interface *it = netmetrics_snapshot_interface(s, i);

        ck_assert_int_eq(netmetrics_interface_index(it), want_idx[i]);
        ck_assert_uint_eq(netmetrics_interface_mtu(it), want_mtu[i]);
    }
}

START_TEST(test_finish_order_and_duplicates)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();

    ck_assert_ptr_nonnull(s);
    add_if(s, 1, "lo", 65536);
    add_if(s, 2, "a", 1500);
    add_if(s, 3, "b", 1);
    add_if(s, 3, "b", 9000); /* same ifindex, later: kept */
    add_if(s, 4, "c", 1280);
    check_finished(s);

    nm_snapshot_reset(s);
    add_if(s, 4, "c", 1280);
    add_if(s, 3, "b", 1);
    add_if(s, 1, "lo", 65536);
    add_if(s, 3, "b", 9000);
    add_if(s, 2, "a", 1500);
    check_finished(s);
    netmetrics_snapshot_free(s);
}
END_TEST

static void add_v(netmetrics_snapshot *s, int idx, int family, unsigned char last)
{
    netmetrics_address a;

    memset(&a, 0, sizeof a);
    a.family = family;
    a.bytes[0] = family == NETMETRICS_FAMILY_INET ? 198 : 0xfd;
    a.bytes[family == NETMETRICS_FAMILY_INET ? 3 : 15] = last;
    a.prefix_length = 24;
    ck_assert_int_eq(nm_snapshot_add_address(s, idx, &a), 0);
}

/* Addresses as a kernel dump gives them (IPv4 of every interface, then
 * IPv6) are not ordered by interface, so they are sorted; an ordered list
 * is not; duplicates go either way. */
START_TEST(test_finish_addresses)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    char text[64];
    int round;

    ck_assert_ptr_nonnull(s);
    for (round = 0; round < 2; round++) {
        const netmetrics_interface *it;

        nm_snapshot_reset(s);
        add_if(s, 1, "lo", 65536);
        add_if(s, 2, "a", 1500);
        if (round == 0) {
            add_v(s, 1, NETMETRICS_FAMILY_INET, 1);
            add_v(s, 2, NETMETRICS_FAMILY_INET, 2);
            add_v(s, 1, NETMETRICS_FAMILY_INET6, 1);
            add_v(s, 2, NETMETRICS_FAMILY_INET6, 2);
            add_v(s, 2, NETMETRICS_FAMILY_INET6, 2);
        } else {
            add_v(s, 1, NETMETRICS_FAMILY_INET, 1);
            add_v(s, 1, NETMETRICS_FAMILY_INET6, 1);
            add_v(s, 2, NETMETRICS_FAMILY_INET, 2);
            add_v(s, 2, NETMETRICS_FAMILY_INET6, 2);
            add_v(s, 2, NETMETRICS_FAMILY_INET6, 2);
        }
        ck_assert_int_eq(nm_snapshot_finish(s), 0);
        it = netmetrics_snapshot_interface(s, 1);
        ck_assert_uint_eq(netmetrics_interface_address_count(it), 2);
        netmetrics_address_format(netmetrics_interface_address(it, 0), text, sizeof text);
        ck_assert_str_eq(text, "198.0.0.2");
        netmetrics_address_format(netmetrics_interface_address(it, 1), text, sizeof text);
        ck_assert_str_eq(text, "fd00::2");
        ck_assert_uint_eq(netmetrics_interface_address_count(netmetrics_snapshot_interface(s, 0)),
                          2);
    }
    netmetrics_snapshot_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("render_pre");
    TCase *tc = tcase_create("render_pre");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_pre_equals_escaped);
    tcase_add_test(tc, test_pre_absent_or_empty);
    tcase_add_test(tc, test_devlabels_table);
    tcase_add_test(tc, test_finish_order_and_duplicates);
    tcase_add_test(tc, test_finish_addresses);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

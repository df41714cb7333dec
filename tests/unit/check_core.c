/* SPDX-License-Identifier: MIT */
/* Unit tests of the portable core: buffers, errors, names, the snapshot
 * builder and the collector's handling of backends and roots. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addrlist.h"
#include "fileio.h"
#include "netmetrics.h"
#include "nmerror.h"
#include "snapshot.h"
#include "strbuf.h"

/* ------------------------------------------------------------- strbuf -- */

START_TEST(test_strbuf_append_and_numbers)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_strbuf_puts(&b, "a="), 0);
    ck_assert_int_eq(nm_strbuf_put_u64(&b, UINT64_MAX), 0);
    ck_assert_int_eq(nm_strbuf_putc(&b, ' '), 0);
    ck_assert_int_eq(nm_strbuf_put_i64(&b, INT64_MIN), 0);
    ck_assert_int_eq(nm_strbuf_putc(&b, ' '), 0);
    ck_assert_int_eq(nm_strbuf_put_u64(&b, 0), 0);
    ck_assert_int_eq(nm_strbuf_printf(&b, " %s-%d", "x", 42), 0);
    ck_assert_str_eq(b.data, "a=18446744073709551615 -9223372036854775808 0 x-42");
    ck_assert_uint_eq(b.len, strlen(b.data));
    nm_strbuf_free(&b);
}
END_TEST

START_TEST(test_strbuf_reset_keeps_capacity)
{
    nm_strbuf b;
    size_t cap;
    char *p;
    int i;

    nm_strbuf_init(&b);
    for (i = 0; i < 1000; i++)
        nm_strbuf_puts(&b, "0123456789");
    ck_assert_uint_eq(b.len, 10000);
    cap = b.cap;
    p = b.data;
    nm_strbuf_reset(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(b.data, "");
    for (i = 0; i < 1000; i++)
        nm_strbuf_puts(&b, "0123456789");
    ck_assert_uint_eq(b.cap, cap);
    ck_assert_ptr_eq(b.data, p);
    nm_strbuf_free(&b);
}
END_TEST

START_TEST(test_strbuf_overflow_marks_failed)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    nm_strbuf_puts(&b, "keep");
    ck_assert_int_eq(nm_strbuf_reserve(&b, SIZE_MAX - 2), -1);
    ck_assert_int_eq(b.failed, 1);
    ck_assert_int_eq(nm_strbuf_puts(&b, "more"), -1);
    ck_assert_str_eq(b.data, "keep");
    nm_strbuf_free(&b);
}
END_TEST

START_TEST(test_strbuf_steal)
{
    nm_strbuf b;
    size_t len;
    char *p;

    nm_strbuf_init(&b);
    ck_assert_ptr_null(nm_strbuf_steal(&b, &len));
    nm_strbuf_puts(&b, "hello");
    p = nm_strbuf_steal(&b, &len);
    ck_assert_str_eq(p, "hello");
    ck_assert_uint_eq(len, 5);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    free(p);
}
END_TEST

/* A borrowed buffer is written in place, never grown (an append that does
 * not fit with its NUL fails and leaves the contents), never freed, never
 * stolen; reset keeps it. */
START_TEST(test_strbuf_borrow)
{
    char mem[8];
    nm_strbuf b;
    size_t len;

    memset(mem, 'x', sizeof mem);
    nm_strbuf_borrow(&b, mem, sizeof mem);
    ck_assert_str_eq(mem, "");
    ck_assert_int_eq(nm_strbuf_puts(&b, "abc"), 0);
    ck_assert_int_eq(nm_strbuf_put_u64(&b, 1234), 0);
    ck_assert_ptr_eq(b.data, mem);
    ck_assert_str_eq(mem, "abc1234"); /* 7 bytes and the NUL: full */
    ck_assert_int_eq(nm_strbuf_putc(&b, 'z'), -1);
    ck_assert_int_eq(b.failed, 1);
    ck_assert_uint_eq(b.len, 7);
    ck_assert_str_eq(mem, "abc1234");
    ck_assert_ptr_null(nm_strbuf_steal(&b, &len));
    ck_assert_uint_eq(len, 7);
    nm_strbuf_borrow(&b, mem, sizeof mem);
    ck_assert_int_eq(nm_strbuf_reserve(&b, 7), 0);
    ck_assert_int_eq(nm_strbuf_reserve(&b, 8), -1);
    nm_strbuf_reset(&b);
    ck_assert_ptr_eq(b.data, mem);
    ck_assert_int_eq(nm_strbuf_puts(&b, "ok"), 0);
    nm_strbuf_free(&b); /* not ours: left alone (ASan/valgrind would see a bad free) */
    ck_assert_ptr_null(b.data);
    ck_assert_str_eq(mem, "ok");
}
END_TEST

/* -------------------------------------------------------------- errors -- */

START_TEST(test_error_errno_mapping)
{
    netmetrics_error e;

    ck_assert_int_eq(nm_error_errno(&e, EACCES, "open %s", "x"), NETMETRICS_ERR_PERMISSION);
    ck_assert_int_eq(e.sys_errno, EACCES);
    ck_assert_str_eq(e.message, "open x: Permission denied");
    ck_assert_int_eq(nm_error_errno(&e, ENOENT, "a"), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_error_errno(&e, EPROTONOSUPPORT, "a"), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_error_errno(&e, EIO, "a"), NETMETRICS_ERR_SYSTEM);
    ck_assert_int_eq(nm_error_errno(&e, ENOMEM, "a"), NETMETRICS_ERR_NO_MEMORY);
    /* NULL error pointers are allowed everywhere */
    ck_assert_int_eq(nm_error_errno(NULL, EPERM, "a"), NETMETRICS_ERR_PERMISSION);
    nm_error_prefix(NULL, "x");
    nm_error_clear(NULL);
}
END_TEST

START_TEST(test_error_prefix_truncates)
{
    netmetrics_error e;
    char longp[400];

    nm_error_set(&e, NETMETRICS_ERR_PARSE, 0, "bad byte");
    nm_error_prefix(&e, "netlink");
    ck_assert_str_eq(e.message, "netlink: bad byte");
    ck_assert_int_eq(e.code, NETMETRICS_ERR_PARSE);

    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    nm_error_prefix(&e, longp);
    ck_assert_uint_eq(strlen(e.message), sizeof e.message - 1);
}
END_TEST

/* --------------------------------------------------------------- names -- */

START_TEST(test_names)
{
    netmetrics_backend b;
    char buf[4];
    uint32_t bit;
    int named = 0;

    ck_assert_str_eq(netmetrics_flag_name(NETMETRICS_FLAG_LOWER_UP), "lower_up");
    ck_assert_ptr_null(netmetrics_flag_name(0x3));
    for (bit = 1; bit; bit <<= 1)
        named += netmetrics_flag_name(bit) != NULL;
    ck_assert_int_eq(named, 19);
    ck_assert_str_eq(netmetrics_operstate_string(NETMETRICS_OPER_UP), "up");
    ck_assert_str_eq(netmetrics_operstate_string((netmetrics_operstate)99), "unknown");
    ck_assert_int_eq(netmetrics_backend_parse("procfs", &b), NETMETRICS_OK);
    ck_assert_int_eq(b, NETMETRICS_BACKEND_PROCFS);
    ck_assert_int_eq(netmetrics_backend_parse("kstat", &b), NETMETRICS_ERR_INVALID);
    ck_assert_int_eq(netmetrics_backend_parse(NULL, &b), NETMETRICS_ERR_INVALID);
    ck_assert_str_eq(netmetrics_scope_string(253, buf), "link");
    ck_assert_str_eq(netmetrics_scope_string(17, buf), "17");
    ck_assert_str_eq(netmetrics_status_string(NETMETRICS_ERR_PERMISSION), "permission denied");
    ck_assert_str_eq(netmetrics_part_name(NETMETRICS_PART_ADDRESSES), "addresses");
    ck_assert_str_eq(netmetrics_version(), PACKAGE_VERSION);
}
END_TEST

START_TEST(test_address_format)
{
    netmetrics_address a;
    char buf[64];

    memset(&a, 0, sizeof a);
    a.family = NETMETRICS_FAMILY_INET;
    inet_pton(AF_INET, "198.18.0.1", a.bytes);
    ck_assert_int_eq(netmetrics_address_format(&a, buf, sizeof buf), NETMETRICS_OK);
    ck_assert_str_eq(buf, "198.18.0.1");
    ck_assert_int_eq(netmetrics_address_format(&a, buf, 5), NETMETRICS_ERR_INVALID);
    a.family = NETMETRICS_FAMILY_INET6;
    inet_pton(AF_INET6, "fd00::1", a.bytes);
    ck_assert_int_eq(netmetrics_address_format(&a, buf, sizeof buf), NETMETRICS_OK);
    ck_assert_str_eq(buf, "fd00::1");
    a.family = 99;
    ck_assert_int_eq(netmetrics_address_format(&a, buf, sizeof buf), NETMETRICS_ERR_INVALID);
}
END_TEST

START_TEST(test_sockaddr_conversion)
{
    struct sockaddr_in sin, mask;
    struct sockaddr_in6 sin6, mask6;
    netmetrics_address a;

    memset(&sin, 0, sizeof sin);
    memset(&mask, 0, sizeof mask);
    sin.sin_family = mask.sin_family = AF_INET;
    inet_pton(AF_INET, "198.18.3.4", &sin.sin_addr);
    inet_pton(AF_INET, "255.255.240.0", &mask.sin_addr);
    ck_assert_int_eq(nm_sockaddr_to_address((struct sockaddr *)&sin, (struct sockaddr *)&mask, &a), 0);
    ck_assert_int_eq(a.family, NETMETRICS_FAMILY_INET);
    ck_assert_uint_eq(a.prefix_length, 20);
    ck_assert_uint_eq(a.scope, 0);
    inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
    ck_assert_int_eq(nm_sockaddr_to_address((struct sockaddr *)&sin, NULL, &a), 0);
    ck_assert_uint_eq(a.prefix_length, 32);
    ck_assert_uint_eq(a.scope, 254);

    memset(&sin6, 0, sizeof sin6);
    memset(&mask6, 0, sizeof mask6);
    sin6.sin6_family = mask6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
    inet_pton(AF_INET6, "ffff:ffff:ffff:ffff::", &mask6.sin6_addr);
    ck_assert_int_eq(nm_sockaddr_to_address((struct sockaddr *)&sin6, (struct sockaddr *)&mask6, &a), 0);
    ck_assert_int_eq(a.family, NETMETRICS_FAMILY_INET6);
    ck_assert_uint_eq(a.prefix_length, 64);
    ck_assert_uint_eq(a.scope, 253);

    sin.sin_family = AF_UNIX;
    ck_assert_int_eq(nm_sockaddr_to_address((struct sockaddr *)&sin, NULL, &a), -1);
    ck_assert_int_eq(nm_sockaddr_to_address(NULL, NULL, &a), -1);
}
END_TEST

/* ------------------------------------------------------------ snapshot -- */

static void add_if(netmetrics_snapshot *s, int idx, const char *name)
{
    struct netmetrics_interface *i = nm_snapshot_add_interface(s);

    ck_assert_ptr_nonnull(i);
    i->ifindex = idx;
    strcpy(i->name, name);
    i->stats_valid = 1u << NETMETRICS_STAT_RX_BYTES;
    i->stats[NETMETRICS_STAT_RX_BYTES] = (uint64_t)idx * 100;
}

static void add_addr(netmetrics_snapshot *s, int idx, const char *text, unsigned plen)
{
    netmetrics_address a;

    memset(&a, 0, sizeof a);
    if (strchr(text, ':')) {
        a.family = NETMETRICS_FAMILY_INET6;
        inet_pton(AF_INET6, text, a.bytes);
    } else {
        a.family = NETMETRICS_FAMILY_INET;
        inet_pton(AF_INET, text, a.bytes);
    }
    a.prefix_length = plen;
    ck_assert_int_eq(nm_snapshot_add_address(s, idx, &a), 0);
}

START_TEST(test_snapshot_sorted_and_addresses_attached)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    const netmetrics_interface *i;
    char buf[64];
    uint64_t v;

    ck_assert_ptr_nonnull(s);
    add_if(s, 3, "veth0");
    add_if(s, 1, "lo");
    add_if(s, 2, "eth0");
    add_addr(s, 2, "fd00::1", 64);
    add_addr(s, 2, "198.18.0.1", 24);
    add_addr(s, 1, "127.0.0.1", 8);
    add_addr(s, 9, "198.18.9.9", 24); /* interface not in the table */
    add_addr(s, 2, "198.18.0.1", 24); /* duplicate */
    ck_assert_int_eq(nm_snapshot_finish(s), 0);

    ck_assert_uint_eq(netmetrics_snapshot_count(s), 3);
    ck_assert_str_eq(netmetrics_interface_name(netmetrics_snapshot_interface(s, 0)), "lo");
    ck_assert_str_eq(netmetrics_interface_name(netmetrics_snapshot_interface(s, 2)), "veth0");
    ck_assert_ptr_null(netmetrics_snapshot_interface(s, 3));

    i = netmetrics_snapshot_find(s, "eth0");
    ck_assert_ptr_nonnull(i);
    ck_assert_int_eq(netmetrics_interface_index(i), 2);
    ck_assert_ptr_eq(netmetrics_snapshot_find_index(s, 2), i);
    ck_assert_ptr_null(netmetrics_snapshot_find_index(s, 9));
    ck_assert_ptr_null(netmetrics_snapshot_find(s, "eth"));
    ck_assert_uint_eq(netmetrics_interface_address_count(i), 2);
    netmetrics_address_format(netmetrics_interface_address(i, 0), buf, sizeof buf);
    ck_assert_str_eq(buf, "198.18.0.1"); /* IPv4 sorts first */
    netmetrics_address_format(netmetrics_interface_address(i, 1), buf, sizeof buf);
    ck_assert_str_eq(buf, "fd00::1");
    ck_assert_ptr_null(netmetrics_interface_address(i, 2));
    ck_assert_uint_eq(netmetrics_interface_address_count(netmetrics_snapshot_find(s, "veth0")), 0);

    ck_assert_int_eq(netmetrics_interface_stat(i, NETMETRICS_STAT_RX_BYTES, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 200);
    ck_assert_int_eq(netmetrics_interface_stat(i, NETMETRICS_STAT_TX_BYTES, &v),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(netmetrics_interface_stat(i, NETMETRICS_STAT_COUNT, &v), NETMETRICS_ERR_INVALID);
    netmetrics_snapshot_free(s);
}
END_TEST

START_TEST(test_snapshot_duplicate_ifindex_and_reuse)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    struct netmetrics_interface *first;
    size_t cap;
    int i;

    add_if(s, 5, "a");
    add_if(s, 5, "b");
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_uint_eq(netmetrics_snapshot_count(s), 1);

    /* Reuse: the memory stays, nothing is left from before. */
    for (i = 0; i < 100; i++)
        add_if(s, 100 - i, "x");
    cap = s->cap;
    first = s->ifaces;
    nm_snapshot_reset(s);
    ck_assert_uint_eq(netmetrics_snapshot_count(s), 0);
    for (i = 0; i < 100; i++)
        add_if(s, i + 1, "y");
    ck_assert_ptr_eq(s->ifaces, first);
    ck_assert_uint_eq(s->cap, cap);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_uint_eq(netmetrics_snapshot_count(s), 100);
    ck_assert_int_eq(netmetrics_snapshot_part_status(s, NETMETRICS_PART_COUNT), NETMETRICS_ERR_INVALID);
    netmetrics_snapshot_free(s);
    netmetrics_snapshot_free(NULL);
}
END_TEST

START_TEST(test_snapshot_drop_last)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();

    add_if(s, 1, "lo");
    add_if(s, 2, "half");
    nm_snapshot_drop_last(s);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_uint_eq(netmetrics_snapshot_count(s), 1);
    ck_assert_ptr_null(netmetrics_snapshot_find(s, "half"));
    netmetrics_snapshot_free(s);
}
END_TEST

START_TEST(test_hwaddr_string)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    struct netmetrics_interface *i = nm_snapshot_add_interface(s);
    static const unsigned char mac[6] = {0x02, 0xfc, 0x00, 0xab, 0xcd, 0xef};
    unsigned char out[6];
    char buf[18];

    ck_assert_int_eq(netmetrics_interface_hwaddr_string(i, buf, 1), NETMETRICS_OK);
    ck_assert_str_eq(buf, "");
    memcpy(i->hwaddr, mac, 6);
    i->hwaddr_len = 6;
    ck_assert_int_eq(netmetrics_interface_hwaddr_string(i, buf, sizeof buf), NETMETRICS_OK);
    ck_assert_str_eq(buf, "02:fc:00:ab:cd:ef");
    ck_assert_int_eq(netmetrics_interface_hwaddr_string(i, buf, 17), NETMETRICS_ERR_INVALID);
    ck_assert_uint_eq(netmetrics_interface_hwaddr(i, out, sizeof out), 6);
    ck_assert_mem_eq(out, mac, 6);
    ck_assert_int_eq(netmetrics_interface_carrier(i), -1);
    ck_assert_int_eq(netmetrics_interface_link_type(i), -1);
    netmetrics_snapshot_free(s);
}
END_TEST

/* -------------------------------------------------------------- fileio -- */

START_TEST(test_path_join)
{
    char out[32];

    ck_assert_int_eq(nm_path_join(out, sizeof out, "/proc/", "/net/dev"), 0);
    ck_assert_str_eq(out, "/proc/net/dev");
    ck_assert_int_eq(nm_path_join(out, sizeof out, "/", "sys"), 0);
    ck_assert_str_eq(out, "/sys");
    ck_assert_int_eq(nm_path_join(out, 8, "/proc", "net/dev"), -1);
}
END_TEST

START_TEST(test_read_file_errors)
{
    netmetrics_error e;
    nm_strbuf b;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_read_file("/nonexistent-root", "net/dev", 1 << 20, &b, &e),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_ptr_nonnull(strstr(e.message, "/nonexistent-root/net/dev"));
    /* /proc files report size 0 but have content */
    ck_assert_int_eq(nm_read_file("/proc", "self/status", 1 << 20, &b, &e), NETMETRICS_OK);
    ck_assert_ptr_nonnull(strstr(b.data, "Name:"));
    ck_assert_int_eq(nm_read_file("/proc", "self/status", 8, &b, &e), NETMETRICS_ERR_PARSE);
    nm_strbuf_free(&b);
}
END_TEST

/* ----------------------------------------------------------- collector -- */

START_TEST(test_collector_rejects_bad_options)
{
    netmetrics_collector_options o;
    netmetrics_collector *c = (netmetrics_collector *)1;
    netmetrics_error e;
    char longroot[5000];

    netmetrics_collector_options_init(&o);
    ck_assert_int_eq(o.backend, NETMETRICS_BACKEND_AUTO);
    o.backend = (netmetrics_backend)42;
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &e), NETMETRICS_ERR_INVALID);
    ck_assert_ptr_null(c);
    netmetrics_collector_options_init(&o);
    memset(longroot, 'r', sizeof longroot - 1);
    longroot[sizeof longroot - 1] = '\0';
    o.proc_root = longroot;
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &e), NETMETRICS_ERR_INVALID);
    ck_assert_int_eq(netmetrics_collector_new(NULL, NULL, &e), NETMETRICS_ERR_INVALID);
    ck_assert_int_eq(netmetrics_collector_collect(NULL, NULL, &e), NETMETRICS_ERR_INVALID);
    netmetrics_collector_free(NULL);
}
END_TEST

START_TEST(test_collector_procfs_missing_root)
{
    netmetrics_collector_options o;
    netmetrics_collector *c;
    netmetrics_error e;

    netmetrics_collector_options_init(&o);
    o.backend = NETMETRICS_BACKEND_PROCFS;
    o.proc_root = "/nonexistent-root";
    ck_assert_int_ne(netmetrics_collector_new(&o, &c, &e), NETMETRICS_OK);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(e.message, "procfs"));
}
END_TEST

START_TEST(test_collector_auto_collects_loopback)
{
    netmetrics_collector *c;
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    const netmetrics_interface *lo;
    netmetrics_error e;
    int rounds;

    ck_assert_int_eq(netmetrics_collector_new(NULL, &c, &e), NETMETRICS_OK);
    ck_assert_str_eq(netmetrics_collector_backend(c), "netlink");
    for (rounds = 0; rounds < 3; rounds++) {
        ck_assert_msg(netmetrics_collector_collect(c, s, &e) == NETMETRICS_OK, "%s", e.message);
        ck_assert_str_eq(netmetrics_snapshot_backend(s), "netlink");
        ck_assert_uint_gt(netmetrics_snapshot_time_ns(s), 0);
        ck_assert_int_eq(netmetrics_snapshot_part_status(s, NETMETRICS_PART_LINKS), NETMETRICS_OK);
        ck_assert_int_eq(netmetrics_snapshot_part_status(s, NETMETRICS_PART_ADDRESSES),
                         NETMETRICS_OK);
        lo = netmetrics_snapshot_find(s, "lo");
        ck_assert_ptr_nonnull(lo);
        ck_assert_uint_ne(netmetrics_interface_flags(lo) & NETMETRICS_FLAG_LOOPBACK, 0);
        ck_assert_uint_ge(netmetrics_interface_address_count(lo), 1);
    }
    netmetrics_collector_free(c);
    netmetrics_snapshot_free(s);
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc;

    tc = tcase_create("strbuf");
    tcase_add_test(tc, test_strbuf_append_and_numbers);
    tcase_add_test(tc, test_strbuf_reset_keeps_capacity);
    tcase_add_test(tc, test_strbuf_overflow_marks_failed);
    tcase_add_test(tc, test_strbuf_steal);
    tcase_add_test(tc, test_strbuf_borrow);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_error_errno_mapping);
    tcase_add_test(tc, test_error_prefix_truncates);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_address_format);
    tcase_add_test(tc, test_sockaddr_conversion);
    suite_add_tcase(s, tc);

    tc = tcase_create("snapshot");
    tcase_add_test(tc, test_snapshot_sorted_and_addresses_attached);
    tcase_add_test(tc, test_snapshot_duplicate_ifindex_and_reuse);
    tcase_add_test(tc, test_snapshot_drop_last);
    tcase_add_test(tc, test_hwaddr_string);
    suite_add_tcase(s, tc);

    tc = tcase_create("fileio");
    tcase_add_test(tc, test_path_join);
    tcase_add_test(tc, test_read_file_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("collector");
    tcase_add_test(tc, test_collector_rejects_bad_options);
    tcase_add_test(tc, test_collector_procfs_missing_root);
    tcase_add_test(tc, test_collector_auto_collects_loopback);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(core_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

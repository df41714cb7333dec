/* SPDX-License-Identifier: MIT */
/* Unit tests of the `netmetrics` command's pieces: human units, the
 * escaping of interface names (JSON and terminal), the option parser, and
 * the report and JSON written from a manager fed hand-built snapshots (so
 * every number is known). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "escape.h"
#include "utf8.h"
#include "json.h"
#include "netmetrics.h"
#include "nmerror.h"
#include "rates.h"
#include "report.h"
#include "snapshot.h"
#include "strbuf.h"
#include "units.h"

#define NS_PER_S 1000000000ull

/* --------------------------------------------------------------- units -- */

START_TEST(test_human_bytes)
{
    char b[NM_CLI_UNIT_SIZE];

    ck_assert_str_eq(nm_cli_human_bytes(0, b, sizeof b), "0 B");
    ck_assert_str_eq(nm_cli_human_bytes(1023, b, sizeof b), "1023 B");
    ck_assert_str_eq(nm_cli_human_bytes(1024, b, sizeof b), "1.00 KB");
    ck_assert_str_eq(nm_cli_human_bytes(1536, b, sizeof b), "1.50 KB");
    ck_assert_str_eq(nm_cli_human_bytes(1048575, b, sizeof b), "1.00 MB"); /* not 1024.00 KB */
    ck_assert_str_eq(nm_cli_human_bytes(5u * 1048576u, b, sizeof b), "5.00 MB");
    ck_assert_str_eq(nm_cli_human_bytes(3ull << 30, b, sizeof b), "3.00 GB");
    ck_assert_str_eq(nm_cli_human_bytes(5ull << 40, b, sizeof b), "5.00 TB");
    ck_assert_str_eq(nm_cli_human_bytes(UINT64_MAX, b, sizeof b), "16777216.00 TB");
}
END_TEST

START_TEST(test_human_speed)
{
    char b[NM_CLI_UNIT_SIZE];

    ck_assert_str_eq(nm_cli_human_speed(0.0, b, sizeof b), "0 B/s");
    ck_assert_str_eq(nm_cli_human_speed(512.4, b, sizeof b), "512 B/s");
    ck_assert_str_eq(nm_cli_human_speed(1023.6, b, sizeof b), "1.00 KB/s");
    ck_assert_str_eq(nm_cli_human_speed(2048.0, b, sizeof b), "2.00 KB/s");
    ck_assert_str_eq(nm_cli_human_speed(2.5 * 1048576.0, b, sizeof b), "2.50 MB/s");
    ck_assert_str_eq(nm_cli_human_speed(1.25 * 1073741824.0, b, sizeof b), "1.25 GB/s");
    ck_assert_str_eq(nm_cli_human_speed(-1.0, b, sizeof b), "n/a");
    ck_assert_str_eq(nm_cli_human_speed((double)NAN, b, sizeof b), "n/a");
    ck_assert_str_eq(nm_cli_human_speed((double)INFINITY, b, sizeof b), "n/a");
}
END_TEST

/* ------------------------------------------------------------ escaping -- */

static char *esc(const char *s, size_t len, int json)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    if (json)
        ck_assert_int_eq(nm_cli_json_string(&b, s, len), 0);
    else
        ck_assert_int_eq(nm_cli_text_string(&b, s, len), 0);
    if (!b.data)
        return strdup("");
    return nm_strbuf_steal(&b, NULL);
}

START_TEST(test_json_escaping)
{
    static const struct {
        const char *in;
        size_t len;
        const char *json, *text;
    } cases[] = {
        {"eth0", 4, "\"eth0\"", "eth0"},
        {"we\"ird", 6, "\"we\\\"ird\"", "we\"ird"},
        {"a\\b", 3, "\"a\\\\b\"", "a\\b"},
        /* a literal backslash-x-hex is written \x5c so it cannot pass for a byte */
        {"a\\x41", 5, "\"a\\\\x5cx41\"", "a\\x5cx41"},
        {"bad\xff", 4, "\"bad\\\\xff\"", "bad\\xff"},
        {"\xc3\xa9t\xc3\xa9", 5, "\"\xc3\xa9t\xc3\xa9\"", "\xc3\xa9t\xc3\xa9"}, /* UTF-8 kept */
        {"\xc0\xaf", 2, "\"\\\\xc0\\\\xaf\"", "\\xc0\\xaf"},                     /* overlong */
        {"\xed\xa0\x80", 3, "\"\\\\xed\\\\xa0\\\\x80\"", "\\xed\\xa0\\x80"},     /* surrogate */
        {"\xe2\x82", 2, "\"\\\\xe2\\\\x82\"", "\\xe2\\x82"},                     /* cut short */
        {"\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"", "\xf0\x9f\x98\x80"},
        {"t\x01\n", 3, "\"t\\u0001\\u000a\"", "t\\x01\\x0a"},
        {"x\x7f", 2, "\"x\x7f\"", "x\\x7f"},
        {"", 0, "\"\"", ""},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *j = esc(cases[i].in, cases[i].len, 1), *t = esc(cases[i].in, cases[i].len, 0);

        ck_assert_msg(strcmp(j, cases[i].json) == 0, "case %zu json: got %s want %s", i, j,
                      cases[i].json);
        ck_assert_msg(strcmp(t, cases[i].text) == 0, "case %zu text: got %s want %s", i, t,
                      cases[i].text);
        free(j);
        free(t);
    }
}
END_TEST

START_TEST(test_utf8_len)
{
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"a", 1), 1);
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"\xc3\xa9", 2), 2);
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"\xc3\xa9", 1), 0);
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"\x80", 1), 0);
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
    ck_assert_uint_eq(nm_utf8_seq_len((const unsigned char *)"", 0), 0);
}
END_TEST

/* ------------------------------------------------------------- options -- */

static nm_cli_result parse(nm_cli_options *o, char *err, const char *a1, const char *a2,
                           const char *a3)
{
    static char buf[4][64];
    char *argv[5];
    int argc = 1;

    snprintf(buf[0], sizeof buf[0], "netmetrics");
    argv[0] = buf[0];
    if (a1) {
        snprintf(buf[1], sizeof buf[1], "%s", a1);
        argv[argc++] = buf[1];
    }
    if (a2) {
        snprintf(buf[2], sizeof buf[2], "%s", a2);
        argv[argc++] = buf[2];
    }
    if (a3) {
        snprintf(buf[3], sizeof buf[3], "%s", a3);
        argv[argc++] = buf[3];
    }
    argv[argc] = NULL;
    return nm_cli_options_parse(o, argc, argv, err, NM_CLI_ERROR_MAX);
}

START_TEST(test_options)
{
    char err[NM_CLI_ERROR_MAX];
    nm_cli_options o;

    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), NM_CLI_RUN);
    ck_assert_uint_eq(o.interval_ns, NS_PER_S);
    ck_assert_int_eq(o.watch, 0);
    ck_assert_int_eq(o.json, 0);
    ck_assert_int_eq(nm_cli_options_wants(&o, "anything"), 1);
    nm_cli_options_free(&o);

    ck_assert_int_eq(parse(&o, err, "--interval=500ms", "-w", "--count=3"), NM_CLI_RUN);
    ck_assert_uint_eq(o.interval_ns, 500000000ull);
    ck_assert_int_eq(o.watch, 1);
    ck_assert_uint_eq(o.count, 3);
    nm_cli_options_free(&o);

    ck_assert_int_eq(parse(&o, err, "-t", "2.5", "--json"), NM_CLI_RUN);
    ck_assert_uint_eq(o.interval_ns, 2500000000ull);
    ck_assert_int_eq(o.json, 1);
    nm_cli_options_free(&o);

    ck_assert_int_eq(parse(&o, err, "-i", "eth0", "--interface=lo"), NM_CLI_RUN);
    ck_assert_uint_eq(o.iface_count, 2);
    ck_assert_int_eq(nm_cli_options_wants(&o, "eth0"), 1);
    ck_assert_int_eq(nm_cli_options_wants(&o, "lo"), 1);
    ck_assert_int_eq(nm_cli_options_wants(&o, "eth1"), 0);
    nm_cli_options_free(&o);

    ck_assert_int_eq(parse(&o, err, "--backend", "procfs", NULL), NM_CLI_RUN);
    ck_assert_int_eq(o.backend, NETMETRICS_BACKEND_PROCFS);
    nm_cli_options_free(&o);

    ck_assert_int_eq(parse(&o, err, "--help", NULL, NULL), NM_CLI_HELP);
    nm_cli_options_free(&o);
    ck_assert_int_eq(parse(&o, err, "-V", NULL, NULL), NM_CLI_VERSION);
    nm_cli_options_free(&o);
}
END_TEST

START_TEST(test_options_errors)
{
    static const struct {
        const char *a1, *a2;
        const char *needle;
    } bad[] = {
        {"--bogus", NULL, "unknown option --bogus"},
        {"-x", NULL, "unknown option -x"},
        {"--interval=1x", NULL, "--interval"},
        {"--interval=0", NULL, "from 10ms to 1h"},
        {"--interval", NULL, "needs a value"},
        {"-t", NULL, "option -t needs a value"},
        {"--count=0", "--watch", "--count"},
        {"--count=-3", "--watch", "--count"},
        {"--count=3", NULL, "only applies with --watch"},
        {"--backend=magic", NULL, "auto, netlink, procfs"},
        {"--interface=", NULL, "--interface"},
        {"--interface=abcdefghijklmnopq", NULL, "--interface"},
        {"extra", NULL, "unexpected argument"},
        {"--json=yes", NULL, "--json"},
    };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[NM_CLI_ERROR_MAX];
        nm_cli_options o;

        ck_assert_msg(parse(&o, err, bad[i].a1, bad[i].a2, NULL) == NM_CLI_ERROR, "%s accepted",
                      bad[i].a1);
        ck_assert_msg(strstr(err, bad[i].needle) != NULL, "%s: message \"%s\" lacks \"%s\"",
                      bad[i].a1, err, bad[i].needle);
        ck_assert_ptr_null(strchr(err, '\n'));
        nm_cli_options_free(&o);
    }
}
END_TEST

/* ------------------------------------------------ report and JSON views -- */

/* Two samples a second apart: lo, eth0 (errors, an address) and a veth
 * whose name is not UTF-8. */
static netmetrics_status source(void *ctx, netmetrics_snapshot *snap, netmetrics_error *err)
{
    unsigned *step = ctx;
    uint64_t k = *step;
    struct netmetrics_interface *i;
    netmetrics_address a;

    (void)err;
    snap->time_ns = (k + 1) * NS_PER_S;
    snap->backend = "netlink";

    i = nm_snapshot_add_interface(snap);
    i->ifindex = 1;
    snprintf(i->name, sizeof i->name, "lo");
    i->flags = NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING | NETMETRICS_FLAG_LOOPBACK;
    i->link_type = 772;
    i->stats[NETMETRICS_STAT_RX_BYTES] = i->stats[NETMETRICS_STAT_TX_BYTES] = 1000 + k * 512;
    i->stats[NETMETRICS_STAT_RX_PACKETS] = i->stats[NETMETRICS_STAT_TX_PACKETS] = 10 + k;
    i->stats_valid = NM_STATS_ALL;

    i = nm_snapshot_add_interface(snap);
    i->ifindex = 2;
    snprintf(i->name, sizeof i->name, "eth0");
    i->flags = NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING | NETMETRICS_FLAG_BROADCAST |
               NETMETRICS_FLAG_MULTICAST;
    i->link_type = 1;
    i->hwaddr_len = 6;
    memcpy(i->hwaddr, "\x52\x54\x00\x12\x34\x56", 6);
    i->stats[NETMETRICS_STAT_RX_BYTES] = 3 * 1048576ull + k * 2 * 1048576ull;
    i->stats[NETMETRICS_STAT_TX_BYTES] = 2048 + k * 1536;
    i->stats[NETMETRICS_STAT_RX_PACKETS] = 5000 + k * 100;
    i->stats[NETMETRICS_STAT_TX_PACKETS] = 40 + k * 4;
    i->stats[NETMETRICS_STAT_RX_ERRORS] = 3;
    i->stats[NETMETRICS_STAT_COLLISIONS] = 2;
    i->stats_valid = NM_STATS_ALL;
    memset(&a, 0, sizeof a);
    a.family = NETMETRICS_FAMILY_INET;
    a.prefix_length = 24;
    memcpy(a.bytes, "\xc6\x12\x00\x01", 4);
    nm_snapshot_add_address(snap, 2, &a);

    i = nm_snapshot_add_interface(snap);
    i->ifindex = 3;
    snprintf(i->name, sizeof i->name, "v\"e\xff");
    i->kind = "veth";
    i->flags = NETMETRICS_FLAG_UP;
    i->link_type = 1;
    i->stats_valid = NM_STATS_ALL;

    (*step)++;
    return nm_snapshot_finish(snap) == 0 ? NETMETRICS_OK : NETMETRICS_ERR_NO_MEMORY;
}

static netmetrics_manager *manager_two_samples(unsigned *step, int samples)
{
    netmetrics_manager *m;
    netmetrics_error err;
    int k;

    *step = 0;
    ck_assert_int_eq(nm_manager_new_with_source(source, step, &m, &err), NETMETRICS_OK);
    for (k = 0; k < samples; k++)
        ck_assert_int_eq(netmetrics_manager_update(m, &err), NETMETRICS_OK);
    return m;
}

static const char golden_report[] =
    "Interface: lo (Loopback)\n"
    "  Status: Active\n"
    "  Download: 1.48 KB (512 B/s)\n"
    "  Upload: 1.48 KB (512 B/s)\n"
    "  Packets: 11 received, 11 sent\n"
    "  Properties:\n"
    "    Loopback: true\n"
    "    Wireless: false\n"
    "    Multicast: false\n"
    "    Broadcast: false\n"
    "    Point-to-point: false\n"
    "\n"
    "Interface: eth0 (Ethernet)\n"
    "  Status: Active\n"
    "  MAC address: 52:54:00:12:34:56\n"
    "  Download: 5.00 MB (2.00 MB/s)\n"
    "  Upload: 3.50 KB (1.50 KB/s)\n"
    "  Packets: 5100 received, 44 sent\n"
    "  Errors: 3 receive, 0 send\n"
    "  Collisions: 2\n"
    "  IP Addresses:\n"
    "    198.18.0.1/24\n"
    "  Properties:\n"
    "    Loopback: false\n"
    "    Wireless: false\n"
    "    Multicast: true\n"
    "    Broadcast: true\n"
    "    Point-to-point: false\n"
    "\n"
    "Interface: v\"e\\xff (Virtual)\n"
    "  Status: Inactive\n"
    "  Download: 0 B (0 B/s)\n"
    "  Upload: 0 B (0 B/s)\n"
    "  Packets: 0 received, 0 sent\n"
    "  Properties:\n"
    "    Loopback: false\n"
    "    Wireless: false\n"
    "    Multicast: false\n"
    "    Broadcast: false\n"
    "    Point-to-point: false\n"
    "\n"
    "Total network usage:\n"
    "  Download speed: 2.00 MB/s\n"
    "  Upload speed: 1.50 KB/s\n";

START_TEST(test_report_golden)
{
    nm_cli_options o;
    char err[NM_CLI_ERROR_MAX];
    unsigned step;
    netmetrics_manager *m = manager_two_samples(&step, 2);
    netmetrics_view *v = netmetrics_manager_view(m);
    nm_strbuf b;

    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), NM_CLI_RUN);
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_cli_report(&b, v, &o), 0);
    ck_assert_str_eq(b.data, golden_report);
    nm_cli_options_free(&o);

    /* a filter keeps only its interfaces; totals stay the machine's */
    ck_assert_int_eq(parse(&o, err, "-i", "lo", NULL), NM_CLI_RUN);
    nm_strbuf_reset(&b);
    ck_assert_int_eq(nm_cli_report(&b, v, &o), 0);
    ck_assert_ptr_null(strstr(b.data, "eth0"));
    ck_assert_ptr_nonnull(strstr(b.data, "Interface: lo (Loopback)\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "  Download speed: 2.00 MB/s\n"));
    nm_cli_options_free(&o);

    nm_strbuf_free(&b);
    netmetrics_view_release(v);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_report_first_sample)
{
    nm_cli_options o;
    char err[NM_CLI_ERROR_MAX];
    unsigned step;
    netmetrics_manager *m = manager_two_samples(&step, 1);
    netmetrics_view *v = netmetrics_manager_view(m);
    nm_strbuf b;

    /* one sample: no speed anywhere, and it says so instead of 0 */
    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), NM_CLI_RUN);
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_cli_report(&b, v, &o), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "  Download: 3.00 MB (n/a)\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "  Download speed: n/a\n"));
    nm_strbuf_reset(&b);
    ck_assert_int_eq(nm_cli_json(&b, v, &o), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "\"download_speed\":null"));
    ck_assert_ptr_nonnull(strstr(b.data, "\"interval_seconds\":null"));
    ck_assert_ptr_nonnull(strstr(b.data, "\"total_download_speed\":null"));
    nm_cli_options_free(&o);
    nm_strbuf_free(&b);
    netmetrics_view_release(v);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_json_golden)
{
    nm_cli_options o;
    char err[NM_CLI_ERROR_MAX];
    unsigned step;
    netmetrics_manager *m = manager_two_samples(&step, 2);
    netmetrics_view *v = netmetrics_manager_view(m);
    nm_strbuf b;

    ck_assert_int_eq(parse(&o, err, "-i", "eth0", NULL), NM_CLI_RUN);
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_cli_json(&b, v, &o), 0);
    ck_assert_str_eq(
        b.data,
        "{\"backend\":\"netlink\",\"interval_seconds\":1.000,\"interfaces\":[{\"name\":\"eth0\","
        "\"index\":2,\"type\":\"Ethernet\",\"active\":true,\"mac_address\":\"52:54:00:12:34:56\","
        "\"bytes_received\":5242880,\"bytes_sent\":3584,\"packets_received\":5100,"
        "\"packets_sent\":44,\"receive_errors\":3,\"send_errors\":0,\"collisions\":2,"
        "\"receive_drops\":0,\"send_drops\":0,\"download_speed\":2097152.000,"
        "\"upload_speed\":1536.000,\"packet_receive_rate\":100.000,\"packet_send_rate\":4.000,"
        "\"addresses\":[\"198.18.0.1/24\"],\"loopback\":false,\"wireless\":false,"
        "\"multicast\":true,\"broadcast\":true,\"point_to_point\":false,\"signal_dbm\":null}],"
        "\"total_download_speed\":2097152.000,\"total_upload_speed\":1536.000}\n");
    nm_cli_options_free(&o);

    /* the hostile name is escaped: \" and the \xff text */
    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), NM_CLI_RUN);
    nm_strbuf_reset(&b);
    ck_assert_int_eq(nm_cli_json(&b, v, &o), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "{\"name\":\"v\\\"e\\\\xff\",\"index\":3,\"type\":\"Virtual\""));
    ck_assert_ptr_nonnull(strstr(b.data, "\"mac_address\":null"));
    ck_assert_ptr_null(strchr(b.data, '\n') + 1 == b.data + b.len ? NULL : "more than one line");
    nm_cli_options_free(&o);

    nm_strbuf_free(&b);
    netmetrics_view_release(v);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_json_number)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    nm_cli_json_number(&b, 1.5);
    nm_strbuf_putc(&b, ' ');
    nm_cli_json_number(&b, (double)NAN);
    nm_strbuf_putc(&b, ' ');
    nm_cli_json_number(&b, -(double)INFINITY);
    ck_assert_str_eq(b.data, "1.500 null null");
    nm_strbuf_free(&b);
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("format");

    tcase_add_test(tc, test_human_bytes);
    tcase_add_test(tc, test_human_speed);
    tcase_add_test(tc, test_json_escaping);
    tcase_add_test(tc, test_utf8_len);
    tcase_add_test(tc, test_json_number);
    suite_add_tcase(s, tc);

    tc = tcase_create("options");
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_options_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("output");
    tcase_add_test(tc, test_report_golden);
    tcase_add_test(tc, test_report_first_sample);
    tcase_add_test(tc, test_json_golden);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cli_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: MIT */
/* Tests of the procfs backend and its two pure parsers: one suite per
 * module. Parsers are fed fixtures from tests/fixtures/proc_net_dev/ copied
 * into buffers of exactly their length (so AddressSanitizer catches a read
 * past it), and every prefix of valid text. The backend runs on the fixture
 * trees in tests/fixtures/procfs/, on trees built at test time (names git
 * cannot store, broken files), and once on the live /proc and /sys. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netmetrics.h"
#include "fileio.h"
#include "procnetdev_parse.h"
#include "snapshot.h"
#include "strbuf.h"
#include "sysfs_parse.h"

#define MAX_ROWS 64
#define U64MAX UINT64_C(18446744073709551615)

/* ------------------------------------------------------------- helpers -- */

typedef struct rows {
    nm_procnetdev_row r[MAX_ROWS];
    size_t n;
} rows;

static netmetrics_status keep_row(const nm_procnetdev_row *row, void *ctx)
{
    rows *rs = ctx;

    ck_assert_uint_lt(rs->n, MAX_ROWS);
    rs->r[rs->n++] = *row;
    return NETMETRICS_OK;
}

/* Parses a private copy of exactly len bytes: no NUL after it, so a read
 * past the end is an ASan error rather than luck. */
static netmetrics_status parse_exact(const char *text, size_t len, rows *rs,
                                     nm_procnetdev_summary *sum)
{
    char *copy = malloc(len ? len : 1);
    netmetrics_status st;

    ck_assert_ptr_nonnull(copy);
    if (len)
        memcpy(copy, text, len);
    memset(rs, 0, sizeof *rs);
    st = nm_procnetdev_parse(copy, len, keep_row, rs, sum);
    free(copy);
    return st;
}

static char *load_fixture(const char *rel, size_t *len)
{
    netmetrics_error e;
    nm_strbuf b;

    nm_strbuf_init(&b);
    if (nm_read_file(NM_FIXTURES_DIR, rel, 1u << 20, &b, &e) != NETMETRICS_OK)
        ck_abort_msg("fixture %s: %s", rel, e.message);
    return nm_strbuf_steal(&b, len);
}

static void parse_fixture(const char *rel, rows *rs, nm_procnetdev_summary *sum)
{
    size_t len;
    char *text = load_fixture(rel, &len);

    ck_assert_int_eq(parse_exact(text, len, rs, sum), NETMETRICS_OK);
    free(text);
}

static const nm_procnetdev_row *find_row(const rows *rs, const char *name)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->r[i].name, name) == 0)
            return &rs->r[i];
    return NULL;
}

static void assert_row(const rows *rs, const char *name, const uint64_t *want)
{
    const nm_procnetdev_row *r = find_row(rs, name);
    int i;

    ck_assert_msg(r != NULL, "row %s missing", name);
    for (i = 0; i < NM_PND_FIELDS; i++)
        ck_assert_msg(r->v[i] == want[i], "%s column %d: %llu, want %llu", name, i,
                      (unsigned long long)r->v[i], (unsigned long long)want[i]);
}

static const uint64_t lo_v[NM_PND_FIELDS] = {8402651, 61233, 0, 0, 0, 0, 0, 0,
                                             8402651, 61233, 0, 0, 0, 0, 0, 0};
static const uint64_t eth0_v[NM_PND_FIELDS] = {1234567890, 2345678, 1, 2, 3, 4, 5, 678,
                                               987654321, 876543, 7, 8, 9, 10, 11, 12};

/* A well-formed row whose counters are 1..16, in column order. */
static const char one_row[] =
    "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";

/* ------------------------------------------------- /proc/net/dev parser -- */

START_TEST(test_pnd_basic)
{
    static const uint64_t wlp[NM_PND_FIELDS] = {9876543210u, 7654321, 0, 315, 0, 0, 0, 4096,
                                                123456789, 456789, 0, 0, 0, 0, 0, 0};
    static const char *const order[] = {"lo", "eth0", "docker0", "veth3f2a1b9", "wlp2s0"};
    nm_procnetdev_summary sum;
    rows rs;
    size_t i;

    parse_fixture("proc_net_dev/basic.txt", &rs, &sum);
    ck_assert_uint_eq(sum.rows, 5);
    ck_assert_uint_eq(sum.headers, 2);
    ck_assert_uint_eq(sum.rejected, 0);
    ck_assert_uint_eq(sum.first_rejected_line, 0);
    ck_assert_ptr_null(sum.first_rejected_why);
    ck_assert_uint_eq(rs.n, 5);
    for (i = 0; i < 5; i++) {
        ck_assert_str_eq(rs.r[i].name, order[i]);
        ck_assert_uint_eq(rs.r[i].line, i + 3);
    }
    assert_row(&rs, "lo", lo_v);
    assert_row(&rs, "eth0", eth0_v);
    assert_row(&rs, "wlp2s0", wlp);
}
END_TEST

START_TEST(test_pnd_crlf)
{
    nm_procnetdev_summary sum, sum2;
    rows *lf = malloc(sizeof *lf), *crlf = malloc(sizeof *crlf);
    size_t i;

    ck_assert_ptr_nonnull(lf);
    ck_assert_ptr_nonnull(crlf);
    parse_fixture("proc_net_dev/basic.txt", lf, &sum);
    parse_fixture("proc_net_dev/crlf.txt", crlf, &sum2);
    ck_assert_uint_eq(sum2.rows, sum.rows);
    ck_assert_uint_eq(sum2.headers, 2);
    ck_assert_uint_eq(sum2.rejected, 0);
    ck_assert_uint_eq(crlf->n, lf->n);
    for (i = 0; i < lf->n; i++) {
        ck_assert_str_eq(crlf->r[i].name, lf->r[i].name);
        ck_assert_mem_eq(crlf->r[i].v, lf->r[i].v, sizeof lf->r[i].v);
    }
    free(lf);
    free(crlf);
}
END_TEST

START_TEST(test_pnd_no_header)
{
    nm_procnetdev_summary sum;
    rows rs;

    parse_fixture("proc_net_dev/no_header.txt", &rs, &sum);
    ck_assert_uint_eq(sum.rows, 2);
    ck_assert_uint_eq(sum.headers, 0);
    ck_assert_uint_eq(sum.rejected, 0);
    assert_row(&rs, "lo", lo_v);
    assert_row(&rs, "eth0", eth0_v);
}
END_TEST

/* 2.6-era kernels printed "%6s:%8llu": a wide counter touches the colon. */
START_TEST(test_pnd_old_format)
{
    nm_procnetdev_summary sum;
    uint64_t want[NM_PND_FIELDS];
    rows rs;

    parse_fixture("proc_net_dev/old_format.txt", &rs, &sum);
    ck_assert_uint_eq(sum.rows, 2);
    ck_assert_uint_eq(sum.rejected, 0);
    memcpy(want, eth0_v, sizeof want);
    want[NM_PND_RX_BYTES] = 123456789012u;
    assert_row(&rs, "eth0", want);
    assert_row(&rs, "lo", lo_v);
}
END_TEST

START_TEST(test_pnd_huge_counters)
{
    const nm_procnetdev_row *r;
    nm_procnetdev_summary sum;
    uint64_t want[NM_PND_FIELDS];
    rows rs;
    int i;

    parse_fixture("proc_net_dev/huge_counters.txt", &rs, &sum);
    ck_assert_uint_eq(sum.rows, 3);
    ck_assert_uint_eq(sum.rejected, 2);
    ck_assert_uint_eq(sum.first_rejected_line, 5);
    ck_assert_str_eq(sum.first_rejected_why, "counter over 2^64-1");
    for (i = 0; i < NM_PND_FIELDS; i++)
        want[i] = U64MAX;
    assert_row(&rs, "max0", want);
    memset(want, 0, sizeof want);
    want[NM_PND_RX_BYTES] = want[NM_PND_TX_BYTES] = U64MAX - 1;
    want[NM_PND_RX_PACKETS] = want[NM_PND_TX_PACKETS] = U64MAX - 2;
    assert_row(&rs, "max1", want);
    /* leading zeros do not count against the range */
    r = find_row(&rs, "zero0");
    ck_assert_ptr_nonnull(r);
    ck_assert(r->v[NM_PND_RX_BYTES] == U64MAX);
    ck_assert_ptr_null(find_row(&rs, "over0"));
    ck_assert_ptr_null(find_row(&rs, "over1"));
}
END_TEST

START_TEST(test_pnd_short_row)
{
    nm_procnetdev_summary sum;
    static const uint64_t zero[NM_PND_FIELDS];
    rows rs;

    parse_fixture("proc_net_dev/short_row.txt", &rs, &sum);
    ck_assert_uint_eq(sum.rows, 2);
    ck_assert_uint_eq(sum.rejected, 2);
    ck_assert_uint_eq(sum.first_rejected_line, 4);
    ck_assert_str_eq(sum.first_rejected_why, "fewer than 16 counters");
    assert_row(&rs, "lo", lo_v);
    assert_row(&rs, "eth1", zero);
    ck_assert_ptr_null(find_row(&rs, "eth0"));
    ck_assert_ptr_null(find_row(&rs, "dummy0"));
}
END_TEST

START_TEST(test_pnd_garbage)
{
    static const uint64_t seq[NM_PND_FIELDS] = {1, 2, 3, 4, 5, 6, 7, 8,
                                                9, 10, 11, 12, 13, 14, 15, 16};
    nm_procnetdev_summary sum;
    rows rs;

    parse_fixture("proc_net_dev/garbage.txt", &rs, &sum);
    /* lo, eth0, and eth5 whose extra numeric columns are ignored */
    ck_assert_uint_eq(sum.rows, 3);
    ck_assert_uint_eq(sum.headers, 2);
    /* hello, eth9, eth8, eth7, eth6, "::::", the unterminated last line */
    ck_assert_uint_eq(sum.rejected, 7);
    ck_assert_uint_eq(sum.first_rejected_line, 4);
    ck_assert_str_eq(sum.first_rejected_why, "no ':' after the interface name");
    assert_row(&rs, "lo", lo_v);
    assert_row(&rs, "eth0", eth0_v);
    assert_row(&rs, "eth5", seq);
    ck_assert_uint_eq(rs.n, 3);
}
END_TEST

START_TEST(test_pnd_hostile_names)
{
    static const char *const ok[] = {"we\"ird\\x", "a{b=c,d}", "#hash", "pipe|x",
                                     "abcdefghijklmno", "..."};
    const nm_procnetdev_row *r;
    nm_procnetdev_summary sum;
    rows rs;
    size_t i;

    parse_fixture("proc_net_dev/hostile_names.txt", &rs, &sum);
    ck_assert_uint_eq(sum.rows, 6);
    /* 16 bytes long, ".", "..", "a/b", empty */
    ck_assert_uint_eq(sum.rejected, 5);
    ck_assert_str_eq(sum.first_rejected_why, "interface name longer than 15 bytes");
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(find_row(&rs, ok[i]) != NULL, "%s missing", ok[i]);
    r = find_row(&rs, "we\"ird\\x");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->v[NM_PND_RX_BYTES], 4242);
    r = find_row(&rs, "...");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->v[NM_PND_RX_BYTES], 10);
    ck_assert_ptr_null(find_row(&rs, "abcdefghijklmnop"));
    ck_assert_ptr_null(find_row(&rs, "."));
    ck_assert_ptr_null(find_row(&rs, ".."));
    ck_assert_ptr_null(find_row(&rs, "a/b"));
    ck_assert_ptr_null(find_row(&rs, ""));
}
END_TEST

/* Bytes that are not UTF-8 are fine in a name; NUL and white space are not. */
START_TEST(test_pnd_name_bytes)
{
    static const char latin1[] = "caf\xe9\xff: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
    static const char nul[] = "  l\0o: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
    static const char vt[] = " l\vo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
    static const char tab[] = "\tlo:\t1\t2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\t\n";
    nm_procnetdev_summary sum;
    rows rs;

    ck_assert_int_eq(parse_exact(latin1, sizeof latin1 - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 1);
    ck_assert_str_eq(rs.r[0].name, "caf\xe9\xff");

    ck_assert_int_eq(parse_exact(nul, sizeof nul - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 0);
    ck_assert_uint_eq(sum.rejected, 1);
    ck_assert_str_eq(sum.first_rejected_why, "forbidden byte in interface name");

    ck_assert_int_eq(parse_exact(vt, sizeof vt - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 0);
    ck_assert_uint_eq(sum.rejected, 1);

    /* tabs are blanks, before the name and between counters */
    ck_assert_int_eq(parse_exact(tab, sizeof tab - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 1);
    ck_assert_str_eq(rs.r[0].name, "lo");
    ck_assert_uint_eq(rs.r[0].v[NM_PND_TX_COMPRESSED], 16);
}
END_TEST

START_TEST(test_pnd_empty)
{
    static const char headers[] =
        "Inter-|   Receive |  Transmit\n face |bytes packets|bytes packets\n";
    nm_procnetdev_summary sum;
    rows rs;

    memset(&sum, 0xff, sizeof sum);
    ck_assert_int_eq(nm_procnetdev_parse(NULL, 0, keep_row, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 0);
    ck_assert_uint_eq(sum.rejected, 0);
    ck_assert_ptr_null(sum.first_rejected_why);

    ck_assert_int_eq(parse_exact("", 0, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows + sum.headers + sum.rejected, 0);

    ck_assert_int_eq(parse_exact("\n\n\r\n  \n", 7, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows + sum.headers + sum.rejected, 0);

    ck_assert_int_eq(parse_exact(headers, sizeof headers - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 0);
    ck_assert_uint_eq(sum.headers, 2);
    ck_assert_uint_eq(sum.rejected, 0);

    /* no summary, no callback: still fine */
    ck_assert_int_eq(nm_procnetdev_parse(one_row, sizeof one_row - 1, NULL, NULL, NULL),
                     NETMETRICS_OK);
}
END_TEST

/* A read cut short must not produce a smaller last counter. */
START_TEST(test_pnd_unterminated)
{
    nm_procnetdev_summary sum;
    rows rs;

    ck_assert_int_eq(parse_exact(one_row, sizeof one_row - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 1);
    ck_assert_uint_eq(rs.r[0].v[NM_PND_TX_COMPRESSED], 16);

    ck_assert_int_eq(parse_exact(one_row, sizeof one_row - 2, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 0);
    ck_assert_uint_eq(sum.rejected, 1);
    ck_assert_str_eq(sum.first_rejected_why, "last line is not terminated");

    /* cut after the 16th counter's first digit */
    ck_assert_int_eq(parse_exact(one_row, sizeof one_row - 3, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(sum.rows, 0);
}
END_TEST

static netmetrics_status stop_at_second(const nm_procnetdev_row *row, void *ctx)
{
    int *calls = ctx;

    (void)row;
    return ++*calls == 2 ? NETMETRICS_ERR_NO_MEMORY : NETMETRICS_OK;
}

START_TEST(test_pnd_callback_stops)
{
    nm_procnetdev_summary sum;
    size_t len;
    char *text = load_fixture("proc_net_dev/basic.txt", &len);
    int calls = 0;

    ck_assert_int_eq(nm_procnetdev_parse(text, len, stop_at_second, &calls, &sum),
                     NETMETRICS_ERR_NO_MEMORY);
    ck_assert_int_eq(calls, 2);
    free(text);
}
END_TEST

START_TEST(test_pnd_fill)
{
    static const struct {
        int column;
        netmetrics_stat stat;
    } map[] = {
        {NM_PND_RX_BYTES, NETMETRICS_STAT_RX_BYTES},
        {NM_PND_RX_PACKETS, NETMETRICS_STAT_RX_PACKETS},
        {NM_PND_RX_ERRS, NETMETRICS_STAT_RX_ERRORS},
        {NM_PND_RX_DROP, NETMETRICS_STAT_RX_DROPPED},
        {NM_PND_RX_FIFO, NETMETRICS_STAT_RX_FIFO_ERRORS},
        {NM_PND_RX_COMPRESSED, NETMETRICS_STAT_RX_COMPRESSED},
        {NM_PND_RX_MULTICAST, NETMETRICS_STAT_MULTICAST},
        {NM_PND_TX_BYTES, NETMETRICS_STAT_TX_BYTES},
        {NM_PND_TX_PACKETS, NETMETRICS_STAT_TX_PACKETS},
        {NM_PND_TX_ERRS, NETMETRICS_STAT_TX_ERRORS},
        {NM_PND_TX_DROP, NETMETRICS_STAT_TX_DROPPED},
        {NM_PND_TX_FIFO, NETMETRICS_STAT_TX_FIFO_ERRORS},
        {NM_PND_TX_COLLS, NETMETRICS_STAT_COLLISIONS},
        {NM_PND_TX_COMPRESSED, NETMETRICS_STAT_TX_COMPRESSED},
    };
    /* the parts of the folded columns, and what /proc/net/dev lacks */
    static const netmetrics_stat absent[] = {
        NETMETRICS_STAT_RX_LENGTH_ERRORS,  NETMETRICS_STAT_RX_OVER_ERRORS,
        NETMETRICS_STAT_RX_CRC_ERRORS,     NETMETRICS_STAT_RX_FRAME_ERRORS,
        NETMETRICS_STAT_RX_MISSED_ERRORS,  NETMETRICS_STAT_TX_ABORTED_ERRORS,
        NETMETRICS_STAT_TX_CARRIER_ERRORS, NETMETRICS_STAT_TX_HEARTBEAT_ERRORS,
        NETMETRICS_STAT_TX_WINDOW_ERRORS,  NETMETRICS_STAT_RX_NOHANDLER,
        NETMETRICS_STAT_RX_OTHERHOST_DROPPED,
    };
    struct netmetrics_interface iface;
    nm_procnetdev_summary sum;
    rows rs;
    size_t i;
    uint64_t v;

    ck_assert_int_eq(parse_exact(one_row, sizeof one_row - 1, &rs, &sum), NETMETRICS_OK);
    ck_assert_uint_eq(rs.n, 1);
    memset(&iface, 0x5a, sizeof iface);
    iface.stats_valid = 0;
    nm_procnetdev_fill(&rs.r[0], &iface);
    ck_assert_str_eq(netmetrics_interface_name(&iface), "eth0");
    ck_assert_mem_eq(iface.name, "eth0\0\0\0\0\0\0\0\0\0\0\0\0", NM_IFNAME_SIZE);
    ck_assert_uint_eq(iface.stats_valid, nm_procnetdev_stats_mask());
    ck_assert_int_eq(__builtin_popcount(nm_procnetdev_stats_mask()), 14);
    for (i = 0; i < sizeof map / sizeof map[0]; i++) {
        ck_assert_int_eq(netmetrics_interface_stat(&iface, map[i].stat, &v), NETMETRICS_OK);
        ck_assert_uint_eq(v, (uint64_t)map[i].column + 1);
    }
    for (i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        v = 99;
        ck_assert_int_eq(netmetrics_interface_stat(&iface, absent[i], &v),
                         NETMETRICS_ERR_NOT_AVAILABLE);
        ck_assert_uint_eq(v, 0);
    }
}
END_TEST

/* Every prefix of valid text: no crash, no read past the end, and every row
 * a prefix yields is exactly the row the whole text yields. */
static void check_prefixes(const char *rel)
{
    nm_procnetdev_summary sum;
    rows *full = malloc(sizeof *full), *part = malloc(sizeof *part);
    size_t len, n, i;
    char *text = load_fixture(rel, &len);

    ck_assert_ptr_nonnull(full);
    ck_assert_ptr_nonnull(part);
    ck_assert_int_eq(parse_exact(text, len, full, &sum), NETMETRICS_OK);
    for (n = 0; n <= len; n++) {
        ck_assert_int_eq(parse_exact(text, n, part, &sum), NETMETRICS_OK);
        ck_assert_uint_le(part->n, full->n);
        for (i = 0; i < part->n; i++) {
            ck_assert_str_eq(part->r[i].name, full->r[i].name);
            ck_assert_mem_eq(part->r[i].v, full->r[i].v, sizeof part->r[i].v);
        }
    }
    ck_assert_uint_eq(part->n, full->n);
    free(text);
    free(full);
    free(part);
}

START_TEST(test_pnd_every_prefix)
{
    check_prefixes("proc_net_dev/basic.txt");
    check_prefixes("proc_net_dev/crlf.txt");
    check_prefixes("proc_net_dev/garbage.txt");
    check_prefixes("proc_net_dev/hostile_names.txt");
    check_prefixes("proc_net_dev/huge_counters.txt");
}
END_TEST

/* ---------------------------------------------------------- sysfs text -- */

START_TEST(test_sysfs_uint)
{
    uint64_t v;

    ck_assert_int_eq(nm_sysfs_parse_uint("1500\n", 5, UINT32_MAX, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 1500);
    ck_assert_int_eq(nm_sysfs_parse_uint("0", 1, 1, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(nm_sysfs_parse_uint(" 42 \r\n", 6, 100, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 42);
    /* bounded by len, not by a NUL */
    ck_assert_int_eq(nm_sysfs_parse_uint("15009", 4, UINT32_MAX, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 1500);
    ck_assert_int_eq(nm_sysfs_parse_uint("4294967295\n", 11, UINT32_MAX, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, UINT32_MAX);
    ck_assert_int_eq(nm_sysfs_parse_uint("18446744073709551615", 20, UINT64_MAX, &v),
                     NETMETRICS_OK);
    ck_assert(v == U64MAX);

    v = 7;
    ck_assert_int_eq(nm_sysfs_parse_uint("4294967296\n", 11, UINT32_MAX, &v),
                     NETMETRICS_ERR_PARSE);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(nm_sysfs_parse_uint("18446744073709551616", 20, UINT64_MAX, &v),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("2", 1, 1, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("", 0, 10, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("\n", 1, 10, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint(NULL, 0, 10, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("-1\n", 3, UINT32_MAX, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("+1\n", 3, UINT32_MAX, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("12a\n", 4, UINT32_MAX, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("1 2\n", 4, UINT32_MAX, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_uint("0x10", 4, UINT32_MAX, &v), NETMETRICS_ERR_PARSE);
}
END_TEST

START_TEST(test_sysfs_hex)
{
    uint32_t v;

    ck_assert_int_eq(nm_sysfs_parse_hex32("0x1003\n", 7, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 0x1003);
    /* "%#x" prints zero without the prefix */
    ck_assert_int_eq(nm_sysfs_parse_hex32("0\n", 2, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(nm_sysfs_parse_hex32("0X9", 3, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 9);
    ck_assert_int_eq(nm_sysfs_parse_hex32("1003", 4, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 0x1003);
    ck_assert_int_eq(nm_sysfs_parse_hex32("0xffffffff\n", 11, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 0xffffffffu);
    ck_assert_int_eq(nm_sysfs_parse_hex32("0x00000000ABCDEF12", 18, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 0xabcdef12u);

    v = 7;
    ck_assert_int_eq(nm_sysfs_parse_hex32("0x100000000", 11, &v), NETMETRICS_ERR_PARSE);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(nm_sysfs_parse_hex32("0x\n", 3, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hex32("0xg", 3, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hex32("", 0, &v), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hex32("-0x1", 4, &v), NETMETRICS_ERR_PARSE);
    /* "0x1003" cut to "0x" */
    ck_assert_int_eq(nm_sysfs_parse_hex32("0x1003", 2, &v), NETMETRICS_ERR_PARSE);
}
END_TEST

START_TEST(test_sysfs_operstate)
{
    static const struct {
        const char *text;
        netmetrics_operstate want;
    } ok[] = {
        {"up\n", NETMETRICS_OPER_UP},
        {"down\n", NETMETRICS_OPER_DOWN},
        {"unknown\n", NETMETRICS_OPER_UNKNOWN},
        {"dormant\n", NETMETRICS_OPER_DORMANT},
        {"lowerlayerdown\n", NETMETRICS_OPER_LOWERLAYERDOWN},
        {"notpresent\n", NETMETRICS_OPER_NOTPRESENT},
        {"testing", NETMETRICS_OPER_TESTING},
    };
    static const char *const bad[] = {"UP\n", "upx\n", "u\n", "", "\n", "up down\n", "dow"};
    netmetrics_operstate st;
    size_t i;

    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        st = (netmetrics_operstate)99;
        ck_assert_int_eq(nm_sysfs_parse_operstate(ok[i].text, strlen(ok[i].text), &st),
                         NETMETRICS_OK);
        ck_assert_int_eq(st, ok[i].want);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        st = NETMETRICS_OPER_UP;
        ck_assert_msg(nm_sysfs_parse_operstate(bad[i], strlen(bad[i]), &st) ==
                          NETMETRICS_ERR_PARSE,
                      "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(st, NETMETRICS_OPER_UNKNOWN);
    }
    /* "upx" cut to "up" */
    ck_assert_int_eq(nm_sysfs_parse_operstate("upx", 2, &st), NETMETRICS_OK);
    ck_assert_int_eq(st, NETMETRICS_OPER_UP);
}
END_TEST

START_TEST(test_sysfs_hwaddr)
{
    static const unsigned char mac[6] = {0xaa, 0xbb, 0xcc, 0x01, 0x02, 0xff};
    static const char ipoib[] = "80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:8c:21\n";
    unsigned char out[NM_HWADDR_MAX + 1];
    char big[3 * (NM_HWADDR_MAX + 1) + 1];
    size_t n, i;

    ck_assert_int_eq(nm_sysfs_parse_hwaddr("aa:bb:cc:01:02:ff\n", 18, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_OK);
    ck_assert_uint_eq(n, 6);
    ck_assert_mem_eq(out, mac, 6);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("AA:BB:CC:01:02:FF", 17, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_OK);
    ck_assert_mem_eq(out, mac, 6);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr(ipoib, sizeof ipoib - 1, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_OK);
    ck_assert_uint_eq(n, 20);
    ck_assert_uint_eq(out[19], 0x21);
    /* no address at all (tun, wireguard) */
    n = 9;
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("\n", 1, out, NM_HWADDR_MAX, &n), NETMETRICS_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("", 0, out, NM_HWADDR_MAX, &n), NETMETRICS_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("ab", 2, out, NM_HWADDR_MAX, &n), NETMETRICS_OK);
    ck_assert_uint_eq(n, 1);

    /* exactly NM_HWADDR_MAX bytes fit; one more does not */
    for (i = 0; i < NM_HWADDR_MAX + 1; i++)
        memcpy(big + 3 * i, "0f:", 3);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr(big, 3 * NM_HWADDR_MAX - 1, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_OK);
    ck_assert_uint_eq(n, NM_HWADDR_MAX);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr(big, 3 * (NM_HWADDR_MAX + 1) - 1, out, NM_HWADDR_MAX,
                                           &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_uint_eq(n, 0);
    /* the caller's size is the limit, not NM_HWADDR_MAX */
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("aa:bb:cc:01:02:ff:00", 20, out, 6, &n),
                     NETMETRICS_ERR_PARSE);

    ck_assert_int_eq(nm_sysfs_parse_hwaddr("aa:bb:", 6, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("aa:b", 4, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("aabb", 4, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("a:bb", 4, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("zz:bb", 5, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr("aa-bb", 5, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_sysfs_parse_hwaddr(NULL, 0, out, NM_HWADDR_MAX, &n),
                     NETMETRICS_ERR_PARSE);
}
END_TEST

/* Every prefix of each valid value, in an exact-size buffer. */
START_TEST(test_sysfs_every_prefix)
{
    static const char *const texts[] = {"1500\n", "0x1003\n", "lowerlayerdown\n",
                                        "aa:bb:cc:dd:ee:ff\n", "18446744073709551615\n"};
    size_t t, n;

    for (t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        size_t len = strlen(texts[t]);

        for (n = 0; n <= len; n++) {
            char *copy = malloc(n ? n : 1);
            unsigned char mac[NM_HWADDR_MAX];
            netmetrics_operstate st;
            netmetrics_status r;
            uint64_t u;
            uint32_t h;
            size_t ml;

            ck_assert_ptr_nonnull(copy);
            memcpy(copy, texts[t], n);
            r = nm_sysfs_parse_uint(copy, n, UINT64_MAX, &u);
            ck_assert(r == NETMETRICS_OK || r == NETMETRICS_ERR_PARSE);
            r = nm_sysfs_parse_hex32(copy, n, &h);
            ck_assert(r == NETMETRICS_OK || r == NETMETRICS_ERR_PARSE);
            r = nm_sysfs_parse_operstate(copy, n, &st);
            ck_assert(r == NETMETRICS_OK || r == NETMETRICS_ERR_PARSE);
            r = nm_sysfs_parse_hwaddr(copy, n, mac, sizeof mac, &ml);
            ck_assert(r == NETMETRICS_OK || r == NETMETRICS_ERR_PARSE);
            ck_assert_uint_le(ml, sizeof mac);
            free(copy);
        }
    }
}
END_TEST

/* ------------------------------------------------------ procfs backend -- */

/* Collects once through the procfs backend with the given roots. */
static netmetrics_status collect(const char *proc, const char *sys, netmetrics_snapshot **snap,
                                 netmetrics_error *err)
{
    netmetrics_collector_options o;
    netmetrics_collector *c;
    netmetrics_status st;

    netmetrics_collector_options_init(&o);
    o.backend = NETMETRICS_BACKEND_PROCFS;
    o.proc_root = proc;
    o.sys_root = sys;
    *snap = netmetrics_snapshot_new();
    ck_assert_ptr_nonnull(*snap);
    st = netmetrics_collector_new(&o, &c, err);
    if (st != NETMETRICS_OK)
        return st;
    ck_assert_str_eq(netmetrics_collector_backend(c), "procfs");
    st = netmetrics_collector_collect(c, *snap, err);
    netmetrics_collector_free(c);
    return st;
}

static uint64_t stat_of(const netmetrics_interface *i, netmetrics_stat s)
{
    uint64_t v;

    ck_assert_int_eq(netmetrics_interface_stat(i, s, &v), NETMETRICS_OK);
    return v;
}

#define BASIC NM_FIXTURES_DIR "/procfs/basic"

static void check_basic(const netmetrics_snapshot *snap)
{
    static const int order[] = {1, 2, 3, 4, 7, 9};
    const netmetrics_interface *lo, *eth0, *eth1, *wlan, *veth, *weird;
    unsigned char mac[NM_HWADDR_MAX];
    char macs[3 * NM_HWADDR_MAX];
    size_t i;

    ck_assert_str_eq(netmetrics_snapshot_backend(snap), "procfs");
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_LINKS), NETMETRICS_OK);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 6);
    for (i = 0; i < 6; i++) {
        const netmetrics_interface *it = netmetrics_snapshot_interface(snap, i);

        ck_assert_int_eq(netmetrics_interface_index(it), order[i]);
        ck_assert_str_eq(netmetrics_interface_kind(it), ""); /* sysfs has no kind */
    }

    lo = netmetrics_snapshot_find(snap, "lo");
    ck_assert_ptr_nonnull(lo);
    ck_assert_int_eq(netmetrics_interface_index(lo), 1);
    ck_assert_uint_eq(netmetrics_interface_flags(lo),
                      NETMETRICS_FLAG_UP | NETMETRICS_FLAG_LOOPBACK | NETMETRICS_FLAG_RUNNING |
                          NETMETRICS_FLAG_LOWER_UP);
    ck_assert_uint_eq(netmetrics_interface_mtu(lo), 65536);
    ck_assert_int_eq(netmetrics_interface_operstate(lo), NETMETRICS_OPER_UNKNOWN);
    ck_assert_int_eq(netmetrics_interface_carrier(lo), 1);
    ck_assert_int_eq(netmetrics_interface_link_type(lo), 772);
    ck_assert_uint_eq(netmetrics_interface_hwaddr(lo, mac, sizeof mac), 6);
    ck_assert_mem_eq(mac, "\0\0\0\0\0\0", 6);
    ck_assert_uint_eq(stat_of(lo, NETMETRICS_STAT_RX_BYTES), 8402651);
    ck_assert_uint_eq(stat_of(lo, NETMETRICS_STAT_TX_PACKETS), 61233);

    eth0 = netmetrics_snapshot_find_index(snap, 2);
    ck_assert_ptr_nonnull(eth0);
    ck_assert_str_eq(netmetrics_interface_name(eth0), "eth0");
    ck_assert_uint_eq(netmetrics_interface_flags(eth0),
                      NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_MULTICAST |
                          NETMETRICS_FLAG_RUNNING | NETMETRICS_FLAG_LOWER_UP);
    ck_assert_uint_eq(netmetrics_interface_mtu(eth0), 1500);
    ck_assert_int_eq(netmetrics_interface_operstate(eth0), NETMETRICS_OPER_UP);
    ck_assert_int_eq(netmetrics_interface_carrier(eth0), 1);
    ck_assert_int_eq(netmetrics_interface_link_type(eth0), 1);
    ck_assert_int_eq(netmetrics_interface_hwaddr_string(eth0, macs, sizeof macs), NETMETRICS_OK);
    ck_assert_str_eq(macs, "52:54:00:12:34:56");
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_RX_BYTES), 1234567890);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_RX_PACKETS), 2345678);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_RX_ERRORS), 1);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_RX_DROPPED), 2);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_RX_FIFO_ERRORS), 3);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_RX_COMPRESSED), 5);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_MULTICAST), 678);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_TX_BYTES), 987654321);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_TX_PACKETS), 876543);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_TX_ERRORS), 7);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_TX_DROPPED), 8);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_TX_FIFO_ERRORS), 9);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_COLLISIONS), 10);
    ck_assert_uint_eq(stat_of(eth0, NETMETRICS_STAT_TX_COMPRESSED), 12);
    /* frame (4) and carrier (11) are sums of several kernel counters */
    ck_assert_int_eq(netmetrics_interface_stat(eth0, NETMETRICS_STAT_RX_FRAME_ERRORS, NULL),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(netmetrics_interface_stat(eth0, NETMETRICS_STAT_TX_CARRIER_ERRORS, NULL),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(netmetrics_interface_stat(eth0, NETMETRICS_STAT_RX_MISSED_ERRORS, NULL),
                     NETMETRICS_ERR_NOT_AVAILABLE);

    /* down, no carrier file: carrier unknown, no RUNNING / LOWER_UP */
    eth1 = netmetrics_snapshot_find(snap, "eth1");
    ck_assert_ptr_nonnull(eth1);
    ck_assert_int_eq(netmetrics_interface_index(eth1), 3);
    ck_assert_int_eq(netmetrics_interface_carrier(eth1), -1);
    ck_assert_int_eq(netmetrics_interface_operstate(eth1), NETMETRICS_OPER_DOWN);
    ck_assert_uint_eq(netmetrics_interface_flags(eth1),
                      NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_MULTICAST);
    ck_assert_uint_eq(stat_of(eth1, NETMETRICS_STAT_RX_BYTES), 0);

    /* dormant: LOWER_UP and DORMANT, not RUNNING */
    wlan = netmetrics_snapshot_find(snap, "wlan0");
    ck_assert_ptr_nonnull(wlan);
    ck_assert_int_eq(netmetrics_interface_operstate(wlan), NETMETRICS_OPER_DORMANT);
    ck_assert_uint_eq(netmetrics_interface_flags(wlan),
                      NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_MULTICAST |
                          NETMETRICS_FLAG_LOWER_UP | NETMETRICS_FLAG_DORMANT);

    veth = netmetrics_snapshot_find(snap, "veth3f2a1b9");
    ck_assert_ptr_nonnull(veth);
    ck_assert_int_eq(netmetrics_interface_index(veth), 7);
    ck_assert_uint_eq(stat_of(veth, NETMETRICS_STAT_RX_DROPPED), 1);
    ck_assert_uint_eq(stat_of(veth, NETMETRICS_STAT_TX_BYTES), 113407);

    /* tun-like: no hardware address, ARPHRD_NONE */
    weird = netmetrics_snapshot_find(snap, "we\"ird\\x");
    ck_assert_ptr_nonnull(weird);
    ck_assert_int_eq(netmetrics_interface_index(weird), 9);
    ck_assert_uint_eq(netmetrics_interface_hwaddr(weird, NULL, 0), 0);
    ck_assert_int_eq(netmetrics_interface_hwaddr_string(weird, macs, sizeof macs), NETMETRICS_OK);
    ck_assert_str_eq(macs, "");
    ck_assert_int_eq(netmetrics_interface_link_type(weird), 65534);
    ck_assert_uint_eq(netmetrics_interface_flags(weird),
                      NETMETRICS_FLAG_UP | NETMETRICS_FLAG_POINTOPOINT | NETMETRICS_FLAG_NOARP |
                          NETMETRICS_FLAG_MULTICAST | NETMETRICS_FLAG_RUNNING |
                          NETMETRICS_FLAG_LOWER_UP);
    ck_assert_uint_eq(stat_of(weird, NETMETRICS_STAT_RX_BYTES), 4242);
}

START_TEST(test_backend_basic)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;

    if (collect(BASIC "/proc", BASIC "/sys", &snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    check_basic(snap);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* One collector, one snapshot, several scrapes: same answer each time. */
START_TEST(test_backend_reuse)
{
    netmetrics_collector_options o;
    netmetrics_collector *c;
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    int i;

    ck_assert_ptr_nonnull(snap);
    netmetrics_collector_options_init(&o);
    o.backend = NETMETRICS_BACKEND_PROCFS;
    o.proc_root = BASIC "/proc";
    o.sys_root = BASIC "/sys";
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &err), NETMETRICS_OK);
    for (i = 0; i < 3; i++) {
        if (netmetrics_collector_collect(c, snap, &err) != NETMETRICS_OK)
            ck_abort_msg("collect %d: %s", i, err.message);
        check_basic(snap);
    }
    netmetrics_collector_free(c);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* An interface in /proc/net/dev whose sysfs directory is gone is skipped. */
START_TEST(test_backend_vanished)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;

    if (collect(NM_FIXTURES_DIR "/procfs/vanished/proc", NM_FIXTURES_DIR "/procfs/vanished/sys",
                &snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 1);
    ck_assert_ptr_nonnull(netmetrics_snapshot_find(snap, "lo"));
    ck_assert_ptr_null(netmetrics_snapshot_find(snap, "gone0"));
    netmetrics_snapshot_free(snap);
}
END_TEST

/* No interface has a sysfs directory: not churn, a wrong sys root. */
START_TEST(test_backend_no_sys)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;

    ck_assert_int_eq(collect(BASIC "/proc", NM_FIXTURES_DIR "/procfs/no-such-dir", &snap, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_msg(strstr(err.message, "procfs: ") == err.message, "%s", err.message);
    ck_assert_msg(strstr(err.message, "class/net") != NULL, "%s", err.message);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 0);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_backend_no_proc)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;

    ck_assert_int_eq(collect(NM_FIXTURES_DIR "/procfs/no-such-dir", BASIC "/sys", &snap, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(err.sys_errno, ENOENT);
    ck_assert_msg(strstr(err.message, "procfs: ") == err.message, "%s", err.message);
    ck_assert_msg(strstr(err.message, "no-such-dir/net/dev") != NULL, "%s", err.message);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ---- trees built at test time, for names git cannot store and broken files */

static char tmp_root[64];

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void tmp_setup(void)
{
    strcpy(tmp_root, "/tmp/nm-check-procfs-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_root));
}

static void tmp_teardown(void)
{
    nftw(tmp_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes tmp_root/rel, creating its directories. */
static void tmp_write(const char *rel, const char *data, size_t len)
{
    char path[512];
    char *slash;
    int fd;

    ck_assert_int_lt(snprintf(path, sizeof path, "%s/%s", tmp_root, rel), (int)sizeof path);
    for (slash = strchr(path + strlen(tmp_root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
        *slash = '/';
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_msg(fd >= 0, "open %s", path);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static void tmp_attr(const char *ifname, const char *attr, const char *value)
{
    char rel[128];

    snprintf(rel, sizeof rel, "sys/class/net/%s/%s", ifname, attr);
    tmp_write(rel, value, strlen(value));
}

/* A minimal, healthy sysfs directory. */
static void tmp_iface(const char *ifname, const char *ifindex)
{
    tmp_attr(ifname, "ifindex", ifindex);
    tmp_attr(ifname, "flags", "0x1003\n");
    tmp_attr(ifname, "mtu", "1500\n");
    tmp_attr(ifname, "operstate", "up\n");
    tmp_attr(ifname, "carrier", "1\n");
    tmp_attr(ifname, "type", "1\n");
    tmp_attr(ifname, "addr_len", "6\n");
    tmp_attr(ifname, "address", "02:00:00:00:00:01\n");
}

static netmetrics_status tmp_collect(netmetrics_snapshot **snap, netmetrics_error *err)
{
    char proc[96], sys[96];

    snprintf(proc, sizeof proc, "%s/proc", tmp_root);
    snprintf(sys, sizeof sys, "%s/sys", tmp_root);
    return collect(proc, sys, snap, err);
}

#define DEV_HEADER                                                                                \
    "Inter-|   Receive                                                |  Transmit\n"              \
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "    \
    "drop fifo colls carrier compressed\n"

START_TEST(test_tree_non_utf8_name)
{
    static const char dev[] = DEV_HEADER
        "    lo:     100       1    0    0    0     0          0         0      100       1    0 "
        "   0    0     0       0          0\n"
        "caf\xe9\xff:     777       7    0    0    0     0          0         0      888       8 "
        "   0    0    0     0       0          0\n";
    netmetrics_snapshot *snap;
    netmetrics_error err;
    const netmetrics_interface *it;

    tmp_write("proc/net/dev", dev, sizeof dev - 1);
    tmp_iface("lo", "1\n");
    tmp_iface("caf\xe9\xff", "5\n");
    if (tmp_collect(&snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 2);
    it = netmetrics_snapshot_find_index(snap, 5);
    ck_assert_ptr_nonnull(it);
    ck_assert_mem_eq(netmetrics_interface_name(it), "caf\xe9\xff", 6);
    ck_assert_ptr_eq(netmetrics_snapshot_find(snap, "caf\xe9\xff"), it);
    ck_assert_uint_eq(stat_of(it, NETMETRICS_STAT_RX_BYTES), 777);
    ck_assert_uint_eq(stat_of(it, NETMETRICS_STAT_TX_BYTES), 888);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* One malformed row costs its interface only. */
START_TEST(test_tree_one_bad_row)
{
    static const char dev[] = DEV_HEADER
        "    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
        "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n";
    netmetrics_snapshot *snap;
    netmetrics_error err;

    tmp_write("proc/net/dev", dev, sizeof dev - 1);
    tmp_iface("lo", "1\n");
    tmp_iface("eth0", "2\n");
    if (tmp_collect(&snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 1);
    ck_assert_ptr_nonnull(netmetrics_snapshot_find(snap, "lo"));
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_tree_all_rows_bad)
{
    static const char dev[] = DEV_HEADER "    lo: 1 2 3\n  eth0: a b c\n";
    netmetrics_snapshot *snap;
    netmetrics_error err;

    tmp_write("proc/net/dev", dev, sizeof dev - 1);
    tmp_iface("lo", "1\n");
    ck_assert_int_eq(tmp_collect(&snap, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg(strstr(err.message, "net/dev line 3: fewer than 16 counters") != NULL, "%s",
                  err.message);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 0);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_tree_empty_dev)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;

    tmp_write("proc/net/dev", "", 0);
    ck_assert_int_eq(tmp_collect(&snap, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg(strstr(err.message, "is empty") != NULL, "%s", err.message);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* Headers and no interface: an empty table, not an error. */
START_TEST(test_tree_headers_only)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;

    tmp_write("proc/net/dev", DEV_HEADER, sizeof DEV_HEADER - 1);
    if (tmp_collect(&snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 0);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_tree_bad_ifindex)
{
    static const char dev[] = DEV_HEADER "    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
    netmetrics_snapshot *snap;
    netmetrics_error err;

    tmp_write("proc/net/dev", dev, sizeof dev - 1);
    tmp_iface("lo", "one\n");
    ck_assert_int_eq(tmp_collect(&snap, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg(strstr(err.message, "lo/ifindex") != NULL, "%s", err.message);
    netmetrics_snapshot_free(snap);

    tmp_iface("lo", "0\n");
    ck_assert_int_eq(tmp_collect(&snap, &err), NETMETRICS_ERR_PARSE);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* Broken optional attributes leave "unknown", never fail the scrape. */
START_TEST(test_tree_bad_attributes)
{
    static const char dev[] = DEV_HEADER "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
    netmetrics_snapshot *snap;
    netmetrics_error err;
    const netmetrics_interface *it;

    tmp_write("proc/net/dev", dev, sizeof dev - 1);
    tmp_iface("eth0", "2\n");
    tmp_attr("eth0", "flags", "0\n");
    tmp_attr("eth0", "mtu", "big\n");
    tmp_attr("eth0", "operstate", "sideways\n");
    tmp_attr("eth0", "carrier", "2\n");
    tmp_attr("eth0", "type", "70000\n");
    tmp_attr("eth0", "address", "02:00:00:00:00\n"); /* 5 bytes, addr_len says 6 */
    if (tmp_collect(&snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    it = netmetrics_snapshot_find(snap, "eth0");
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(netmetrics_interface_index(it), 2);
    ck_assert_uint_eq(netmetrics_interface_flags(it), 0);
    ck_assert_uint_eq(netmetrics_interface_mtu(it), 0);
    ck_assert_int_eq(netmetrics_interface_operstate(it), NETMETRICS_OPER_UNKNOWN);
    ck_assert_int_eq(netmetrics_interface_carrier(it), -1);
    ck_assert_int_eq(netmetrics_interface_link_type(it), -1);
    ck_assert_uint_eq(netmetrics_interface_hwaddr(it, NULL, 0), 0);
    ck_assert_uint_eq(stat_of(it, NETMETRICS_STAT_TX_COMPRESSED), 16);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ------------------------------------------------------ live /proc, /sys -- */

static uint64_t sys_counter(const char *rel)
{
    netmetrics_error err;
    nm_strbuf b;
    uint64_t v;

    nm_strbuf_init(&b);
    if (nm_read_file("/sys", rel, 4096, &b, &err) != NETMETRICS_OK)
        ck_abort_msg("%s", err.message);
    ck_assert_int_eq(nm_sysfs_parse_uint(b.data, b.len, UINT64_MAX, &v), NETMETRICS_OK);
    nm_strbuf_free(&b);
    return v;
}

START_TEST(test_live_lo)
{
    netmetrics_snapshot *snap;
    netmetrics_error err;
    const netmetrics_interface *lo;
    uint64_t before, after, rx;

    before = sys_counter("class/net/lo/statistics/rx_bytes");
    if (collect(NULL, NULL, &snap, &err) != NETMETRICS_OK)
        ck_abort_msg("collect: %s", err.message);
    after = sys_counter("class/net/lo/statistics/rx_bytes");
    lo = netmetrics_snapshot_find(snap, "lo");
    ck_assert_ptr_nonnull(lo);
    ck_assert_int_eq(netmetrics_interface_index(lo), 1);
    ck_assert_uint_eq(netmetrics_interface_flags(lo) &
                          (NETMETRICS_FLAG_LOOPBACK | NETMETRICS_FLAG_UP),
                      NETMETRICS_FLAG_LOOPBACK | NETMETRICS_FLAG_UP);
    ck_assert_int_eq(netmetrics_interface_link_type(lo), 772);
    rx = stat_of(lo, NETMETRICS_STAT_RX_BYTES);
    ck_assert_msg(before <= rx && rx <= after, "rx_bytes %llu not in [%llu, %llu]",
                  (unsigned long long)rx, (unsigned long long)before,
                  (unsigned long long)after);
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_ADDRESSES),
                     NETMETRICS_OK);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ---------------------------------------------------------------- main -- */

static Suite *procnetdev_suite(void)
{
    Suite *s = suite_create("procnetdev_parse");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, test_pnd_basic);
    tcase_add_test(tc, test_pnd_crlf);
    tcase_add_test(tc, test_pnd_no_header);
    tcase_add_test(tc, test_pnd_old_format);
    tcase_add_test(tc, test_pnd_huge_counters);
    tcase_add_test(tc, test_pnd_short_row);
    tcase_add_test(tc, test_pnd_garbage);
    tcase_add_test(tc, test_pnd_hostile_names);
    tcase_add_test(tc, test_pnd_name_bytes);
    tcase_add_test(tc, test_pnd_empty);
    tcase_add_test(tc, test_pnd_unterminated);
    tcase_add_test(tc, test_pnd_callback_stops);
    tcase_add_test(tc, test_pnd_fill);
    tcase_add_test(tc, test_pnd_every_prefix);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *sysfs_suite(void)
{
    Suite *s = suite_create("sysfs_parse");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, test_sysfs_uint);
    tcase_add_test(tc, test_sysfs_hex);
    tcase_add_test(tc, test_sysfs_operstate);
    tcase_add_test(tc, test_sysfs_hwaddr);
    tcase_add_test(tc, test_sysfs_every_prefix);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *backend_suite(void)
{
    Suite *s = suite_create("procfs_backend");
    TCase *fx = tcase_create("fixtures");
    TCase *tree = tcase_create("built_trees");
    TCase *live = tcase_create("live");

    tcase_add_test(fx, test_backend_basic);
    tcase_add_test(fx, test_backend_reuse);
    tcase_add_test(fx, test_backend_vanished);
    tcase_add_test(fx, test_backend_no_sys);
    tcase_add_test(fx, test_backend_no_proc);
    suite_add_tcase(s, fx);

    tcase_add_checked_fixture(tree, tmp_setup, tmp_teardown);
    tcase_add_test(tree, test_tree_non_utf8_name);
    tcase_add_test(tree, test_tree_one_bad_row);
    tcase_add_test(tree, test_tree_all_rows_bad);
    tcase_add_test(tree, test_tree_empty_dev);
    tcase_add_test(tree, test_tree_headers_only);
    tcase_add_test(tree, test_tree_bad_ifindex);
    tcase_add_test(tree, test_tree_bad_attributes);
    suite_add_tcase(s, tree);

    tcase_add_test(live, test_live_lo);
    suite_add_tcase(s, live);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(procnetdev_suite());
    int failed;

    srunner_add_suite(sr, sysfs_suite());
    srunner_add_suite(sr, backend_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

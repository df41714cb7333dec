/* SPDX-License-Identifier: MIT */
/* Unit tests of the exporter's speeds: the duration syntax of
 * --collector.speed.min-interval, the min-interval rule, the speed families
 * rendered from hand-built snapshot pairs (golden lines, absent series,
 * the totals rule), and the scraper's snapshot swap and reuse driven
 * through the procfs backend on a fixture tree. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "duration.h"
#include "options.h"
#include "rates.h"
#include "render.h"
#include "scrape.h"
#include "scrape_stream.h"
#include "snapshot.h"
#include "strbuf.h"

#define NS_PER_S 1000000000ull
#define ARPHRD_ETHER_ 1
#define ARPHRD_LOOPBACK_ 772
#define BASIC NM_FIXTURES_DIR "/procfs/basic"

/* ---------------------------------------------------------- durations -- */

START_TEST(test_duration_good)
{
    static const struct {
        const char *text;
        uint64_t ns;
    } cases[] = {
        {"1s", NS_PER_S},           {"500ms", 500000000ull},  {"2.5s", 2500000000ull},
        {"2", 2 * NS_PER_S},        {"0.25", 250000000ull},   {"0", 0},
        {"0s", 0},                  {"1m30s", 90 * NS_PER_S}, {"1h", 3600 * NS_PER_S},
        {"100us", 100000ull},       {"100\xc2\xb5s", 100000ull}, {"7ns", 7},
        {".5s", 500000000ull},      {"1.5h", 5400 * NS_PER_S}, {"0.1s", 100000000ull},
        {"1s500ms", 1500000000ull}, {"1.0000000009s", NS_PER_S}, /* below 1 ns: truncated */
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char why[128] = "";
        uint64_t ns = 12345;

        if (nm_duration_parse(cases[i].text, &ns, why, sizeof why) != 0)
            ck_abort_msg("\"%s\" rejected: %s", cases[i].text, why);
        ck_assert_msg(ns == cases[i].ns, "\"%s\" -> %llu, want %llu", cases[i].text,
                      (unsigned long long)ns, (unsigned long long)cases[i].ns);
    }
}
END_TEST

START_TEST(test_duration_bad)
{
    static const char *const bad[] = {
        "",    "-1s",   "+1s", "s",  "1x", "1 s", " 1s", "1s ", "1s2", "1..5s", ".s",
        "1e3", "0x10s", "ms",  "1S", "99999999999999999999h", "5124096h", "1s-1s",
    };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[128] = "";
        uint64_t ns = 77;

        ck_assert_msg(nm_duration_parse(bad[i], &ns, why, sizeof why) == -1,
                      "\"%s\" accepted", bad[i]);
        ck_assert_msg(why[0] != '\0', "no reason for \"%s\"", bad[i]);
        ck_assert_uint_eq(ns, 77); /* untouched on failure */
    }
    ck_assert_int_eq(nm_duration_parse(NULL, NULL, NULL, 0), -1);
}
END_TEST

START_TEST(test_duration_format)
{
    char buf[32];

    ck_assert_str_eq(nm_duration_format(NS_PER_S, buf, sizeof buf), "1s");
    ck_assert_str_eq(nm_duration_format(500000000ull, buf, sizeof buf), "500ms");
    ck_assert_str_eq(nm_duration_format(2500000000ull, buf, sizeof buf), "2.5s");
    ck_assert_str_eq(nm_duration_format(0, buf, sizeof buf), "0s");
    ck_assert_str_eq(nm_duration_format(90 * NS_PER_S, buf, sizeof buf), "1m30s");
    ck_assert_str_eq(nm_duration_format(3600 * NS_PER_S, buf, sizeof buf), "1h0m0s");
    ck_assert_str_eq(nm_duration_format(1500, buf, sizeof buf), "1500ns");
}
END_TEST

START_TEST(test_option_min_interval)
{
    char err[NM_OPTIONS_ERROR_MAX];
    static char prog[] = "netmetrics_exporter", a_250ms[] = "--collector.speed.min-interval=250ms",
                a_flag[] = "--collector.speed.min-interval", a_3[] = "3",
                a_fast[] = "--collector.speed.min-interval=fast",
                a_2h[] = "--collector.speed.min-interval=2h";
    char *argv[3] = {prog, NULL, NULL};
    nm_options o;

    nm_options_init(&o);
    ck_assert_uint_eq(o.speed_min_interval_ns, NS_PER_S);
    argv[1] = a_250ms;
    ck_assert_int_eq(nm_options_parse(&o, 2, argv, err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.speed_min_interval_ns, 250000000ull);
    argv[1] = a_flag;
    argv[2] = a_3;
    ck_assert_int_eq(nm_options_parse(&o, 3, argv, err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.speed_min_interval_ns, 3 * NS_PER_S);
    argv[1] = a_fast;
    ck_assert_int_eq(nm_options_parse(&o, 2, argv, err, sizeof err), NM_OPTIONS_ERROR);
    ck_assert_ptr_nonnull(strstr(err, "--collector.speed.min-interval"));
    ck_assert_ptr_null(strchr(err, '\n'));
    argv[1] = a_2h;
    ck_assert_int_eq(nm_options_parse(&o, 2, argv, err, sizeof err), NM_OPTIONS_ERROR);
    ck_assert_ptr_nonnull(strstr(err, "at most 1h"));
}
END_TEST

/* -------------------------------------------------- the min-interval rule -- */

START_TEST(test_should_reuse)
{
    /* now, last, min -> reuse */
    ck_assert_int_eq(nm_scrape_should_reuse(10 * NS_PER_S, 10 * NS_PER_S, NS_PER_S), 1);
    ck_assert_int_eq(nm_scrape_should_reuse(10 * NS_PER_S + NS_PER_S - 1, 10 * NS_PER_S,
                                            NS_PER_S), 1);
    ck_assert_int_eq(nm_scrape_should_reuse(11 * NS_PER_S, 10 * NS_PER_S, NS_PER_S), 0);
    ck_assert_int_eq(nm_scrape_should_reuse(20 * NS_PER_S, 10 * NS_PER_S, NS_PER_S), 0);
    /* 0 disables reuse */
    ck_assert_int_eq(nm_scrape_should_reuse(10 * NS_PER_S, 10 * NS_PER_S, 0), 0);
    /* a clock going backwards is no reason to trust the old snapshot */
    ck_assert_int_eq(nm_scrape_should_reuse(9 * NS_PER_S, 10 * NS_PER_S, NS_PER_S), 0);
    ck_assert_int_eq(nm_scrape_should_reuse(UINT64_MAX - 1, 0, UINT64_MAX), 1);
    ck_assert_int_eq(nm_scrape_should_reuse(UINT64_MAX, 0, NS_PER_S), 0);
}
END_TEST

/* ------------------------------------------------------------ rendering -- */

static struct netmetrics_interface *put_if(netmetrics_snapshot *s, int ifindex, const char *name,
                                           uint64_t rx_bytes, uint64_t tx_bytes)
{
    struct netmetrics_interface *i = nm_snapshot_add_interface(s);

    ck_assert_ptr_nonnull(i);
    i->ifindex = ifindex;
    snprintf(i->name, sizeof i->name, "%s", name);
    i->flags = NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING;
    i->link_type = ARPHRD_ETHER_;
    i->stats[NETMETRICS_STAT_RX_BYTES] = rx_bytes;
    i->stats[NETMETRICS_STAT_TX_BYTES] = tx_bytes;
    i->stats[NETMETRICS_STAT_RX_PACKETS] = rx_bytes / 100;
    i->stats[NETMETRICS_STAT_TX_PACKETS] = tx_bytes / 100;
    i->stats_valid = (1u << NETMETRICS_STAT_RX_BYTES) | (1u << NETMETRICS_STAT_TX_BYTES) |
                     (1u << NETMETRICS_STAT_RX_PACKETS) | (1u << NETMETRICS_STAT_TX_PACKETS);
    return i;
}

static void put_lo(netmetrics_snapshot *s, uint64_t bytes)
{
    struct netmetrics_interface *i = put_if(s, 1, "lo", bytes, bytes);

    i->flags |= NETMETRICS_FLAG_LOOPBACK;
    i->link_type = ARPHRD_LOOPBACK_;
}

static void put_veth(netmetrics_snapshot *s, int ifindex, const char *name, uint64_t rx,
                     uint64_t tx)
{
    struct netmetrics_interface *i = put_if(s, ifindex, name, rx, tx);

    i->kind = "veth";
}

typedef struct pair {
    netmetrics_snapshot *prev, *cur;
    nm_rates rates[8];
    nm_strbuf out;
} pair;

/* Two samples 2 s apart: lo 2000 B/s both ways, eth0 2000 down / 500 up,
 * veth0 1000 down / 3000 up, "we\"ird\xff" (veth) re-created (new name at
 * the same index: no rate), new0 only in the second sample (no rate).
 * with_physical 0 leaves eth0 out, as inside a container. */
static void pair_build(pair *p, int with_physical)
{
    memset(p, 0, sizeof *p);
    p->prev = netmetrics_snapshot_new();
    p->cur = netmetrics_snapshot_new();
    ck_assert_ptr_nonnull(p->prev);
    ck_assert_ptr_nonnull(p->cur);
    p->prev->time_ns = 1 * NS_PER_S;
    p->cur->time_ns = 3 * NS_PER_S;
    put_lo(p->prev, 10000);
    put_lo(p->cur, 14000);
    if (with_physical) {
        put_if(p->prev, 2, "eth0", 1000, 0);
        put_if(p->cur, 2, "eth0", 5000, 1000);
    }
    put_veth(p->prev, 3, "veth0", 0, 0);
    put_veth(p->cur, 3, "veth0", 2000, 6000);
    put_veth(p->prev, 4, "old", 0, 0);
    put_veth(p->cur, 4, "we\"ird\xff", 900, 900);
    put_veth(p->cur, 5, "new0", 100, 100);
    ck_assert_int_eq(nm_snapshot_finish(p->prev), 0);
    ck_assert_int_eq(nm_snapshot_finish(p->cur), 0);
    nm_snapshot_rates(p->prev, p->cur, p->rates);
    nm_strbuf_init(&p->out);
}

static const char *pair_render(pair *p, nm_format fmt, int with_rates)
{
    nm_scrape_info info;

    memset(&info, 0, sizeof info);
    info.collect_status = NETMETRICS_OK;
    info.backend = "netlink";
    info.rates = with_rates ? p->rates : NULL;
    nm_strbuf_reset(&p->out);
    ck_assert_int_eq(nm_render_metrics(&p->out, fmt, p->cur, &info), 0);
    ck_assert(!p->out.failed);
    return p->out.data;
}

static void pair_free(pair *p)
{
    netmetrics_snapshot_free(p->prev);
    netmetrics_snapshot_free(p->cur);
    nm_strbuf_free(&p->out);
}

#define HAS(text, line) ck_assert_msg(strstr((text), (line)) != NULL, "missing: %s", (line))
#define LACKS(text, frag) ck_assert_msg(strstr((text), (frag)) == NULL, "unexpected: %s", (frag))

START_TEST(test_render_rates_golden)
{
    pair p;
    const char *t;

    pair_build(&p, 1);
    t = pair_render(&p, NM_FORMAT_TEXT, 1);
    HAS(t, "# HELP netmetrics_receive_bytes_per_second Download speed: rx_bytes delta between "
           "this scrape's interface snapshot and the previous one, divided by the "
           "monotonic-clock time between them, in bytes per second.");
    HAS(t, "# TYPE netmetrics_receive_bytes_per_second gauge\n"
           "netmetrics_receive_bytes_per_second{device=\"lo\"} 2000\n"
           "netmetrics_receive_bytes_per_second{device=\"eth0\"} 2000\n"
           "netmetrics_receive_bytes_per_second{device=\"veth0\"} 1000\n# HELP ");
    HAS(t, "# TYPE netmetrics_transmit_bytes_per_second gauge\n"
           "netmetrics_transmit_bytes_per_second{device=\"lo\"} 2000\n"
           "netmetrics_transmit_bytes_per_second{device=\"eth0\"} 500\n"
           "netmetrics_transmit_bytes_per_second{device=\"veth0\"} 3000\n# HELP ");
    HAS(t, "# TYPE netmetrics_receive_packets_per_second gauge\n"
           "netmetrics_receive_packets_per_second{device=\"lo\"} 20\n"
           "netmetrics_receive_packets_per_second{device=\"eth0\"} 20\n"
           "netmetrics_receive_packets_per_second{device=\"veth0\"} 10\n# HELP ");
    HAS(t, "# TYPE netmetrics_transmit_packets_per_second gauge\n"
           "netmetrics_transmit_packets_per_second{device=\"lo\"} 20\n"
           "netmetrics_transmit_packets_per_second{device=\"eth0\"} 5\n"
           "netmetrics_transmit_packets_per_second{device=\"veth0\"} 30\n# HELP ");
    /* with a physical interface: eth0 alone counts (no loopback, no veth) */
    HAS(t, "# TYPE netmetrics_total_receive_bytes_per_second gauge\n"
           "netmetrics_total_receive_bytes_per_second 2000\n");
    HAS(t, "# TYPE netmetrics_total_transmit_bytes_per_second gauge\n"
           "netmetrics_total_transmit_bytes_per_second 500\n");
    /* re-created and new interfaces have no speed series at all */
    LACKS(t, "per_second{device=\"new0\"}");
    LACKS(t, "per_second{device=\"we");
    /* but their counters are there */
    HAS(t, "netmetrics_receive_bytes_total{device=\"new0\"} 100\n");
    HAS(t, "netmetrics_receive_bytes_total{device=\"we\\\"ird\\\\xff\"} 900\n");
    pair_free(&p);
}
END_TEST

START_TEST(test_render_rates_container)
{
    pair p;
    const char *t;

    /* no physical interface: the veth is the machine's way out and counts */
    pair_build(&p, 0);
    t = pair_render(&p, NM_FORMAT_TEXT, 1);
    HAS(t, "\nnetmetrics_total_receive_bytes_per_second 1000\n");
    HAS(t, "\nnetmetrics_total_transmit_bytes_per_second 3000\n");
    pair_free(&p);
}
END_TEST

START_TEST(test_render_rates_absent)
{
    pair p;
    const char *t;

    pair_build(&p, 1);
    t = pair_render(&p, NM_FORMAT_TEXT, 0);
    LACKS(t, "per_second");
    HAS(t, "netmetrics_receive_bytes_total{device=\"eth0\"} 5000\n");
    pair_free(&p);
}
END_TEST

START_TEST(test_render_rates_fractional_openmetrics)
{
    pair p;
    const char *t;

    pair_build(&p, 1);
    /* 4000 bytes over 3 s: a fraction, spelled so it reads back exactly */
    p.cur->time_ns = 4 * NS_PER_S;
    nm_snapshot_rates(p.prev, p.cur, p.rates);
    t = pair_render(&p, NM_FORMAT_OPENMETRICS, 1);
    HAS(t, "# TYPE netmetrics_receive_bytes_per_second gauge\n");
    HAS(t, "netmetrics_receive_bytes_per_second{device=\"eth0\"} 1333.3333333333333\n");
    HAS(t, "netmetrics_total_receive_bytes_per_second 1333.3333333333333\n");
    ck_assert_ptr_nonnull(strstr(t, "# EOF\n"));
    ck_assert_str_eq(strstr(t, "# EOF\n"), "# EOF\n");
    pair_free(&p);
}
END_TEST

START_TEST(test_render_rates_reset)
{
    pair p;
    const char *t;

    pair_build(&p, 1);
    /* eth0's counters went down (driver reset): no speed for it, and the
     * totals hold what is left (nothing else counts) */
    p.cur->ifaces[1].stats[NETMETRICS_STAT_RX_BYTES] = 10;
    nm_snapshot_rates(p.prev, p.cur, p.rates);
    t = pair_render(&p, NM_FORMAT_TEXT, 1);
    LACKS(t, "per_second{device=\"eth0\"}");
    HAS(t, "\nnetmetrics_total_receive_bytes_per_second 0\n");
    HAS(t, "\nnetmetrics_total_transmit_bytes_per_second 0\n");
    pair_free(&p);
}
END_TEST

/* The compact baseline the scraper keeps gives the speeds the whole
 * snapshot gives: same valid bits and values for every interface, through
 * a re-created interface, a new one, a reset and a 32-bit wrap; none at
 * all from an empty baseline or a clock that did not move. */
static void rates_equal(const nm_rates *a, const nm_rates *b, size_t n)
{
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        ck_assert_uint_eq(a[i].valid, b[i].valid);
        for (k = 0; k < NM_RATE_COUNT; k++)
            ck_assert(a[i].value[k] == b[i].value[k]);
    }
}

START_TEST(test_rate_base_matches_snapshot)
{
    nm_rates want[8], got[8];
    nm_rate_base base;
    pair p;
    size_t i, n;

    nm_rate_base_init(&base);
    pair_build(&p, 1);
    n = netmetrics_snapshot_count(p.cur);
    ck_assert_uint_le(n, 8);
    ck_assert_int_eq(nm_rate_base_take(&base, p.prev), 0);
    ck_assert_uint_eq(base.count, netmetrics_snapshot_count(p.prev));
    nm_snapshot_rates(p.prev, p.cur, want);
    nm_rate_base_rates(&base, p.cur, got);
    rates_equal(want, got, n);
    /* some are valid and some not, so the comparison means something */
    ck_assert_uint_eq(got[0].valid, 0xfu); /* lo */
    ck_assert(got[0].value[NM_RATE_RX_BYTES] == 2000.0);
    ck_assert_uint_eq(got[3].valid, 0u); /* re-created at ifindex 4 */
    ck_assert_uint_eq(got[4].valid, 0u); /* new */

    /* a reset, and 32-bit counters that wrapped */
    p.cur->ifaces[1].stats[NETMETRICS_STAT_RX_BYTES] = 10;
    for (i = 0; i < netmetrics_snapshot_count(p.prev); i++)
        p.prev->ifaces[i].counters_32bit = 1;
    for (i = 0; i < n; i++)
        p.cur->ifaces[i].counters_32bit = 1;
    p.prev->ifaces[2].stats[NETMETRICS_STAT_TX_BYTES] = 0xffffff00u;
    ck_assert_int_eq(nm_rate_base_take(&base, p.prev), 0);
    nm_snapshot_rates(p.prev, p.cur, want);
    nm_rate_base_rates(&base, p.cur, got);
    rates_equal(want, got, n);
    ck_assert_uint_ne(got[2].valid & (1u << NM_RATE_TX_BYTES), 0u);

    /* same instant: nothing valid */
    p.cur->time_ns = p.prev->time_ns;
    nm_rate_base_rates(&base, p.cur, got);
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(got[i].valid, 0u);
    /* an empty baseline: nothing valid */
    nm_rate_base_free(&base);
    p.cur->time_ns = 9 * NS_PER_S;
    nm_rate_base_rates(&base, p.cur, got);
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(got[i].valid, 0u);
    pair_free(&p);
}
END_TEST

/* ------------------------------------------------------- snapshot boxes -- */

/* A box is shared while anybody but its first holder has a reference; the
 * last reference frees it (leaks and double frees show under valgrind and
 * ASan). */
START_TEST(test_snapbox_refs)
{
    nm_snapbox *b = nm_snapbox_new();

    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(nm_snapbox_snapshot(b));
    ck_assert_int_eq(nm_snapbox_shared(b), 0);
    ck_assert_ptr_eq(nm_snapbox_ref(b), b);
    ck_assert_int_eq(nm_snapbox_shared(b), 1);
    nm_snapbox_release(b);
    ck_assert_int_eq(nm_snapbox_shared(b), 0);
    nm_snapbox_release(b);
    nm_snapbox_release(NULL);
}
END_TEST

/* ---------------------------------------------------------- the scraper -- */

static nm_scraper *fixture_scraper(uint64_t min_interval_ns)
{
    nm_scraper_config cfg;
    nm_scraper *s = NULL;
    netmetrics_error err;

    memset(&cfg, 0, sizeof cfg);
    netmetrics_collector_options_init(&cfg.collector);
    cfg.collector.backend = NETMETRICS_BACKEND_PROCFS;
    cfg.collector.proc_root = BASIC "/proc";
    cfg.collector.sys_root = BASIC "/sys";
    cfg.speed_min_interval_ns = min_interval_ns;
    if (nm_scraper_new(&cfg, &s, &err) != NETMETRICS_OK)
        ck_abort_msg("scraper: %s", err.message);
    return s;
}

static char *scrape(nm_scraper *s)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_scraper_scrape(s, NM_FORMAT_TEXT, &b), 0);
    ck_assert_ptr_nonnull(b.data);
    return nm_strbuf_steal(&b, NULL);
}

START_TEST(test_scraper_first_then_rates)
{
    nm_scraper *s = fixture_scraper(0);
    char *a, *b, *c;

    a = scrape(s);
    LACKS(a, "per_second"); /* one snapshot: no speeds yet */
    HAS(a, "netmetrics_receive_bytes_total{device=\"eth0\"}");
    b = scrape(s);
    /* the fixture's counters do not move: speeds 0, present for each
     * interface the fixture has, and totals */
    HAS(b, "netmetrics_receive_bytes_per_second{device=\"eth0\"} 0\n");
    HAS(b, "netmetrics_transmit_packets_per_second{device=\"lo\"} 0\n");
    HAS(b, "\nnetmetrics_total_receive_bytes_per_second 0\n");
    HAS(b, "\nnetmetrics_total_transmit_bytes_per_second 0\n");
    c = scrape(s);
    HAS(c, "\nnetmetrics_total_receive_bytes_per_second 0\n");
    free(a);
    free(b);
    free(c);
    nm_scraper_free(s);
}
END_TEST

/* Writes a /proc/net/dev with eth0's rx bytes and, when with_veth, the
 * veth row of the basic fixture. */
static void write_dev(const char *root, unsigned long long eth0_rx, int with_veth)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/net/dev", root);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("Inter-|   Receive                                                |  Transmit\n"
          " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
          "errs drop fifo colls carrier compressed\n"
          "    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n", f);
    if (with_veth)
        fputs("veth3f2a1b9: 70912 712 0 1 0 0 0 0 113407 955 0 0 0 0 0 0\n", f);
    fprintf(f, "  eth0: %llu 100 0 0 0 0 0 0 5000 50 0 0 0 0 0 0\n", eth0_rx);
    ck_assert_int_eq(fclose(f), 0);
}

/* The line of `text` that starts with `prefix`, copied into buf. */
static const char *line_of(const char *text, const char *prefix, char *buf, size_t size)
{
    const char *p = strstr(text, prefix);
    size_t n;

    ck_assert_msg(p != NULL, "no line %s", prefix);
    n = strcspn(p, "\n");
    ck_assert_uint_lt(n, size);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

START_TEST(test_scraper_reuses_speeds_within_min_interval)
{
    nm_scraper_config cfg;
    nm_scraper *s = NULL;
    netmetrics_error err;
    char root[] = "/tmp/nm-speeds-XXXXXX", dir[64], speed2[128], speed3[128], speed4[128];
    char *a, *b, *c, *d;
    const struct timespec wait = {1, 150000000}; /* past the 1 s min-interval */

    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(dir, sizeof dir, "%s/net", root);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    write_dev(root, 1000, 1);

    memset(&cfg, 0, sizeof cfg);
    netmetrics_collector_options_init(&cfg.collector);
    cfg.collector.backend = NETMETRICS_BACKEND_PROCFS;
    cfg.collector.proc_root = root;
    cfg.collector.sys_root = BASIC "/sys";
    cfg.speed_min_interval_ns = NS_PER_S;
    if (nm_scraper_new(&cfg, &s, &err) != NETMETRICS_OK)
        ck_abort_msg("scraper: %s", err.message);

    a = scrape(s); /* the baseline: no speeds */
    LACKS(a, "per_second");
    nanosleep(&wait, NULL);
    write_dev(root, 51000, 1);
    b = scrape(s); /* 50000 bytes over ~1.15 s: speeds, a new baseline */
    line_of(b, "netmetrics_receive_bytes_per_second{device=\"eth0\"} ", speed2, sizeof speed2);
    ck_assert_msg(strcmp(speed2, "netmetrics_receive_bytes_per_second{device=\"eth0\"} 0") != 0,
                  "no speed after the interval: %s", speed2);

    /* Within the min-interval: fresh counters and interfaces, the last
     * speeds; the veth that vanished has no series at all. */
    write_dev(root, 99000, 0);
    c = scrape(s);
    HAS(c, "netmetrics_receive_bytes_total{device=\"eth0\"} 99000\n");
    ck_assert_str_eq(line_of(c, "netmetrics_receive_bytes_per_second{device=\"eth0\"} ", speed3,
                             sizeof speed3),
                     speed2);
    LACKS(c, "veth3f2a1b9");

    /* After it: measured against the last baseline (51000 -> 99000). */
    nanosleep(&wait, NULL);
    d = scrape(s);
    line_of(d, "netmetrics_receive_bytes_per_second{device=\"eth0\"} ", speed4, sizeof speed4);
    ck_assert_str_ne(speed4, speed2);
    LACKS(d, "veth3f2a1b9");

    free(a);
    free(b);
    free(c);
    free(d);
    nm_scraper_free(s);
    snprintf(dir, sizeof dir, "%s/net/dev", root);
    unlink(dir);
    snprintf(dir, sizeof dir, "%s/net", root);
    rmdir(dir);
    rmdir(root);
}
END_TEST

START_TEST(test_scraper_failed_collection_keeps_baseline)
{
    nm_scraper_config cfg;
    nm_scraper *s = NULL;
    netmetrics_error err;
    char *a;

    /* a procfs root without net/dev: every collection fails, renders no
     * interface and no speed, and the scraper survives it */
    memset(&cfg, 0, sizeof cfg);
    netmetrics_collector_options_init(&cfg.collector);
    cfg.collector.backend = NETMETRICS_BACKEND_PROCFS;
    cfg.collector.proc_root = NM_FIXTURES_DIR "/procfs/no-such-dir";
    cfg.collector.sys_root = BASIC "/sys";
    cfg.speed_min_interval_ns = 3600 * NS_PER_S;
    if (nm_scraper_new(&cfg, &s, &err) != NETMETRICS_OK)
        return; /* the backend refuses a missing root up front: nothing to scrape */
    a = scrape(s);
    LACKS(a, "per_second");
    HAS(a, "netmetrics_scrape_collector_success{collector=\"links\"} 0\n");
    free(a);
    a = scrape(s); /* not reused: the last collection failed */
    HAS(a, "netmetrics_scrape_collector_success{collector=\"links\"} 0\n");
    free(a);
    nm_scraper_free(s);
}
END_TEST

/* The whole body of a stream over f, read max bytes at a time: never more
 * than max, never an empty read before the end, and (for reads of 4 KiB
 * or more, where rows fit) no read but the last less than a quarter full:
 * a stream stops short only before a row that does not fit. */
static char *stream_all(nm_scrape_frame *f, nm_format fmt, int gzip, size_t max, size_t *len)
{
    nm_scrape_stream *st = nm_scrape_stream_new(f, fmt, gzip);
    nm_strbuf out;
    char *buf = malloc(max + 1);
    ssize_t n, prev = -1;

    ck_assert_ptr_nonnull(st);
    ck_assert_ptr_nonnull(buf);
    nm_strbuf_init(&out);
    while ((n = nm_scrape_stream_read(st, buf, max)) > 0) {
        ck_assert_int_le(n, (ssize_t)max);
        if (max >= 4096 && prev >= 0)
            ck_assert_int_ge(prev, (ssize_t)max / 4);
        prev = n;
        ck_assert_int_eq(nm_strbuf_append(&out, buf, (size_t)n), 0);
    }
    ck_assert_int_eq(n, 0);
    /* the end stays the end */
    ck_assert_int_eq(nm_scrape_stream_read(st, buf, max), 0);
    nm_scrape_stream_free(st);
    free(buf);
    return nm_strbuf_steal(&out, len);
}

/* The text a frame renders in one step: what every stream must match. */
static char *frame_whole(nm_scrape_frame *f, nm_format fmt, size_t *len)
{
    nm_render_cursor cur = NM_RENDER_CURSOR_INIT;
    nm_strbuf out;
    nm_expfmt w;

    nm_strbuf_init(&out);
    nm_expfmt_init(&w, &out, fmt);
    ck_assert_int_eq(nm_render_step(nm_scrape_frame_plan(f), &w, &cur, SIZE_MAX), 1);
    return nm_strbuf_steal(&out, len);
}

static char *gunzip(const char *z, size_t zlen, size_t *len)
{
    z_stream zs;
    nm_strbuf out;
    char buf[4096];
    int rc;

    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(inflateInit2(&zs, 15 + 16), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)z;
    zs.avail_in = (uInt)zlen;
    nm_strbuf_init(&out);
    do {
        zs.next_out = (Bytef *)buf;
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        ck_assert(rc == Z_OK || rc == Z_STREAM_END);
        ck_assert_int_eq(nm_strbuf_append(&out, buf, sizeof buf - zs.avail_out), 0);
    } while (rc != Z_STREAM_END);
    /* one member, nothing after it */
    ck_assert_uint_eq(zs.avail_in, 0);
    inflateEnd(&zs);
    return nm_strbuf_steal(&out, len);
}

/* A stream is the frame's text byte for byte whatever the size of its
 * reads (down to one byte, which splits every line and every multi-byte
 * step), in both formats, plain or gzip-encoded. */
START_TEST(test_stream_matches_whole)
{
    static const size_t sizes[] = {1, 7, 100, 4096, 16384, 1 << 20};
    static const nm_format fmts[] = {NM_FORMAT_TEXT, NM_FORMAT_OPENMETRICS};
    nm_scraper *s = fixture_scraper(0);
    nm_scrape_request req;
    nm_scrape_frame *f;
    size_t i, k, wlen, len, zlen;
    char *whole, *got, *z;

    memset(&req, 0, sizeof req);
    /* the second collection has speeds: every kind of section is there */
    ck_assert_int_eq(nm_scraper_acquire(s, &req, &f), 0);
    nm_scrape_frame_release(f);
    ck_assert_int_eq(nm_scraper_acquire(s, &req, &f), 0);
    for (k = 0; k < 2; k++) {
        whole = frame_whole(f, fmts[k], &wlen);
        ck_assert_uint_gt(wlen, 1000);
        ck_assert_ptr_nonnull(strstr(whole, "netmetrics_receive_bytes_per_second{device=\"eth0\"}"));
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            got = stream_all(f, fmts[k], 0, sizes[i], &len);
            ck_assert_uint_eq(len, wlen);
            ck_assert_int_eq(memcmp(got, whole, wlen), 0);
            free(got);
            z = stream_all(f, fmts[k], 1, sizes[i], &zlen);
            ck_assert_uint_lt(zlen, wlen / 4); /* it did compress */
            got = gunzip(z, zlen, &len);
            ck_assert_uint_eq(len, wlen);
            ck_assert_int_eq(memcmp(got, whole, wlen), 0);
            free(got);
            free(z);
        }
        free(whole);
    }
    nm_scrape_frame_release(f);
    nm_scraper_free(s);
}
END_TEST

/* nm_scraper_acquire: each request that arrives after the last collection
 * ended gets a collection of its own (never an older frame); a frame keeps
 * its snapshot while the scraper goes on collecting (the scraper takes
 * another box instead of refilling one a frame shows), and outlives the
 * scraper. */
START_TEST(test_scraper_acquire_frames)
{
    nm_scraper *s = fixture_scraper(0);
    nm_scrape_request req;
    nm_scrape_frame *a, *b, *c;
    char *ta, *ta2, *tb;
    size_t la, la2, lb;
    char *plain;
    int i;

    memset(&req, 0, sizeof req);
    req.fmt = NM_FORMAT_TEXT;
    ck_assert_int_eq(nm_scraper_acquire(s, &req, &a), 0);
    ck_assert_ptr_nonnull(a);
    ta = frame_whole(a, NM_FORMAT_TEXT, &la);
    ck_assert_int_eq(nm_scraper_acquire(s, &req, &b), 0);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b); /* sequential: two collections */
    /* many more collections while a and b are held: their text is as it was */
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(nm_scraper_acquire(s, &req, &c), 0);
        nm_scrape_frame_release(c);
    }
    ta2 = frame_whole(a, NM_FORMAT_TEXT, &la2);
    ck_assert_uint_eq(la, la2);
    ck_assert_int_eq(memcmp(ta, ta2, la), 0);
    ck_assert_ptr_nonnull(strstr(ta, "netmetrics_receive_bytes_total{device=\"eth0\"}"));
    free(ta2);
    nm_scrape_frame_release(a);

    plain = scrape(s);
    ck_assert_ptr_nonnull(strstr(plain, "# TYPE netmetrics_receive_bytes_total counter"));
    free(plain);

    /* b still renders after the scraper is gone */
    nm_scraper_free(s);
    tb = frame_whole(b, NM_FORMAT_OPENMETRICS, &lb);
    ck_assert_ptr_nonnull(strstr(tb, "netmetrics_build_info"));
    ck_assert_ptr_nonnull(strstr(tb, "# EOF\n"));
    free(tb);
    free(ta);
    nm_scrape_frame_release(b);
}
END_TEST

static Suite *speeds_suite(void)
{
    Suite *s = suite_create("speeds");
    TCase *tc = tcase_create("durations");

    tcase_add_test(tc, test_duration_good);
    tcase_add_test(tc, test_duration_bad);
    tcase_add_test(tc, test_duration_format);
    tcase_add_test(tc, test_option_min_interval);
    tcase_add_test(tc, test_should_reuse);
    suite_add_tcase(s, tc);

    tc = tcase_create("render");
    tcase_add_test(tc, test_render_rates_golden);
    tcase_add_test(tc, test_render_rates_container);
    tcase_add_test(tc, test_render_rates_absent);
    tcase_add_test(tc, test_render_rates_fractional_openmetrics);
    tcase_add_test(tc, test_render_rates_reset);
    tcase_add_test(tc, test_rate_base_matches_snapshot);
    suite_add_tcase(s, tc);

    tc = tcase_create("scraper");
    tcase_add_test(tc, test_scraper_first_then_rates);
    tcase_add_test(tc, test_scraper_acquire_frames);
    tcase_add_test(tc, test_stream_matches_whole);
    tcase_add_test(tc, test_snapbox_refs);
    tcase_add_test(tc, test_scraper_reuses_speeds_within_min_interval);
    tcase_add_test(tc, test_scraper_failed_collection_keeps_baseline);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(speeds_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

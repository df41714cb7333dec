/* SPDX-License-Identifier: MIT */
/* Unit tests of the exporter's self metrics: the /proc/self/stat and
 * /proc/stat btime parsers (a real line, command names with blanks and
 * parentheses, every truncation, junk), the reader on a fixture tree and on
 * the real /proc, the X-Prometheus-Scrape-Timeout-Seconds parser and the
 * budget rule, the request accounting and in-flight admission (also under
 * threads), the rendering of the process_* and netmetrics_exporter_*
 * families, and the scraper's deadline. Every parser input is copied to a
 * heap buffer of exactly its length, so a read past len is an ASan error.
 * Tests run forked. */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "httpstats.h"
#include "options.h"
#include "procself.h"
#include "render.h"
#include "render_process.h"
#include "scrape.h"
#include "scrape_timeout.h"
#include "snapshot.h"

#define PROCSELF NM_FIXTURES_DIR "/procself/basic"
#define BASIC NM_FIXTURES_DIR "/procfs/basic"

#define HAS(text, frag) ck_assert_msg(strstr((text), (frag)) != NULL, "missing: %s", (frag))
#define LACKS(text, frag) ck_assert_msg(strstr((text), (frag)) == NULL, "unexpected: %s", (frag))

/* A line as this machine's kernel wrote it (cat's own stat). */
static const char REAL_STAT[] =
    "12425 (cat) R 12423 12423 26738 0 -1 4194304 100 0 0 0 7 3 0 0 20 0 1 0 1145385 "
    "3133440 398 18446744073709551615 93907112103936 93907112123817 140728530926768 0 0 0 0 "
    "0 0 0 0 0 17 0 0 0 0 0 0 93907112139824 93907112141440 93907165253632 140728530930315 "
    "140728530930335 140728530930335 140728530931691 0\n";

/* Parses s[0..len) from an exact-size heap copy. */
static int stat_parse(const char *s, size_t len, nm_proc_stat *st)
{
    char *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, s, len);
    rc = nm_proc_stat_parse(copy, len, st);
    free(copy);
    return rc;
}

static int btime_parse(const char *s, uint64_t *bt)
{
    size_t len = strlen(s);
    char *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, s, len);
    rc = nm_proc_btime_parse(copy, len, bt);
    free(copy);
    return rc;
}

static int timeout_parse(const char *s, uint64_t *ns)
{
    size_t len = strlen(s);
    char *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, s, len);
    rc = nm_scrape_timeout_parse(copy, len, ns);
    free(copy);
    return rc;
}

/* ---------------------------------------------------------- /proc/self/stat -- */

START_TEST(test_stat_real)
{
    nm_proc_stat st;

    ck_assert_int_eq(stat_parse(REAL_STAT, strlen(REAL_STAT), &st), 0);
    ck_assert_int_eq(st.state, 'R');
    ck_assert_uint_eq(st.utime, 7);
    ck_assert_uint_eq(st.stime, 3);
    ck_assert_uint_eq(st.starttime, 1145385);
    ck_assert_uint_eq(st.vsize, 3133440);
    ck_assert_uint_eq(st.rss, 398);
}
END_TEST

/* The name is everything between the first '(' and the last ')'. */
START_TEST(test_stat_comm_blanks_parens)
{
    static const char *const lines[] = {
        "4242 (net (x) y) S 1 4242 4242 0 -1 4194560 1500 0 3 0 250 150 0 0 20 0 3 0 360000 "
        "123456789 2000 18446744073709551615 1 1\n",
        /* a name that looks like the fields that follow it */
        "4242 () S 1 2 3 4 5) S 1 4242 4242 0 -1 4194560 1500 0 3 0 250 150 0 0 20 0 3 0 "
        "360000 123456789 2000 18446744073709551615 1 1\n",
        "4242 ()) S 1 4242 4242 0 -1 4194560 1500 0 3 0 250 150 0 0 20 0 3 0 360000 123456789 "
        "2000 18446744073709551615 1 1\n",
        "4242 ( ) S 1 4242 4242 0 -1 4194560 1500 0 3 0 250 150 0 0 20 0 3 0 360000 123456789 "
        "2000 18446744073709551615 1 1\n",
        "4242 () S 1 4242 4242 0 -1 4194560 1500 0 3 0 250 150 0 0 20 0 3 0 360000 123456789 "
        "2000 18446744073709551615 1 1\n",
    };
    size_t i;

    for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        nm_proc_stat st;

        ck_assert_msg(stat_parse(lines[i], strlen(lines[i]), &st) == 0, "line %zu", i);
        ck_assert_int_eq(st.state, 'S');
        ck_assert_uint_eq(st.utime, 250);
        ck_assert_uint_eq(st.stime, 150);
        ck_assert_uint_eq(st.starttime, 360000);
        ck_assert_uint_eq(st.vsize, 123456789);
        ck_assert_uint_eq(st.rss, 2000);
    }
}
END_TEST

/* Every prefix that ends before the rss field is complete fails: a short
 * read must never give a value cut short. */
START_TEST(test_stat_truncated)
{
    const char *rss = strstr(REAL_STAT, " 398 ");
    size_t need, n;
    nm_proc_stat st;

    ck_assert_ptr_nonnull(rss);
    need = (size_t)(rss - REAL_STAT) + 5; /* through the blank after 398 */
    for (n = 0; n < need; n++)
        ck_assert_msg(stat_parse(REAL_STAT, n, &st) < 0, "prefix of %zu bytes parsed", n);
    for (n = need; n <= strlen(REAL_STAT); n++)
        ck_assert_msg(stat_parse(REAL_STAT, n, &st) == 0, "prefix of %zu bytes refused", n);
}
END_TEST

START_TEST(test_stat_junk)
{
    static const char *const junk[] = {
        "",
        "garbage",
        "12 cat R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        "(cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        "x1 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        "12(cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        "12 (cat R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        "12 (cat)R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        /* state of two letters */
        "12 (cat) RR 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n",
        /* utime not a number, negative, overflowing */
        "12 (cat) R 1 2 3 4 5 6 7 8 9 10 x 12 13 14 15 16 17 18 19 20 21 22\n",
        "12 (cat) R 1 2 3 4 5 6 7 8 9 10 -11 12 13 14 15 16 17 18 19 20 21 22\n",
        "12 (cat) R 1 2 3 4 5 6 7 8 9 10 99999999999999999999999 12 13 14 15 16 17 18 19 20 21\n",
        /* rss with a letter */
        "12 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 2x 22\n",
        /* a field short */
        "12 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n",
        /* ends right after rss: cut short */
        "12 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
    };
    /* a NUL inside utime */
    static const char nul[] = "12 (cat) R 1 2 3 4 5 6 7 8 9 10 1\0 12 13 14 15 16 17 18 19 20 21 22\n";
    nm_proc_stat st;
    size_t i;

    for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
        ck_assert_msg(stat_parse(junk[i], strlen(junk[i]), &st) < 0, "junk %zu parsed", i);
    ck_assert_int_lt(stat_parse(nul, sizeof nul - 1, &st), 0);
    ck_assert_int_lt(nm_proc_stat_parse(NULL, 5, NULL), 0);
}
END_TEST

START_TEST(test_btime)
{
    uint64_t bt = 0;

    ck_assert_int_eq(btime_parse("cpu  1 2 3\nintr 5\nbtime 1795714658\nprocesses 3\n", &bt), 0);
    ck_assert_uint_eq(bt, 1795714658u);
    ck_assert_int_eq(btime_parse("btime 17\n", &bt), 0);
    ck_assert_uint_eq(bt, 17);
    ck_assert_int_eq(btime_parse("cpu 1\nbtime 18", &bt), 0); /* no final newline */
    ck_assert_uint_eq(bt, 18);
    ck_assert_int_lt(btime_parse("", &bt), 0);
    ck_assert_int_lt(btime_parse("cpu 1\nprocesses 3\n", &bt), 0);
    ck_assert_int_lt(btime_parse("btimex 5\n", &bt), 0);
    ck_assert_int_lt(btime_parse("xbtime 5\n", &bt), 0);
    ck_assert_int_lt(btime_parse("cpu 1 btime 5\n", &bt), 0);
    ck_assert_int_lt(btime_parse("btime \n", &bt), 0);
    ck_assert_int_lt(btime_parse("btime 12a\n", &bt), 0);
    ck_assert_int_lt(btime_parse("btime -1\n", &bt), 0);
    ck_assert_int_lt(btime_parse("btime", &bt), 0);
}
END_TEST

/* ------------------------------------------------------------------ reader -- */

START_TEST(test_reader_fixture)
{
    nm_procself *p = NULL;
    nm_process_metrics m;
    netmetrics_error err;
    long ticks = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    struct rlimit rl;

    ck_assert_int_eq(nm_procself_new(PROCSELF, &p, &err), NETMETRICS_OK);
    nm_procself_read(p, &m);
    ck_assert(m.have_cpu);
    ck_assert_double_eq_tol(m.cpu_seconds, 400.0 / (double)ticks, 1e-9);
    ck_assert(m.have_memory);
    ck_assert_uint_eq(m.resident_bytes, 2000u * (uint64_t)page);
    ck_assert_uint_eq(m.virtual_bytes, 123456789u);
    ck_assert(m.have_open_fds);
    ck_assert_uint_eq(m.open_fds, 4);
    ck_assert(m.have_start_time);
    ck_assert_double_eq_tol(m.start_time_seconds, 1700000000.0 + 360000.0 / (double)ticks, 1e-3);
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    ck_assert(m.have_max_fds);
    ck_assert_uint_eq(m.max_fds, (uint64_t)rl.rlim_cur);
    nm_procself_free(p);
}
END_TEST

/* No /proc at all (as on macOS): CPU time from getrusage and the limit;
 * nothing else is made up. */
START_TEST(test_reader_no_proc)
{
    nm_procself *p = NULL;
    nm_process_metrics m;
    netmetrics_error err;

    ck_assert_int_eq(nm_procself_new(NM_FIXTURES_DIR "/procself/absent", &p, &err),
                     NETMETRICS_OK);
    nm_procself_read(p, &m);
    ck_assert(m.have_cpu);
    ck_assert(m.cpu_seconds >= 0);
    ck_assert(!m.have_memory);
    ck_assert(!m.have_open_fds);
    ck_assert(!m.have_start_time);
    ck_assert(m.have_max_fds);
    nm_procself_free(p);
}
END_TEST

/* The real /proc: the descriptors this test opens show up one for one,
 * and the start time is this process's. */
START_TEST(test_reader_real_proc)
{
    nm_procself *p = NULL;
    nm_process_metrics a, b;
    netmetrics_error err;
    int fds[3];
    size_t i;
    double now = (double)time(NULL);

    if (access("/proc/self/stat", R_OK) != 0)
        return; /* not Linux */
    ck_assert_int_eq(nm_procself_new("/proc", &p, &err), NETMETRICS_OK);
    nm_procself_read(p, &a);
    ck_assert(a.have_cpu && a.have_memory && a.have_open_fds && a.have_start_time);
    ck_assert(a.resident_bytes > 0);
    ck_assert(a.virtual_bytes >= a.resident_bytes);
    ck_assert(a.open_fds >= 3);
    ck_assert_msg(a.start_time_seconds <= now + 1 && a.start_time_seconds > now - 600,
                  "start time %f, now %f", a.start_time_seconds, now);
    for (i = 0; i < 3; i++)
        ck_assert_int_ge(fds[i] = dup(0), 0);
    nm_procself_read(p, &b);
    ck_assert_uint_eq(b.open_fds, a.open_fds + 3);
    ck_assert(b.cpu_seconds >= a.cpu_seconds);
    ck_assert_double_eq(b.start_time_seconds, a.start_time_seconds);
    for (i = 0; i < 3; i++)
        close(fds[i]);
    nm_procself_free(p);
}
END_TEST

/* -------------------------------------------------------------- the header -- */

static const struct {
    const char *text;
    int ok;
    uint64_t ns;
} timeout_cases[] = {
    {"10", 1, 10000000000ull},
    {"0.5", 1, 500000000ull},
    {"9.75", 1, 9750000000ull},
    {"0.001", 1, 1000000ull},
    {"120", 1, 120000000000ull},
    {" 10", 1, 10000000000ull},
    {"10 ", 1, 10000000000ull},
    {"\t3\t", 1, 3000000000ull},
    {"007", 1, 7000000000ull},
    {"1.000000001", 1, 1000000001ull},
    {"1.0000000019", 1, 1000000001ull}, /* past nanoseconds: dropped */
    {"999999999.5", 1, 999999999500000000ull},
    {"1000000000", 1, NM_SCRAPE_TIMEOUT_MAX_NS},
    {"99999999999999999999999999", 1, NM_SCRAPE_TIMEOUT_MAX_NS},
    {"99999999999999999999999999.5", 1, NM_SCRAPE_TIMEOUT_MAX_NS},
    /* not positive */
    {"0", 0, 0},
    {"0.0", 0, 0},
    {"000", 0, 0},
    {"0.0000000001", 0, 0},
    /* junk */
    {"", 0, 0},
    {"   ", 0, 0},
    {"1.", 0, 0},
    {".5", 0, 0},
    {"+1", 0, 0},
    {"-1", 0, 0},
    {"1e3", 0, 0},
    {"10s", 0, 0},
    {"1,5", 0, 0},
    {"1 2", 0, 0},
    {"1..5", 0, 0},
    {"0x10", 0, 0},
    {"NaN", 0, 0},
    {"Inf", 0, 0},
    {"1\r", 0, 0},
    {"99999999999999999999999999x", 0, 0},
};

START_TEST(test_timeout_table)
{
    uint64_t ns = 12345;
    int rc = timeout_parse(timeout_cases[_i].text, &ns);

    if (timeout_cases[_i].ok) {
        ck_assert_msg(rc == 0, "\"%s\" refused", timeout_cases[_i].text);
        ck_assert_msg(ns == timeout_cases[_i].ns, "\"%s\": %llu ns", timeout_cases[_i].text,
                      (unsigned long long)ns);
    } else {
        ck_assert_msg(rc < 0, "\"%s\" accepted", timeout_cases[_i].text);
        ck_assert_uint_eq(ns, 12345); /* untouched */
    }
}
END_TEST

START_TEST(test_timeout_len_bounds)
{
    uint64_t ns;

    /* only len bytes count */
    ck_assert_int_eq(nm_scrape_timeout_parse("15", 1, &ns), 0);
    ck_assert_uint_eq(ns, 1000000000ull);
    ck_assert_int_eq(nm_scrape_timeout_parse("2.5junk", 3, &ns), 0);
    ck_assert_uint_eq(ns, 2500000000ull);
    ck_assert_int_lt(nm_scrape_timeout_parse("2.5", 2, &ns), 0);
    ck_assert_int_lt(nm_scrape_timeout_parse(NULL, 0, &ns), 0);
    ck_assert_int_lt(nm_scrape_timeout_parse("5", 0, &ns), 0);
}
END_TEST

START_TEST(test_budget)
{
    const uint64_t s = 1000000000ull, ms = 1000000ull;

    ck_assert_uint_eq(nm_scrape_budget_ns(10 * s, 500 * ms), 9500 * ms);
    ck_assert_uint_eq(nm_scrape_budget_ns(10 * s, 0), 10 * s);
    ck_assert_uint_eq(nm_scrape_budget_ns(1 * s, 500 * ms), 500 * ms);
    /* the offset never takes more than half */
    ck_assert_uint_eq(nm_scrape_budget_ns(800 * ms, 500 * ms), 400 * ms);
    ck_assert_uint_eq(nm_scrape_budget_ns(500 * ms, 500 * ms), 250 * ms);
    ck_assert_uint_eq(nm_scrape_budget_ns(10 * s, 20 * s), 5 * s);
    ck_assert_uint_eq(nm_scrape_budget_ns(NM_SCRAPE_TIMEOUT_MAX_NS, 60 * s),
                      NM_SCRAPE_TIMEOUT_MAX_NS - 60 * s);
}
END_TEST

/* ----------------------------------------------------------------- flags -- */

static nm_options_result parse_flags(nm_options *o, const char *a1, const char *a2, char *err,
                                     size_t errsize)
{
    char *argv[] = {(char *)"netmetrics_exporter", (char *)a1, (char *)a2, NULL};

    nm_options_init(o);
    return nm_options_parse(o, a2 ? 3 : (a1 ? 2 : 1), argv, err, errsize);
}

START_TEST(test_flags)
{
    static const char *const bad[] = {
        "--web.max-requests=-1", "--web.max-requests=x", "--web.max-requests=",
        "--web.max-requests=1048577", "--web.timeout-offset=2m", "--web.timeout-offset=-1s",
        "--web.timeout-offset=soon",
    };
    char err[NM_OPTIONS_ERROR_MAX];
    nm_options o;
    size_t i;

    ck_assert_int_eq(parse_flags(&o, NULL, NULL, err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.max_requests, 40); /* node_exporter's default */
    ck_assert_uint_eq(o.timeout_offset_ns, 500000000ull);
    ck_assert_int_eq(parse_flags(&o, "--web.max-requests=0", "--web.timeout-offset=0", err,
                                 sizeof err),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.max_requests, 0);
    ck_assert_uint_eq(o.timeout_offset_ns, 0);
    ck_assert_int_eq(parse_flags(&o, "--web.max-requests", "7", err, sizeof err), NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.max_requests, 7);
    ck_assert_int_eq(parse_flags(&o, "--web.timeout-offset=250ms", NULL, err, sizeof err),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.timeout_offset_ns, 250000000ull);
    ck_assert_int_eq(parse_flags(&o, "--web.timeout-offset=1.5", NULL, err, sizeof err),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(o.timeout_offset_ns, 1500000000ull);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(parse_flags(&o, bad[i], NULL, err, sizeof err) == NM_OPTIONS_ERROR,
                      "%s accepted", bad[i]);
        ck_assert_msg(strstr(err, bad[i][2] == 'w' && bad[i][6] == 'm' ? "--web.max-requests"
                                                                       : "--web.timeout-offset"),
                      "%s: message does not name the flag: %s", bad[i], err);
    }
}
END_TEST

START_TEST(test_flags_help)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_options_help(&b), 0);
    HAS(b.data, "--web.max-requests=N");
    HAS(b.data, "--web.timeout-offset=DURATION");
    HAS(b.data, "Default: \"40\".");
    HAS(b.data, "Default: \"500ms\".");
    nm_strbuf_free(&b);
}
END_TEST

/* ------------------------------------------------------------ accounting -- */

START_TEST(test_routes)
{
    nm_http_stats *st = nm_http_stats_new("/metrics", 1);
    nm_http_stats *off = nm_http_stats_new("/", 0);

    ck_assert_ptr_nonnull(st);
    ck_assert_ptr_nonnull(off);
    ck_assert_int_eq(nm_http_stats_route(st, "/metrics"), NM_ROUTE_METRICS);
    ck_assert_int_eq(nm_http_stats_route(st, "/"), NM_ROUTE_ROOT);
    ck_assert_int_eq(nm_http_stats_route(st, "/-/healthy"), NM_ROUTE_HEALTHY);
    ck_assert_int_eq(nm_http_stats_route(st, "/-/ready"), NM_ROUTE_READY);
    ck_assert_int_eq(nm_http_stats_route(st, "/connections"), NM_ROUTE_CONNECTIONS);
    ck_assert_int_eq(nm_http_stats_route(st, "/metrics/"), NM_ROUTE_OTHER);
    ck_assert_int_eq(nm_http_stats_route(st, ""), NM_ROUTE_OTHER);
    /* telemetry path "/" wins over the landing page; no /connections */
    ck_assert_int_eq(nm_http_stats_route(off, "/"), NM_ROUTE_METRICS);
    ck_assert_int_eq(nm_http_stats_route(off, "/connections"), NM_ROUTE_OTHER);
    ck_assert_int_eq(nm_http_stats_route(off, "/metrics"), NM_ROUTE_OTHER);
    nm_http_stats_free(st);
    nm_http_stats_free(off);
}
END_TEST

START_TEST(test_admission_sequence)
{
    nm_http_stats *st = nm_http_stats_new("/metrics", 0);
    unsigned i;

    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(nm_http_stats_enter(st, 2), 1);
    ck_assert_int_eq(nm_http_stats_enter(st, 2), 1);
    ck_assert_uint_eq(nm_http_stats_in_flight(st), 2);
    ck_assert_int_eq(nm_http_stats_enter(st, 2), 0);
    ck_assert_int_eq(nm_http_stats_enter(st, 2), 0);
    ck_assert_uint_eq(nm_http_stats_in_flight(st), 2); /* a refusal leaves no trace */
    nm_http_stats_leave(st);
    ck_assert_int_eq(nm_http_stats_enter(st, 2), 1);
    nm_http_stats_leave(st);
    nm_http_stats_leave(st);
    ck_assert_uint_eq(nm_http_stats_in_flight(st), 0);
    /* limit 1; and 0 is no limit */
    ck_assert_int_eq(nm_http_stats_enter(st, 1), 1);
    ck_assert_int_eq(nm_http_stats_enter(st, 1), 0);
    nm_http_stats_leave(st);
    for (i = 0; i < 1000; i++)
        ck_assert_int_eq(nm_http_stats_enter(st, 0), 1);
    ck_assert_uint_eq(nm_http_stats_in_flight(st), 1000);
    /* a lower limit than what is in flight refuses */
    ck_assert_int_eq(nm_http_stats_enter(st, 1000), 0);
    for (i = 0; i < 1000; i++)
        nm_http_stats_leave(st);
    ck_assert_uint_eq(nm_http_stats_in_flight(st), 0);
    nm_http_stats_free(st);
}
END_TEST

#define THREADS 8
#define ROUNDS 20000
#define LIMIT 3

typedef struct shared {
    nm_http_stats *st;
    atomic_uint inside;   /* admitted right now, counted by the test */
    atomic_uint most;     /* the most ever seen inside at once */
    atomic_ulong admitted, refused;
} shared;

static void *hammer(void *arg)
{
    shared *sh = arg;
    unsigned i;

    for (i = 0; i < ROUNDS; i++) {
        nm_http_stats_count(sh->st, NM_ROUTE_OTHER, 404);
        if (nm_http_stats_enter(sh->st, LIMIT)) {
            unsigned now = atomic_fetch_add(&sh->inside, 1) + 1;
            unsigned seen = atomic_load(&sh->most);

            while (now > seen && !atomic_compare_exchange_weak(&sh->most, &seen, now))
                ;
            if ((i & 63) == 0)
                sched_yield();
            atomic_fetch_sub(&sh->inside, 1);
            nm_http_stats_leave(sh->st);
            atomic_fetch_add(&sh->admitted, 1);
            nm_http_stats_count(sh->st, NM_ROUTE_METRICS, 200);
        } else {
            atomic_fetch_add(&sh->refused, 1);
            nm_http_stats_reject(sh->st, NM_REJECT_LIMIT);
            nm_http_stats_count(sh->st, NM_ROUTE_METRICS, 503);
        }
    }
    return NULL;
}

/* Many threads at once: never more than LIMIT admitted together, and
 * every request counted exactly once. */
START_TEST(test_admission_threads)
{
    pthread_t t[THREADS];
    shared sh;
    size_t i;

    memset(&sh, 0, sizeof sh);
    sh.st = nm_http_stats_new("/metrics", 0);
    ck_assert_ptr_nonnull(sh.st);
    atomic_init(&sh.inside, 0);
    atomic_init(&sh.most, 0);
    atomic_init(&sh.admitted, 0);
    atomic_init(&sh.refused, 0);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, &sh), 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ck_assert_uint_le(atomic_load(&sh.most), LIMIT);
    ck_assert_uint_ge(atomic_load(&sh.most), 1);
    ck_assert_uint_eq(nm_http_stats_in_flight(sh.st), 0);
    ck_assert_uint_eq(atomic_load(&sh.admitted) + atomic_load(&sh.refused),
                      (unsigned long)THREADS * ROUNDS);
    ck_assert_uint_eq(nm_http_stats_requests(sh.st, NM_ROUTE_METRICS, 200),
                      atomic_load(&sh.admitted));
    ck_assert_uint_eq(nm_http_stats_requests(sh.st, NM_ROUTE_METRICS, 503),
                      atomic_load(&sh.refused));
    ck_assert_uint_eq(nm_http_stats_rejected(sh.st, NM_REJECT_LIMIT), atomic_load(&sh.refused));
    ck_assert_uint_eq(nm_http_stats_requests(sh.st, NM_ROUTE_OTHER, 404),
                      (uint64_t)THREADS * ROUNDS);
    nm_http_stats_free(sh.st);
}
END_TEST

START_TEST(test_count_bounds)
{
    nm_http_stats *st = nm_http_stats_new("/metrics", 0);

    ck_assert_ptr_nonnull(st);
    nm_http_stats_count(st, NM_ROUTE_ROOT, 99);
    nm_http_stats_count(st, NM_ROUTE_ROOT, 600);
    nm_http_stats_count(st, NM_ROUTE_COUNT, 200);
    nm_http_stats_count(st, NM_ROUTE_ROOT, 100);
    nm_http_stats_count(st, NM_ROUTE_ROOT, 599);
    ck_assert_uint_eq(nm_http_stats_requests(st, NM_ROUTE_ROOT, 99), 0);
    ck_assert_uint_eq(nm_http_stats_requests(st, NM_ROUTE_ROOT, 600), 0);
    ck_assert_uint_eq(nm_http_stats_requests(st, NM_ROUTE_ROOT, 100), 1);
    ck_assert_uint_eq(nm_http_stats_requests(st, NM_ROUTE_ROOT, 599), 1);
    nm_http_stats_free(st);
}
END_TEST

/* --------------------------------------------------------------- rendering -- */

static char *render_with(nm_format fmt, const nm_process_metrics *pm, const nm_http_stats *hs)
{
    nm_strbuf b;
    nm_scrape_info info;

    memset(&info, 0, sizeof info);
    info.collect_status = NETMETRICS_ERR_SYSTEM; /* no snapshot: self metrics only */
    info.backend = "netlink";
    info.process = pm;
    info.http = hs;
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_render_metrics(&b, fmt, NULL, &info), 0);
    return nm_strbuf_steal(&b, NULL);
}

START_TEST(test_render_http_stats)
{
    nm_http_stats *st = nm_http_stats_new("/m\"x", 1);
    char *t;

    ck_assert_ptr_nonnull(st);
    t = render_with(NM_FORMAT_TEXT, NULL, st);
    HAS(t, "# TYPE netmetrics_exporter_http_requests_total counter\n");
    /* present from the start, at 0 */
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/m\\\"x\",code=\"200\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/m\\\"x\",code=\"500\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/m\\\"x\",code=\"503\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/\",code=\"200\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/-/healthy\",code=\"200\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/-/ready\",code=\"200\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/connections\",code=\"200\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"other\",code=\"404\"} 0\n");
    LACKS(t, "code=\"405\"");
    HAS(t, "# TYPE netmetrics_exporter_http_requests_in_flight gauge\n"
           "netmetrics_exporter_http_requests_in_flight 0\n");
    HAS(t, "\nnetmetrics_exporter_scrapes_rejected_total{reason=\"limit\"} 0\n");
    HAS(t, "\nnetmetrics_exporter_scrapes_rejected_total{reason=\"timeout\"} 0\n");
    LACKS(t, "process_");
    free(t);

    nm_http_stats_count(st, NM_ROUTE_METRICS, 405);
    nm_http_stats_count(st, NM_ROUTE_METRICS, 405);
    nm_http_stats_count(st, NM_ROUTE_OTHER, 404);
    nm_http_stats_reject(st, NM_REJECT_TIMEOUT);
    ck_assert_int_eq(nm_http_stats_enter(st, 0), 1);
    t = render_with(NM_FORMAT_OPENMETRICS, NULL, st);
    HAS(t, "# TYPE netmetrics_exporter_http_requests counter\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"/m\\\"x\",code=\"405\"} 2\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_total{handler=\"other\",code=\"404\"} 1\n");
    HAS(t, "\nnetmetrics_exporter_http_requests_in_flight 1\n");
    HAS(t, "# TYPE netmetrics_exporter_scrapes_rejected counter\n");
    HAS(t, "\nnetmetrics_exporter_scrapes_rejected_total{reason=\"timeout\"} 1\n");
    ck_assert_str_eq(t + strlen(t) - 6, "# EOF\n");
    free(t);
    nm_http_stats_leave(st);
    nm_http_stats_free(st);

    /* without the endpoint, no /connections series */
    st = nm_http_stats_new("/metrics", 0);
    t = render_with(NM_FORMAT_TEXT, NULL, st);
    LACKS(t, "/connections");
    free(t);
    nm_http_stats_free(st);
}
END_TEST

START_TEST(test_render_process)
{
    nm_process_metrics m;
    char *t;

    memset(&m, 0, sizeof m);
    m.have_cpu = 1;
    m.cpu_seconds = 1.25;
    m.have_memory = 1;
    m.resident_bytes = 8192000;
    m.virtual_bytes = 123456789;
    m.have_open_fds = 1;
    m.open_fds = 9;
    m.have_max_fds = 1;
    m.max_fds = 1024;
    m.have_start_time = 1;
    m.start_time_seconds = 1700003600.25;
    t = render_with(NM_FORMAT_TEXT, &m, NULL);
    HAS(t, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.25\n");
    HAS(t, "# TYPE process_open_fds gauge\nprocess_open_fds 9\n");
    HAS(t, "# TYPE process_max_fds gauge\nprocess_max_fds 1024\n");
    HAS(t, "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes 123456789\n");
    HAS(t, "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 8192000\n");
    HAS(t, "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1700003600.25\n");
    LACKS(t, "netmetrics_exporter_");
    free(t);

    t = render_with(NM_FORMAT_OPENMETRICS, &m, NULL);
    HAS(t, "# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"
           "process_cpu_seconds_total 1.25\n");
    HAS(t, "# TYPE process_resident_memory_bytes gauge\n"
           "# UNIT process_resident_memory_bytes bytes\n");
    LACKS(t, "# UNIT process_open_fds");
    /* before # EOF, which ends the text */
    ck_assert_str_eq(t + strlen(t) - 6, "# EOF\n");
    free(t);

    /* what is not known is absent, not 0 */
    memset(&m, 0, sizeof m);
    m.have_max_fds = 1;
    m.max_fds = 256;
    t = render_with(NM_FORMAT_TEXT, &m, NULL);
    HAS(t, "\nprocess_max_fds 256\n");
    LACKS(t, "process_cpu_seconds_total");
    LACKS(t, "process_open_fds");
    LACKS(t, "process_resident_memory_bytes");
    LACKS(t, "process_start_time_seconds");
    free(t);
}
END_TEST

/* ------------------------------------------------------------ the scraper -- */

static nm_scraper *fixture_scraper(int connections)
{
    nm_scraper_config cfg;
    nm_scraper *s = NULL;
    netmetrics_error err;

    memset(&cfg, 0, sizeof cfg);
    netmetrics_collector_options_init(&cfg.collector);
    cfg.collector.backend = NETMETRICS_BACKEND_PROCFS;
    cfg.collector.proc_root = BASIC "/proc";
    cfg.collector.sys_root = BASIC "/sys";
    cfg.self_procfs = PROCSELF;
    cfg.connections.enabled = connections;
    cfg.connections.collector = cfg.collector;
    if (nm_scraper_new(&cfg, &s, &err) != NETMETRICS_OK)
        ck_abort_msg("scraper: %s", err.message);
    return s;
}

START_TEST(test_scraper_self_families)
{
    nm_scraper *s = fixture_scraper(0);
    nm_http_stats *st = nm_http_stats_new("/metrics", 0);
    nm_scrape_request req;
    nm_strbuf b;

    memset(&req, 0, sizeof req);
    req.fmt = NM_FORMAT_TEXT;
    req.http = st;
    req.deadline_ns = nm_monotonic_ns() + 60ull * 1000000000ull;
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_scraper_scrape_request(s, &req, &b), 0);
    HAS(b.data, "netmetrics_receive_bytes_total{device=\"eth0\"}");
    HAS(b.data, "\nprocess_open_fds 4\n");
    HAS(b.data, "\nprocess_virtual_memory_bytes 123456789\n");
    HAS(b.data, "\nnetmetrics_exporter_http_requests_in_flight 0\n");
    nm_strbuf_free(&b);

    /* no request counters, no process families, through the old entry */
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_scraper_scrape(s, NM_FORMAT_TEXT, &b), 0);
    HAS(b.data, "\nprocess_open_fds 4\n");
    LACKS(b.data, "netmetrics_exporter_");
    nm_strbuf_free(&b);
    nm_http_stats_free(st);
    nm_scraper_free(s);
}
END_TEST

/* A deadline already past when the lock is taken: nothing is collected or
 * written, and the caller is told. */
START_TEST(test_scraper_late)
{
    nm_scraper *s = fixture_scraper(0);
    nm_scrape_request req;
    nm_strbuf b;

    memset(&req, 0, sizeof req);
    req.fmt = NM_FORMAT_OPENMETRICS;
    req.deadline_ns = 1; /* long past */
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_scraper_scrape_request(s, &req, &b), NM_SCRAPE_LATE);
    ck_assert_uint_eq(b.len, 0);
    ck_assert(!b.failed);
    /* and the next scrape is served as usual */
    req.deadline_ns = 0;
    ck_assert_int_eq(nm_scraper_scrape_request(s, &req, &b), 0);
    HAS(b.data, "# EOF\n");
    nm_strbuf_free(&b);
    nm_scraper_free(s);
}
END_TEST

static Suite *selfmetrics_suite(void)
{
    Suite *s = suite_create("selfmetrics");
    TCase *tc = tcase_create("procself");

    tcase_add_test(tc, test_stat_real);
    tcase_add_test(tc, test_stat_comm_blanks_parens);
    tcase_add_test(tc, test_stat_truncated);
    tcase_add_test(tc, test_stat_junk);
    tcase_add_test(tc, test_btime);
    tcase_add_test(tc, test_reader_fixture);
    tcase_add_test(tc, test_reader_no_proc);
    tcase_add_test(tc, test_reader_real_proc);
    suite_add_tcase(s, tc);

    tc = tcase_create("timeout");
    tcase_add_loop_test(tc, test_timeout_table, 0,
                        (int)(sizeof timeout_cases / sizeof timeout_cases[0]));
    tcase_add_test(tc, test_timeout_len_bounds);
    tcase_add_test(tc, test_budget);
    tcase_add_test(tc, test_flags);
    tcase_add_test(tc, test_flags_help);
    suite_add_tcase(s, tc);

    tc = tcase_create("accounting");
    tcase_add_test(tc, test_routes);
    tcase_add_test(tc, test_admission_sequence);
    tcase_add_test(tc, test_admission_threads);
    tcase_add_test(tc, test_count_bounds);
    /* threads and valgrind: room beyond Check's 4 s default */
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("render");
    tcase_add_test(tc, test_render_http_stats);
    tcase_add_test(tc, test_render_process);
    tcase_add_test(tc, test_scraper_self_families);
    tcase_add_test(tc, test_scraper_late);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(selfmetrics_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

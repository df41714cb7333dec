/* SPDX-License-Identifier: MIT */
/* Unit tests of the device filter and the collector switches: pattern
 * checks (devfilter.c), node_exporter's include/exclude rule on names
 * with hostile and non-UTF-8 bytes, the type list, nm_snapshot_retain,
 * the flags (options.c: mutual exclusion, bad values, disable-defaults
 * against explicit flags in either order), a skipped library part, and the
 * scraper end to end on the procfs fixture tree (filtered interfaces in no
 * family, disabled collectors' families and self samples absent). Tests
 * run forked, so a crash is a failure, not a lost run. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors.h"
#include "devfilter.h"
#include "options.h"
#include "scrape.h"
#include "snapshot.h"
#include "strbuf.h"

#define BASIC NM_FIXTURES_DIR "/procfs/basic"
/* lo, eth0 (ethernet), wlan0 (wifi, with a signal), wwan0 (cellular),
 * veth9 (virtual), eth1 (ethernet, down) */
#define LINKINFO NM_FIXTURES_DIR "/linkinfo"
#define BIT(id) NM_COLLECTOR_BIT(NM_COLLECTOR_##id)
#define TYPE(t) (1u << NETMETRICS_IFTYPE_##t)

#define HAS(text, frag) ck_assert_msg(strstr((text), (frag)) != NULL, "missing: %s", (frag))
#define LACKS(text, frag) ck_assert_msg(strstr((text), (frag)) == NULL, "unexpected: %s", (frag))

/* ------------------------------------------------------------ patterns -- */

START_TEST(test_regex_accepted)
{
    static const char *const good[] = {
        "^veth",          "^(veth.*|docker[0-9]+)$", "eth",       "[[:digit:]]+$",
        "^br-[a-f0-9]{12}$", "\\w+\\s?",             "\\bx\\B",  "[\\d]", /* a bracket: \ and d */
        "[]a]",           "[^]a]",                   "a{15}",     "(a{10}){10}",
        "\\.",            "\\(\\)",                  "x}",        "\xf0\x9f\x92\xa9", /* 💩 */
        "\xff",          "a+b*c?d{2,3}e{0}",        "(ab)+$",    "()",
        "(((((((((((a+)+)+)+)+)+)+)+)+)+)+)+", /* 12 +: 2^12 = 4096 atoms, the limit */
    };
    char why[256];
    size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(nm_devfilter_check_regex(good[i], why, sizeof why) == 0, "\"%s\": %s",
                      good[i], why);
}
END_TEST

START_TEST(test_regex_rejected)
{
    static const struct {
        const char *pattern;
        const char *why;
    } bad[] = {
        {"veth\\d+", "\\d is not POSIX"},
        {"\\D", "\\D is not POSIX"},
        {"^\\Aeth", "\\A is not POSIX"},
        {"(a", "not a valid regular expression"},
        {"a)b(", "not a valid regular expression"},
        {"[a", "not a valid regular expression"},
        {"*a", "nothing to repeat"},
        {"(+a)", "nothing to repeat"},
        {"a|?b", "nothing to repeat"},
        {"^*", "nothing to repeat"},
        {"{2}", "nothing to repeat"},
        {"veth.+?", "follows another"}, /* RE2's lazy +? */
        {"a**", "follows another"},
        {"x{2}{3}", "follows another"},
        {"(?i)eth", "nothing to repeat"}, /* RE2's flags */
        {"((a{1000}){1000}){100}", "expand to more than"},
        {"a{5000}", "expand to more than"},
        {"(.{1,100}){100}", "expand to more than"},
        {"a+++++++++++++", "follows another"},
        /* x+ is x x* for glibc: each + around a group doubles it */
        {"(((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+", "expand to more than"},
        {"(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))",
         "nested too deeply"},
    };
    char why[256];
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc;

        why[0] = '\0';
        rc = nm_devfilter_check_regex(bad[i].pattern, why, sizeof why);
        ck_assert_msg(rc == -1, "\"%s\" accepted", bad[i].pattern);
        ck_assert_msg(strstr(why, bad[i].why) != NULL, "\"%s\": \"%s\" lacks \"%s\"",
                      bad[i].pattern, why, bad[i].why);
        ck_assert_msg(strchr(why, '\n') == NULL, "message spans lines");
    }
}
END_TEST

/* What tests/fuzz/fuzz_devfilter.c found before stacked repetition
 * operators were refused: regcomp took gigabytes (the first) and seconds
 * (the second) on them. */
START_TEST(test_regex_fuzzer_findings)
{
    static const char oom[] = "\xfd\xf5++++++++++++++++++++++++++++++++++++++++++++++l*";
    static const char slow[] = "\xff" "a??????????????????????????@?????\x96?????????\x1b??\xe9+++++"
                               "???????????????????@??+???\x96????\x9f?????\x1b????????o\x01";
    char why[256];

    ck_assert_int_eq(nm_devfilter_check_regex(oom, why, sizeof why), -1);
    HAS(why, "follows another");
    ck_assert_int_eq(nm_devfilter_check_regex(slow, why, sizeof why), -1);
    HAS(why, "follows another");
}
END_TEST

START_TEST(test_regex_too_long)
{
    char pattern[NM_DEVFILTER_PATTERN_MAX + 2], why[128];

    memset(pattern, 'a', sizeof pattern - 1);
    pattern[sizeof pattern - 1] = '\0';
    ck_assert_int_eq(nm_devfilter_check_regex(pattern, why, sizeof why), -1);
    HAS(why, "longer than");
    pattern[NM_DEVFILTER_PATTERN_MAX] = '\0'; /* exactly the maximum */
    ck_assert_int_eq(nm_devfilter_check_regex(pattern, why, sizeof why), 0);
}
END_TEST

/* ---------------------------------------------------------------- types -- */

START_TEST(test_types)
{
    unsigned m = 99;
    char why[256];

    ck_assert_int_eq(nm_devfilter_parse_types("virtual", &m, why, sizeof why), 0);
    ck_assert_uint_eq(m, TYPE(VIRTUAL));
    ck_assert_int_eq(nm_devfilter_parse_types("Virtual, loopback", &m, why, sizeof why), 0);
    ck_assert_uint_eq(m, TYPE(VIRTUAL) | TYPE(LOOPBACK));
    ck_assert_int_eq(nm_devfilter_parse_types("ethernet,wifi,loopback,virtual,cellular,other",
                                              &m, why, sizeof why),
                     0);
    ck_assert_uint_eq(m, 0x3fu);
    ck_assert_int_eq(nm_devfilter_parse_types("virtual,virtual", &m, why, sizeof why), 0);
    ck_assert_uint_eq(m, TYPE(VIRTUAL));
    ck_assert_int_eq(nm_devfilter_parse_types("", &m, why, sizeof why), 0);
    ck_assert_uint_eq(m, 0);
}
END_TEST

START_TEST(test_types_bad)
{
    static const struct {
        const char *list;
        const char *why;
    } bad[] = {
        {"virtual,", "empty item"},  {",virtual", "empty item"},   {"virtual,,loopback", "empty item"},
        {" ", "empty item"},         {"foo", "\"foo\""},           {"virtual,ether", "\"ether\""},
        {"wi\x01" "fi", "\"wi?fi\""}, {"ethernet0", "\"ethernet0\""}, {"Virtualx", "\"Virtualx\""},
    };
    char why[256];
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned m = 77;

        ck_assert_msg(nm_devfilter_parse_types(bad[i].list, &m, why, sizeof why) == -1,
                      "\"%s\" accepted", bad[i].list);
        ck_assert_msg(strstr(why, bad[i].why) != NULL, "\"%s\": \"%s\" lacks %s", bad[i].list,
                      why, bad[i].why);
        ck_assert_uint_eq(m, 77); /* untouched on error */
    }
}
END_TEST

/* ----------------------------------------------------------- the filter -- */

static nm_devfilter *filter_new(const char *include, const char *exclude, unsigned types)
{
    nm_devfilter_spec spec = {include, exclude, types};
    nm_devfilter *f = NULL;
    netmetrics_error err;

    if (nm_devfilter_new(&spec, &f, &err) != NETMETRICS_OK)
        ck_abort_msg("filter: %s", err.message);
    return f;
}

static int keeps(const char *include, const char *exclude, const char *name)
{
    nm_devfilter *f = filter_new(include, exclude, 0);
    int k = nm_devfilter_keeps(f, name, NETMETRICS_IFTYPE_ETHERNET);

    nm_devfilter_free(f);
    return k;
}

/* node_exporter's device filter test table, and the same rule on names
 * only Linux allows. */
START_TEST(test_keeps_node_exporter_rule)
{
    ck_assert_int_eq(keeps(NULL, NULL, "eth0"), 1);
    ck_assert_int_eq(keeps("", "", "eth0"), 1);
    ck_assert_int_eq(keeps("^\xf0\x9f\x92\xa9" "0$", NULL, "\xf0\x9f\x92\xa9" "0"), 1);
    ck_assert_int_eq(keeps("^\xf0\x9f\x92\xa9" "0$", NULL, "\xf0\x9f\x92\xa9" "1"), 0);
    ck_assert_int_eq(keeps("^\xf0\x9f\x92\xa9" "0$", NULL, "veth0"), 0);
    ck_assert_int_eq(keeps(NULL, "^\xf0\x9f\x92\xa9", "\xf0\x9f\x92\xa9" "3"), 0);
    ck_assert_int_eq(keeps(NULL, "^\xf0\x9f\x92\xa9", "veth0"), 1);
    /* unanchored: a match anywhere in the name counts */
    ck_assert_int_eq(keeps("eth", NULL, "veth0"), 1);
    ck_assert_int_eq(keeps("^eth", NULL, "veth0"), 0);
    ck_assert_int_eq(keeps(NULL, "0", "br0"), 0);
    ck_assert_int_eq(keeps(NULL, "0$", "br0x"), 1);
    /* hostile bytes in names are just bytes */
    ck_assert_int_eq(keeps(NULL, "\"", "we\"ird\\x"), 0);
    ck_assert_int_eq(keeps("\\\\", NULL, "we\"ird\\x"), 1);
    ck_assert_int_eq(keeps("[{}=,#]", NULL, "a{b"), 1);
    ck_assert_int_eq(keeps("[{}=,#]", NULL, "ab"), 0);
    /* not UTF-8: matched byte by byte (the exporter runs in the C locale) */
    ck_assert_int_eq(keeps("^\xff\xfe", NULL, "\xff\xfe" "0"), 1);
    ck_assert_int_eq(keeps("^.{3}$", NULL, "\xff\xfe" "0"), 1);
    ck_assert_int_eq(keeps(NULL, "\xfe", "\xff\xfe" "0"), 0);
    ck_assert_int_eq(keeps(NULL, "\xfe", "eth0"), 1);
}
END_TEST

START_TEST(test_keeps_types)
{
    nm_devfilter *f = filter_new(NULL, NULL, TYPE(VIRTUAL) | TYPE(OTHER));

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(nm_devfilter_keeps(f, "veth0", NETMETRICS_IFTYPE_VIRTUAL), 0);
    ck_assert_int_eq(nm_devfilter_keeps(f, "x", NETMETRICS_IFTYPE_OTHER), 0);
    ck_assert_int_eq(nm_devfilter_keeps(f, "lo", NETMETRICS_IFTYPE_LOOPBACK), 1);
    ck_assert_int_eq(nm_devfilter_keeps(f, "eth0", NETMETRICS_IFTYPE_ETHERNET), 1);
    nm_devfilter_free(f);

    /* type and name together: both must keep the interface */
    f = filter_new("^v", NULL, TYPE(VIRTUAL));
    ck_assert_int_eq(nm_devfilter_keeps(f, "veth0", NETMETRICS_IFTYPE_VIRTUAL), 0);
    ck_assert_int_eq(nm_devfilter_keeps(f, "vlan0", NETMETRICS_IFTYPE_ETHERNET), 1);
    ck_assert_int_eq(nm_devfilter_keeps(f, "eth0", NETMETRICS_IFTYPE_ETHERNET), 0);
    nm_devfilter_free(f);
}
END_TEST

START_TEST(test_filter_new_errors)
{
    nm_devfilter_spec spec = {"a", "b", 0};
    nm_devfilter *f = (nm_devfilter *)&spec; /* must be reset to NULL */
    netmetrics_error err;

    ck_assert_int_eq(nm_devfilter_new(&spec, &f, &err), NETMETRICS_ERR_INVALID);
    ck_assert_ptr_null(f);
    HAS(err.message, "mutually exclusive");

    spec.include = "(";
    spec.exclude = NULL;
    ck_assert_int_eq(nm_devfilter_new(&spec, &f, &err), NETMETRICS_ERR_INVALID);
    HAS(err.message, "--collector.device-include: not a valid regular expression");
    spec.include = NULL;
    spec.exclude = "x\\d";
    ck_assert_int_eq(nm_devfilter_new(&spec, &f, &err), NETMETRICS_ERR_INVALID);
    HAS(err.message, "--collector.device-exclude: \\d");
    spec.exclude = NULL;
    spec.type_exclude = 1u << 6;
    ck_assert_int_eq(nm_devfilter_new(&spec, &f, &err), NETMETRICS_ERR_INVALID);

    /* nothing to filter: no filter object, no work per scrape */
    spec.include = "";
    spec.exclude = "";
    spec.type_exclude = 0;
    ck_assert_int_eq(nm_devfilter_new(&spec, &f, &err), NETMETRICS_OK);
    ck_assert_ptr_null(f);
    ck_assert_int_eq(nm_devfilter_keeps(NULL, "x", NETMETRICS_IFTYPE_OTHER), 1);
}
END_TEST

/* ------------------------------------------------------------- retain -- */

/* A finished snapshot of n interfaces "if<ifindex>" (ifindex 1..n), each
 * with one IPv4 address 198.18.0.<ifindex>/24. */
static netmetrics_snapshot *numbered_snapshot(int n)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    int i;

    ck_assert_ptr_nonnull(snap);
    for (i = 1; i <= n; i++) {
        struct netmetrics_interface *it = nm_snapshot_add_interface(snap);
        netmetrics_address a;

        ck_assert_ptr_nonnull(it);
        it->ifindex = i;
        snprintf(it->name, sizeof it->name, "if%d", i);
        memset(&a, 0, sizeof a);
        a.family = NETMETRICS_FAMILY_INET;
        a.bytes[0] = 198;
        a.bytes[1] = 18;
        a.bytes[3] = (unsigned char)i;
        a.prefix_length = 24;
        ck_assert_int_eq(nm_snapshot_add_address(snap, i, &a), 0);
    }
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);
    return snap;
}

static int keep_odd(const struct netmetrics_interface *iface, void *arg)
{
    (*(int *)arg)++;
    return iface->ifindex % 2;
}

static int keep_none(const struct netmetrics_interface *iface, void *arg)
{
    (void)iface;
    (void)arg;
    return 0;
}

START_TEST(test_retain_keeps_order_and_addresses)
{
    netmetrics_snapshot *snap = numbered_snapshot(9);
    int calls = 0, i;

    ck_assert_uint_eq(nm_snapshot_retain(snap, keep_odd, &calls), 5);
    ck_assert_int_eq(calls, 9);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 5);
    for (i = 0; i < 5; i++) {
        const netmetrics_interface *it = netmetrics_snapshot_interface(snap, (size_t)i);
        const netmetrics_address *a;
        char name[16];

        snprintf(name, sizeof name, "if%d", 2 * i + 1);
        ck_assert_int_eq(netmetrics_interface_index(it), 2 * i + 1);
        ck_assert_str_eq(netmetrics_interface_name(it), name);
        ck_assert_uint_eq(netmetrics_interface_address_count(it), 1);
        a = netmetrics_interface_address(it, 0);
        ck_assert_int_eq(a->bytes[3], 2 * i + 1);
    }
    /* still sorted: lookups by ifindex work, the dropped ones are gone */
    ck_assert_ptr_nonnull(netmetrics_snapshot_find_index(snap, 7));
    ck_assert_ptr_null(netmetrics_snapshot_find_index(snap, 4));
    ck_assert_ptr_null(netmetrics_snapshot_find(snap, "if2"));

    ck_assert_uint_eq(nm_snapshot_retain(snap, keep_none, NULL), 0);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 0);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_apply_filter_to_snapshot)
{
    netmetrics_snapshot *snap = numbered_snapshot(12);
    nm_devfilter *f = filter_new(NULL, "^if1", 0); /* drops if1, if10, if11, if12 */
    size_t i;

    ck_assert_uint_eq(nm_devfilter_apply(f, snap), 8);
    for (i = 0; i < 8; i++)
        ck_assert_int_eq(netmetrics_interface_index(netmetrics_snapshot_interface(snap, i)),
                         (int)i + 2);
    ck_assert_uint_eq(nm_devfilter_apply(NULL, snap), 8);
    nm_devfilter_free(f);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* -------------------------------------------------------------- options -- */

static nm_options opts;
static char err[NM_OPTIONS_ERROR_MAX];

static nm_options_result parse_argv(const char **argv)
{
    int argc = 0;

    while (argv[argc])
        argc++;
    nm_options_init(&opts);
    err[0] = '\0';
    return nm_options_parse(&opts, argc, (char *const *)argv, err, sizeof err);
}

#define PARSE(...) parse_argv((const char *[]){"netmetrics_exporter", __VA_ARGS__, NULL})

static void assert_error(nm_options_result r, const char *needle)
{
    ck_assert_int_eq(r, NM_OPTIONS_ERROR);
    ck_assert_msg(strstr(err, needle) != NULL, "message \"%s\" lacks \"%s\"", err, needle);
    ck_assert_msg(strchr(err, '\n') == NULL, "message \"%s\" spans lines", err);
}

START_TEST(test_options_defaults)
{
    ck_assert_int_eq(parse_argv((const char *[]){"netmetrics_exporter", NULL}), NM_OPTIONS_RUN);
    /* every collector but connections (opt-in, like node_exporter's tcpstat) */
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_ALL & ~BIT(CONNECTIONS));
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_DEFAULT);
    ck_assert_int_eq(opts.connections, 0);
    ck_assert_int_eq(PARSE("--collector.connections"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_ALL);
    ck_assert_int_eq(opts.connections, 1);
    ck_assert_int_eq(parse_argv((const char *[]){"netmetrics_exporter", NULL}), NM_OPTIONS_RUN);
    ck_assert_ptr_null(opts.device_include);
    ck_assert_ptr_null(opts.device_exclude);
    ck_assert_uint_eq(opts.type_exclude, 0);
}
END_TEST

START_TEST(test_options_filters)
{
    ck_assert_int_eq(PARSE("--collector.device-include=^(eth|en)", "--collector.type-exclude",
                           "virtual,loopback"),
                     NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.device_include, "^(eth|en)");
    ck_assert_ptr_null(opts.device_exclude);
    ck_assert_uint_eq(opts.type_exclude, TYPE(VIRTUAL) | TYPE(LOOPBACK));

    ck_assert_int_eq(PARSE("--collector.device-exclude", "^veth"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.device_exclude, "^veth");
    ck_assert_ptr_null(opts.device_include);

    /* "" is no filter, so it never conflicts; the last value wins */
    ck_assert_int_eq(PARSE("--collector.device-include=", "--collector.device-exclude=x"),
                     NM_OPTIONS_RUN);
    ck_assert_ptr_null(opts.device_include);
    ck_assert_int_eq(PARSE("--collector.device-include=a", "--collector.device-include=",
                           "--collector.device-exclude=x"),
                     NM_OPTIONS_RUN);
    ck_assert_ptr_null(opts.device_include);
    ck_assert_str_eq(opts.device_exclude, "x");
    ck_assert_int_eq(PARSE("--collector.type-exclude=virtual", "--collector.type-exclude="),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.type_exclude, 0);
}
END_TEST

START_TEST(test_options_filter_errors)
{
    assert_error(PARSE("--collector.device-include=a", "--collector.device-exclude=b"),
                 "--collector.device-include and --collector.device-exclude are mutually "
                 "exclusive");
    assert_error(PARSE("--collector.device-exclude=b", "--collector.device-include=a"),
                 "mutually exclusive");
    /* an error wins over --help */
    assert_error(PARSE("--help", "--collector.device-exclude=b", "--collector.device-include=a"),
                 "mutually exclusive");
    assert_error(PARSE("--collector.device-include=(eth"),
                 "invalid value \"(eth\" for --collector.device-include: not a valid regular "
                 "expression");
    assert_error(PARSE("--collector.device-exclude=veth\\d+"),
                 "for --collector.device-exclude: \\d is not POSIX");
    assert_error(PARSE("--collector.type-exclude=virtual,bogus"),
                 "invalid value \"virtual,bogus\" for --collector.type-exclude: unknown "
                 "interface type \"bogus\"");
    assert_error(PARSE("--collector.type-exclude=virtual,"), "--collector.type-exclude: empty");
    assert_error(PARSE("--collector.device-include"), "missing value for --collector.device-include");
}
END_TEST

START_TEST(test_options_collectors)
{
    ck_assert_int_eq(PARSE("--no-collector.addresses", "--no-collector.wireless"),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors,
                      NM_COLLECTORS_ALL & ~(BIT(ADDRESSES) | BIT(WIRELESS) | BIT(CONNECTIONS)));
    ck_assert_int_eq(opts.connections, 0);

    ck_assert_int_eq(PARSE("--no-collector.connections"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_ALL & ~BIT(CONNECTIONS));
    ck_assert_int_eq(opts.connections, 0);

    ck_assert_int_eq(PARSE("--collector.link=false", "--collector.speed=false"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_DEFAULT & ~(BIT(LINK) | BIT(SPEED)));

    /* the last of a collector's own flags wins */
    ck_assert_int_eq(PARSE("--no-collector.netdev", "--collector.netdev"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_DEFAULT);
    ck_assert_int_eq(PARSE("--collector.netdev", "--no-collector.netdev"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_DEFAULT & ~BIT(NETDEV));
}
END_TEST

START_TEST(test_options_disable_defaults)
{
    ck_assert_int_eq(PARSE("--collector.disable-defaults"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, 0);
    ck_assert_int_eq(opts.connections, 0);

    /* an explicit flag wins over disable-defaults, in either order */
    ck_assert_int_eq(PARSE("--collector.disable-defaults", "--collector.netdev"),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, BIT(NETDEV));
    ck_assert_int_eq(opts.connections, 0);
    ck_assert_int_eq(PARSE("--collector.netdev", "--collector.disable-defaults"),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, BIT(NETDEV));

    ck_assert_int_eq(PARSE("--collector.connections", "--collector.disable-defaults",
                           "--collector.speed"),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, BIT(CONNECTIONS) | BIT(SPEED));
    ck_assert_int_eq(opts.connections, 1);

    /* an explicit "off" stays off without it */
    ck_assert_int_eq(PARSE("--collector.disable-defaults=false", "--no-collector.link"),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_ALL & ~(BIT(LINK) | BIT(CONNECTIONS)));
    ck_assert_int_eq(PARSE("--collector.disable-defaults", "--collector.disable-defaults=false"),
                     NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.collectors, NM_COLLECTORS_DEFAULT);

    assert_error(PARSE("--no-collector.disable-defaults=true"), "takes no value");
    assert_error(PARSE("--collector.netdev=yes"), "expected true or false");
    assert_error(PARSE("--no-collector.device-include"), "unknown flag --no-collector.device-include");
    assert_error(PARSE("--collector.bogus"), "unknown flag --collector.bogus");
}
END_TEST

START_TEST(test_options_help_lists_flags)
{
    static const char *const expect[] = {
        "--collector.disable-defaults\n", "--collector.netdev\n",  "--collector.link\n",
        "--collector.addresses\n",        "--collector.speed\n",   "--collector.wireless\n",
        "--collector.connections\n",      "--collector.device-include=REGEX\n",
        "--collector.device-exclude=REGEX\n", "--collector.type-exclude=TYPES\n",
    };
    nm_strbuf b;
    size_t i;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_options_help(&b), 0);
    for (i = 0; i < sizeof expect / sizeof expect[0]; i++)
        ck_assert_msg(strstr(b.data, expect[i]) != NULL, "help lacks %s", expect[i]);
    nm_strbuf_free(&b);
}
END_TEST

/* ------------------------------------------------- a skipped library part -- */

START_TEST(test_collector_skips_parts)
{
    netmetrics_collector_options o;
    netmetrics_collector *c;
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error e;

    netmetrics_collector_options_init(&o);
    ck_assert_uint_eq(o.skip_parts, 0);
    o.backend = NETMETRICS_BACKEND_PROCFS;
    o.proc_root = BASIC "/proc";
    o.sys_root = BASIC "/sys";
    o.skip_parts = (1u << NETMETRICS_PART_ADDRESSES) | (1u << NETMETRICS_PART_WIRELESS);
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &e), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_collector_collect(c, snap, &e), NETMETRICS_OK);
    ck_assert_uint_eq(netmetrics_snapshot_count(snap), 6);
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_LINKS), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_ADDRESSES),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_str_eq(netmetrics_snapshot_part_error(snap, NETMETRICS_PART_ADDRESSES),
                     "not collected");
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_WIRELESS),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_uint_eq(snap->addr_count, 0);
    netmetrics_collector_free(c);

    /* the same collection with every part: both succeed */
    o.skip_parts = 0;
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &e), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_collector_collect(c, snap, &e), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_ADDRESSES),
                     NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_WIRELESS),
                     NETMETRICS_OK);
    netmetrics_collector_free(c);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ------------------------------------------------------------ scraper -- */

static nm_scraper *fixture_scraper(const char *root, const char *include, const char *exclude,
                                   unsigned types, unsigned collectors_off)
{
    char proc[512], sys[512];
    nm_scraper_config cfg;
    nm_scraper *s = NULL;
    netmetrics_error e;

    memset(&cfg, 0, sizeof cfg);
    netmetrics_collector_options_init(&cfg.collector);
    cfg.collector.backend = NETMETRICS_BACKEND_PROCFS;
    snprintf(proc, sizeof proc, "%s/proc", root);
    snprintf(sys, sizeof sys, "%s/sys", root);
    cfg.collector.proc_root = proc;
    cfg.collector.sys_root = sys;
    cfg.filter.include = include;
    cfg.filter.exclude = exclude;
    cfg.filter.type_exclude = types;
    cfg.collectors_off = collectors_off;
    if (nm_scraper_new(&cfg, &s, &e) != NETMETRICS_OK)
        ck_abort_msg("scraper: %s", e.message);
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

/* Number of lines of text holding frag. */
static int lines_with(const char *text, const char *frag)
{
    int n = 0;
    const char *p = text;

    while ((p = strstr(p, frag)) != NULL) {
        n++;
        p = strchr(p, '\n');
        if (!p)
            break;
    }
    return n;
}

START_TEST(test_scraper_exclude)
{
    nm_scraper *s = fixture_scraper(BASIC, NULL, "^veth|ird", 0, 0);
    char *a = scrape(s), *b = scrape(s);

    /* in no family, the speeds of the second scrape included */
    LACKS(b, "veth3f2a1b9");
    LACKS(b, "we\\\"ird");
    HAS(b, "netmetrics_receive_bytes_total{device=\"eth0\"} 1234567890\n");
    HAS(b, "netmetrics_interface_info{device=\"lo\"");
    HAS(b, "netmetrics_receive_bytes_per_second{device=\"eth0\"}");
    ck_assert_int_eq(lines_with(b, "netmetrics_interface_up{"), 4); /* lo eth0 eth1 wlan0 */
    free(a);
    free(b);
    nm_scraper_free(s);
}
END_TEST

START_TEST(test_scraper_include_unanchored)
{
    nm_scraper *s = fixture_scraper(BASIC, "eth", NULL, 0, 0);
    char *t = scrape(s);

    /* "eth" anywhere: veth3f2a1b9 too */
    ck_assert_int_eq(lines_with(t, "netmetrics_interface_up{"), 3);
    HAS(t, "netmetrics_interface_up{device=\"eth0\"}");
    HAS(t, "netmetrics_interface_up{device=\"eth1\"}");
    HAS(t, "netmetrics_interface_up{device=\"veth3f2a1b9\"}");
    LACKS(t, "device=\"lo\"");
    LACKS(t, "device=\"wlan0\"");
    free(t);
    nm_scraper_free(s);
}
END_TEST

START_TEST(test_scraper_type_exclude)
{
    nm_scraper *s = fixture_scraper(LINKINFO, NULL, NULL, TYPE(LOOPBACK) | TYPE(WIFI), 0);
    char *t = scrape(s);

    LACKS(t, "device=\"lo\"");
    LACKS(t, "device=\"wlan0\"");
    LACKS(t, "type=\"loopback\"");
    LACKS(t, "type=\"wifi\"");
    LACKS(t, "netmetrics_wireless_"); /* wlan0 was the one with a signal */
    ck_assert_int_eq(lines_with(t, "netmetrics_interface_up{"), 4);
    HAS(t, "type=\"cellular\"");
    free(t);
    nm_scraper_free(s);

    s = fixture_scraper(LINKINFO, NULL, NULL, TYPE(VIRTUAL) | TYPE(CELLULAR), 0);
    t = scrape(s);
    LACKS(t, "device=\"veth9\"");
    LACKS(t, "device=\"wwan0\"");
    ck_assert_int_eq(lines_with(t, "netmetrics_interface_up{"), 4);
    HAS(t, "netmetrics_wireless_signal_dbm{device=\"wlan0\"} -56\n");
    free(t);
    nm_scraper_free(s);
}
END_TEST

START_TEST(test_scraper_everything_filtered)
{
    nm_scraper *s = fixture_scraper(BASIC, "^nothing-is-called-this$", NULL, 0, 0);
    char *a = scrape(s), *b = scrape(s);

    LACKS(b, "device=");
    /* the collection itself succeeded */
    HAS(b, "netmetrics_scrape_collector_success{collector=\"links\"} 1\n");
    HAS(b, "netmetrics_total_receive_bytes_per_second 0\n");
    free(a);
    free(b);
    nm_scraper_free(s);
}
END_TEST

START_TEST(test_scraper_collectors_off)
{
    nm_scraper *s = fixture_scraper(LINKINFO, NULL, NULL, 0,
                                    BIT(ADDRESSES) | BIT(WIRELESS) | BIT(SPEED) | BIT(LINK));
    char *a = scrape(s), *b = scrape(s);

    HAS(b, "netmetrics_receive_bytes_total{device=\"eth0\"}");
    LACKS(b, "netmetrics_interface_");
    LACKS(b, "netmetrics_wireless_");
    LACKS(b, "per_second");
    LACKS(b, "collector=\"addresses\"");
    LACKS(b, "collector=\"wireless\"");
    HAS(b, "netmetrics_scrape_collector_success{collector=\"links\"} 1\n");
    HAS(b, "netmetrics_build_info{");
    free(a);
    free(b);
    nm_scraper_free(s);

    /* only the counters off: everything else stays */
    s = fixture_scraper(LINKINFO, NULL, NULL, 0, BIT(NETDEV));
    a = scrape(s);
    b = scrape(s);
    LACKS(b, "bytes_total{device=");
    LACKS(b, "packets_total{device=");
    HAS(b, "netmetrics_interface_info{device=\"eth0\"");
    HAS(b, "netmetrics_interface_mtu_bytes{device=\"eth0\"}");
    HAS(b, "netmetrics_interface_speed_bytes{device=\"eth0\"}");
    HAS(b, "netmetrics_wireless_signal_dbm{device=\"wlan0\"} -56\n");
    HAS(b, "netmetrics_receive_bytes_per_second{device=\"eth0\"}");
    HAS(b, "netmetrics_scrape_collector_success{collector=\"addresses\"}");
    free(a);
    free(b);
    nm_scraper_free(s);
}
END_TEST

START_TEST(test_scraper_no_interface_collector)
{
    nm_scraper *s = fixture_scraper(BASIC, NULL, NULL, 0, NM_COLLECTORS_INTERFACES);
    char *t = scrape(s);

    LACKS(t, "device=");
    LACKS(t, "per_second");
    LACKS(t, "netmetrics_scrape_collector_success{collector=\"links\"}");
    LACKS(t, "netmetrics_scrape_collector_duration_seconds{collector=\"links\"}");
    HAS(t, "netmetrics_build_info{");
    HAS(t, "netmetrics_collector_backend_info{backend=\"procfs\"} 1\n");
    free(t);
    nm_scraper_free(s);
}
END_TEST

/* ---------------------------------------------------------------- main -- */

static Suite *devfilter_suite(void)
{
    Suite *s = suite_create("devfilter");
    TCase *tc = tcase_create("patterns");

    tcase_add_test(tc, test_regex_accepted);
    tcase_add_test(tc, test_regex_rejected);
    tcase_add_test(tc, test_regex_fuzzer_findings);
    tcase_add_test(tc, test_regex_too_long);
    tcase_add_test(tc, test_types);
    tcase_add_test(tc, test_types_bad);
    suite_add_tcase(s, tc);

    tc = tcase_create("filter");
    tcase_add_test(tc, test_keeps_node_exporter_rule);
    tcase_add_test(tc, test_keeps_types);
    tcase_add_test(tc, test_filter_new_errors);
    tcase_add_test(tc, test_retain_keeps_order_and_addresses);
    tcase_add_test(tc, test_apply_filter_to_snapshot);
    suite_add_tcase(s, tc);

    tc = tcase_create("options");
    tcase_add_test(tc, test_options_defaults);
    tcase_add_test(tc, test_options_filters);
    tcase_add_test(tc, test_options_filter_errors);
    tcase_add_test(tc, test_options_collectors);
    tcase_add_test(tc, test_options_disable_defaults);
    tcase_add_test(tc, test_options_help_lists_flags);
    suite_add_tcase(s, tc);

    tc = tcase_create("scrape");
    tcase_add_test(tc, test_collector_skips_parts);
    tcase_add_test(tc, test_scraper_exclude);
    tcase_add_test(tc, test_scraper_include_unanchored);
    tcase_add_test(tc, test_scraper_type_exclude);
    tcase_add_test(tc, test_scraper_everything_filtered);
    tcase_add_test(tc, test_scraper_collectors_off);
    tcase_add_test(tc, test_scraper_no_interface_collector);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(devfilter_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

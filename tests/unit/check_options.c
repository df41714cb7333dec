/* SPDX-License-Identifier: MIT */
/* Unit tests of the exporter's command line (options.c) and of the log
 * line encoding (log.c): both are pure, so every flag, every rejected value
 * and every escape is checked here rather than by starting the exporter.
 * Tests run forked, so a crash is a failure, not a lost run. */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "strbuf.h"

/* ------------------------------------------------------------- helpers -- */

static nm_options opts;
static char err[NM_OPTIONS_ERROR_MAX];

static nm_options_result parse_argv(const char **argv)
{
    int argc = 0;

    while (argv[argc])
        argc++;
    nm_options_init(&opts);
    memset(err, 'x', sizeof err); /* parse must always terminate it */
    err[sizeof err - 1] = '\0';
    return nm_options_parse(&opts, argc, (char *const *)argv, err, sizeof err);
}

/* PARSE("--flag", "value") parses argv {"netmetrics_exporter", ...}. */
#define PARSE(...) parse_argv((const char *[]){"netmetrics_exporter", __VA_ARGS__, NULL})
#define PARSE_NONE() parse_argv((const char *[]){"netmetrics_exporter", NULL})

/* An error result whose one-line message contains `needle`. */
static void assert_error(nm_options_result r, const char *needle)
{
    ck_assert_int_eq(r, NM_OPTIONS_ERROR);
    ck_assert_msg(strstr(err, needle) != NULL, "message \"%s\" lacks \"%s\"", err, needle);
    ck_assert_msg(strchr(err, '\n') == NULL, "message \"%s\" spans lines", err);
}

/* ------------------------------------------------------------ defaults -- */

START_TEST(test_defaults)
{
    ck_assert_int_eq(PARSE_NONE(), NM_OPTIONS_RUN);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(opts.listen_address, ":9709");
    ck_assert_str_eq(opts.listen_host, "");
    ck_assert_int_eq(opts.listen_host_is_ipv6, 0);
    ck_assert_uint_eq(opts.listen_port, 9709);
    ck_assert_str_eq(opts.telemetry_path, "/metrics");
    ck_assert_int_eq(opts.backend, NETMETRICS_BACKEND_AUTO);
    ck_assert_int_eq(opts.log_level, NM_LOG_INFO);
    ck_assert_int_eq(opts.log_format, NM_LOG_LOGFMT);
    ck_assert_str_eq(opts.procfs, "/proc");
    ck_assert_str_eq(opts.sysfs, "/sys");
    ck_assert_uint_eq(opts.max_connections, 64);
    ck_assert_uint_eq(opts.max_connections_per_ip, 16);
    ck_assert_uint_eq(opts.connection_timeout, 10);
    ck_assert_int_eq(opts.help, 0);
    ck_assert_int_eq(opts.version, 0);
}
END_TEST

/* ---------------------------------------------------------------- forms -- */

START_TEST(test_equals_form)
{
    ck_assert_int_eq(PARSE("--web.listen-address=127.0.0.1:9100", "--web.telemetry-path=/m",
                           "--collector.backend=procfs", "--log.level=debug",
                           "--log.format=json", "--path.procfs=/tmp/p", "--path.sysfs=/tmp/s",
                           "--web.max-connections=5", "--web.max-connections-per-ip=2",
                           "--web.connection-timeout=3"),
                     NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_address, "127.0.0.1:9100");
    ck_assert_str_eq(opts.listen_host, "127.0.0.1");
    ck_assert_uint_eq(opts.listen_port, 9100);
    ck_assert_str_eq(opts.telemetry_path, "/m");
    ck_assert_int_eq(opts.backend, NETMETRICS_BACKEND_PROCFS);
    ck_assert_int_eq(opts.log_level, NM_LOG_DEBUG);
    ck_assert_int_eq(opts.log_format, NM_LOG_JSON);
    ck_assert_str_eq(opts.procfs, "/tmp/p");
    ck_assert_str_eq(opts.sysfs, "/tmp/s");
    ck_assert_uint_eq(opts.max_connections, 5);
    ck_assert_uint_eq(opts.max_connections_per_ip, 2);
    ck_assert_uint_eq(opts.connection_timeout, 3);
}
END_TEST

START_TEST(test_space_form)
{
    ck_assert_int_eq(PARSE("--web.listen-address", "127.0.0.1:9100", "--web.telemetry-path",
                           "/m", "--collector.backend", "netlink", "--log.level", "warn",
                           "--log.format", "json", "--path.procfs", "/tmp/p", "--path.sysfs",
                           "/tmp/s", "--web.max-connections", "5",
                           "--web.max-connections-per-ip", "0", "--web.connection-timeout",
                           "0"),
                     NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "127.0.0.1");
    ck_assert_uint_eq(opts.listen_port, 9100);
    ck_assert_str_eq(opts.telemetry_path, "/m");
    ck_assert_int_eq(opts.backend, NETMETRICS_BACKEND_NETLINK);
    ck_assert_int_eq(opts.log_level, NM_LOG_WARN);
    ck_assert_int_eq(opts.log_format, NM_LOG_JSON);
    ck_assert_str_eq(opts.procfs, "/tmp/p");
    ck_assert_str_eq(opts.sysfs, "/tmp/s");
    ck_assert_uint_eq(opts.max_connections, 5);
    ck_assert_uint_eq(opts.max_connections_per_ip, 0);
    ck_assert_uint_eq(opts.connection_timeout, 0);
}
END_TEST

START_TEST(test_value_with_equals_and_dash)
{
    /* only the first '=' separates; a space-form value may start with '-' */
    ck_assert_int_eq(PARSE("--path.procfs=/a=b"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.procfs, "/a=b");
    ck_assert_int_eq(PARSE("--path.sysfs", "-weird"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.sysfs, "-weird");
}
END_TEST

START_TEST(test_last_wins)
{
    ck_assert_int_eq(PARSE("--log.level=debug", "--log.level", "error"), NM_OPTIONS_RUN);
    ck_assert_int_eq(opts.log_level, NM_LOG_ERROR);
    ck_assert_int_eq(PARSE("--web.listen-address=[::1]:1", "--web.listen-address=:2"),
                     NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "");
    ck_assert_int_eq(opts.listen_host_is_ipv6, 0);
    ck_assert_uint_eq(opts.listen_port, 2);
}
END_TEST

START_TEST(test_every_enum_value)
{
    static const struct {
        const char *arg;
        int level;
    } levels[] = {{"--log.level=debug", NM_LOG_DEBUG},
                  {"--log.level=info", NM_LOG_INFO},
                  {"--log.level=warn", NM_LOG_WARN},
                  {"--log.level=error", NM_LOG_ERROR}};
    size_t i;

    for (i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        ck_assert_int_eq(PARSE(levels[i].arg), NM_OPTIONS_RUN);
        ck_assert_int_eq(opts.log_level, levels[i].level);
    }
    ck_assert_int_eq(PARSE("--log.format=logfmt"), NM_OPTIONS_RUN);
    ck_assert_int_eq(opts.log_format, NM_LOG_LOGFMT);
    ck_assert_int_eq(PARSE("--collector.backend=auto"), NM_OPTIONS_RUN);
    ck_assert_int_eq(opts.backend, NETMETRICS_BACKEND_AUTO);
}
END_TEST

START_TEST(test_integer_bounds)
{
    ck_assert_int_eq(PARSE("--web.max-connections=1"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.max_connections, 1);
    ck_assert_int_eq(PARSE("--web.max-connections=1048576"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.max_connections, 1048576);
    ck_assert_int_eq(PARSE("--web.connection-timeout=86400"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.connection_timeout, 86400);
    ck_assert_int_eq(PARSE("--web.max-connections-per-ip=007"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.max_connections_per_ip, 7);
}
END_TEST

/* ------------------------------------------------------------- booleans -- */

START_TEST(test_help_and_version)
{
    ck_assert_int_eq(PARSE("--help"), NM_OPTIONS_HELP);
    ck_assert_int_eq(PARSE("-h"), NM_OPTIONS_HELP);
    ck_assert_int_eq(PARSE("--version"), NM_OPTIONS_VERSION);
    ck_assert_int_eq(PARSE("--version", "--help"), NM_OPTIONS_HELP);
    ck_assert_int_eq(PARSE("--version", "--no-version"), NM_OPTIONS_RUN);
    ck_assert_int_eq(PARSE("--help", "--no-help"), NM_OPTIONS_RUN);
    ck_assert_int_eq(PARSE("--version=true"), NM_OPTIONS_VERSION);
    ck_assert_int_eq(PARSE("--version=false"), NM_OPTIONS_RUN);
    /* a boolean never takes the next argument as its value */
    assert_error(PARSE("--version", "true"), "unexpected argument \"true\"");
}
END_TEST

START_TEST(test_bad_booleans)
{
    assert_error(PARSE("--version=yes"), "invalid value \"yes\" for --version");
    assert_error(PARSE("--no-help=true"), "--no-help takes no value");
    /* only booleans have a --no- form */
    assert_error(PARSE("--no-web.listen-address"), "unknown flag --no-web.listen-address");
}
END_TEST

START_TEST(test_error_wins_over_help)
{
    assert_error(PARSE("--help", "--bogus"), "unknown flag --bogus");
    assert_error(PARSE("--version", "--web.listen-address=x"), "--web.listen-address");
}
END_TEST

/* --------------------------------------------------------------- errors -- */

START_TEST(test_unknown_flag)
{
    assert_error(PARSE("--foo"), "unknown flag --foo");
    ck_assert_str_eq(err, "unknown flag --foo");
    assert_error(PARSE("--foo=bar"), "unknown flag --foo");
    ck_assert_str_eq(err, "unknown flag --foo");
    assert_error(PARSE("-x"), "unknown flag -x");
    assert_error(PARSE("--web.listen"), "unknown flag --web.listen");
    assert_error(PARSE("---web.listen-address=:1"), "unknown flag");
    assert_error(PARSE("--LOG.LEVEL=info"), "unknown flag --LOG.LEVEL");
}
END_TEST

START_TEST(test_positional)
{
    assert_error(PARSE("metrics"), "unexpected argument \"metrics\"");
    assert_error(PARSE("-"), "unexpected argument \"-\"");
    assert_error(PARSE("--", "x"), "unexpected argument \"x\"");
    ck_assert_int_eq(PARSE("--log.level=warn", "--"), NM_OPTIONS_RUN);
}
END_TEST

START_TEST(test_missing_value)
{
    assert_error(PARSE("--web.listen-address"), "missing value for --web.listen-address");
    ck_assert_str_eq(err, "missing value for --web.listen-address");
    assert_error(PARSE("--log.level=info", "--path.procfs"), "missing value for --path.procfs");
}
END_TEST

START_TEST(test_bad_port)
{
    assert_error(PARSE("--web.listen-address=:70000"),
                 "invalid value \":70000\" for --web.listen-address: port");
    assert_error(PARSE("--web.listen-address=:x"),
                 "invalid value \":x\" for --web.listen-address: port");
    assert_error(PARSE("--web.listen-address=:-1"), "--web.listen-address: port");
    assert_error(PARSE("--web.listen-address=:"), "--web.listen-address: missing port");
    assert_error(PARSE("--web.listen-address=localhost"), "--web.listen-address: missing port");
    assert_error(PARSE("--web.listen-address="), "--web.listen-address: missing port");
    assert_error(PARSE("--web.listen-address=: 80"), "--web.listen-address: port");
    assert_error(PARSE("--web.listen-address=:65536"), "--web.listen-address: port");
    ck_assert_int_eq(PARSE("--web.listen-address=:65535"), NM_OPTIONS_RUN);
    ck_assert_uint_eq(opts.listen_port, 65535);
}
END_TEST

START_TEST(test_bad_host)
{
    assert_error(PARSE("--web.listen-address=999.1.1.1:80"), "invalid IPv4 address");
    assert_error(PARSE("--web.listen-address=a..b:80"), "empty label");
    assert_error(PARSE("--web.listen-address=host name:80"), "not allowed");
    assert_error(PARSE("--web.listen-address=h/x:80"), "not allowed");
}
END_TEST

START_TEST(test_bad_path)
{
    assert_error(PARSE("--web.telemetry-path=metrics"),
                 "invalid value \"metrics\" for --web.telemetry-path: must start with \"/\"");
    assert_error(PARSE("--web.telemetry-path="), "--web.telemetry-path: must start with");
    assert_error(PARSE("--web.telemetry-path=/m?x=1"), "--web.telemetry-path");
    assert_error(PARSE("--web.telemetry-path=/m\nx"), "--web.telemetry-path: must not contain");
    assert_error(PARSE("--path.procfs="), "--path.procfs: must not be empty");
    assert_error(PARSE("--path.sysfs", ""), "--path.sysfs: must not be empty");
}
END_TEST

START_TEST(test_bad_enums)
{
    assert_error(PARSE("--collector.backend=kstat"),
                 "invalid value \"kstat\" for --collector.backend: must be one of auto, "
                 "netlink, procfs, sysctl, netstat");
    assert_error(PARSE("--log.level=trace"), "invalid value \"trace\" for --log.level");
    assert_error(PARSE("--log.level=INFO"), "--log.level");
    assert_error(PARSE("--log.format=text"), "invalid value \"text\" for --log.format");
}
END_TEST

START_TEST(test_bad_integers)
{
    assert_error(PARSE("--web.max-connections=-1"),
                 "invalid value \"-1\" for --web.max-connections: must be an integer from 1");
    assert_error(PARSE("--web.max-connections=0"), "--web.max-connections");
    assert_error(PARSE("--web.max-connections-per-ip=-5"), "--web.max-connections-per-ip");
    assert_error(PARSE("--web.max-connections=99999999999999999999999"),
                 "--web.max-connections");
    assert_error(PARSE("--web.max-connections=1048577"), "--web.max-connections");
    assert_error(PARSE("--web.max-connections=+5"), "--web.max-connections");
    assert_error(PARSE("--web.max-connections= 5"), "--web.max-connections");
    assert_error(PARSE("--web.max-connections=5 "), "--web.max-connections");
    assert_error(PARSE("--web.max-connections=0x10"), "--web.max-connections");
    assert_error(PARSE("--web.max-connections="), "--web.max-connections");
    assert_error(PARSE("--web.connection-timeout=86401"), "--web.connection-timeout");
    assert_error(PARSE("--web.connection-timeout=1.5"), "--web.connection-timeout");
}
END_TEST

START_TEST(test_message_sanitized)
{
    char longval[300];

    /* a control character in a value must not split the message */
    assert_error(PARSE("--log.level=de\nbug"), "invalid value \"de?bug\" for --log.level");
    memset(longval, 'a', sizeof longval - 1);
    longval[sizeof longval - 1] = '\0';
    assert_error(PARSE("--log.format", longval), "...\" for --log.format");
    ck_assert_uint_lt(strlen(err), 200);
}
END_TEST

START_TEST(test_small_error_buffer)
{
    const char *argv[] = {"netmetrics_exporter", "--nope", NULL};
    char small[8];

    nm_options_init(&opts);
    ck_assert_int_eq(nm_options_parse(&opts, 2, (char *const *)argv, small, sizeof small),
                     NM_OPTIONS_ERROR);
    ck_assert_str_eq(small, "unknown");
    ck_assert_int_eq(nm_options_parse(&opts, 2, (char *const *)argv, NULL, 0), NM_OPTIONS_ERROR);
}
END_TEST

/* --------------------------------------------------------- listen address -- */

START_TEST(test_listen_ipv4_and_names)
{
    ck_assert_int_eq(PARSE("--web.listen-address=:0"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "");
    ck_assert_uint_eq(opts.listen_port, 0);
    ck_assert_int_eq(PARSE("--web.listen-address=localhost:9709"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "localhost");
    ck_assert_int_eq(opts.listen_host_is_ipv6, 0);
    ck_assert_int_eq(PARSE("--web.listen-address=my_host.example.org.:80"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "my_host.example.org.");
    ck_assert_int_eq(PARSE("--web.listen-address=0.0.0.0:1"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "0.0.0.0");
}
END_TEST

START_TEST(test_listen_ipv6)
{
    ck_assert_int_eq(PARSE("--web.listen-address=[::1]:9709"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "::1");
    ck_assert_int_eq(opts.listen_host_is_ipv6, 1);
    ck_assert_uint_eq(opts.listen_port, 9709);
    ck_assert_int_eq(PARSE("--web.listen-address", "[::]:0"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "::");
    ck_assert_int_eq(PARSE("--web.listen-address=[fe80::1%eth0]:80"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "fe80::1%eth0");
    ck_assert_int_eq(PARSE("--web.listen-address=[::ffff:192.0.2.1]:80"), NM_OPTIONS_RUN);
    ck_assert_str_eq(opts.listen_host, "::ffff:192.0.2.1");
}
END_TEST

START_TEST(test_listen_ipv6_errors)
{
    assert_error(PARSE("--web.listen-address=::1:9709"), "too many colons");
    assert_error(PARSE("--web.listen-address=[::1]"), "missing port");
    assert_error(PARSE("--web.listen-address=[::1]:"), "missing port");
    assert_error(PARSE("--web.listen-address=[::1:9709"), "missing ']'");
    assert_error(PARSE("--web.listen-address=[]:80"), "empty IPv6 address");
    assert_error(PARSE("--web.listen-address=[1.2.3.4]:80"), "invalid IPv6 address");
    assert_error(PARSE("--web.listen-address=[localhost]:80"), "invalid IPv6 address");
    assert_error(PARSE("--web.listen-address=[fe80::1%]:80"), "invalid IPv6 zone");
    assert_error(PARSE("--web.listen-address=[[::1]]:80"), "unexpected text after ']'");
    assert_error(PARSE("--web.listen-address=[::1]x:80"), "unexpected text after ']'");
    assert_error(PARSE("--web.listen-address=[::1:80"), "missing ']'");
    assert_error(PARSE("--web.listen-address=x]:80"), "brackets must enclose");
}
END_TEST

START_TEST(test_listen_split_direct)
{
    char host[NM_OPTIONS_HOST_MAX], why[128];
    unsigned port = 1;
    int v6 = -1;

    ck_assert_int_eq(nm_options_parse_listen_address("[::1]:80", host, sizeof host, &v6, &port,
                                                     why, sizeof why),
                     0);
    ck_assert_str_eq(host, "::1");
    ck_assert_int_eq(v6, 1);
    ck_assert_uint_eq(port, 80);
    /* a host that does not fit the caller's buffer is an error, not a cut */
    ck_assert_int_eq(nm_options_parse_listen_address("abcdefgh:80", host, 4, &v6, &port, why,
                                                     sizeof why),
                     -1);
    ck_assert_str_eq(why, "host is too long");
}
END_TEST

/* ----------------------------------------------------------------- help -- */

START_TEST(test_help_lists_every_flag)
{
    static const char *const expect[] = {
        "-h, --help",
        "--version",
        "--web.listen-address=[HOST]:PORT",
        "Default: \":9709\"",
        "--web.telemetry-path=PATH",
        "Default: \"/metrics\"",
        "--collector.backend=BACKEND",
        "Default: \"auto\"",
        "--log.level=LEVEL",
        "Default: \"info\"",
        "--log.format=FORMAT",
        "Default: \"logfmt\"",
        "--path.procfs=PATH",
        "Default: \"/proc\"",
        "--path.sysfs=PATH",
        "Default: \"/sys\"",
        "--web.max-connections=N",
        "Default: \"64\"",
        "--web.max-connections-per-ip=N",
        "Default: \"16\"",
        "--web.connection-timeout=SECONDS",
        "Default: \"10\"",
    };
    nm_strbuf b;
    size_t i;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_options_help(&b), 0);
    ck_assert_msg(strncmp(b.data, "usage: netmetrics_exporter", 26) == 0, "%s", b.data);
    for (i = 0; i < sizeof expect / sizeof expect[0]; i++)
        ck_assert_msg(strstr(b.data, expect[i]) != NULL, "help lacks %s", expect[i]);
    ck_assert_int_eq(b.data[b.len - 1], '\n');
    nm_strbuf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ log -- */

#define TS_MS 1795712400123LL /* 2026-11-26T17:00:00.123Z */

static char line[NM_LOG_LINE_MAX];

static const char *fmt_line(size_t size, nm_log_format f, nm_log_level level, const char *msg,
                            ...)
{
    va_list kv;
    size_t n;

    va_start(kv, msg);
    n = nm_log_format_line(line, size, f, TS_MS, level, msg, kv);
    va_end(kv);
    ck_assert_uint_eq(n, strlen(line));
    ck_assert_int_eq(line[n - 1], '\n');
    return line;
}

START_TEST(test_log_logfmt)
{
    ck_assert_str_eq(fmt_line(sizeof line, NM_LOG_LOGFMT, NM_LOG_INFO, "listening", "address",
                              "127.0.0.1:40123", (char *)NULL),
                     "ts=2026-11-26T17:00:00.123Z level=info msg=\"listening\" "
                     "address=127.0.0.1:40123\n");
    ck_assert_str_eq(fmt_line(sizeof line, NM_LOG_LOGFMT, NM_LOG_WARN, "a \"b\"", "k", "x y",
                              "e", "", "n", (char *)NULL, "eq", "a=b", (char *)NULL),
                     "ts=2026-11-26T17:00:00.123Z level=warn msg=\"a \\\"b\\\"\" k=\"x y\" "
                     "e=\"\" n=\"\" eq=\"a=b\"\n");
    /* a newline in a value cannot forge a second line */
    ck_assert_str_eq(fmt_line(sizeof line, NM_LOG_LOGFMT, NM_LOG_ERROR, "m", "path",
                              "/x\nlevel=error\x01", (char *)NULL),
                     "ts=2026-11-26T17:00:00.123Z level=error msg=\"m\" "
                     "path=\"/x\\nlevel=error\\u0001\"\n");
    /* backslashes alone need no quotes; UTF-8 passes, bad bytes become U+FFFD */
    ck_assert_str_eq(fmt_line(sizeof line, NM_LOG_LOGFMT, NM_LOG_DEBUG, "m", "a", "c:\\d", "u",
                              "\xc3\xa9t\xc3\xa9", "bad", "x\xff", (char *)NULL),
                     "ts=2026-11-26T17:00:00.123Z level=debug msg=\"m\" a=c:\\d "
                     "u=\xc3\xa9t\xc3\xa9 bad=\"x\xef\xbf\xbd\"\n");
}
END_TEST

START_TEST(test_log_json)
{
    ck_assert_str_eq(fmt_line(sizeof line, NM_LOG_JSON, NM_LOG_INFO, "listening", "address",
                              "[::]:9709", (char *)NULL),
                     "{\"ts\":\"2026-11-26T17:00:00.123Z\",\"level\":\"info\","
                     "\"msg\":\"listening\",\"address\":\"[::]:9709\"}\n");
    ck_assert_str_eq(fmt_line(sizeof line, NM_LOG_JSON, NM_LOG_WARN, "q\"\\", "v",
                              "\t\x1f\xc0\xaf\xed\xa0\x80\xf0\x9f\x98\x80", (char *)NULL),
                     "{\"ts\":\"2026-11-26T17:00:00.123Z\",\"level\":\"warn\","
                     "\"msg\":\"q\\\"\\\\\",\"v\":\"\\t\\u001f\\ufffd\\ufffd\\ufffd\\ufffd"
                     "\\ufffd\xf0\x9f\x98\x80\"}\n");
}
END_TEST

START_TEST(test_log_truncation)
{
    char big[600];

    memset(big, '"', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    /* cut values stay quoted and the JSON object stays closed */
    fmt_line(200, NM_LOG_JSON, NM_LOG_INFO, "m", "k", big, "after", "x", (char *)NULL);
    ck_assert_uint_lt(strlen(line), 200);
    ck_assert_msg(strstr(line, "...\"}\n") != NULL, "%s", line);
    ck_assert_msg(strstr(line, "after") == NULL, "%s", line);
    fmt_line(200, NM_LOG_LOGFMT, NM_LOG_INFO, "m", "k", big, (char *)NULL);
    ck_assert_uint_lt(strlen(line), 200);
    ck_assert_msg(strstr(line, "\\\"...\"\n") != NULL, "%s", line);
    /* an escape is never split */
    ck_assert_msg(strstr(line, "\\...") == NULL, "%s", line);
}
END_TEST

START_TEST(test_log_names)
{
    nm_log_level l;
    nm_log_format f;

    ck_assert_int_eq(nm_log_level_parse("warn", &l), 0);
    ck_assert_int_eq(l, NM_LOG_WARN);
    ck_assert_int_eq(nm_log_level_parse("warning", &l), -1);
    ck_assert_str_eq(nm_log_level_name(NM_LOG_ERROR), "error");
    ck_assert_int_eq(nm_log_format_parse("json", &f), 0);
    ck_assert_int_eq(f, NM_LOG_JSON);
    ck_assert_str_eq(nm_log_format_name(NM_LOG_LOGFMT), "logfmt");
}
END_TEST

START_TEST(test_log_level_filter)
{
    nm_logger lg;
    int fds[2];
    char buf[512];
    ssize_t n;

    ck_assert_int_eq(pipe(fds), 0);
    nm_log_init(&lg, NM_LOG_WARN, NM_LOG_LOGFMT, fds[1]);
    ck_assert_int_eq(nm_log_enabled(&lg, NM_LOG_INFO), 0);
    ck_assert_int_ne(nm_log_enabled(&lg, NM_LOG_ERROR), 0);
    ck_assert_int_eq(nm_log_enabled(NULL, NM_LOG_ERROR), 0);
    nm_log(&lg, NM_LOG_INFO, "dropped", (char *)NULL);
    nm_log(&lg, NM_LOG_ERROR, "kept", "k", "v", (char *)NULL);
    nm_log(NULL, NM_LOG_ERROR, "nowhere", (char *)NULL);
    close(fds[1]);
    n = read(fds[0], buf, sizeof buf - 1);
    ck_assert_int_gt(n, 0);
    buf[n] = '\0';
    close(fds[0]);
    ck_assert_ptr_null(strstr(buf, "dropped"));
    ck_assert_ptr_nonnull(strstr(buf, "level=error msg=\"kept\" k=v\n"));
}
END_TEST

/* ---------------------------------------------------------------- runner -- */

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc;

    tc = tcase_create("defaults and forms");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_equals_form);
    tcase_add_test(tc, test_space_form);
    tcase_add_test(tc, test_value_with_equals_and_dash);
    tcase_add_test(tc, test_last_wins);
    tcase_add_test(tc, test_every_enum_value);
    tcase_add_test(tc, test_integer_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("booleans");
    tcase_add_test(tc, test_help_and_version);
    tcase_add_test(tc, test_bad_booleans);
    tcase_add_test(tc, test_error_wins_over_help);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_unknown_flag);
    tcase_add_test(tc, test_positional);
    tcase_add_test(tc, test_missing_value);
    tcase_add_test(tc, test_bad_port);
    tcase_add_test(tc, test_bad_host);
    tcase_add_test(tc, test_bad_path);
    tcase_add_test(tc, test_bad_enums);
    tcase_add_test(tc, test_bad_integers);
    tcase_add_test(tc, test_message_sanitized);
    tcase_add_test(tc, test_small_error_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("listen address");
    tcase_add_test(tc, test_listen_ipv4_and_names);
    tcase_add_test(tc, test_listen_ipv6);
    tcase_add_test(tc, test_listen_ipv6_errors);
    tcase_add_test(tc, test_listen_split_direct);
    suite_add_tcase(s, tc);

    tc = tcase_create("help");
    tcase_add_test(tc, test_help_lists_every_flag);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *log_suite(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("encoding");

    tcase_add_test(tc, test_log_logfmt);
    tcase_add_test(tc, test_log_json);
    tcase_add_test(tc, test_log_truncation);
    tcase_add_test(tc, test_log_names);
    tcase_add_test(tc, test_log_level_filter);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(options_suite());
    int failed;

    srunner_add_suite(sr, log_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

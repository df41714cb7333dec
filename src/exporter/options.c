/* SPDX-License-Identifier: MIT */
/* Command-line parsing for netmetrics_exporter. Every flag is one row of a
 * table (name, placeholder, default, help, setter), so the parser, the error
 * messages and the --help text cannot drift apart. Values are checked here,
 * completely, before anything is opened: a typo in a unit file must fail at
 * start with exit status 2 and a line naming the flag, not later. Nothing in
 * this file prints, exits or reads system state (inet_pton is pure). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors.h"
#include "devfilter.h"
#include "duration.h"
#include "options.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Limits of the integer flags. 2^20 is Linux's default ceiling on open
 * files per process (fs.nr_open), so no connection limit above it can be
 * reached anyway. */
#define MAX_CONNECTIONS_LIMIT 1048576ul
#define MAX_TIMEOUT_SECONDS 86400ul
#define TELEMETRY_PATH_MAX 1024

typedef int (*value_setter)(nm_options *o, const char *value, char *why, size_t whysize);
typedef void (*bool_setter)(nm_options *o, int on);

typedef struct flag_def {
    const char *name;        /* without the leading "--" */
    const char *placeholder; /* value shape shown in --help; NULL for booleans */
    const char *dflt;        /* default shown in --help; NULL for none */
    const char *help;        /* lines separated by '\n' */
    value_setter set_value;  /* value flags */
    bool_setter set_bool;    /* boolean flags */
} flag_def;

/* ----------------------------------------------------------- value checks -- */

static int why_set(char *why, size_t whysize, const char *text)
{
    snprintf(why, whysize, "%s", text);
    return -1;
}

/* Decimal integer in [min, max]: digits only (no sign, no blanks, no
 * "0x"), the whole string, no overflow. */
static int parse_uint(const char *value, unsigned long min, unsigned long max, unsigned *out,
                      char *why, size_t whysize)
{
    unsigned long v;
    char *end;

    if (value[0] < '0' || value[0] > '9')
        goto bad;
    errno = 0;
    v = strtoul(value, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        goto bad;
    *out = (unsigned)v;
    return 0;
bad:
    snprintf(why, whysize, "must be an integer from %lu to %lu", min, max);
    return -1;
}

/* A DNS name or dotted IPv4: letters, digits, '-', '_' in labels of 1..63
 * characters separated by single dots (one trailing dot allowed), 253 at
 * most. All-numeric dotted names must be valid IPv4 literals, or
 * "999.1.1.1" would silently become a name lookup. */
static int check_hostname(const char *host, char *why, size_t whysize)
{
    size_t len = strlen(host), label = 0, i;
    int numeric = 1;
    struct in_addr a4;

    if (len > 253)
        return why_set(why, whysize, "host name is too long");
    for (i = 0; i < len; i++) {
        char c = host[i];

        if (c == '.') {
            if (label == 0)
                return why_set(why, whysize, "empty label in host name");
            label = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return why_set(why, whysize, "host name holds a character that is not allowed");
        if (c < '0' || c > '9')
            numeric = 0;
        if (++label > 63)
            return why_set(why, whysize, "host name label is longer than 63 characters");
    }
    if (numeric && inet_pton(AF_INET, host, &a4) != 1)
        return why_set(why, whysize, "invalid IPv4 address");
    return 0;
}

/* An IPv6 literal, optionally with a zone ("fe80::1%eth0"). */
static int check_ipv6(const char *addr, char *why, size_t whysize)
{
    char tmp[INET6_ADDRSTRLEN + 1];
    struct in6_addr a6;
    const char *zone = strchr(addr, '%');
    size_t n = zone ? (size_t)(zone - addr) : strlen(addr);
    size_t i;

    if (n == 0 || n >= sizeof tmp)
        return why_set(why, whysize, "invalid IPv6 address");
    memcpy(tmp, addr, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET6, tmp, &a6) != 1)
        return why_set(why, whysize, "invalid IPv6 address");
    if (zone) {
        zone++;
        if (*zone == '\0' || strlen(zone) > 15) /* an interface name or number */
            return why_set(why, whysize, "invalid IPv6 zone");
        for (i = 0; zone[i]; i++) {
            if ((unsigned char)zone[i] <= ' ' || zone[i] == '/' || zone[i] == '%')
                return why_set(why, whysize, "invalid IPv6 zone");
        }
    }
    return 0;
}

int nm_options_parse_listen_address(const char *value, char *host, size_t hostsize,
                                    int *is_ipv6, unsigned *port, char *why, size_t whysize)
{
    const char *colon, *h = value;
    size_t hlen;

    *is_ipv6 = 0;
    if (value[0] == '[') {
        /* "[IPv6]:PORT": the colons inside the brackets are the address's */
        const char *close = strchr(value, ']');

        if (!close)
            return why_set(why, whysize, "missing ']' after the IPv6 address");
        if (close[1] != ':' && close[1] != '\0')
            return why_set(why, whysize, "unexpected text after ']' (expected :PORT)");
        h = value + 1;
        hlen = (size_t)(close - h);
        if (hlen == 0)
            return why_set(why, whysize, "empty IPv6 address in brackets");
        *is_ipv6 = 1;
        colon = close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = strrchr(value, ':');
        hlen = colon ? (size_t)(colon - value) : strlen(value);
        if (memchr(value, ':', hlen))
            return why_set(why, whysize,
                           "too many colons in address (an IPv6 address goes in brackets, "
                           "e.g. [::1]:9709)");
        if (memchr(value, '[', hlen) || memchr(value, ']', hlen))
            return why_set(why, whysize, "brackets must enclose the whole host, e.g. [::1]:9709");
    }
    if (hlen >= hostsize)
        return why_set(why, whysize, "host is too long");
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    if (*is_ipv6) {
        if (check_ipv6(host, why, whysize) < 0)
            return -1;
    } else if (hlen > 0 && check_hostname(host, why, whysize) < 0) {
        return -1;
    }
    if (!colon || colon[1] == '\0')
        return why_set(why, whysize, "missing port in address (expected [HOST]:PORT)");
    if (parse_uint(colon + 1, 0, 65535, port, why, whysize) < 0)
        return why_set(why, whysize, "port must be a number from 0 to 65535");
    return 0;
}

/* ---------------------------------------------------------------- setters -- */

static int set_listen_address(nm_options *o, const char *value, char *why, size_t whysize)
{
    char host[NM_OPTIONS_HOST_MAX];
    unsigned port;
    int is_ipv6;

    if (nm_options_parse_listen_address(value, host, sizeof host, &is_ipv6, &port, why,
                                        whysize) < 0)
        return -1;
    o->listen_address = value;
    memcpy(o->listen_host, host, sizeof host);
    o->listen_host_is_ipv6 = is_ipv6;
    o->listen_port = port;
    return 0;
}

static int set_telemetry_path(nm_options *o, const char *value, char *why, size_t whysize)
{
    size_t i;

    if (value[0] != '/')
        return why_set(why, whysize, "must start with \"/\"");
    if (strlen(value) > TELEMETRY_PATH_MAX)
        return why_set(why, whysize, "is too long");
    for (i = 0; value[i]; i++) {
        unsigned char c = (unsigned char)value[i];

        /* MHD hands the handler the path without query or fragment, so a
         * path holding them could never match. */
        if (c == '?' || c == '#')
            return why_set(why, whysize, "must not contain \"?\" or \"#\"");
        if (c < 0x20 || c == 0x7f)
            return why_set(why, whysize, "must not contain control characters");
    }
    o->telemetry_path = value;
    return 0;
}

static int set_backend(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (netmetrics_backend_parse(value, &o->backend) != NETMETRICS_OK)
        return why_set(why, whysize, "must be one of auto, netlink, procfs, sysctl, netstat");
    return 0;
}

static int set_log_level(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (nm_log_level_parse(value, &o->log_level) < 0)
        return why_set(why, whysize, "must be one of debug, info, warn, error");
    return 0;
}

static int set_log_format(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (nm_log_format_parse(value, &o->log_format) < 0)
        return why_set(why, whysize, "must be one of logfmt, json");
    return 0;
}

static int check_root(const char *value, char *why, size_t whysize)
{
    if (value[0] == '\0')
        return why_set(why, whysize, "must not be empty");
    if (strlen(value) >= PATH_MAX)
        return why_set(why, whysize, "is too long");
    return 0;
}

static int set_procfs(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (check_root(value, why, whysize) < 0)
        return -1;
    o->procfs = value;
    return 0;
}

static int set_sysfs(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (check_root(value, why, whysize) < 0)
        return -1;
    o->sysfs = value;
    return 0;
}

static int set_max_connections(nm_options *o, const char *value, char *why, size_t whysize)
{
    return parse_uint(value, 1, MAX_CONNECTIONS_LIMIT, &o->max_connections, why, whysize);
}

static int set_max_connections_per_ip(nm_options *o, const char *value, char *why, size_t whysize)
{
    return parse_uint(value, 0, MAX_CONNECTIONS_LIMIT, &o->max_connections_per_ip, why, whysize);
}

static int set_connection_timeout(nm_options *o, const char *value, char *why, size_t whysize)
{
    return parse_uint(value, 0, MAX_TIMEOUT_SECONDS, &o->connection_timeout, why, whysize);
}

static int set_max_requests(nm_options *o, const char *value, char *why, size_t whysize)
{
    return parse_uint(value, 0, MAX_CONNECTIONS_LIMIT, &o->max_requests, why, whysize);
}

/* Prometheus' scrape timeouts are seconds to minutes; an offset of a
 * minute already leaves only the half-timeout floor. */
#define TIMEOUT_OFFSET_MAX_NS (60ull * 1000000000ull)

static int set_timeout_offset(nm_options *o, const char *value, char *why, size_t whysize)
{
    uint64_t ns;

    if (nm_duration_parse(value, &ns, why, whysize) < 0)
        return -1;
    if (ns > TIMEOUT_OFFSET_MAX_NS)
        return why_set(why, whysize, "must be at most 1m");
    o->timeout_offset_ns = ns;
    return 0;
}

/* Up to an hour: a longer minimum would freeze the speeds for longer than
 * any scrape interval in use. */
#define SPEED_MIN_INTERVAL_MAX_NS (3600ull * 1000000000ull)

static int set_speed_min_interval(nm_options *o, const char *value, char *why, size_t whysize)
{
    uint64_t ns;

    if (nm_duration_parse(value, &ns, why, whysize) < 0)
        return -1;
    if (ns > SPEED_MIN_INTERVAL_MAX_NS)
        return why_set(why, whysize, "must be at most 1h");
    o->speed_min_interval_ns = ns;
    return 0;
}

/* Series per process are bounded by the states (13) times this. */
#define CONN_PROCESS_LIMIT_MAX 10000ul

/* A collector's own flag, remembered as given: disable-defaults only
 * touches the collectors not named explicitly, wherever it appears. */
static void set_collector(nm_options *o, nm_collector_id id, int on)
{
    unsigned bit = NM_COLLECTOR_BIT(id);

    o->collectors_set |= bit;
    if (on)
        o->collectors_on |= bit;
    else
        o->collectors_on &= ~bit;
}

static void set_connections(nm_options *o, int on)
{
    set_collector(o, NM_COLLECTOR_CONNECTIONS, on);
}

static void set_collector_netdev(nm_options *o, int on)
{
    set_collector(o, NM_COLLECTOR_NETDEV, on);
}

static void set_collector_link(nm_options *o, int on)
{
    set_collector(o, NM_COLLECTOR_LINK, on);
}

static void set_collector_addresses(nm_options *o, int on)
{
    set_collector(o, NM_COLLECTOR_ADDRESSES, on);
}

static void set_collector_speed(nm_options *o, int on)
{
    set_collector(o, NM_COLLECTOR_SPEED, on);
}

static void set_collector_wireless(nm_options *o, int on)
{
    set_collector(o, NM_COLLECTOR_WIRELESS, on);
}

static void set_disable_defaults(nm_options *o, int on)
{
    o->disable_defaults = on;
}

/* "" means no filter, as in node_exporter (so a unit file can pass the
 * flag with an empty variable). */
static int set_device_include(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (value[0] && nm_devfilter_check_regex(value, why, whysize) < 0)
        return -1;
    o->device_include = value[0] ? value : NULL;
    return 0;
}

static int set_device_exclude(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (value[0] && nm_devfilter_check_regex(value, why, whysize) < 0)
        return -1;
    o->device_exclude = value[0] ? value : NULL;
    return 0;
}

static int set_type_exclude(nm_options *o, const char *value, char *why, size_t whysize)
{
    return nm_devfilter_parse_types(value, &o->type_exclude, why, whysize);
}

static void set_connections_processes(nm_options *o, int on)
{
    o->connections_processes = on;
}

static int set_connections_processes_limit(nm_options *o, const char *value, char *why,
                                           size_t whysize)
{
    return parse_uint(value, 1, CONN_PROCESS_LIMIT_MAX, &o->connections_processes_limit, why,
                      whysize);
}

static void set_connections_endpoint(nm_options *o, int on)
{
    o->connections_endpoint = on;
}

static void set_wireless_ssid(nm_options *o, int on)
{
    o->wireless_ssid = on;
}

static void set_help(nm_options *o, int on)
{
    o->help = on;
}

static void set_version(nm_options *o, int on)
{
    o->version = on;
}

/* A user name for --runas: what useradd accepts, roughly (no ':', '/',
 * white space or control bytes), 1..255 bytes. Whether it exists is
 * checked at start, where it can be looked up. */
static int set_runas(nm_options *o, const char *value, char *why, size_t whysize)
{
    size_t i, n = strlen(value);

    if (n == 0 || n > 255)
        return why_set(why, whysize, "must be a user name of 1 to 255 bytes");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];

        if (c <= ' ' || c == 0x7f || c == ':' || c == '/')
            return why_set(why, whysize, "must be a user name (no ':', '/', blanks)");
    }
    o->runas = value;
    return 0;
}

/* Read and checked at start (webconfig.c), where a bad file can name its
 * line; here only its shape. "" means none, as in exporter-toolkit. */
static int set_web_config_file(nm_options *o, const char *value, char *why, size_t whysize)
{
    if (strlen(value) >= PATH_MAX)
        return why_set(why, whysize, "is too long");
    o->web_config_file = value[0] ? value : NULL;
    return 0;
}

/* ------------------------------------------------------------------ table -- */

static const flag_def flags[] = {
    {"help", NULL, NULL, "Show this help and exit.", NULL, set_help},
    {"version", NULL, NULL, "Show the version and the platform, and exit.", NULL, set_version},
    {"web.listen-address", "[HOST]:PORT", ":9709",
     "Address to listen on. An empty HOST listens on every address, IPv4\n"
     "and IPv6; HOST may be an IPv4 address, an IPv6 address in brackets\n"
     "([::1]:9709) or a name (its first IPv4 address is used, else its\n"
     "first address). PORT 0 lets the kernel choose; the chosen address\n"
     "is logged.",
     set_listen_address, NULL},
    {"web.telemetry-path", "PATH", "/metrics", "Path under which metrics are served.",
     set_telemetry_path, NULL},
    {"collector.backend", "BACKEND", "auto",
     "How interfaces are read: netlink (rtnetlink), procfs (/proc/net/dev\n"
     "and /sys/class/net), or auto (netlink, falling back to procfs).\n"
     "On macOS: sysctl (NET_RT_IFLIST2 + ifmibdata) or netstat (netstat -ibdn);\n"
     "auto is sysctl, falling back to netstat.",
     set_backend, NULL},
    {"collector.speed.min-interval", "DURATION", "1s",
     "Scrapes closer than this to the last speed computation show its\n"
     "speeds; counters are always fresh (several servers scraping at once).\n"
     "Go-style duration (500ms, 1s, 2.5s) or plain seconds; 0 disables.",
     set_speed_min_interval, NULL},
    {"log.level", "LEVEL", "info", "Lowest level logged: debug, info, warn or error.", set_log_level,
     NULL},
    {"log.format", "FORMAT", "logfmt", "Log line format: logfmt or json.", set_log_format, NULL},
    {"path.procfs", "PATH", "/proc", "procfs mount point.", set_procfs, NULL},
    {"path.sysfs", "PATH", "/sys", "sysfs mount point.", set_sysfs, NULL},
    {"web.max-connections", "N", "64",
     "Most HTTP connections served at once (1 to 1048576).", set_max_connections, NULL},
    {"web.max-connections-per-ip", "N", "16",
     "Most HTTP connections from one client address (0: no limit).",
     set_max_connections_per_ip, NULL},
    {"web.connection-timeout", "SECONDS", "10",
     "Close HTTP connections idle this long (0: never).", set_connection_timeout, NULL},
    {"web.max-requests", "N", "40",
     "Most scrapes served at once; more get 503 at once (0: no limit).", set_max_requests,
     NULL},
    {"web.timeout-offset", "DURATION", "500ms",
     "Subtracted from the X-Prometheus-Scrape-Timeout-Seconds a scraper\n"
     "sends (but never more than half of it) to get the time a scrape may\n"
     "take: one that waited longer for its turn gets 503, and the\n"
     "connections collector is skipped once it is over.",
     set_timeout_offset, NULL},
    {"collector.disable-defaults", NULL, "false",
     "Disable every collector not enabled by its own flag, e.g.\n"
     "--collector.disable-defaults --collector.netdev for counters only.",
     NULL, set_disable_defaults},
    {"collector.netdev", NULL, "true",
     "Export the interface counters: bytes, packets, errors, drops\n"
     "(netmetrics_receive_*_total, netmetrics_transmit_*_total, ...).",
     NULL, set_collector_netdev},
    {"collector.link", NULL, "true",
     "Export link state and details: netmetrics_interface_{up,running,\n"
     "carrier,mtu_bytes,flag,info,speed_bytes,carrier_changes_total,\n"
     "transmit_queue_length,alias_info}.",
     NULL, set_collector_link},
    {"collector.addresses", NULL, "true",
     "Export netmetrics_interface_address_info; when off, the address\n"
     "table is not read at all.",
     NULL, set_collector_addresses},
    {"collector.speed", NULL, "true",
     "Export the speed gauges (netmetrics_*_per_second and the totals);\n"
     "when off, no speed is computed.",
     NULL, set_collector_speed},
    {"collector.wireless", NULL, "true",
     "Export netmetrics_wireless_*; when off, no wireless statistics are\n"
     "read (nl80211, /proc/net/wireless).",
     NULL, set_collector_wireless},
    {"collector.device-include", "REGEX", NULL,
     "Export only the interfaces whose name matches REGEX (POSIX extended,\n"
     "unanchored: a match anywhere counts, ^ and $ anchor; as in\n"
     "node_exporter). Mutually exclusive with --collector.device-exclude.\n"
     "Applies to every interface family; not to the connections.",
     set_device_include, NULL},
    {"collector.device-exclude", "REGEX", NULL,
     "Leave out the interfaces whose name matches REGEX (as above).\n"
     "Mutually exclusive with --collector.device-include.",
     set_device_exclude, NULL},
    {"collector.type-exclude", "TYPES", NULL,
     "Leave out the interfaces of these types, a comma-separated list of\n"
     "ethernet, wifi, loopback, virtual, cellular, other.",
     set_type_exclude, NULL},
    {"collector.connections", NULL, "false",
     "Export netmetrics_connections: TCP and UDP sockets by protocol,\n"
     "family and state (a sock_diag dump, or /proc/net/{tcp,udp}{,6}).\n"
     "Off by default: the dump costs about 1 ms per scrape on an idle host\n"
     "and about 1.5 us more per socket.",
     NULL, set_connections},
    {"collector.connections.processes", NULL, "false",
     "Also export netmetrics_process_connections per owning process. Walks\n"
     "/proc/*/fd on every scrape; other users' processes need root or\n"
     "CAP_SYS_PTRACE.",
     NULL, set_connections_processes},
    {"collector.connections.processes.limit", "N", "20",
     "Export the N processes owning the most sockets (1 to 10000).",
     set_connections_processes_limit, NULL},
    {"web.enable-connections-endpoint", NULL, "false",
     "Serve every connection, with its process, as JSON on /connections.\n"
     "Off by default: it reveals which processes talk to whom.",
     NULL, set_connections_endpoint},
    {"collector.wireless.ssid", NULL, "false",
     "Export netmetrics_wireless_network_info with the SSID and BSSID of\n"
     "each associated wireless interface. Off by default: they reveal\n"
     "where the machine is.",
     NULL, set_wireless_ssid},
    {"runas", "USER", NULL,
     "When started as root: become USER (its uid and primary group, no\n"
     "other group) once the port is bound; refuse to run if that fails.",
     set_runas, NULL},
    {"web.config.file", "PATH", NULL,
     "Web configuration (exporter-toolkit format) that can enable TLS,\n"
     "client certificates, basic authentication and extra response\n"
     "headers. Read once at start; an error in it stops the exporter.",
     set_web_config_file, NULL},
};

#define FLAG_COUNT (sizeof flags / sizeof flags[0])

void nm_options_init(nm_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->listen_address = ":9709";
    opts->listen_host[0] = '\0';
    opts->listen_host_is_ipv6 = 0;
    opts->listen_port = 9709;
    opts->telemetry_path = "/metrics";
    opts->backend = NETMETRICS_BACKEND_AUTO;
    opts->log_level = NM_LOG_INFO;
    opts->log_format = NM_LOG_LOGFMT;
    opts->procfs = "/proc";
    opts->sysfs = "/sys";
    opts->max_connections = 64;
    opts->max_connections_per_ip = 16;
    opts->connection_timeout = 10;
    opts->max_requests = 40;
    opts->timeout_offset_ns = 500000000ull;
    opts->help = 0;
    opts->version = 0;
    opts->speed_min_interval_ns = 1000000000ull;
    opts->connections = 0;
    opts->collectors = NM_COLLECTORS_DEFAULT;
    opts->connections_processes = 0;
    opts->connections_processes_limit = 20;
    opts->connections_endpoint = 0;
}

static const flag_def *find_flag(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < FLAG_COUNT; i++) {
        if (strlen(flags[i].name) == len && memcmp(flags[i].name, name, len) == 0)
            return &flags[i];
    }
    return NULL;
}

/* A value as it may appear inside the quotes of a one-line message:
 * control characters shown as '?', long values cut. */
static void quote_value(const char *value, char *out, size_t size)
{
    size_t i, n = 0;

    for (i = 0; value[i] && n + 4 < size; i++) {
        unsigned char c = (unsigned char)value[i];

        out[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        if (i >= 80 && value[i + 1]) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
    }
    out[n] = '\0';
}

static nm_options_result failf(char *err, size_t errsize, const char *fmt, ...) NM_PRINTF(3, 4);

static nm_options_result failf(char *err, size_t errsize, const char *fmt, ...)
{
    va_list ap;

    if (errsize) {
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return NM_OPTIONS_ERROR;
}

nm_options_result nm_options_parse(nm_options *opts, int argc, char *const argv[], char *err,
                                   size_t errsize)
{
    char why[NM_OPTIONS_ERROR_MAX];
    char shown[128];
    const flag_def *f;
    int i;

    if (errsize)
        err[0] = '\0';
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *name, *eq, *value;
        size_t nlen;
        int negated = 0;

        if (strcmp(arg, "-h") == 0) {
            opts->help = 1;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            /* the exporter takes no positional arguments */
            if (i + 1 < argc) {
                quote_value(argv[i + 1], shown, sizeof shown);
                return failf(err, errsize, "unexpected argument \"%s\"", shown);
            }
            break;
        }
        if (strncmp(arg, "--", 2) != 0) {
            quote_value(arg, shown, sizeof shown);
            if (arg[0] == '-' && arg[1] != '\0')
                return failf(err, errsize, "unknown flag %s", shown);
            return failf(err, errsize, "unexpected argument \"%s\"", shown);
        }

        name = arg + 2;
        eq = strchr(name, '=');
        nlen = eq ? (size_t)(eq - name) : strlen(name);
        f = find_flag(name, nlen);
        if (!f && nlen > 3 && strncmp(name, "no-", 3) == 0) {
            f = find_flag(name + 3, nlen - 3);
            if (f && !f->set_bool)
                f = NULL; /* only booleans have a --no- form */
            negated = f != NULL;
        }
        if (!f) {
            quote_value(arg, shown, sizeof shown);
            if (eq && (size_t)(eq - arg) < sizeof shown)
                shown[eq - arg] = '\0'; /* the flag, not its value */
            return failf(err, errsize, "unknown flag %s", shown);
        }

        if (f->set_bool) {
            int on = !negated;

            if (eq) {
                quote_value(eq + 1, shown, sizeof shown);
                if (negated)
                    return failf(err, errsize, "flag --no-%s takes no value, got \"%s\"",
                                 f->name, shown);
                if (strcmp(eq + 1, "true") == 0)
                    on = 1;
                else if (strcmp(eq + 1, "false") == 0)
                    on = 0;
                else
                    return failf(err, errsize,
                                 "invalid value \"%s\" for --%s: expected true or false", shown,
                                 f->name);
            }
            f->set_bool(opts, on);
            continue;
        }

        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return failf(err, errsize, "missing value for --%s", f->name);
        if (f->set_value(opts, value, why, sizeof why) < 0) {
            quote_value(value, shown, sizeof shown);
            return failf(err, errsize, "invalid value \"%s\" for --%s: %s", shown, f->name, why);
        }
    }
    if (opts->device_include && opts->device_exclude)
        return failf(err, errsize,
                     "--collector.device-include and --collector.device-exclude are mutually "
                     "exclusive");
    /* Every collector but connections is on by default. */
    opts->collectors = opts->disable_defaults ? 0u : NM_COLLECTORS_DEFAULT;
    opts->collectors &= ~opts->collectors_set;
    opts->collectors |= opts->collectors_on & opts->collectors_set;
    opts->connections = (opts->collectors & NM_COLLECTOR_BIT(NM_COLLECTOR_CONNECTIONS)) != 0;
    if (opts->help)
        return NM_OPTIONS_HELP;
    if (opts->version)
        return NM_OPTIONS_VERSION;
    return NM_OPTIONS_RUN;
}

/* ------------------------------------------------------------------- help -- */

int nm_options_help(nm_strbuf *out)
{
    size_t i;

    nm_strbuf_puts(out, "usage: " NM_PROGRAM_NAME " [<flags>]\n\n"
                        "Prometheus exporter for the network interfaces of this host.\n\n"
                        "Flags:\n");
    for (i = 0; i < FLAG_COUNT; i++) {
        const flag_def *f = &flags[i];
        const char *p = f->help;

        if (strcmp(f->name, "help") == 0)
            nm_strbuf_puts(out, "  -h, --help\n");
        else if (f->placeholder)
            nm_strbuf_printf(out, "      --%s=%s\n", f->name, f->placeholder);
        else
            nm_strbuf_printf(out, "      --%s\n", f->name);
        /* each help line indented under its flag */
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);

            nm_strbuf_puts(out, "          ");
            nm_strbuf_append(out, p, n);
            nm_strbuf_putc(out, '\n');
            p += n;
            if (*p == '\n')
                p++;
        }
        if (f->dflt)
            nm_strbuf_printf(out, "          Default: \"%s\".\n", f->dflt);
    }
    nm_strbuf_puts(out, "\nBoolean flags also take the form --no-FLAG. See netmetrics_exporter(8).\n");
    return out->failed ? -1 : 0;
}

/* SPDX-License-Identifier: MIT */
/* netmetrics_exporter: parse the flags, open the collector, serve HTTP,
 * wait for a signal. Everything the process holds is owned by main's
 * locals and torn down in reverse order on SIGINT/SIGTERM, so a clean exit
 * frees everything (which the sanitizer build checks). Signals are blocked
 * in every thread and taken synchronously with sigwait(), so no handler
 * runs in an async-signal context and MHD's threads are never interrupted.
 * Exit status: 0 after a signal or for --help/--version, 1 when the
 * collector or the listening socket cannot be opened, 2 for bad flags. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "collectors.h"
#include "http.h"
#include "log.h"
#include "options.h"
#include "privdrop.h"
#include "scrape.h"
#include "strbuf.h"
#include "tlsserver.h"
#include "webconfig.h"

#define EXIT_USAGE 2

static int print_help(void)
{
    nm_strbuf b;
    int rc = 0;

    nm_strbuf_init(&b);
    if (nm_options_help(&b) < 0 || fwrite(b.data, 1, b.len, stdout) != b.len ||
        fflush(stdout) != 0)
        rc = 1;
    nm_strbuf_free(&b);
    return rc;
}

static int print_version(void)
{
    struct utsname u;

    printf("%s %s\n", NM_PROGRAM_NAME, PACKAGE_VERSION);
    if (uname(&u) == 0)
        printf("  platform:      %s (running on %s %s %s)\n", NM_OS, u.sysname, u.release,
               u.machine);
    else
        printf("  platform:      %s\n", NM_OS);
    printf("  libnetmetrics: %s\n", netmetrics_version());
    printf("  libmicrohttpd: %s\n", nm_http_library_version());
    printf("  GnuTLS:        %s\n", nm_tls_library_version());
    return fflush(stdout) == 0 ? 0 : 1;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "?";
    }
}

/* "netdev,link,..." for the log: the enabled collectors. */
static void collectors_text(unsigned set, char *buf, size_t size)
{
    size_t n = 0;
    int id;

    buf[0] = '\0';
    for (id = 0; id < NM_COLLECTOR_COUNT; id++)
        if ((set & NM_COLLECTOR_BIT(id)) && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
                                  nm_collector_name((nm_collector_id)id));
}

/* "virtual,loopback" for the log: the excluded interface types. */
static void types_text(unsigned mask, char *buf, size_t size)
{
    size_t n = 0;
    int t;

    buf[0] = '\0';
    for (t = NETMETRICS_IFTYPE_ETHERNET; t <= NETMETRICS_IFTYPE_OTHER; t++)
        if ((mask & (1u << t)) && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
                                  netmetrics_interface_type_name((netmetrics_interface_type)t));
}

/* What --web.config.file turned on, in one line. */
static void log_web_config(const nm_logger *log, const char *file, const nm_webconfig *web)
{
    char users[16], headers[16];
    int tls = nm_webconfig_tls(web);

    snprintf(users, sizeof users, "%zu", nm_webconfig_user_count(web));
    snprintf(headers, sizeof headers, "%zu", nm_webconfig_header_count(web));
    nm_log(log, NM_LOG_INFO, "web config", "file", file, "tls", tls ? "true" : "false",
           "client_auth_type", tls ? nm_client_auth_name(nm_webconfig_client_auth(web)) : "",
           "min_version", tls ? nm_tls_version_name(nm_webconfig_min_version(web)) : "",
           "max_version", tls ? nm_tls_version_name(nm_webconfig_max_version(web)) : "",
           "basic_auth_users", users, "headers", headers,
           /* libmicrohttpd speaks HTTP/1.1 only, whatever http2 says */
           "http2", "false", (char *)NULL);
}

int main(int argc, char **argv)
{
    char err[NM_OPTIONS_ERROR_MAX];
    struct sigaction ign;
    netmetrics_error nerr;
    nm_options opts;
    nm_logger log;
    nm_scraper_config scfg;
    nm_scraper *scraper = NULL;
    nm_http_config hcfg;
    nm_http_server *http = NULL;
    nm_webconfig *web = NULL;
    char conns[16], per_ip[16], timeout[16];
    char enabled[128], types[64];
    sigset_t wait_set;
    int sig = 0;

    nm_options_init(&opts);
    switch (nm_options_parse(&opts, argc, argv, err, sizeof err)) {
    case NM_OPTIONS_ERROR:
        fprintf(stderr, "%s: %s\n", NM_PROGRAM_NAME, err);
        return EXIT_USAGE;
    case NM_OPTIONS_HELP:
        return print_help();
    case NM_OPTIONS_VERSION:
        return print_version();
    case NM_OPTIONS_RUN:
        break;
    }

    /* A client hanging up mid-response must not kill the process (MHD uses
     * MSG_NOSIGNAL where it can; this covers the rest). */
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, NULL);

#if defined(__GLIBC__) && defined(M_ARENA_MAX)
    /* One malloc arena for every thread. Each connection has a thread
     * (http.c), and glibc would give each its own arena, every one keeping
     * its freed memory: measured at 1,001 interfaces and 32 concurrent
     * clients, peak RSS 66 MB instead of 19 MB (when bodies were rendered
     * whole). Responses allocate once when they start and not while they
     * render, so the one arena is not contended. */
    mallopt(M_ARENA_MAX, 1);
    /* Large blocks (the snapshots of a thousand interfaces) are mapped on
     * their own and unmapped when freed. A fixed threshold stops glibc
     * from raising it after such a free and then keeping them in the
     * heap, whose top stays resident. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif

    /* Blocked before any thread exists, so MHD's threads inherit the mask
     * and the signals queue for sigwait() below. */
    sigemptyset(&wait_set);
    sigaddset(&wait_set, SIGINT);
    sigaddset(&wait_set, SIGTERM);
    sigaddset(&wait_set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &wait_set, NULL);

    nm_log_init(&log, opts.log_level, opts.log_format, STDERR_FILENO);
    nm_log(&log, NM_LOG_INFO, "starting", "version", PACKAGE_VERSION, "os", NM_OS,
           (char *)NULL);

    memset(&scfg, 0, sizeof scfg);
    netmetrics_collector_options_init(&scfg.collector);
    scfg.collector.backend = opts.backend;
    scfg.collector.proc_root = opts.procfs;
    scfg.collector.sys_root = opts.sysfs;
    scfg.speed_min_interval_ns = opts.speed_min_interval_ns;
    scfg.log = &log;
    scfg.wireless_ssid = opts.wireless_ssid;
    scfg.filter.include = opts.device_include;
    scfg.filter.exclude = opts.device_exclude;
    scfg.filter.type_exclude = opts.type_exclude;
    scfg.collectors_off = NM_COLLECTORS_ALL & ~opts.collectors;
    /* The process_* metrics describe this process: always the real /proc,
     * whatever --path.procfs points the collector at. */
    scfg.self_procfs = "/proc";
    scfg.connections.enabled = opts.connections;
    scfg.connections.processes = opts.connections_processes;
    scfg.connections.processes_limit = opts.connections_processes_limit;
    scfg.connections.collector = scfg.collector;
    nm_error_clear(&nerr);
    if (nm_scraper_new(&scfg, &scraper, &nerr) != NETMETRICS_OK) {
        nm_log(&log, NM_LOG_ERROR, "cannot open the collector", "backend",
               netmetrics_backend_name(opts.backend), "status",
               netmetrics_status_string(nerr.code), "err", nerr.message, (char *)NULL);
        return 1;
    }
    nm_log(&log, NM_LOG_INFO, "collector ready", "backend", nm_scraper_backend(scraper),
           "path.procfs", opts.procfs, "path.sysfs", opts.sysfs, (char *)NULL);
    collectors_text(opts.collectors, enabled, sizeof enabled);
    types_text(opts.type_exclude, types, sizeof types);
    nm_log(&log, NM_LOG_INFO, "collectors", "enabled", enabled, "device_include",
           opts.device_include ? opts.device_include : "", "device_exclude",
           opts.device_exclude ? opts.device_exclude : "", "type_exclude", types, (char *)NULL);

    memset(&hcfg, 0, sizeof hcfg);
    hcfg.host = opts.listen_host;
    hcfg.host_is_ipv6 = opts.listen_host_is_ipv6;
    hcfg.port = opts.listen_port;
    hcfg.telemetry_path = opts.telemetry_path;
    hcfg.max_connections = opts.max_connections;
    hcfg.max_connections_per_ip = opts.max_connections_per_ip;
    hcfg.connection_timeout = opts.connection_timeout;
    hcfg.max_requests = opts.max_requests;
    hcfg.timeout_offset_ns = opts.timeout_offset_ns;
    hcfg.scraper = scraper;
    hcfg.log = &log;
    hcfg.connections_endpoint = opts.connections_endpoint;
    hcfg.connections = scfg.connections;
    /* Read before anything listens (a bad file stops us here, naming its
     * line) and while still root (the key may be readable by root only). */
    if (opts.web_config_file) {
        if (nm_webconfig_load(opts.web_config_file, &web, err, sizeof err) < 0) {
            nm_log(&log, NM_LOG_ERROR, "cannot load the web config", "err", err, (char *)NULL);
            nm_scraper_free(scraper);
            return 1;
        }
        hcfg.web = web;
    }
    if (nm_http_start(&hcfg, &http, &nerr) != NETMETRICS_OK) {
        nm_log(&log, NM_LOG_ERROR, "cannot start the HTTP server", "address",
               opts.listen_address, "err", nerr.message, (char *)NULL);
        nm_webconfig_free(web);
        nm_scraper_free(scraper);
        return 1;
    }
    /* Bound and collecting: root is no longer needed (--runas). */
    if (opts.runas) {
        if (nm_drop_privileges(opts.runas, err, sizeof err) != 0) {
            nm_log(&log, NM_LOG_ERROR, "cannot drop privileges", "user", opts.runas, "err", err,
                   (char *)NULL);
            nm_http_stop(http);
            nm_webconfig_free(web);
            nm_scraper_free(scraper);
            return 1;
        }
        nm_log(&log, NM_LOG_INFO, "dropped privileges", "user", opts.runas, (char *)NULL);
    }
    snprintf(conns, sizeof conns, "%u", opts.max_connections);
    snprintf(per_ip, sizeof per_ip, "%u", opts.max_connections_per_ip);
    snprintf(timeout, sizeof timeout, "%u", opts.connection_timeout);
    nm_log(&log, NM_LOG_INFO, "listening", "address", nm_http_address(http), "telemetry_path",
           opts.telemetry_path, "max_connections", conns, "max_connections_per_ip", per_ip,
           "connection_timeout_seconds", timeout, (char *)NULL);
    if (web)
        log_web_config(&log, opts.web_config_file, web);

    for (;;) {
        if (sigwait(&wait_set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            /* Nothing is reloadable; say so rather than die (the default
             * action) when an init system or logrotate sends it. */
            nm_log(&log, NM_LOG_INFO,
                   "ignoring SIGHUP: nothing is reloaded (a new --web.config.file needs a restart)",
                   (char *)NULL);
            continue;
        }
        break;
    }
    nm_log(&log, NM_LOG_INFO, "shutting down", "signal", signal_name(sig), (char *)NULL);
    nm_http_stop(http);
    nm_webconfig_free(web);
    nm_scraper_free(scraper);
    return 0;
}

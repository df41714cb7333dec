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
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "options.h"
#include "privdrop.h"
#include "scrape.h"
#include "strbuf.h"

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
    char conns[16], per_ip[16], timeout[16];
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

    memset(&hcfg, 0, sizeof hcfg);
    hcfg.host = opts.listen_host;
    hcfg.host_is_ipv6 = opts.listen_host_is_ipv6;
    hcfg.port = opts.listen_port;
    hcfg.telemetry_path = opts.telemetry_path;
    hcfg.max_connections = opts.max_connections;
    hcfg.max_connections_per_ip = opts.max_connections_per_ip;
    hcfg.connection_timeout = opts.connection_timeout;
    hcfg.scraper = scraper;
    hcfg.log = &log;
    hcfg.connections_endpoint = opts.connections_endpoint;
    hcfg.connections = scfg.connections;
    if (nm_http_start(&hcfg, &http, &nerr) != NETMETRICS_OK) {
        nm_log(&log, NM_LOG_ERROR, "cannot start the HTTP server", "address",
               opts.listen_address, "err", nerr.message, (char *)NULL);
        nm_scraper_free(scraper);
        return 1;
    }
    /* Bound and collecting: root is no longer needed (--runas). */
    if (opts.runas) {
        if (nm_drop_privileges(opts.runas, err, sizeof err) != 0) {
            nm_log(&log, NM_LOG_ERROR, "cannot drop privileges", "user", opts.runas, "err", err,
                   (char *)NULL);
            nm_http_stop(http);
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

    for (;;) {
        if (sigwait(&wait_set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            /* Nothing is reloadable; say so rather than die (the default
             * action) when an init system or logrotate sends it. */
            nm_log(&log, NM_LOG_INFO, "ignoring SIGHUP: there is no configuration to reload",
                   (char *)NULL);
            continue;
        }
        break;
    }
    nm_log(&log, NM_LOG_INFO, "shutting down", "signal", signal_name(sig), (char *)NULL);
    nm_http_stop(http);
    nm_scraper_free(scraper);
    return 0;
}

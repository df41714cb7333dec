/* SPDX-License-Identifier: MIT */
/* The exporter's command line, in the node_exporter (kingpin) style:
 * `--flag=value` or `--flag value`, booleans as `--flag` / `--no-flag`.
 * Parsing is pure: argv in, a filled nm_options and a one-line message out.
 * It never prints, exits or touches the system, so every flag and every
 * error is unit-tested; main decides what to print and which status to
 * exit with. */
#ifndef NM_OPTIONS_H
#define NM_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "netmetrics.h"
#include "strbuf.h"

#define NM_PROGRAM_NAME "netmetrics_exporter"

/* Host part of --web.listen-address: a name (253) or an IPv6 literal with
 * a zone, whichever is longer, plus NUL. */
#define NM_OPTIONS_HOST_MAX 256

/* Space for the one-line error message. */
#define NM_OPTIONS_ERROR_MAX 512

typedef struct nm_options {
    /* --web.listen-address, as given, and split: host without brackets,
     * "" meaning every address (dual stack). */
    const char *listen_address;
    char listen_host[NM_OPTIONS_HOST_MAX];
    int listen_host_is_ipv6; /* given as [IPv6] */
    unsigned listen_port;    /* 0..65535; 0 lets the kernel choose */
    const char *telemetry_path;
    netmetrics_backend backend;
    nm_log_level log_level;
    nm_log_format log_format;
    const char *procfs;
    const char *sysfs;
    unsigned max_connections;
    unsigned max_connections_per_ip; /* 0: no per-address limit */
    unsigned connection_timeout;     /* seconds; 0: none */
    unsigned max_requests;           /* --web.max-requests; 0: no limit */
    uint64_t timeout_offset_ns;      /* --web.timeout-offset */
    int help;
    int version;
    /* --collector.speed.min-interval, in ns (default 1 s). */
    uint64_t speed_min_interval_ns;
    /* Connections: --collector.connections (default on),
     * --collector.connections.processes (off) and its .limit (20),
     * --web.enable-connections-endpoint (off). */
    int connections;
    int connections_processes;
    unsigned connections_processes_limit;
    int connections_endpoint;
    /* --collector.wireless.ssid (off): the SSID and BSSID info series. */
    int wireless_ssid;
    /* Collectors (collectors.h): the NM_COLLECTOR_BIT set enabled, resolved
     * when parsing ends from --collector.NAME / --no-collector.NAME and
     * --collector.disable-defaults (a collector's own flag wins, in any
     * order); `connections` above mirrors its bit. collectors_set and
     * collectors_on record the explicit flags while parsing. */
    unsigned collectors;
    unsigned collectors_set;
    unsigned collectors_on;
    int disable_defaults;
    /* --collector.device-include / --collector.device-exclude (NULL: none;
     * mutually exclusive) and --collector.type-exclude (bits
     * 1u << netmetrics_interface_type; 0: none), see devfilter.h. */
    const char *device_include;
    const char *device_exclude;
    unsigned type_exclude;
    /* --runas USER: become USER after binding when started as root; NULL
     * (the default) stays as started. */
    const char *runas;
    /* --web.config.file PATH: TLS, basic auth and headers (webconfig.h);
     * NULL (the default, or "") serves plain HTTP to everyone. */
    const char *web_config_file;
} nm_options;

typedef enum nm_options_result {
    NM_OPTIONS_RUN = 0, /* flags are valid: start the exporter */
    NM_OPTIONS_HELP,    /* --help / -h given: print nm_options_help, exit 0 */
    NM_OPTIONS_VERSION, /* --version given: print the version, exit 0 */
    NM_OPTIONS_ERROR    /* err holds the message: print it, exit 2 */
} nm_options_result;

/* Defaults: ":9709", "/metrics", auto, info, logfmt, "/proc", "/sys", 64,
 * 16, 10 s. */
void nm_options_init(nm_options *opts);

/* Parses argv[1..argc-1] over the defaults. String members point into argv
 * (or at static defaults), so argv must outlive opts. A flag given twice
 * keeps the last value. On NM_OPTIONS_ERROR, err (errsize bytes, at least 1)
 * holds one line without the program name or a newline, naming the flag:
 * `unknown flag --foo`, `invalid value "x" for --web.listen-address: ...`.
 * An error wins over --help, and --help over --version. */
nm_options_result nm_options_parse(nm_options *opts, int argc, char *const argv[], char *err,
                                   size_t errsize);

/* Splits an address "[HOST]:PORT" (the --web.listen-address syntax) into
 * host (hostsize bytes), whether it was a bracketed IPv6 literal, and port.
 * Returns 0, or -1 with a reason in why (whysize bytes). */
int nm_options_parse_listen_address(const char *value, char *host, size_t hostsize,
                                    int *is_ipv6, unsigned *port, char *why, size_t whysize);

/* Appends the --help text (usage and every flag with its default) to out.
 * Returns 0, or -1 when out of memory. */
int nm_options_help(nm_strbuf *out);

#endif

/* SPDX-License-Identifier: MIT */
/* getopt_long with its own error printing switched off (opterr = 0), so
 * every mistake becomes exactly one line from us. Values are checked in
 * full here (an interval of "1x" or a count of "-3" fail now, with status
 * 2), and nothing here touches the system. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "duration.h"

#define NS_PER_MS 1000000ull
/* Shorter intervals measure mostly the collection itself; longer ones are
 * better served by the exporter and a time-series database. */
#define INTERVAL_MIN_NS (10 * NS_PER_MS)
#define INTERVAL_MAX_NS (3600ull * 1000 * NS_PER_MS)
#define COUNT_MAX 100000000ul

const char nm_cli_usage[] =
    "usage: netmetrics [OPTION]...\n"
    "\n"
    "Show every network interface with its traffic, speeds, addresses and\n"
    "properties, sampled twice INTERVAL apart.\n"
    "\n"
    "  -t, --interval=DURATION  time between the two samples, and between\n"
    "                           refreshes with --watch (default 1s; 500ms,\n"
    "                           2.5s or plain seconds)\n"
    "  -w, --watch              refresh in place every interval until\n"
    "                           interrupted (Ctrl-C)\n"
    "  -n, --count=N            with --watch: stop after N reports\n"
    "  -j, --json               machine-readable output: one JSON document;\n"
    "                           with --watch, one JSON object per line\n"
    "  -i, --interface=NAME     only this interface (repeatable)\n"
    "  -b, --backend=BACKEND    auto, netlink or procfs (default auto)\n"
    "      --path.procfs=DIR    procfs mount point (default /proc)\n"
    "      --path.sysfs=DIR     sysfs mount point (default /sys)\n"
    "  -h, --help               show this help and exit\n"
    "  -V, --version            show the version and exit\n"
    "\n"
    "Sizes and speeds use steps of 1024 (1 KB = 1024 bytes). Bytes of an\n"
    "interface name that are not UTF-8 are shown as \\xNN. See netmetrics(1).\n";

/* long-only options: codes outside the range of short option letters */
enum { OPT_PROCFS = 256, OPT_SYSFS };

static const struct option long_opts[] = {
    {"interval", required_argument, NULL, 't'},
    {"watch", no_argument, NULL, 'w'},
    {"count", required_argument, NULL, 'n'},
    {"json", no_argument, NULL, 'j'},
    {"interface", required_argument, NULL, 'i'},
    {"backend", required_argument, NULL, 'b'},
    {"path.procfs", required_argument, NULL, OPT_PROCFS},
    {"path.sysfs", required_argument, NULL, OPT_SYSFS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static nm_cli_result fail(char *err, size_t errsize, const char *what, const char *value,
                          const char *why)
{
    char shown[64];
    size_t i;

    /* the value, cut and with control characters hidden, fits one line */
    for (i = 0; value && value[i] && i + 1 < sizeof shown; i++)
        shown[i] = ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) ? '?' : value[i];
    shown[i] = '\0';
    if (value)
        snprintf(err, errsize, "invalid value \"%s\" for %s: %s", shown, what, why);
    else
        snprintf(err, errsize, "%s", what);
    for (i = 0; i < errsize && err[i]; i++) {
        if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
            err[i] = '?';
    }
    return NM_CLI_ERROR;
}

static int parse_count(const char *s, unsigned long *out)
{
    unsigned long v;
    char *end;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < 1 || v > COUNT_MAX)
        return -1;
    *out = v;
    return 0;
}

nm_cli_result nm_cli_options_parse(nm_cli_options *opts, int argc, char *argv[], char *err,
                                   size_t errsize)
{
    char why[128];
    int c, have_count = 0;

    memset(opts, 0, sizeof *opts);
    opts->interval_ns = 1000 * NS_PER_MS;
    opts->backend = NETMETRICS_BACKEND_AUTO;
    if (errsize)
        err[0] = '\0';
    if (argc < 1)
        return NM_CLI_RUN;
    opts->ifaces = calloc((size_t)argc, sizeof *opts->ifaces);
    if (!opts->ifaces)
        return NM_CLI_NO_MEMORY;

    opterr = 0;
    optind = 0; /* 0, not 1: makes glibc re-initialise for a new argv */
    while ((c = getopt_long(argc, argv, ":t:wn:ji:b:hV", long_opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (nm_duration_parse(optarg, &opts->interval_ns, why, sizeof why) < 0)
                return fail(err, errsize, "--interval", optarg, why);
            if (opts->interval_ns < INTERVAL_MIN_NS || opts->interval_ns > INTERVAL_MAX_NS)
                return fail(err, errsize, "--interval", optarg, "must be from 10ms to 1h");
            break;
        case 'w':
            opts->watch = 1;
            break;
        case 'n':
            if (parse_count(optarg, &opts->count) < 0)
                return fail(err, errsize, "--count", optarg,
                            "must be an integer from 1 to 100000000");
            have_count = 1;
            break;
        case 'j':
            opts->json = 1;
            break;
        case 'i':
            if (optarg[0] == '\0' || strlen(optarg) >= NETMETRICS_IFNAME_SIZE)
                return fail(err, errsize, "--interface", optarg,
                            "not an interface name (1 to 15 bytes)");
            opts->ifaces[opts->iface_count++] = optarg;
            break;
        case 'b':
            if (netmetrics_backend_parse(optarg, &opts->backend) != NETMETRICS_OK)
                return fail(err, errsize, "--backend", optarg,
                            "must be one of auto, netlink, procfs");
            break;
        case OPT_PROCFS:
        case OPT_SYSFS:
            if (optarg[0] == '\0')
                return fail(err, errsize, c == OPT_PROCFS ? "--path.procfs" : "--path.sysfs",
                            optarg, "must be a directory");
            if (c == OPT_PROCFS)
                opts->proc_root = optarg;
            else
                opts->sys_root = optarg;
            break;
        case 'h':
            opts->help = 1;
            break;
        case 'V':
            opts->version = 1;
            break;
        case ':': {
            char what[96];

            const char *arg = argv[optind - 1];

            if (strncmp(arg, "--", 2) == 0)
                snprintf(what, sizeof what, "option %.60s needs a value", arg);
            else
                snprintf(what, sizeof what, "option -%c needs a value", optopt);
            return fail(err, errsize, what, NULL, NULL);
        }
        default: {
            char what[96];
            const char *arg = argv[optind - 1];

            if (strncmp(arg, "--", 2) == 0 && optopt && strchr(arg, '='))
                snprintf(what, sizeof what, "option %.*s takes no value",
                         (int)strcspn(arg, "="), arg);
            else if (optopt)
                snprintf(what, sizeof what, "unknown option -%c", optopt);
            else
                snprintf(what, sizeof what, "unknown option %.*s", (int)strcspn(arg, "="),
                         arg);
            return fail(err, errsize, what, NULL, NULL);
        }
        }
    }
    if (optind < argc)
        return fail(err, errsize, "unexpected argument", argv[optind], "takes no operands");
    if (opts->help)
        return NM_CLI_HELP;
    if (opts->version)
        return NM_CLI_VERSION;
    if (have_count && !opts->watch)
        return fail(err, errsize, "--count only applies with --watch", NULL, NULL);
    return NM_CLI_RUN;
}

void nm_cli_options_free(nm_cli_options *opts)
{
    free(opts->ifaces);
    opts->ifaces = NULL;
    opts->iface_count = 0;
}

int nm_cli_options_wants(const nm_cli_options *opts, const char *name)
{
    size_t i;

    if (opts->iface_count == 0)
        return 1;
    for (i = 0; i < opts->iface_count; i++) {
        if (strcmp(opts->ifaces[i], name) == 0)
            return 1;
    }
    return 0;
}

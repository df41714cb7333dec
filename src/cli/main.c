/* SPDX-License-Identifier: MIT */
/* `netmetrics`: takes two samples through the public manager API an
 * interval apart and prints the report (report.c) or its JSON (json.c);
 * with --watch keeps sampling and redraws until interrupted (watch.c).
 * Exit status: 0 done (also after Ctrl-C in --watch), 1 the interfaces
 * cannot be read or a requested interface does not exist, 2 bad usage,
 * 128 + signal when interrupted before the first report. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_options.h"
#include "connections_cmd.h"
#include "escape.h"
#include "json.h"
#include "netmetrics.h"
#include "report.h"
#include "snapshot.h"
#include "strbuf.h"
#include "watch.h"

#define EXIT_USAGE 2

static int fail_status(const char *what, const netmetrics_error *err)
{
    fprintf(stderr, "%s: %s: %s\n", NM_CLI_PROGRAM, what, err->message);
    return EXIT_FAILURE;
}

/* Every --interface name must exist at the start; later an interface may
 * come and go, and the report simply shows what is there. */
static int check_filters(netmetrics_manager *m, const nm_cli_options *opts)
{
    netmetrics_view *v = netmetrics_manager_view(m);
    size_t i;
    int rc = 0;

    for (i = 0; i < opts->iface_count; i++) {
        if (!netmetrics_view_get_interface(v, opts->ifaces[i])) {
            nm_strbuf b;

            nm_strbuf_init(&b);
            nm_cli_text_string(&b, opts->ifaces[i], strlen(opts->ifaces[i]));
            fprintf(stderr, "%s: no interface named \"%s\"\n", NM_CLI_PROGRAM,
                    b.data ? b.data : "");
            nm_strbuf_free(&b);
            rc = -1;
            break;
        }
    }
    netmetrics_view_release(v);
    return rc;
}

/* Renders the manager's current view into out (reset first). */
static int render(nm_strbuf *out, netmetrics_manager *m, const nm_cli_options *opts)
{
    netmetrics_view *v = netmetrics_manager_view(m);
    int rc;

    nm_strbuf_reset(out);
    if (!v)
        return -1;
    rc = opts->json ? nm_cli_json(out, v, opts) : nm_cli_report(out, v, opts);
    netmetrics_view_release(v);
    return rc;
}

static int run(netmetrics_manager *m, const nm_cli_options *opts)
{
    netmetrics_error err;
    nm_strbuf out;
    uint64_t deadline;
    unsigned long shown = 0;
    int screen = 0, status = EXIT_SUCCESS;

    nm_error_clear(&err);
    if (netmetrics_manager_update(m, &err) != NETMETRICS_OK)
        return fail_status("cannot read the interfaces", &err);
    if (check_filters(m, opts) < 0)
        return EXIT_FAILURE;
    nm_strbuf_init(&out);
    if (opts->watch && !opts->json)
        screen = nm_cli_screen_begin(STDOUT_FILENO);
    deadline = nm_monotonic_ns() + opts->interval_ns;
    for (;;) {
        uint64_t now;

        if (nm_cli_sleep_until(deadline) < 0) {
            /* interrupted: the end of a --watch, or an aborted report */
            if (shown == 0)
                status = 128 + nm_cli_stop_requested();
            break;
        }
        if (netmetrics_manager_update(m, &err) != NETMETRICS_OK) {
            nm_cli_screen_end();
            status = fail_status("cannot read the interfaces", &err);
            break;
        }
        if (render(&out, m, opts) < 0) {
            nm_cli_screen_end();
            fprintf(stderr, "%s: out of memory\n", NM_CLI_PROGRAM);
            status = EXIT_FAILURE;
            break;
        }
        /* frames of a --watch to a pipe are separated by a blank line */
        if (shown > 0 && !screen && !opts->json)
            nm_cli_write_all(STDOUT_FILENO, "\n", 1);
        if (nm_cli_screen_frame(STDOUT_FILENO, out.data, out.len) < 0) {
            status = EXIT_FAILURE; /* stdout closed: nobody to tell */
            break;
        }
        shown++;
        if (!opts->watch || (opts->count && shown >= opts->count))
            break;
        /* keep the cadence; after a stall, skip rather than burst */
        deadline += opts->interval_ns;
        now = nm_monotonic_ns();
        if (deadline <= now)
            deadline = now + opts->interval_ns;
    }
    nm_cli_screen_end();
    nm_strbuf_free(&out);
    return status;
}

int main(int argc, char **argv)
{
    char err[NM_CLI_ERROR_MAX];
    netmetrics_collector_options co;
    netmetrics_manager *m = NULL;
    netmetrics_error nerr;
    nm_cli_options opts;
    int status;

    /* Subcommands come first: `netmetrics connections [options]`. */
    if (argc > 1 && strcmp(argv[1], "connections") == 0)
        return nm_cli_connections_main(argc - 1, argv + 1);

    switch (nm_cli_options_parse(&opts, argc, argv, err, sizeof err)) {
    case NM_CLI_ERROR:
        fprintf(stderr, "%s: %s (try --help)\n", NM_CLI_PROGRAM, err);
        nm_cli_options_free(&opts);
        return EXIT_USAGE;
    case NM_CLI_NO_MEMORY:
        fprintf(stderr, "%s: out of memory\n", NM_CLI_PROGRAM);
        nm_cli_options_free(&opts);
        return EXIT_FAILURE;
    case NM_CLI_HELP:
        fputs(nm_cli_usage, stdout);
        nm_cli_options_free(&opts);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    case NM_CLI_VERSION:
        printf("%s %s (libnetmetrics %s, %s)\n", NM_CLI_PROGRAM, PACKAGE_VERSION,
               netmetrics_version(), NM_OS);
        nm_cli_options_free(&opts);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    case NM_CLI_RUN:
        break;
    }
    if (nm_cli_signals_install() < 0) {
        fprintf(stderr, "%s: cannot install signal handlers\n", NM_CLI_PROGRAM);
        nm_cli_options_free(&opts);
        return EXIT_FAILURE;
    }
    netmetrics_collector_options_init(&co);
    co.backend = opts.backend;
    co.proc_root = opts.proc_root;
    co.sys_root = opts.sys_root;
    nm_error_clear(&nerr);
    if (netmetrics_manager_new(&co, &m, &nerr) != NETMETRICS_OK) {
        status = fail_status("cannot open the interface table", &nerr);
    } else {
        status = run(m, &opts);
        netmetrics_manager_free(m);
    }
    nm_cli_options_free(&opts);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* The `netmetrics` command line: GNU-style options parsed with getopt_long.
 * Parsing prints nothing and exits nothing: argv in, a filled
 * nm_cli_options and a one-line message out, so main decides the output
 * and the exit status (2 for bad input) and tests can drive it. */
#ifndef NM_CLI_OPTIONS_H
#define NM_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

#define NM_CLI_PROGRAM "netmetrics"
#define NM_CLI_ERROR_MAX 256

typedef struct nm_cli_options {
    uint64_t interval_ns;   /* --interval, default 1 s */
    int watch;              /* --watch */
    int json;               /* --json */
    unsigned long count;    /* --count: reports in --watch mode, 0 = until interrupted */
    netmetrics_backend backend;
    const char *proc_root;  /* --path.procfs, NULL = /proc (points into argv) */
    const char *sys_root;   /* --path.sysfs, NULL = /sys */
    const char **ifaces;    /* --interface names, pointing into argv */
    size_t iface_count;
    int help, version;
} nm_cli_options;

typedef enum nm_cli_result {
    NM_CLI_RUN = 0,
    NM_CLI_HELP,
    NM_CLI_VERSION,
    NM_CLI_ERROR, /* err holds one line: print it, exit 2 */
    NM_CLI_NO_MEMORY
} nm_cli_result;

/* Parses argv over the defaults. argv must outlive opts (names point into
 * it). Call nm_cli_options_free afterwards whatever the result. Safe to call
 * more than once in a process (getopt's state is reset). */
nm_cli_result nm_cli_options_parse(nm_cli_options *opts, int argc, char *argv[], char *err,
                                   size_t errsize);
void nm_cli_options_free(nm_cli_options *opts);

/* 1 when no filter was given or name is one of the --interface names. */
int nm_cli_options_wants(const nm_cli_options *opts, const char *name);

/* The --help text. */
extern const char nm_cli_usage[];

#endif

/* SPDX-License-Identifier: MIT */
/* The text report, laid out as the seed's print_network_stats: per
 * interface its name and type, status, MAC, traffic with speeds, packets,
 * errors and collisions when non-zero, IP addresses and properties, then
 * the total network usage. Written into a buffer so the same text serves
 * the one-shot report, each --watch frame and the tests. */
#ifndef NM_CLI_REPORT_H
#define NM_CLI_REPORT_H

#include "cli_options.h"
#include "netmetrics.h"
#include "strbuf.h"

/* Appends the report of view v, restricted to the interfaces opts wants
 * (the totals always cover the whole machine). Returns 0 or -1 (out of
 * memory). */
int nm_cli_report(nm_strbuf *out, const netmetrics_view *v, const nm_cli_options *opts);

#endif

/* SPDX-License-Identifier: MIT */
/* `netmetrics --json`: the report's data as one JSON object on one line,
 * so a one-shot run is one JSON document and --watch is JSON Lines. Field
 * names follow the library's accessors (bytes_received, download_speed,
 * ...); a speed the library cannot give is null, never 0. */
#ifndef NM_CLI_JSON_H
#define NM_CLI_JSON_H

#include "cli_options.h"
#include "netmetrics.h"
#include "strbuf.h"

/* Appends the object for view v (interfaces opts wants; totals of the whole
 * machine) and a newline. Returns 0 or -1 (out of memory). */
int nm_cli_json(nm_strbuf *out, const netmetrics_view *v, const nm_cli_options *opts);

/* v with three decimals (rates need no more), or null when v is not
 * finite (JSON has no NaN or infinity). */
void nm_cli_json_number(nm_strbuf *out, double v);

#endif

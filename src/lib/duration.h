/* SPDX-License-Identifier: MIT */
/* Durations on the command line, spelled as Go's time.ParseDuration (and so
 * as Prometheus and node_exporter users write them: "500ms", "1s", "2.5s",
 * "1m30s") or as plain seconds ("2", "0.25"). Shared by the exporter's
 * --collector.speed.min-interval and the CLI's --interval. Pure: text in,
 * nanoseconds or a reason out. */
#ifndef NM_DURATION_H
#define NM_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Parses `text` into *ns. Accepted: one or more <number><unit> parts with
 * units ns, us (or µs), ms, s, m, h, the number decimal with an optional
 * fraction; or one plain number, taken as seconds. No sign, no blanks.
 * Returns 0, or -1 with a reason in why (whysize bytes) for malformed text
 * or a value beyond 2^64 ns. */
int nm_duration_parse(const char *text, uint64_t *ns, char *why, size_t whysize);

/* Shortest Go-style spelling of ns ("1s", "500ms", "2.5s", "1m30s") into
 * buf; returns buf. 32 bytes always do. */
char *nm_duration_format(uint64_t ns, char *buf, size_t size);

#endif

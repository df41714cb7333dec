/* SPDX-License-Identifier: MIT */
/* The scrape timeout Prometheus announces in X-Prometheus-Scrape-Timeout-
 * Seconds, and the time budget the exporter derives from it. Pure: bytes
 * in, nanoseconds out, so the header parser is unit-tested and fuzzed. */
#ifndef NM_SCRAPE_TIMEOUT_H
#define NM_SCRAPE_TIMEOUT_H

#include <stddef.h>
#include <stdint.h>

#define NM_SCRAPE_TIMEOUT_HEADER "X-Prometheus-Scrape-Timeout-Seconds"

/* Longest timeout taken at its word: 10^9 s (about 31 years). Larger
 * values are clamped to it; no scrape lasts that long either way. */
#define NM_SCRAPE_TIMEOUT_MAX_NS (1000000000ull * 1000000000ull)

/* Parses the header value s[0..len) (not NUL-terminated) into *ns.
 * Accepted: optional blanks (space, tab), one or more digits, optionally a
 * '.' and one or more digits, optional blanks; what Prometheus writes
 * ("10", "0.5", "9.75"). Digits past the ninth decimal are dropped. No
 * sign, no exponent, no unit. Returns 0 with *ns > 0, or -1 (ns untouched)
 * for anything else, a value of zero included: the caller then applies no
 * deadline, as if the header were absent. */
int nm_scrape_timeout_parse(const char *s, size_t len, uint64_t *ns);

/* How long a scrape may take when the client gives up after timeout_ns:
 * the timeout minus offset_ns (--web.timeout-offset, room for the answer
 * to travel), but never less than half the timeout, so an offset as large
 * as a short timeout does not leave nothing. */
uint64_t nm_scrape_budget_ns(uint64_t timeout_ns, uint64_t offset_ns);

/* The CLOCK_REALTIME instant (what pthread timed waits take) at which the
 * nm_monotonic_ns() clock will read deadline_ns; a deadline already past
 * gives the present. */
struct timespec;
void nm_deadline_realtime(uint64_t deadline_ns, struct timespec *at);

#endif

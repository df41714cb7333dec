/* SPDX-License-Identifier: MIT */
/* Pure parser of /proc/net/wireless (the wireless-extensions statistics
 * that cfg80211 still provides for compatibility): text and length in, one
 * callback per interface row. Two header lines come first; a row reads
 *   " wlan0: 0000   54.  -56.  -256        0      0      0      0      0        0"
 * name, status (hex), link quality, signal level, noise level (each may
 * end in '.', the "updated" mark), then discard and missed counters. */
#ifndef NM_PROCNETWIRELESS_PARSE_H
#define NM_PROCNETWIRELESS_PARSE_H

#include <stddef.h>

#include "netmetrics.h"
#include "snapshot.h"

/* cfg80211 reports link quality out of 70 (its max_qual). */
#define NM_WEXT_QUALITY_MAX 70

typedef struct nm_wext_row {
    char name[NM_IFNAME_SIZE];
    netmetrics_wireless w; /* QUALITY, SIGNAL, NOISE bits as known */
} nm_wext_row;

typedef netmetrics_status (*nm_wext_row_fn)(const nm_wext_row *row, void *arg);

typedef struct nm_wext_summary {
    unsigned rows;     /* rows handed to the callback */
    unsigned rejected; /* malformed rows skipped */
} nm_wext_summary;

/* Calls fn for every well-formed row; malformed rows are skipped and
 * counted. Values: quality q becomes q/70 capped at 1; a level or noise in
 * -255..-1 is dBm, anything else (the -256 of "unknown", or relative
 * units > 0) is left out. Returns NETMETRICS_OK, or what fn returned when
 * it stopped the walk. */
netmetrics_status nm_procnetwireless_parse(const char *text, size_t len, nm_wext_row_fn fn,
                                           void *arg, nm_wext_summary *sum);

#endif

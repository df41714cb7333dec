/* SPDX-License-Identifier: MIT */
/* The renderer: turns a snapshot (the model) into exposition text. It does
 * no I/O and takes no locks; the HTTP layer decides when to collect and
 * which format to ask for. */
#ifndef NM_RENDER_H
#define NM_RENDER_H

#include "netmetrics.h"
#include "strbuf.h"
/* nm_format (NM_FORMAT_TEXT, NM_FORMAT_OPENMETRICS) lives with the writer
 * that spells the formats; it is still reachable through this header. */
#include "expfmt.h"

/* What the exporter knows about this scrape beyond the snapshot. */
typedef struct nm_scrape_info {
    /* Result of netmetrics_collector_collect; when not OK, snap holds no
     * interfaces and only self metrics are written. */
    netmetrics_status collect_status;
    /* Backend the collector uses ("netlink", "procfs"). */
    const char *backend;
    /* Speeds of snap's interfaces against the previous snapshot (rates.h:
     * rates[i] for the i-th interface), or NULL before two snapshots exist:
     * the speed families are then absent (render_rates.c). */
    const struct nm_rates *rates;
    /* The connections collector's result (render_connections.h), or NULL
     * when that collector is disabled: its families and self samples are
     * then absent. */
    const struct nm_conn_render *connections;
    /* --collector.wireless.ssid: render the SSID/BSSID info series. */
    int wireless_ssid;
    /* NM_COLLECTOR_BIT set of the disabled collectors (collectors.h): their
     * families, and the self samples of their parts, are absent. 0: all. */
    unsigned collectors_off;
    /* The exporter's own process_* metrics (procself.h), or NULL: those
     * families are then absent. */
    const struct nm_process_metrics *process;
    /* The HTTP server's request counters (httpstats.h), or NULL. */
    const struct nm_http_stats *http;
} nm_scrape_info;

/* Appends every metric family to out. Returns 0, or -1 when out of memory
 * (out->failed is then set). */
int nm_render_metrics(nm_strbuf *out, nm_format fmt, const netmetrics_snapshot *snap,
                      const nm_scrape_info *info);

/* Content-Type for a format. */
const char *nm_format_content_type(nm_format fmt);

#endif

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
    /* The HTTP server's request counters (httpstats.h), or NULL; when
     * http_counts is set, that reading of them is written instead. */
    const struct nm_http_stats *http;
    const struct nm_http_counts *http_counts;
} nm_scrape_info;

/* What one collection renders to: the snapshot, its speeds, device labels
 * and label fragments, laid out as sections (render_section.h). Built once
 * and then only read, so any number of responses can stream from one plan
 * at once, each with its own cursor and writer. snap and everything info
 * points to must outlive it; info itself is copied. */
typedef struct nm_render_plan nm_render_plan;

/* 0 with *out set, or -1 when out of memory (*out NULL). snap and info may
 * be NULL (then only the self metrics, reporting a failed collection). */
int nm_render_plan_new(const netmetrics_snapshot *snap, const nm_scrape_info *info,
                       nm_render_plan **out);
void nm_render_plan_free(nm_render_plan *p);

/* Where a response is in its plan. */
typedef struct nm_render_cursor {
    size_t section, row;
    int finished; /* the end of the exposition has been written */
} nm_render_cursor;
#define NM_RENDER_CURSOR_INIT {0, 0, 0}

/* Writes the plan's next rows into w until its buffer holds at least
 * budget bytes or the exposition is complete (# EOF included). Returns 1
 * when complete, 0 when more remains, -1 when out of memory (the buffer's
 * failed flag is set). A row is a few lines, so a step overshoots budget
 * by at most one row. */
int nm_render_step(const nm_render_plan *p, nm_expfmt *w, nm_render_cursor *c, size_t budget);

/* nm_render_step for an output that cannot grow (nm_strbuf_borrow): writes
 * whole rows while they fit and stops before the first that does not,
 * leaving w, c and the buffer as if that row had not been started (a row's
 * label values are reserved at their worst-case escaped size, so a row can
 * be refused with a little room left). Returns 1 when the exposition is
 * complete, 0 when the buffer is full, or NM_RENDER_ROW_TOO_BIG when not
 * even the next row fits into the buffer empty (the caller renders that
 * one with nm_render_step into a growable buffer). */
#define NM_RENDER_ROW_TOO_BIG (-2)
int nm_render_fill(const nm_render_plan *p, nm_expfmt *w, nm_render_cursor *c);

/* Appends every metric family to out: a plan rendered in one step.
 * Returns 0, or -1 when out of memory (out->failed is then set). */
int nm_render_metrics(nm_strbuf *out, nm_format fmt, const netmetrics_snapshot *snap,
                      const nm_scrape_info *info);

/* Content-Type for a format. */
const char *nm_format_content_type(nm_format fmt);

#endif

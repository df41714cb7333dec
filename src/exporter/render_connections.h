/* SPDX-License-Identifier: MIT */
/* Connection families of the exposition: per-state socket counts, the
 * opt-in per-process counts, and the "connections" samples of the
 * per-collector self metrics. */
#ifndef NM_RENDER_CONNECTIONS_H
#define NM_RENDER_CONNECTIONS_H

#include "expfmt.h"
#include "netmetrics.h"

/* What a scrape collected; the renderer only reads it. */
typedef struct nm_conn_render {
    const netmetrics_connections *list; /* NULL when the collection failed */
    netmetrics_status status;           /* of netmetrics_connections_collect */
    double seconds;                     /* wall time of that call */
    int processes;                      /* write netmetrics_process_connections */
    unsigned processes_limit;           /* top N processes by socket count */
} nm_conn_render;

/* netmetrics_connections{protocol,family,state}: every TCP state and the
 * two UDP states, for both families, including zero counts (an alerting
 * rule on a series that appears only when non-zero cannot tell "none" from
 * "not scraped"); an unknown state only when some socket has it. Then, when
 * c->processes, netmetrics_process_connections{pid,comm,protocol,state} of
 * the c->processes_limit processes owning the most sockets. Nothing is
 * written when c is NULL or its list is. Returns 0, or -1 when out of
 * memory. */
int nm_render_connections(nm_expfmt *w, const nm_conn_render *c);

/* The "connections" sample of netmetrics_scrape_collector_duration_seconds
 * (success 0) or of _success (success 1), to be written inside those
 * families. Nothing when c is NULL (the collector is disabled). */
void nm_render_connections_self(nm_expfmt *w, const nm_conn_render *c, int success);

#endif

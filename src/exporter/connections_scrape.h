/* SPDX-License-Identifier: MIT */
/* The exporter's connections collector: what a scrape collects for the
 * connection families and what the /connections endpoint serves. Both call
 * the stateless library function, so neither needs the scrape lock. */
#ifndef NM_CONNECTIONS_SCRAPE_H
#define NM_CONNECTIONS_SCRAPE_H

#include "netmetrics.h"
#include "render_connections.h"
#include "strbuf.h"

typedef struct nm_conn_config {
    int enabled;                        /* --collector.connections */
    int processes;                      /* --collector.connections.processes */
    unsigned processes_limit;           /* ...processes.limit */
    netmetrics_collector_options collector; /* backend and proc root */
} nm_conn_config;

/* Collects for one scrape into *r (status, seconds, list; processes only
 * when cfg->processes). A failure is recorded in r->status and err, not
 * returned: the scrape goes on and reports success 0. Release with
 * nm_conn_scrape_release. */
void nm_conn_scrape_collect(const nm_conn_config *cfg, nm_conn_render *r, netmetrics_error *err);
void nm_conn_scrape_release(nm_conn_render *r);

/* The /connections body: every connection with its owner, as JSON
 * (connjson.h). Returns NETMETRICS_OK, or the collection's error (err
 * says why) or NO_MEMORY; out is then not to be served. */
netmetrics_status nm_conn_endpoint_json(const nm_conn_config *cfg, nm_strbuf *out,
                                        netmetrics_error *err);

#endif

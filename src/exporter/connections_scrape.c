/* SPDX-License-Identifier: MIT */
/* Collecting connections for the exporter. Each scrape dumps the socket
 * table afresh (a few milliseconds at ten thousand sockets) and frees it
 * after rendering; the owner walk over /proc runs only when the
 * per-process family or the endpoint asks for it. */
#include "config.h"

#include <stddef.h>

#include "connections_scrape.h"
#include "connjson.h"
#include "nmerror.h"
#include "snapshot.h"

void nm_conn_scrape_collect(const nm_conn_config *cfg, nm_conn_render *r, netmetrics_error *err)
{
    netmetrics_connections *list = NULL;
    uint64_t t0, t1;
    unsigned flags = cfg->processes ? NETMETRICS_CONN_PROCESSES : 0u;

    t0 = nm_monotonic_ns();
    r->status = netmetrics_connections_collect(&cfg->collector, flags, &list, err);
    t1 = nm_monotonic_ns();
    r->list = list;
    r->seconds = (double)(t1 - t0) / 1e9;
    r->processes = cfg->processes;
    r->processes_limit = cfg->processes_limit;
}

void nm_conn_scrape_release(nm_conn_render *r)
{
    /* The render struct holds the list const for the renderer; this is
     * the one place that owns it. */
    netmetrics_connections_free((netmetrics_connections *)(uintptr_t)r->list);
    r->list = NULL;
}

netmetrics_status nm_conn_endpoint_json(const nm_conn_config *cfg, nm_strbuf *out,
                                        netmetrics_error *err)
{
    netmetrics_connections *list = NULL;
    netmetrics_status st;

    st = netmetrics_connections_collect(&cfg->collector, NETMETRICS_CONN_PROCESSES, &list, err);
    if (st != NETMETRICS_OK)
        return st;
    if (nm_conn_json(out, list) < 0)
        st = nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    netmetrics_connections_free(list);
    return st;
}

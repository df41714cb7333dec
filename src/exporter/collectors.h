/* SPDX-License-Identifier: MIT */
/* The exporter's collectors: the user-facing units that --collector.NAME /
 * --no-collector.NAME switch on and off (README "Collectors" lists their
 * families). Options resolve the flags into a set of these bits; the
 * scraper turns a disabled collector into work not done (a library part
 * not collected, speeds not computed, no collection at all when no
 * interface collector is left) and the renderer into families not written.
 * The self metrics (netmetrics_scrape_*, backend and build info) belong to
 * no collector and are always written. */
#ifndef NM_COLLECTORS_H
#define NM_COLLECTORS_H

typedef enum nm_collector_id {
    NM_COLLECTOR_NETDEV = 0,  /* counters: netmetrics_*_total of the interfaces */
    NM_COLLECTOR_LINK,        /* state, flags, MTU, info, speed, carrier changes, alias */
    NM_COLLECTOR_ADDRESSES,   /* netmetrics_interface_address_info */
    NM_COLLECTOR_SPEED,       /* the *_per_second gauges and their totals */
    NM_COLLECTOR_WIRELESS,    /* netmetrics_wireless_* */
    NM_COLLECTOR_CONNECTIONS, /* netmetrics_connections, netmetrics_process_connections */
    NM_COLLECTOR_COUNT
} nm_collector_id;

#define NM_COLLECTOR_BIT(id) (1u << (id))
/* Every collector. */
#define NM_COLLECTORS_ALL (NM_COLLECTOR_BIT(NM_COLLECTOR_COUNT) - 1u)
/* Enabled unless disabled: all but connections, which costs a sock_diag
 * dump on every scrape (the kernel walks its whole socket hash, ~1 ms on an
 * idle host, ~1.5 us more per socket) and so is opt-in, like
 * node_exporter's tcpstat. */
#define NM_COLLECTORS_DEFAULT (NM_COLLECTORS_ALL & ~NM_COLLECTOR_BIT(NM_COLLECTOR_CONNECTIONS))
/* The collectors that read the interface table. */
#define NM_COLLECTORS_INTERFACES (NM_COLLECTORS_ALL & ~NM_COLLECTOR_BIT(NM_COLLECTOR_CONNECTIONS))

/* The NAME of --collector.NAME. */
static inline const char *nm_collector_name(nm_collector_id id)
{
    static const char *const names[NM_COLLECTOR_COUNT] = {
        "netdev", "link", "addresses", "speed", "wireless", "connections"};

    return (unsigned)id < NM_COLLECTOR_COUNT ? names[id] : "unknown";
}

#endif

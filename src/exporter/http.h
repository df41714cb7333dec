/* SPDX-License-Identifier: MIT */
/* The exporter's HTTP side, on libmicrohttpd. It opens the listening
 * socket itself (so "address already in use" is a clear error at start, and
 * port 0 reports the port the kernel chose), then serves the telemetry path,
 * a landing page on "/" and short errors for everything else, from MHD's
 * own threads. It owns no metric state: every scrape goes to nm_scraper. */
#ifndef NM_HTTP_H
#define NM_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "netmetrics.h"
#include "scrape.h"
#include "webconfig.h"

typedef struct nm_http_server nm_http_server;

typedef struct nm_http_config {
    const char *host;    /* "" every address (dual stack); a literal or a name */
    int host_is_ipv6;    /* host was given as [IPv6] */
    unsigned port;       /* 0: the kernel chooses */
    const char *telemetry_path;
    unsigned max_connections;
    unsigned max_connections_per_ip; /* 0: no limit */
    unsigned connection_timeout;     /* seconds; 0: none */
    /* --web.max-requests: scrapes served at once, more get 503 (0: no
     * limit); --web.timeout-offset, in ns (scrape_timeout.h). */
    unsigned max_requests;
    uint64_t timeout_offset_ns;
    nm_scraper *scraper;  /* used by the server's threads; must outlive it */
    const nm_logger *log; /* MHD's messages and debug request lines; may be NULL */
    /* --web.enable-connections-endpoint: serve GET /connections (JSON of
     * every socket and its owner) with the collector settings below;
     * otherwise /connections is a 404 like any unknown path. */
    int connections_endpoint;
    nm_conn_config connections;
    /* --web.config.file, loaded (webconfig.h): TLS, basic auth, extra
     * headers. NULL: plain HTTP, open to all. Must outlive the server. */
    const nm_webconfig *web;
} nm_http_config;

/* Longest text of a bound address: "[" IPv6 "%" zone "]:" port. */
#define NM_HTTP_ADDRESS_MAX 96

/* Resolves the host, creates, binds and listens on the socket, and starts
 * MHD's threads on it. Fails with NETMETRICS_ERR_NETWORK when the host does
 * not resolve, PERMISSION for a privileged port, SYSTEM for other socket
 * errors (the message says which address and why: "cannot listen on
 * 127.0.0.1:9709: bind: Address already in use"), NO_MEMORY, or SYSTEM
 * when MHD cannot start (details are in MHD's log lines). */
netmetrics_status nm_http_start(const nm_http_config *cfg, nm_http_server **out,
                                netmetrics_error *err);

/* Address actually bound, "127.0.0.1:40123" or "[::]:9709". */
const char *nm_http_address(const nm_http_server *srv);

/* Stops MHD (waiting for its threads, so no scrape is running when this
 * returns), closes the socket and frees the server. NULL is ignored. */
void nm_http_stop(nm_http_server *srv);

/* Version of the libmicrohttpd in use, for --version. */
const char *nm_http_library_version(void);

#endif

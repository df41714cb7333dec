/* SPDX-License-Identifier: MIT */
/* HTTP serving on libmicrohttpd. We create the listening socket ourselves:
 * MHD's own bind failure is only a log line and a NULL daemon, while main
 * must say "address already in use" and exit 1, and port 0 must report the
 * port chosen. The handler answers GET and HEAD only; every response carries
 * a Content-Type (Prometheus 3 rejects targets without one). The fixed
 * responses (landing page, 404, 405, 413, 500, 503) are built once at start and
 * shared by MHD's threads, so the error paths need no memory; a scrape's
 * text is handed to MHD without copying and freed by MHD when sent.
 * Requests with a body are refused before the body is read. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <microhttpd.h>

#include "accept.h"
#include "basicauth.h"
#include "scrape_stream.h"
#include "http.h"
#include "httpstats.h"
#include "nmerror.h"
#include "render.h"
#include "scrape_timeout.h"
#include "snapshot.h"
#include "strbuf.h"
#include "tlsserver.h"

#define CONTENT_TYPE_TEXT "text/plain; charset=utf-8"
#define CONTENT_TYPE_HTML "text/html; charset=utf-8"

/* MHD's per-connection pool holds the request line, headers and our reply
 * headers, and the rest of it is the buffer a streamed body is written
 * through. 16 KiB (half MHD's default): every connection served at once
 * has one, and at 32 clients the difference is half a megabyte, for a
 * 16 KiB write per system call instead of 32. A request whose headers do
 * not fit is answered 431. */
#define CONNECTION_MEMORY_LIMIT ((size_t)16 * 1024)
/* libmicrohttpd allocates this much with every streamed response, but
 * fills HTTP/1.1 chunks from the connection's own buffer (the rest of the
 * pool above, about 16 KiB a write); only an HTTP/1.0 body is read through
 * this one. Small, as it is per response. */
#define NM_HTTP_STREAM_BLOCK ((size_t)4 * 1024)

struct nm_http_server {
    struct MHD_Daemon *daemon;
    nm_scraper *scraper;
    const nm_logger *log;
    const char *telemetry_path;
    char address[NM_HTTP_ADDRESS_MAX];
    struct MHD_Response *landing;     /* 200 on "/" */
    struct MHD_Response *not_found;   /* 404 */
    struct MHD_Response *not_allowed; /* 405, with Allow */
    struct MHD_Response *has_body;    /* 413 */
    struct MHD_Response *failed;      /* 500 */
    struct MHD_Response *ok;          /* 200 on /-/healthy and /-/ready */
    struct MHD_Response *busy;        /* 503: --web.max-requests reached */
    struct MHD_Response *late;        /* 503: past the scrape timeout */
    /* Answers by route and code, scrapes in flight (httpstats.h). */
    nm_http_stats *stats;
    unsigned max_requests;      /* 0: no limit */
    uint64_t timeout_offset_ns; /* --web.timeout-offset */
    int connections_endpoint;
    nm_conn_config connections;
    /* --web.config.file (NULL: none): its headers go on every response;
     * auth (NULL: open to all) checks basic_auth_users; client_auth is
     * the TLS client-certificate policy (tlsserver.c). */
    const nm_webconfig *web;
    nm_basicauth *auth;
    nm_client_auth client_auth;
    struct MHD_Response *unauthorized; /* 401, with WWW-Authenticate */
};

/* --------------------------------------------------------------- sockets -- */

/* "127.0.0.1:9709" or "[::1]:9709" for a socket address. */
static void format_sockaddr(const struct sockaddr *sa, socklen_t len, char *out, size_t size)
{
    /* numeric forms only: an IPv6 address with a "%zone" at most */
    char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 1], serv[8];

    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(out, size, "?");
        return;
    }
    if (sa->sa_family == AF_INET6)
        snprintf(out, size, "[%s]:%s", host, serv);
    else
        snprintf(out, size, "%s:%s", host, serv);
}

/* Which resolved address to listen on. One socket, like Go's net.Listen:
 * for the empty host the IPv6 wildcard (dual stack) when this kernel has
 * IPv6, else the IPv4 one; for a name its first IPv4 address, else its
 * first address (getaddrinfo has already ordered them by RFC 6724). */
static const struct addrinfo *pick_address(const struct addrinfo *res, int want_family)
{
    const struct addrinfo *ai;

    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == want_family)
            return ai;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
            return ai;
    }
    return NULL;
}

static netmetrics_status listen_on(const struct addrinfo *ai, int dual_stack, int *fd_out,
                                   char *bound, size_t boundsize, netmetrics_error *err)
{
    char want[NM_HTTP_ADDRESS_MAX];
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    const char *step;
    int fd, one = 1, v6only = !dual_stack;

    format_sockaddr(ai->ai_addr, ai->ai_addrlen, want, sizeof want);
    /* Non-blocking so an accept after a poll that a client's reset made
     * stale cannot block MHD's listening thread; close-on-exec so nothing
     * we might run inherits the port. */
#ifdef SOCK_CLOEXEC
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
#else
    /* macOS has neither type flag: set both right away (this runs before
     * MHD's threads start, so nothing can fork in between). */
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd >= 0 && (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
                    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)) {
        close(fd);
        fd = -1;
    }
#endif
    if (fd < 0)
        return nm_error_errno(err, errno, "cannot listen on %s: socket", want);
    step = "setsockopt(SO_REUSEADDR)";
    /* SO_REUSEADDR: a restart must not wait out TIME_WAIT; it does not let
     * two listeners share a port (that would be SO_REUSEPORT). */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
        goto fail;
    step = "setsockopt(IPV6_V6ONLY)";
    /* Explicit either way: the kernel default (net.ipv6.bindv6only) varies. */
    if (ai->ai_family == AF_INET6 &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0)
        goto fail;
    step = "bind";
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0)
        goto fail;
    step = "listen";
    if (listen(fd, SOMAXCONN) < 0)
        goto fail;
    step = "getsockname";
    memset(&ss, 0, sizeof ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sslen) < 0)
        goto fail;
    format_sockaddr((const struct sockaddr *)&ss, sslen, bound, boundsize);
    *fd_out = fd;
    return NETMETRICS_OK;
fail:
    {
        int e = errno;

        close(fd);
        return nm_error_errno(err, e, "cannot listen on %s: %s", want, step);
    }
}

static netmetrics_status open_listener(const nm_http_config *cfg, int *fd_out, char *bound,
                                       size_t boundsize, netmetrics_error *err)
{
    struct addrinfo hints, *res = NULL;
    const struct addrinfo *ai;
    netmetrics_error e;
    char port[16];
    int wildcard = cfg->host[0] == '\0';
    int rc;
    netmetrics_status st;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = cfg->host_is_ipv6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV | (wildcard ? AI_PASSIVE : 0) |
                     (cfg->host_is_ipv6 ? AI_NUMERICHOST : 0);
    snprintf(port, sizeof port, "%u", cfg->port);
    rc = getaddrinfo(wildcard ? NULL : cfg->host, port, &hints, &res);
    if (rc != 0) {
        if (rc == EAI_SYSTEM)
            return nm_error_errno(err, errno, "cannot resolve \"%s\"", cfg->host);
        return nm_error_set(err, NETMETRICS_ERR_NETWORK, 0, "cannot resolve \"%s\": %s",
                            cfg->host, gai_strerror(rc));
    }
    ai = pick_address(res, wildcard ? AF_INET6 : AF_INET);
    if (!ai) {
        freeaddrinfo(res);
        return nm_error_set(err, NETMETRICS_ERR_NETWORK, 0,
                            "\"%s\" has no IPv4 or IPv6 address", cfg->host);
    }
    st = listen_on(ai, wildcard, fd_out, bound, boundsize, &e);
    if (st != NETMETRICS_OK && wildcard && ai->ai_family == AF_INET6 &&
        (e.sys_errno == EAFNOSUPPORT || e.sys_errno == EADDRNOTAVAIL)) {
        /* A kernel without IPv6 (ipv6.disable=1): every address is IPv4. */
        const struct addrinfo *v4 = pick_address(res, AF_INET);

        if (v4 && v4->ai_family == AF_INET)
            st = listen_on(v4, 0, fd_out, bound, boundsize, &e);
    }
    freeaddrinfo(res);
    if (st != NETMETRICS_OK && err)
        *err = e;
    return st;
}

/* -------------------------------------------------------------- responses -- */

/* A response over bytes that live as long as the program (string literals). */
static struct MHD_Response *static_response(const char *text, const char *content_type)
{
    struct MHD_Response *r;

    /* PERSISTENT: MHD neither copies nor frees; the cast only drops const,
     * MHD does not write to the buffer. */
    r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (r && MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) != MHD_YES) {
        MHD_destroy_response(r);
        r = NULL;
    }
    return r;
}

static void html_escape(nm_strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            nm_strbuf_puts(b, "&amp;");
            break;
        case '<':
            nm_strbuf_puts(b, "&lt;");
            break;
        case '>':
            nm_strbuf_puts(b, "&gt;");
            break;
        case '"':
            nm_strbuf_puts(b, "&quot;");
            break;
        case '\'':
            nm_strbuf_puts(b, "&#39;");
            break;
        default:
            nm_strbuf_putc(b, *s);
        }
    }
}

/* The landing page: what this is and where the metrics are. */
static struct MHD_Response *landing_response(const char *telemetry_path, const char *backend)
{
    struct MHD_Response *r;
    nm_strbuf b;
    char *data;
    size_t len;

    nm_strbuf_init(&b);
    nm_strbuf_puts(&b, "<!DOCTYPE html>\n"
                       "<html lang=\"en\">\n"
                       "<head><meta charset=\"utf-8\"><title>netmetrics exporter</title></head>\n"
                       "<body>\n"
                       "<h1>netmetrics exporter</h1>\n"
                       "<p>Prometheus metrics for the network interfaces of this host.</p>\n"
                       "<ul><li><a href=\"");
    html_escape(&b, telemetry_path);
    nm_strbuf_puts(&b, "\">Metrics</a></li></ul>\n<p>Version " PACKAGE_VERSION ", backend ");
    html_escape(&b, backend);
    nm_strbuf_puts(&b, ".</p>\n</body>\n</html>\n");
    if (b.failed) {
        nm_strbuf_free(&b);
        return NULL;
    }
    data = nm_strbuf_steal(&b, &len);
    r = MHD_create_response_from_buffer_with_free_callback(len, data, free);
    if (!r) {
        free(data);
        return NULL;
    }
    if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE_HTML) != MHD_YES) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

/* The responses built once and shared by MHD's threads, in one list so
 * that what is done to each (the configured headers, destruction) reaches
 * them all. Returns how many were put in out (SHARED_MAX at most). */
#define SHARED_MAX 16

static size_t shared_responses(const nm_http_server *srv, struct MHD_Response **out)
{
    struct MHD_Response *const all[] = {srv->landing, srv->not_found, srv->not_allowed,
                                        srv->has_body, srv->failed,    srv->ok,
                                        srv->busy,    srv->late,      srv->unauthorized};
    size_t i;

    _Static_assert(sizeof all / sizeof all[0] <= SHARED_MAX, "raise SHARED_MAX");
    for (i = 0; i < sizeof all / sizeof all[0]; i++)
        out[i] = all[i];
    return i;
}

/* Only from free_server: the members are left dangling. */
static void destroy_responses(nm_http_server *srv)
{
    struct MHD_Response *all[SHARED_MAX];
    size_t i, n = shared_responses(srv, all);

    for (i = 0; i < n; i++) {
        if (all[i])
            MHD_destroy_response(all[i]);
    }
}

/* Everything nm_http_start set up before the daemon. */
static void free_server(nm_http_server *srv)
{
    destroy_responses(srv);
    nm_basicauth_free(srv->auth);
    nm_http_stats_free(srv->stats);
    free(srv);
}

/* The --web.config.file headers on resp. Returns 0, or -1 when out of
 * memory. */
static int add_web_headers(const nm_http_server *srv, struct MHD_Response *resp)
{
    size_t i, n = srv->web ? nm_webconfig_header_count(srv->web) : 0;

    for (i = 0; i < n; i++) {
        const char *name, *value;

        nm_webconfig_header(srv->web, i, &name, &value);
        if (MHD_add_response_header(resp, name, value) != MHD_YES)
            return -1;
    }
    return 0;
}

/* The 401, then the configured headers on every shared response (the
 * ones built per request get them in respond()). */
static int create_web_responses(nm_http_server *srv)
{
    struct MHD_Response *all[SHARED_MAX];
    size_t i, n;

    srv->unauthorized = static_response("401 unauthorized\n", CONTENT_TYPE_TEXT);
    if (!srv->unauthorized ||
        MHD_add_response_header(srv->unauthorized, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                NM_BASICAUTH_CHALLENGE) != MHD_YES)
        return -1;
    n = shared_responses(srv, all);
    for (i = 0; i < n; i++) {
        if (add_web_headers(srv, all[i]) < 0)
            return -1;
    }
    return 0;
}

static int create_responses(nm_http_server *srv)
{
    srv->landing = landing_response(srv->telemetry_path, nm_scraper_backend(srv->scraper));
    srv->not_found = static_response("404 page not found\n", CONTENT_TYPE_TEXT);
    srv->not_allowed = static_response("405 method not allowed\n", CONTENT_TYPE_TEXT);
    srv->has_body = static_response("413 request body not allowed\n", CONTENT_TYPE_TEXT);
    srv->failed = static_response("500 internal server error\n", CONTENT_TYPE_TEXT);
    srv->ok = static_response("OK", CONTENT_TYPE_TEXT);
    srv->busy = static_response("503 too many scrapes in flight\n", CONTENT_TYPE_TEXT);
    srv->late = static_response("503 scrape timeout exceeded waiting for another scrape\n",
                                CONTENT_TYPE_TEXT);
    if (!srv->busy || !srv->late)
        return -1;
    if (srv->not_allowed &&
        MHD_add_response_header(srv->not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES) {
        MHD_destroy_response(srv->not_allowed);
        srv->not_allowed = NULL;
    }
    if (!srv->landing || !srv->not_found || !srv->not_allowed || !srv->has_body || !srv->failed ||
        !srv->ok)
        return -1;
    return create_web_responses(srv);
}

/* ---------------------------------------------------------------- handler -- */

static enum MHD_Result respond(const nm_http_server *srv, struct MHD_Connection *conn,
                               const char *method, const char *url, unsigned status,
                               struct MHD_Response *resp)
{
    struct MHD_Response *shared[SHARED_MAX];
    size_t i, n = srv->web ? shared_responses(srv, shared) : 0;

    /* A response made for this request gets the configured headers here
     * (shared ones have them already); without them, a 500. */
    for (i = 0; i < n && shared[i] != resp; i++)
        ;
    if (n && i == n && add_web_headers(srv, resp) < 0) {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        resp = srv->failed;
    }
    /* Every answer passes here, so this is where they are counted. */
    nm_http_stats_count(srv->stats, nm_http_stats_route(srv->stats, url), status);
    if (nm_log_enabled(srv->log, NM_LOG_DEBUG)) {
        char code[8];

        snprintf(code, sizeof code, "%u", status);
        nm_log(srv->log, NM_LOG_DEBUG, "request", "method", method, "path", url, "status", code,
               (char *)NULL);
    }
    return MHD_queue_response(conn, status, resp);
}

/* The value of request header name, with its length (0 and NULL when
 * absent). */
static const char *header_value(struct MHD_Connection *conn, const char *name, size_t *len)
{
    const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);

    *len = v ? strlen(v) : 0;
    return v;
}

/* libmicrohttpd's content reader over a stream: the next piece of the
 * body, the end, or an error that cuts the connection (after the status
 * line nothing else can tell the client). */
static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    ssize_t n = nm_scrape_stream_read(cls, buf, max);

    (void)pos;
    if (n < 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

/* One admitted scrape: the format the Accept header asks for (accept.c),
 * gzip when Accept-Encoding allows it. The frame may be shared with other
 * requests scraping at the same time (nm_scraper_acquire); the body is
 * rendered from it while it is sent, in chunks, so its size is never held
 * in memory. */
static enum MHD_Result serve_scrape(nm_http_server *srv, struct MHD_Connection *conn,
                                    const char *method, const char *url, nm_scrape_request *req)
{
    nm_format fmt;
    struct MHD_Response *resp = NULL;
    enum MHD_Result ret;
    nm_scrape_frame *frame;
    nm_scrape_stream *st;
    const char *hv;
    size_t hlen;
    int rc, gzip;

    hv = header_value(conn, MHD_HTTP_HEADER_ACCEPT, &hlen);
    fmt = nm_accept_format(hv, hlen);
    req->fmt = fmt;
    rc = nm_scraper_acquire(srv->scraper, req, &frame);
    if (rc == NM_SCRAPE_LATE) {
        nm_http_stats_reject(srv->stats, NM_REJECT_TIMEOUT);
        return respond(srv, conn, method, url, MHD_HTTP_SERVICE_UNAVAILABLE, srv->late);
    }
    if (rc < 0)
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    hv = header_value(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING, &hlen);
    gzip = nm_accept_encoding_gzip(hv, hlen);
    st = nm_scrape_stream_new(frame, fmt, gzip);
    nm_scrape_frame_release(frame); /* the stream holds its own */
    if (st) {
        /* the response owns the stream; libmicrohttpd frees it once sent */
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, NM_HTTP_STREAM_BLOCK,
                                                 stream_reader, st, nm_scrape_stream_free);
        if (!resp)
            nm_scrape_stream_free(st);
    }
    if (!resp) {
        nm_log(srv->log, NM_LOG_ERROR, "out of memory starting a response", (char *)NULL);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    /* Vary on every metrics answer, compressed or not, so a cache never
     * hands a gzip body to a client that did not ask for one. */
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                nm_format_content_type(fmt)) != MHD_YES ||
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding") != MHD_YES ||
        (gzip && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") !=
                     MHD_YES)) {
        MHD_destroy_response(resp);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    ret = respond(srv, conn, method, url, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The metrics, within --web.max-requests (a scrape beyond it is answered
 * 503 at once, never queued) and the scrape timeout the client announces
 * (the deadline starts now; scrape.c refuses a scrape that waited past it
 * for its turn). */
static enum MHD_Result serve_metrics(nm_http_server *srv, struct MHD_Connection *conn,
                                     const char *method, const char *url)
{
    nm_scrape_request req;
    enum MHD_Result ret;
    uint64_t timeout_ns;
    const char *hv;
    size_t hlen;

    memset(&req, 0, sizeof req);
    hv = header_value(conn, NM_SCRAPE_TIMEOUT_HEADER, &hlen);
    if (hv && nm_scrape_timeout_parse(hv, hlen, &timeout_ns) == 0)
        req.deadline_ns =
            nm_monotonic_ns() + nm_scrape_budget_ns(timeout_ns, srv->timeout_offset_ns);
    if (!nm_http_stats_enter(srv->stats, srv->max_requests)) {
        nm_http_stats_reject(srv->stats, NM_REJECT_LIMIT);
        if (nm_log_enabled(srv->log, NM_LOG_DEBUG)) {
            char limit[16];

            snprintf(limit, sizeof limit, "%u", srv->max_requests);
            nm_log(srv->log, NM_LOG_DEBUG, "scrape refused: too many in flight", "limit", limit,
                   (char *)NULL);
        }
        return respond(srv, conn, method, url, MHD_HTTP_SERVICE_UNAVAILABLE, srv->busy);
    }
    req.http = srv->stats;
    ret = serve_scrape(srv, conn, method, url, &req);
    nm_http_stats_leave(srv->stats);
    return ret;
}

/* GET /connections: every socket with its owner, as JSON, collected for
 * this request (no scrape lock: the library call is stateless). A failed
 * collection is a 500 with the reason logged, never a partial document. */
static enum MHD_Result serve_connections(nm_http_server *srv, struct MHD_Connection *conn,
                                         const char *method, const char *url)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    netmetrics_error err;
    nm_strbuf out;
    char *data;
    size_t len;

    nm_strbuf_init(&out);
    nm_error_clear(&err);
    if (nm_conn_endpoint_json(&srv->connections, &out, &err) != NETMETRICS_OK ||
        !(data = nm_strbuf_steal(&out, &len))) {
        nm_strbuf_free(&out);
        nm_log(srv->log, NM_LOG_WARN, "connections collection failed", "path", url, "err",
               err.message, (char *)NULL);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
    if (!resp) {
        free(data);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8") != MHD_YES ||
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES) {
        MHD_destroy_response(resp);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    ret = respond(srv, conn, method, url, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A request announces a body with Content-Length (other than 0) or
 * Transfer-Encoding. */
static int request_has_body(struct MHD_Connection *conn)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);

    if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        return 1;
    return cl && strcmp(cl, "0") != 0;
}

/* With a client-certificate policy, tls_connection_started marked the
 * connection once the policy was on its session; a connection without the
 * mark is dropped rather than served unchecked. */
static int client_policy_applied(const nm_http_server *srv, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info;

    if (srv->client_auth == NM_CLIENT_AUTH_NONE)
        return 1;
    info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info && info->socket_context == srv;
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **req_cls)
{
    nm_http_server *srv = cls;
    int is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    int is_head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;

    (void)version;
    (void)upload_data;
    if (*req_cls == NULL) {
        /* First call: only the headers are in. Refuse what we will never
         * serve now, so MHD does not read a body for nothing; otherwise
         * mark the request and answer on the next call, as MHD expects. */
        *req_cls = srv;
        /* Authentication first, on every path (as exporter-toolkit). */
        if (!client_policy_applied(srv, conn))
            return MHD_NO;
        if (srv->auth && !nm_basicauth_check(srv->auth,
                                             MHD_lookup_connection_value(
                                                 conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_AUTHORIZATION)))
            return respond(srv, conn, method, url, MHD_HTTP_UNAUTHORIZED, srv->unauthorized);
        if (!is_get && !is_head)
            return respond(srv, conn, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, srv->not_allowed);
        if (request_has_body(conn))
            return respond(srv, conn, method, url, MHD_HTTP_CONTENT_TOO_LARGE, srv->has_body);
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        /* Cannot happen after the checks above; drop the connection. */
        *upload_data_size = 0;
        return MHD_NO;
    }
    if (strcmp(url, srv->telemetry_path) == 0)
        return serve_metrics(srv, conn, method, url);
    if (srv->connections_endpoint && strcmp(url, "/connections") == 0)
        return serve_connections(srv, conn, method, url);
    if (strcmp(url, "/") == 0)
        return respond(srv, conn, method, url, MHD_HTTP_OK, srv->landing);
    /* Ready as soon as we serve: the collector is open before the server
     * starts, so both probes answer the same. */
    if (strcmp(url, "/-/healthy") == 0 || strcmp(url, "/-/ready") == 0)
        return respond(srv, conn, method, url, MHD_HTTP_OK, srv->ok);
    return respond(srv, conn, method, url, MHD_HTTP_NOT_FOUND, srv->not_found);
}

/* ---------------------------------------------------------------- server -- */

/* MHD closes a listen socket it was given on some failures and not on
 * others; close ours only if the descriptor still is that socket. */
static void close_if_same(int fd, const struct stat *was)
{
    struct stat now;

    if (fstat(fd, &now) == 0 && now.st_dev == was->st_dev && now.st_ino == was->st_ino)
        close(fd);
}

/* MHD_OPTION_NOTIFY_CONNECTION, with a client-certificate policy: puts
 * the policy on a new connection's TLS session before its handshake. */
static void tls_connection_started(void *cls, struct MHD_Connection *conn, void **socket_context,
                                   enum MHD_ConnectionNotificationCode code)
{
    nm_http_server *srv = cls;
    const union MHD_ConnectionInfo *info;

    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!info || !info->tls_session)
        return;
    nm_tls_session_policy(info->tls_session, srv->client_auth);
    *socket_context = srv;
}

/* What --web.config.file asks of the server besides headers: basic auth,
 * and for TLS a libmicrohttpd that has it. */
static netmetrics_status web_setup(nm_http_server *srv, netmetrics_error *err)
{
    char why[256];

    if (!srv->web)
        return NETMETRICS_OK;
    if (nm_webconfig_user_count(srv->web) > 0 &&
        nm_basicauth_new(srv->web, &srv->auth, why, sizeof why) < 0)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "basic authentication: %s", why);
    if (nm_webconfig_tls(srv->web)) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
            return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                                "the web config enables TLS, but libmicrohttpd %s was built "
                                "without TLS support",
                                MHD_get_version());
        srv->client_auth = nm_webconfig_client_auth(srv->web);
    }
    return NETMETRICS_OK;
}

/* MHD's TLS options for the web config, ended by MHD_OPTION_END (alone
 * when there is no TLS); opts holds 6. Adds MHD_USE_TLS to flags. */
static void tls_options(nm_http_server *srv, struct MHD_OptionItem *opts, unsigned *flags)
{
    size_t n = 0;

    memset(opts, 0, 6 * sizeof *opts);
    if (srv->web && nm_webconfig_tls(srv->web)) {
        *flags |= MHD_USE_TLS;
        /* MHD reads the PEM text at start; the config outlives the server. */
        opts[n].option = MHD_OPTION_HTTPS_MEM_CERT;
        opts[n++].ptr_value = (void *)(uintptr_t)nm_webconfig_cert_pem(srv->web);
        opts[n].option = MHD_OPTION_HTTPS_MEM_KEY;
        opts[n++].ptr_value = (void *)(uintptr_t)nm_webconfig_key_pem(srv->web);
        opts[n].option = MHD_OPTION_HTTPS_PRIORITIES;
        opts[n++].ptr_value = (void *)(uintptr_t)nm_webconfig_priorities(srv->web);
        if (nm_webconfig_client_ca_pem(srv->web)) {
            opts[n].option = MHD_OPTION_HTTPS_MEM_TRUST;
            opts[n++].ptr_value = (void *)(uintptr_t)nm_webconfig_client_ca_pem(srv->web);
        }
        if (srv->client_auth != NM_CLIENT_AUTH_NONE) {
            /* two-argument options: the function in value, its cls in ptr_value */
            opts[n].option = MHD_OPTION_NOTIFY_CONNECTION;
            opts[n].value = (intptr_t)tls_connection_started;
            opts[n++].ptr_value = srv;
        }
    }
    opts[n].option = MHD_OPTION_END;
}

netmetrics_status nm_http_start(const nm_http_config *cfg, nm_http_server **out,
                                netmetrics_error *err)
{
    nm_http_server *srv;
    netmetrics_status st;
    struct stat fd_stat;
    unsigned int flags;
    struct MHD_OptionItem tls_opts[6];
    int fd = -1;

    *out = NULL;
    srv = calloc(1, sizeof *srv);
    if (!srv)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    srv->scraper = cfg->scraper;
    srv->log = cfg->log;
    srv->telemetry_path = cfg->telemetry_path;
    srv->connections_endpoint = cfg->connections_endpoint;
    srv->connections = cfg->connections;
    srv->max_requests = cfg->max_requests;
    srv->timeout_offset_ns = cfg->timeout_offset_ns;
    srv->stats = nm_http_stats_new(cfg->telemetry_path, cfg->connections_endpoint);
    srv->web = cfg->web;
    st = web_setup(srv, err);
    if (st != NETMETRICS_OK) {
        free_server(srv);
        return st;
    }
    if (create_responses(srv) < 0 || !srv->stats) {
        free_server(srv);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    st = open_listener(cfg, &fd, srv->address, sizeof srv->address, err);
    if (st != NETMETRICS_OK) {
        free_server(srv);
        return st;
    }
    if (fstat(fd, &fd_stat) < 0)
        memset(&fd_stat, 0, sizeof fd_stat);

    /* A thread per connection (at most --web.max-connections): a slow
     * client or the landing page never waits behind a scrape, and every
     * scrape reaches the handler at once, so --web.max-requests counts
     * them all and the scrape timeout is measured from their arrival. A
     * fixed pool would leave requests beyond it queued, unseen, inside MHD.
     * poll(), not select(): descriptors above FD_SETSIZE must work. ITC: a
     * finished connection thread wakes the listening thread to release its
     * slot at once, or the per-IP count would lag until the next accept. */
    flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
            MHD_USE_ERROR_LOG;
    if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES)
        flags |= MHD_USE_POLL;
    tls_options(srv, tls_opts, &flags);
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, handle_request, srv,
        /* first, so even start-up messages go through our logger */
        MHD_OPTION_EXTERNAL_LOGGER, nm_log_mhd, (void *)cfg->log,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_ARRAY, tls_opts,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->max_connections_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->connection_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY_LIMIT,
        MHD_OPTION_END);
    if (!srv->daemon) {
        close_if_same(fd, &fd_stat);
        free_server(srv);
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0,
                            "cannot start the HTTP server (libmicrohttpd %s)", MHD_get_version());
    }
    *out = srv;
    return NETMETRICS_OK;
}

const char *nm_http_address(const nm_http_server *srv)
{
    return srv->address;
}

void nm_http_stop(nm_http_server *srv)
{
    if (!srv)
        return;
    /* Joins MHD's threads and closes the listen socket we handed over. */
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    free_server(srv);
}

const char *nm_http_library_version(void)
{
    return MHD_get_version();
}

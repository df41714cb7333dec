/* SPDX-License-Identifier: MIT */
/* HTTP serving on libmicrohttpd. We create the listening socket ourselves:
 * MHD's own bind failure is only a log line and a NULL daemon, while main
 * must say "address already in use" and exit 1, and port 0 must report the
 * port chosen. The handler answers GET and HEAD only; every response carries
 * a Content-Type (Prometheus 3 rejects targets without one). The fixed
 * responses (landing page, 404, 405, 413, 500) are built once at start and
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
#include "gzip.h"
#include "http.h"
#include "nmerror.h"
#include "render.h"
#include "strbuf.h"

#define CONTENT_TYPE_TEXT "text/plain; charset=utf-8"
#define CONTENT_TYPE_HTML "text/html; charset=utf-8"

/* Two polling threads keep a slow client or the landing page from waiting
 * behind a scrape; more would only queue on the scrape lock. */
#define THREAD_POOL_SIZE 2u

/* MHD's per-connection pool holds the request line, headers and our reply
 * headers; 32 KiB (MHD's default, stated here so it is a decision) answers
 * oversized requests with a 4xx. */
#define CONNECTION_MEMORY_LIMIT ((size_t)32 * 1024)

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
    /* One compressor for all threads: scrapes are serialized by the
     * scraper anyway, and its buffer is reused from scrape to scrape. */
    nm_gzip *gzip;
    pthread_mutex_t gzip_lock;
    int connections_endpoint;
    nm_conn_config connections;
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
    /* Non-blocking because MHD's pool threads all accept on this socket and
     * only one of them wins each connection; close-on-exec so nothing we
     * might run inherits the port. */
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

static void destroy_responses(nm_http_server *srv)
{
    struct MHD_Response **all[] = {&srv->landing, &srv->not_found, &srv->not_allowed,
                                   &srv->has_body, &srv->failed, &srv->ok};
    size_t i;

    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (*all[i])
            MHD_destroy_response(*all[i]);
        *all[i] = NULL;
    }
}

/* Everything nm_http_start set up before the daemon. */
static void free_server(nm_http_server *srv)
{
    destroy_responses(srv);
    nm_gzip_free(srv->gzip);
    pthread_mutex_destroy(&srv->gzip_lock);
    free(srv);
}

static int create_responses(nm_http_server *srv)
{
    srv->landing = landing_response(srv->telemetry_path, nm_scraper_backend(srv->scraper));
    srv->not_found = static_response("404 page not found\n", CONTENT_TYPE_TEXT);
    srv->not_allowed = static_response("405 method not allowed\n", CONTENT_TYPE_TEXT);
    srv->has_body = static_response("413 request body not allowed\n", CONTENT_TYPE_TEXT);
    srv->failed = static_response("500 internal server error\n", CONTENT_TYPE_TEXT);
    srv->ok = static_response("OK", CONTENT_TYPE_TEXT);
    if (srv->not_allowed &&
        MHD_add_response_header(srv->not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES) {
        MHD_destroy_response(srv->not_allowed);
        srv->not_allowed = NULL;
    }
    if (!srv->landing || !srv->not_found || !srv->not_allowed || !srv->has_body || !srv->failed ||
        !srv->ok)
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- handler -- */

static enum MHD_Result respond(const nm_http_server *srv, struct MHD_Connection *conn,
                               const char *method, const char *url, unsigned status,
                               struct MHD_Response *resp)
{
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

/* A response carrying data gzip-compressed, or NULL (then the caller sends
 * it as is). MHD copies the compressed bytes, so the compressor's buffer is
 * free again when the lock is released. */
static struct MHD_Response *gzip_response(nm_http_server *srv, const char *data, size_t len)
{
    struct MHD_Response *resp = NULL;
    const void *z;
    size_t zlen;

    if (!srv->gzip)
        return NULL;
    pthread_mutex_lock(&srv->gzip_lock);
    if (nm_gzip_compress(srv->gzip, data, len, &z, &zlen) == 0) {
        resp = MHD_create_response_from_buffer(zlen, (void *)(uintptr_t)z, MHD_RESPMEM_MUST_COPY);
        if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") !=
                        MHD_YES) {
            MHD_destroy_response(resp);
            resp = NULL;
        }
    }
    pthread_mutex_unlock(&srv->gzip_lock);
    return resp;
}

/* The metrics: the format the Accept header asks for (accept.c), gzip when
 * Accept-Encoding allows it. */
static enum MHD_Result serve_metrics(nm_http_server *srv, struct MHD_Connection *conn,
                                     const char *method, const char *url)
{
    nm_format fmt;
    struct MHD_Response *resp = NULL;
    enum MHD_Result ret;
    nm_strbuf out;
    const char *hv;
    char *data;
    size_t len, hlen;

    hv = header_value(conn, MHD_HTTP_HEADER_ACCEPT, &hlen);
    fmt = nm_accept_format(hv, hlen);
    nm_strbuf_init(&out);
    if (nm_scraper_scrape(srv->scraper, fmt, &out) < 0) {
        nm_strbuf_free(&out);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    data = nm_strbuf_steal(&out, &len);
    hv = header_value(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING, &hlen);
    if (data && nm_accept_encoding_gzip(hv, hlen) && (resp = gzip_response(srv, data, len))) {
        free(data);
    } else if (!data) {
        /* nothing rendered, nothing allocated: an empty body */
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        /* MHD frees data once the response is destroyed and sent */
        resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
        if (!resp)
            free(data);
    }
    if (!resp)
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    /* Vary on every metrics answer, compressed or not, so a cache never
     * hands a gzip body to a client that did not ask for one. */
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                nm_format_content_type(fmt)) != MHD_YES ||
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding") != MHD_YES) {
        MHD_destroy_response(resp);
        return respond(srv, conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->failed);
    }
    ret = respond(srv, conn, method, url, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
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

netmetrics_status nm_http_start(const nm_http_config *cfg, nm_http_server **out,
                                netmetrics_error *err)
{
    nm_http_server *srv;
    netmetrics_status st;
    struct stat fd_stat;
    struct MHD_OptionItem pool_opts[2];
    unsigned int flags, pool;
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
    /* Level 1: most of the size gain of gzip at a fraction of the CPU. */
    srv->gzip = nm_gzip_new(1);
    pthread_mutex_init(&srv->gzip_lock, NULL);
    if (create_responses(srv) < 0 || !srv->gzip) {
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

    flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    /* MHD splits the connection limit between pool threads, and warns
     * about a pool of one, so a limit of 1 gets the plain polling thread. */
    pool = cfg->max_connections < THREAD_POOL_SIZE ? 1u : THREAD_POOL_SIZE;
    memset(pool_opts, 0, sizeof pool_opts);
    pool_opts[0].option = MHD_OPTION_END;
    if (pool > 1) {
        pool_opts[0].option = MHD_OPTION_THREAD_POOL_SIZE;
        pool_opts[0].value = (intptr_t)pool;
        pool_opts[1].option = MHD_OPTION_END;
    }
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, handle_request, srv,
        /* first, so even start-up messages go through our logger */
        MHD_OPTION_EXTERNAL_LOGGER, nm_log_mhd, (void *)cfg->log,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_ARRAY, pool_opts,
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

/* SPDX-License-Identifier: MIT */
/* The benchmark's HTTP client. It measures scrape latency the way a
 * Prometheus server sees it over a kept-alive connection: the time from
 * writing a GET to having read the whole body, with as little of its own
 * cost as possible in the figure (no interpreter, no per-request
 * allocation, one connection reused). It speaks just enough HTTP/1.1 for
 * the two exporters it is pointed at: a status line, Content-Length or
 * chunked bodies, and "Connection: close" (after which it reconnects and
 * counts it). It never asks for gzip, so every exporter sends plain text.
 *
 * Sequential mode (-n COUNT [-T SECONDS]): one connection, COUNT requests
 * or fewer when SECONDS run out; each latency in microseconds goes to -o
 * FILE (appended, one per line), and one summary line to stdout.
 * Concurrent mode (-c CLIENTS -d SECONDS): one thread and connection per
 * client, each looping until the deadline; one summary line with the
 * completed requests, the rate, and the latency median and p99.
 * Exit status: 0, 1 when a request failed (refused, non-200, bad framing),
 * 2 for a bad argument. Built by bench/run.sh; not installed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define READ_BUF (256 * 1024)

struct target {
    struct sockaddr_in addr;
    char request[512];
    size_t request_len;
};

/* One connection with its read buffer; bytes [start, end) are unread. */
struct conn {
    int fd;
    size_t start, end;
    char buf[READ_BUF];
};

/* Latencies of one thread, in nanoseconds. */
struct samples {
    uint64_t *v;
    size_t n, cap;
};

struct worker {
    pthread_t thread;
    const struct target *tgt;
    uint64_t deadline;
    struct samples lat;
    uint64_t bytes, errors, reconnects;
};

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int samples_add(struct samples *s, uint64_t v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        uint64_t *nv = realloc(s->v, cap * sizeof *nv);

        if (!nv)
            return -1;
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = v;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted values (p in 0..100). */
static uint64_t percentile(const uint64_t *v, size_t n, unsigned p)
{
    size_t rank;

    if (n == 0)
        return 0;
    rank = (n * p + 99) / 100;
    if (rank == 0)
        rank = 1;
    return v[rank - 1];
}

static int conn_open(struct conn *c, const struct target *t)
{
    int one = 1;

    c->start = c->end = 0;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    /* The request is one small write; don't let Nagle hold it back. */
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (const struct sockaddr *)&t->addr, sizeof t->addr) != 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* Reads more bytes into the buffer. Returns the count, 0 at EOF, -1 on
 * error or when a single line would not fit. */
static ssize_t conn_fill(struct conn *c)
{
    ssize_t n;

    if (c->start == c->end) {
        c->start = c->end = 0;
    } else if (c->end == sizeof c->buf) {
        if (c->start == 0)
            return -1;
        memmove(c->buf, c->buf + c->start, c->end - c->start);
        c->end -= c->start;
        c->start = 0;
    }
    do {
        n = recv(c->fd, c->buf + c->end, sizeof c->buf - c->end, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        c->end += (size_t)n;
    return n;
}

/* Copies one line (without CR LF, NUL-terminated, truncated to size) and
 * consumes it. Returns 0, or -1 at EOF or on error. */
static int conn_line(struct conn *c, char *line, size_t size)
{
    for (;;) {
        char *nl = memchr(c->buf + c->start, '\n', c->end - c->start);

        if (nl) {
            size_t len = (size_t)(nl - (c->buf + c->start));
            size_t copy = len;

            if (copy > 0 && c->buf[c->start + copy - 1] == '\r')
                copy--;
            if (copy >= size)
                copy = size - 1;
            memcpy(line, c->buf + c->start, copy);
            line[copy] = '\0';
            c->start += len + 1;
            return 0;
        }
        if (conn_fill(c) <= 0)
            return -1;
    }
}

/* Consumes n body bytes. Returns 0, or -1 when the peer closed early. */
static int conn_skip(struct conn *c, uint64_t n)
{
    while (n > 0) {
        size_t have = c->end - c->start;

        if (have == 0) {
            if (conn_fill(c) <= 0)
                return -1;
            continue;
        }
        if ((uint64_t)have > n)
            have = (size_t)n;
        c->start += have;
        n -= have;
    }
    return 0;
}

/* Reads one response. Returns the body size, or -1 on a failed read or a
 * status other than 200. *must_close is set when the server will close. */
static int64_t read_response(struct conn *c, int *must_close)
{
    char line[1024];
    int status = 0, chunked = 0, have_length = 0;
    uint64_t length = 0, body = 0;

    *must_close = 0;
    if (conn_line(c, line, sizeof line) != 0)
        return -1;
    if (sscanf(line, "HTTP/1.%*d %d", &status) != 1)
        return -1;
    for (;;) {
        if (conn_line(c, line, sizeof line) != 0)
            return -1;
        if (line[0] == '\0')
            break;
        if (strncasecmp(line, "content-length:", 15) == 0) {
            length = strtoull(line + 15, NULL, 10);
            have_length = 1;
        } else if (strncasecmp(line, "transfer-encoding:", 18) == 0) {
            chunked = strcasestr(line + 18, "chunked") != NULL;
        } else if (strncasecmp(line, "connection:", 11) == 0) {
            *must_close = strcasestr(line + 11, "close") != NULL;
        }
    }
    if (chunked) {
        for (;;) {
            uint64_t size;

            if (conn_line(c, line, sizeof line) != 0)
                return -1;
            size = strtoull(line, NULL, 16);
            if (size == 0) {
                /* trailers, up to the empty line */
                do {
                    if (conn_line(c, line, sizeof line) != 0)
                        return -1;
                } while (line[0] != '\0');
                break;
            }
            if (conn_skip(c, size) != 0 || conn_line(c, line, sizeof line) != 0)
                return -1;
            body += size;
        }
    } else if (have_length) {
        if (conn_skip(c, length) != 0)
            return -1;
        body = length;
    } else {
        /* No framing: the body runs to EOF. */
        while (conn_fill(c) > 0) {
            body += c->end - c->start;
            c->start = c->end;
        }
        *must_close = 1;
    }
    if (status != 200)
        return -1;
    return (int64_t)body;
}

/* Sends one request and reads its response on c, reconnecting first when
 * c is closed. Returns the body size or -1. */
static int64_t scrape_once(struct conn *c, const struct target *t, uint64_t *reconnects)
{
    size_t off = 0;
    int64_t body;
    int must_close;

    if (c->fd < 0) {
        if (conn_open(c, t) != 0)
            return -1;
        (*reconnects)++;
    }
    while (off < t->request_len) {
        ssize_t n = send(c->fd, t->request + off, t->request_len - off, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            conn_close(c);
            return -1;
        }
        off += (size_t)n;
    }
    body = read_response(c, &must_close);
    if (body < 0 || must_close)
        conn_close(c);
    return body;
}

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct conn *c = malloc(sizeof *c);

    if (!c) {
        w->errors++;
        return NULL;
    }
    c->fd = -1;
    while (now_ns() < w->deadline) {
        uint64_t t0 = now_ns();
        int64_t body = scrape_once(c, w->tgt, &w->reconnects);

        if (body < 0) {
            w->errors++;
            /* a refused connection must not spin */
            usleep(1000);
            continue;
        }
        w->bytes += (uint64_t)body;
        if (samples_add(&w->lat, now_ns() - t0) != 0) {
            w->errors++;
            break;
        }
    }
    conn_close(c);
    free(c);
    return NULL;
}

static int run_concurrent(const struct target *t, unsigned clients, double seconds)
{
    struct worker *ws = calloc(clients, sizeof *ws);
    struct samples all = {0};
    uint64_t t0, t1, errors = 0, reconnects = 0;
    unsigned i, started = 0;
    double elapsed;

    if (!ws)
        return 1;
    t0 = now_ns();
    for (i = 0; i < clients; i++) {
        ws[i].tgt = t;
        ws[i].deadline = t0 + (uint64_t)(seconds * 1e9);
        if (pthread_create(&ws[i].thread, NULL, worker_run, &ws[i]) != 0)
            break;
        started++;
    }
    for (i = 0; i < started; i++)
        pthread_join(ws[i].thread, NULL);
    t1 = now_ns();
    for (i = 0; i < started; i++) {
        size_t k;

        errors += ws[i].errors;
        reconnects += ws[i].reconnects;
        for (k = 0; k < ws[i].lat.n; k++)
            if (samples_add(&all, ws[i].lat.v[k]) != 0)
                errors++;
        free(ws[i].lat.v);
    }
    free(ws);
    /* requests still in flight at the deadline finish a little later */
    elapsed = (double)(t1 - t0) / 1e9;
    qsort(all.v, all.n, sizeof *all.v, cmp_u64);
    printf("clients=%u requests=%zu seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f "
           "errors=%llu reconnects=%llu\n",
           started, all.n, elapsed, elapsed > 0 ? (double)all.n / elapsed : 0.0,
           (double)percentile(all.v, all.n, 50) / 1e6,
           (double)percentile(all.v, all.n, 99) / 1e6, (unsigned long long)errors,
           (unsigned long long)reconnects);
    free(all.v);
    return errors || started < clients ? 1 : 0;
}

static int run_sequential(const struct target *t, unsigned long count, double seconds,
                          const char *out_path)
{
    struct conn *c = malloc(sizeof *c);
    struct samples lat = {0};
    uint64_t deadline, reconnects = 0, bytes = 0;
    unsigned long i;
    FILE *out = NULL;
    int rc = 0;

    if (!c)
        return 1;
    c->fd = -1;
    if (conn_open(c, t) != 0) {
        fprintf(stderr, "scrape_client: cannot connect: %s\n", strerror(errno));
        free(c);
        return 1;
    }
    deadline = seconds > 0 ? now_ns() + (uint64_t)(seconds * 1e9) : UINT64_MAX;
    for (i = 0; i < count; i++) {
        uint64_t t0 = now_ns();
        int64_t body = scrape_once(c, t, &reconnects);
        uint64_t t1 = now_ns();

        if (body < 0) {
            fprintf(stderr, "scrape_client: request %lu failed\n", i + 1);
            rc = 1;
            break;
        }
        bytes = (uint64_t)body;
        if (samples_add(&lat, t1 - t0) != 0) {
            rc = 1;
            break;
        }
        if (t1 >= deadline)
            break;
    }
    conn_close(c);
    free(c);
    if (out_path) {
        out = fopen(out_path, "a");
        if (!out) {
            fprintf(stderr, "scrape_client: %s: %s\n", out_path, strerror(errno));
            free(lat.v);
            return 1;
        }
        for (i = 0; i < lat.n; i++)
            fprintf(out, "%.3f\n", (double)lat.v[i] / 1e3);
        if (fclose(out) != 0)
            rc = 1;
    }
    {
        uint64_t total = 0;

        for (i = 0; i < lat.n; i++)
            total += lat.v[i];
        qsort(lat.v, lat.n, sizeof *lat.v, cmp_u64);
        printf("requests=%zu seconds=%.3f body_bytes=%llu p50_ms=%.3f p99_ms=%.3f "
               "reconnects=%llu\n",
               lat.n, (double)total / 1e9, (unsigned long long)bytes,
               (double)percentile(lat.v, lat.n, 50) / 1e6,
               (double)percentile(lat.v, lat.n, 99) / 1e6, (unsigned long long)reconnects);
    }
    free(lat.v);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: scrape_client -p PORT [-a ADDR] [-P PATH] -n COUNT [-T SECONDS] [-o FILE]\n"
               "       scrape_client -p PORT [-a ADDR] [-P PATH] -c CLIENTS -d SECONDS\n");
}

int main(int argc, char **argv)
{
    struct target t;
    const char *addr = "127.0.0.1", *path = "/metrics", *out_path = NULL;
    unsigned long port = 0, count = 0, clients = 0;
    double seconds = 0, duration = 0;
    int opt, len;

    while ((opt = getopt(argc, argv, "a:p:P:n:T:o:c:d:h")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = strtoul(optarg, NULL, 10); break;
        case 'P': path = optarg; break;
        case 'n': count = strtoul(optarg, NULL, 10); break;
        case 'T': seconds = strtod(optarg, NULL); break;
        case 'o': out_path = optarg; break;
        case 'c': clients = strtoul(optarg, NULL, 10); break;
        case 'd': duration = strtod(optarg, NULL); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (port == 0 || port > 65535 || (count == 0 && clients == 0) ||
        clients > MAX_CLIENTS || (clients && duration <= 0)) {
        usage(stderr);
        return 2;
    }
    memset(&t, 0, sizeof t);
    t.addr.sin_family = AF_INET;
    t.addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, addr, &t.addr.sin_addr) != 1) {
        fprintf(stderr, "scrape_client: bad IPv4 address %s\n", addr);
        return 2;
    }
    len = snprintf(t.request, sizeof t.request,
                   "GET %s HTTP/1.1\r\nHost: %s:%lu\r\nUser-Agent: netmetrics-bench\r\n"
                   "Accept: text/plain;version=0.0.4\r\n\r\n",
                   path, addr, port);
    if (len < 0 || (size_t)len >= sizeof t.request) {
        fprintf(stderr, "scrape_client: path too long\n");
        return 2;
    }
    t.request_len = (size_t)len;
    if (clients)
        return run_concurrent(&t, (unsigned)clients, duration);
    return run_sequential(&t, count, seconds, out_path);
}

/* SPDX-License-Identifier: MIT */
/* Parsing the /proc/net/{tcp,udp}{,6} tables. Each data line is
 *   "sl: LOCAL:PORT REMOTE:PORT ST TXQ:RXQ TR:WHEN RETR UID TIMEOUT INODE ..."
 * with addresses as the kernel's 32-bit words in hex (%08X of the raw
 * __be32, so host byte order on the wire of the text), ports and state in
 * hex, uid and inode in decimal. Columns after the inode differ between
 * TCP and UDP and are ignored. A line is taken whole or not at all: a
 * short or garbled line is counted, never half-added. */
#include "config.h"

#include <string.h>

#include "nmerror.h"
#include "proc_net_tcp_parse.h"

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_blanks(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Exactly n (1..8) hex digits into *v. */
static int hex_fixed(cursor *c, size_t n, uint32_t *v)
{
    size_t i;

    if ((size_t)(c->end - c->p) < n)
        return -1;
    *v = 0;
    for (i = 0; i < n; i++) {
        int d = hex_digit(c->p[i]);

        if (d < 0)
            return -1;
        *v = (*v << 4) | (uint32_t)d;
    }
    c->p += n;
    return 0;
}

/* 1..8 hex digits (a queue size), up to the next non-hex character. */
static int hex_var(cursor *c, uint32_t *v)
{
    size_t n = 0;

    *v = 0;
    while (c->p < c->end && hex_digit(*c->p) >= 0) {
        if (++n > 8)
            return -1;
        *v = (*v << 4) | (uint32_t)hex_digit(*c->p);
        c->p++;
    }
    return n ? 0 : -1;
}

/* A decimal number of at most 20 digits that fits in 64 bits. */
static int dec_u64(cursor *c, uint64_t *v)
{
    size_t n = 0;

    *v = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        unsigned d = (unsigned)(*c->p - '0');

        if (*v > (UINT64_MAX - d) / 10)
            return -1;
        *v = *v * 10 + d;
        c->p++;
        n++;
    }
    return n ? 0 : -1;
}

/* Skips one blank-separated field; fails when there is none. */
static int skip_field(cursor *c)
{
    const char *start;

    skip_blanks(c);
    start = c->p;
    while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
        c->p++;
    return c->p > start ? 0 : -1;
}

static int expect(cursor *c, char ch)
{
    if (c->p >= c->end || *c->p != ch)
        return -1;
    c->p++;
    return 0;
}

/* The field ends here: a blank or the end of the line. */
static int field_end(const cursor *c)
{
    return c->p == c->end || *c->p == ' ' || *c->p == '\t';
}

/* "HEX:PORT": 1 word (IPv4) or 4 (IPv6), each copied in host order, which
 * restores the kernel's network-order bytes. */
static int parse_endpoint(cursor *c, int family, netmetrics_address *a, uint16_t *port)
{
    size_t words = family == NETMETRICS_FAMILY_INET ? 1 : 4, i;
    uint32_t v;

    memset(a, 0, sizeof *a);
    a->family = family;
    a->prefix_length = family == NETMETRICS_FAMILY_INET ? 32 : 128;
    skip_blanks(c);
    for (i = 0; i < words; i++) {
        if (hex_fixed(c, 8, &v) < 0)
            return -1;
        memcpy(a->bytes + 4 * i, &v, sizeof v);
    }
    if (expect(c, ':') < 0 || hex_fixed(c, 4, &v) < 0 || !field_end(c))
        return -1;
    *port = (uint16_t)v;
    return 0;
}

static const char *parse_line(cursor *c, int family, netmetrics_conn_protocol proto,
                              netmetrics_connection *out)
{
    uint32_t st, txq, rxq;
    uint64_t slot, uid, inode;

    skip_blanks(c);
    if (dec_u64(c, &slot) < 0 || expect(c, ':') < 0)
        return "no slot number";
    if (parse_endpoint(c, family, &out->local_addr, &out->local_port) < 0)
        return "bad local address";
    if (parse_endpoint(c, family, &out->remote_addr, &out->remote_port) < 0)
        return "bad remote address";
    skip_blanks(c);
    if (hex_fixed(c, 2, &st) < 0 || !field_end(c))
        return "bad state";
    skip_blanks(c);
    if (hex_var(c, &txq) < 0 || expect(c, ':') < 0 || hex_var(c, &rxq) < 0 || !field_end(c))
        return "bad queues";
    if (skip_field(c) < 0 || skip_field(c) < 0) /* tr:tm->when, retrnsmt */
        return "missing timer columns";
    skip_blanks(c);
    if (dec_u64(c, &uid) < 0 || uid > UINT32_MAX || !field_end(c))
        return "bad uid";
    if (skip_field(c) < 0) /* timeout */
        return "missing timeout";
    skip_blanks(c);
    if (dec_u64(c, &inode) < 0 || !field_end(c))
        return "bad inode";
    out->protocol = proto;
    out->family = family;
    out->state = nm_conn_state_from_linux(proto, st);
    out->send_queue = txq;
    out->receive_queue = rxq;
    out->uid = (uint32_t)uid;
    out->inode = inode;
    return NULL;
}

netmetrics_status nm_proc_net_parse(const char *text, size_t len, int family,
                                    netmetrics_conn_protocol proto, netmetrics_connections *l,
                                    netmetrics_error *why, netmetrics_error *err)
{
    const char *p = text, *end = text + len;
    int header = 1;
    size_t lineno = 0;

    if (family != NETMETRICS_FAMILY_INET && family != NETMETRICS_FAMILY_INET6)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "bad family %d", family);
    if (len == 0 || !text)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "empty socket table");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        cursor c;

        lineno++;
        c.p = p;
        c.end = eol;
        if (c.end > c.p && c.end[-1] == '\r')
            c.end--;
        p = nl ? nl + 1 : end;
        if (header) {
            static const char key[] = "local_address";
            const char *q;
            int found = 0;

            for (q = c.p; q + (sizeof key - 1) <= c.end; q++) {
                if (memcmp(q, key, sizeof key - 1) == 0) {
                    found = 1;
                    break;
                }
            }
            if (!found)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "socket table has no header line");
            header = 0;
            continue;
        }
        skip_blanks(&c);
        if (c.p == c.end)
            continue; /* a blank line */
        {
            netmetrics_connection *conn = nm_connlist_add(l);
            const char *bad;

            if (!conn)
                return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
            bad = parse_line(&c, family, proto, conn);
            if (bad) {
                nm_connlist_drop_last(l);
                if (l->malformed++ == 0)
                    nm_error_set(why, NETMETRICS_ERR_PARSE, 0, "line %zu: %s", lineno, bad);
            }
        }
    }
    if (header)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "socket table has no header line");
    return NETMETRICS_OK;
}

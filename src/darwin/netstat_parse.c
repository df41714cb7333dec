/* SPDX-License-Identifier: MIT */
/* `netstat -ibdn` parser (see netstat_parse.h). Works line by line on a
 * (pointer, length) view, splits on blanks into a fixed token array (a row
 * with more tokens than any netstat prints is rejected, not truncated), and
 * maps tokens to columns through the header, so nothing depends on column
 * widths except the truncation flag, which uses the header's own spacing. */
#include "config.h"

#include <string.h>

#include "netstat_parse.h"
#include "nmerror.h"
#include "utf8.h"

#define NM_NS_MAX_TOKENS 24

typedef struct token {
    const char *p;
    size_t n;
    size_t col; /* offset in the line */
} token;

typedef struct header {
    int found;
    size_t ncols;               /* numeric columns after Address */
    int col_field[NM_NS_MAX_TOKENS]; /* NM_NS_* or -1 for a column we ignore */
    uint32_t have;
    size_t name_width;          /* 0: unknown */
} header;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits a line; returns the token count, or NM_NS_MAX_TOKENS + 1 when
 * there are more. */
static size_t split(const char *line, size_t n, token *t)
{
    size_t i = 0, k = 0;

    while (i < n) {
        size_t start;

        while (i < n && is_blank(line[i]))
            i++;
        if (i >= n)
            break;
        start = i;
        while (i < n && !is_blank(line[i]))
            i++;
        if (k == NM_NS_MAX_TOKENS)
            return NM_NS_MAX_TOKENS + 1;
        t[k].p = line + start;
        t[k].n = i - start;
        t[k].col = start;
        k++;
    }
    return k;
}

static int tok_is(const token *t, const char *s)
{
    size_t n = strlen(s);

    return t->n == n && memcmp(t->p, s, n) == 0;
}

/* Decimal, no sign, no overflow. */
static int parse_u64(const char *p, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (n == 0 || n > 20)
        return -1;
    for (i = 0; i < n; i++) {
        unsigned d;

        if (p[i] < '0' || p[i] > '9')
            return -1;
        d = (unsigned)(p[i] - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* "a4:83:e7:1:2:3" (netstat may drop leading zeros). 0 and the length, or
 * -1 when it is not colon-separated hex. */
static int parse_mac(const token *t, uint8_t *out, size_t max, uint8_t *len)
{
    size_t i = 0, k = 0;

    while (i < t->n) {
        int hi = nm_hex_value(t->p[i]), lo;
        unsigned v;

        if (hi < 0 || k == max)
            return -1;
        v = (unsigned)hi;
        i++;
        if (i < t->n && t->p[i] != ':') {
            lo = nm_hex_value(t->p[i]);
            if (lo < 0)
                return -1;
            v = v * 16 + (unsigned)lo;
            i++;
        }
        out[k++] = (uint8_t)v;
        if (i < t->n) {
            if (t->p[i] != ':' || i + 1 == t->n)
                return -1;
            i++;
        }
    }
    if (k < 2)
        return -1;
    *len = (uint8_t)k;
    return 0;
}

static int field_of(const token *t)
{
    static const char *const names[NM_NS_FIELDS] = {"Ipkts", "Ierrs",  "Ibytes", "Opkts",
                                                    "Oerrs", "Obytes", "Coll",   "Drop"};
    int i;

    for (i = 0; i < NM_NS_FIELDS; i++)
        if (tok_is(t, names[i]))
            return i;
    return -1;
}

static int read_header(const token *t, size_t nt, header *h)
{
    size_t i;

    if (nt < 6 || nt > NM_NS_MAX_TOKENS || !tok_is(&t[0], "Name") || !tok_is(&t[1], "Mtu") ||
        !tok_is(&t[2], "Network") || !tok_is(&t[3], "Address"))
        return 0;
    memset(h, 0, sizeof *h);
    for (i = 4; i < nt; i++) {
        int f = field_of(&t[i]);

        h->col_field[i - 4] = f;
        if (f >= 0) {
            if (h->have & (1u << f))
                return 0; /* a column twice: not a header we understand */
            h->have |= 1u << f;
        }
    }
    if (!(h->have & (1u << NM_NS_IPKTS)) || !(h->have & (1u << NM_NS_OPKTS)))
        return 0;
    h->ncols = nt - 4;
    /* "Name" is left-aligned in a column as wide as the names, then a
     * space: where "Mtu" starts tells the width. */
    h->name_width = t[1].col > 1 ? t[1].col - 1 : 0;
    h->found = 1;
    return 1;
}

/* "<Link#N>" -> N, 1..INT32_MAX (an ifindex; macOS uses 16 bits). */
static int parse_link(const token *t, uint32_t *index)
{
    uint64_t v;

    if (t->n < 8 || memcmp(t->p, "<Link#", 6) != 0 || t->p[t->n - 1] != '>')
        return -1;
    if (parse_u64(t->p + 6, t->n - 7, INT32_MAX, &v) < 0 || v == 0)
        return -1;
    *index = (uint32_t)v;
    return 0;
}

static void reject(nm_netstat_summary *sum, unsigned line, const char *why)
{
    if (sum->rejected++ == 0) {
        sum->first_rejected_line = line;
        sum->first_rejected_why = why;
    }
}

/* One row under the header. Returns 1 delivered-ready, 0 skipped (address
 * row or rejected; the summary says which). */
static int read_row(const token *t, size_t nt, const header *h, unsigned line,
                    nm_netstat_row *r, nm_netstat_summary *sum)
{
    size_t rest, first, i, nlen;
    uint64_t v;

    if (nt > NM_NS_MAX_TOKENS) {
        reject(sum, line, "too many fields");
        return 0;
    }
    if (nt < 3) {
        reject(sum, line, "too few fields");
        return 0;
    }
    memset(r, 0, sizeof *r);
    r->line = line;
    if (parse_link(&t[2], &r->ifindex) < 0) {
        if (t[2].n >= 6 && memcmp(t[2].p, "<Link#", 6) == 0) {
            reject(sum, line, "malformed <Link#N>");
            return 0;
        }
        sum->address_rows++;
        return 0;
    }
    nlen = t[0].n;
    r->maybe_truncated = h->name_width > 0 && nlen >= h->name_width;
    if (nlen > 0 && t[0].p[nlen - 1] == '*') {
        r->down = 1;
        nlen--;
    }
    if (nlen == 0 || nlen >= NM_IFNAME_SIZE || memchr(t[0].p, '\0', nlen)) {
        reject(sum, line, "bad interface name");
        return 0;
    }
    memcpy(r->name, t[0].p, nlen);
    r->name[nlen] = '\0';
    if (parse_u64(t[1].p, t[1].n, UINT32_MAX, &v) < 0) {
        reject(sum, line, "bad MTU");
        return 0;
    }
    r->mtu = (uint32_t)v;

    rest = nt - 3;
    if (rest == h->ncols + 1) {
        /* an Address column: a MAC, or some other link address we ignore */
        if (parse_mac(&t[3], r->hwaddr, sizeof r->hwaddr, &r->hwaddr_len) < 0)
            r->hwaddr_len = 0;
        first = 4;
    } else if (rest == h->ncols) {
        first = 3;
    } else {
        reject(sum, line, "number of fields does not match the header");
        return 0;
    }
    for (i = 0; i < h->ncols; i++) {
        const token *c = &t[first + i];
        int f = h->col_field[i];

        if (c->n == 1 && c->p[0] == '-')
            v = 0;
        else if (parse_u64(c->p, c->n, UINT64_MAX, &v) < 0) {
            reject(sum, line, "bad number");
            return 0;
        }
        if (f >= 0)
            r->v[f] = v;
    }
    r->have = h->have;
    return 1;
}

netmetrics_status nm_netstat_parse(const char *text, size_t len, nm_netstat_cb cb, void *ctx,
                                   nm_netstat_summary *sum, netmetrics_error *err)
{
    nm_netstat_summary local;
    header h;
    token t[NM_NS_MAX_TOKENS];
    size_t pos = 0;
    unsigned line = 0;

    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    memset(&h, 0, sizeof h);
    if (!text && len)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no text");
    while (pos < len) {
        const char *l = text + pos;
        const char *nl = memchr(l, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - l) : len - pos;
        size_t nt;

        pos += n + (nl ? 1 : 0);
        line++;
        nt = split(l, n, t);
        if (nt == 0)
            continue;
        if (!h.found) {
            read_header(t, nt, &h);
            continue; /* lines before the header are not ours */
        }
        {
            nm_netstat_row r;

            if (read_row(t, nt, &h, line, &r, sum)) {
                netmetrics_status st;

                sum->rows++;
                if (cb && (st = cb(&r, ctx)) != NETMETRICS_OK)
                    return st;
            }
        }
    }
    if (!h.found)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "no netstat header (Name Mtu Network Address Ipkts ... Opkts ...)");
    return NETMETRICS_OK;
}

static void set_stat(struct netmetrics_interface *iface, netmetrics_stat s, uint64_t v)
{
    iface->stats[s] = v;
    iface->stats_valid |= 1u << s;
}

void nm_netstat_fill(const nm_netstat_row *r, struct netmetrics_interface *iface)
{
    static const struct {
        int field;
        netmetrics_stat stat;
    } map[] = {
        {NM_NS_IPKTS, NETMETRICS_STAT_RX_PACKETS}, {NM_NS_IERRS, NETMETRICS_STAT_RX_ERRORS},
        {NM_NS_IBYTES, NETMETRICS_STAT_RX_BYTES},  {NM_NS_OPKTS, NETMETRICS_STAT_TX_PACKETS},
        {NM_NS_OERRS, NETMETRICS_STAT_TX_ERRORS},  {NM_NS_OBYTES, NETMETRICS_STAT_TX_BYTES},
        {NM_NS_COLL, NETMETRICS_STAT_COLLISIONS},  {NM_NS_DROP, NETMETRICS_STAT_TX_DROPPED},
    };
    size_t i;

    iface->ifindex = (int32_t)r->ifindex;
    memcpy(iface->name, r->name, sizeof iface->name);
    iface->mtu = r->mtu;
    memcpy(iface->hwaddr, r->hwaddr, r->hwaddr_len);
    iface->hwaddr_len = r->hwaddr_len;
    iface->flags = r->down ? 0 : NETMETRICS_FLAG_UP;
    iface->operstate = (uint8_t)(r->down ? NETMETRICS_OPER_DOWN : NETMETRICS_OPER_UNKNOWN);
    for (i = 0; i < sizeof map / sizeof map[0]; i++)
        if (r->have & (1u << map[i].field))
            set_stat(iface, map[i].stat, r->v[map[i].field]);
}

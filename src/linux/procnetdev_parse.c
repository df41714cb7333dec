/* SPDX-License-Identifier: MIT */
/* /proc/net/dev parser. The kernel prints two header lines, then per
 * interface "%6s: %7llu ..." (older kernels "%6s:%8llu", so a wide first
 * counter may touch the colon). Names cannot contain ':' or white space, so
 * the first ':' on a line ends the name and leading blanks are padding. This
 * file must stay pure: no I/O, no allocation, no reads past `len`. */
#include "config.h"

#include <string.h>

#include "procnetdev_parse.h"

/* Where each column goes. The folded columns (rx frame = length + over +
 * crc + frame, tx carrier = carrier + aborted + window + heartbeat) match no
 * single netmetrics_stat, so they map nowhere: their stats_valid bits stay
 * clear and netmetrics_interface_stat() answers NOT_AVAILABLE for the
 * parts. rx drop is dropped + missed here (netlink keeps them apart); it is
 * still the closest thing to RX_DROPPED and is reported as such. */
static const int column_stat[NM_PND_FIELDS] = {
    [NM_PND_RX_BYTES] = NETMETRICS_STAT_RX_BYTES,
    [NM_PND_RX_PACKETS] = NETMETRICS_STAT_RX_PACKETS,
    [NM_PND_RX_ERRS] = NETMETRICS_STAT_RX_ERRORS,
    [NM_PND_RX_DROP] = NETMETRICS_STAT_RX_DROPPED,
    [NM_PND_RX_FIFO] = NETMETRICS_STAT_RX_FIFO_ERRORS,
    [NM_PND_RX_FRAME] = -1,
    [NM_PND_RX_COMPRESSED] = NETMETRICS_STAT_RX_COMPRESSED,
    [NM_PND_RX_MULTICAST] = NETMETRICS_STAT_MULTICAST,
    [NM_PND_TX_BYTES] = NETMETRICS_STAT_TX_BYTES,
    [NM_PND_TX_PACKETS] = NETMETRICS_STAT_TX_PACKETS,
    [NM_PND_TX_ERRS] = NETMETRICS_STAT_TX_ERRORS,
    [NM_PND_TX_DROP] = NETMETRICS_STAT_TX_DROPPED,
    [NM_PND_TX_FIFO] = NETMETRICS_STAT_TX_FIFO_ERRORS,
    [NM_PND_TX_COLLS] = NETMETRICS_STAT_COLLISIONS,
    [NM_PND_TX_CARRIER] = -1,
    [NM_PND_TX_COMPRESSED] = NETMETRICS_STAT_TX_COMPRESSED,
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The kernel's dev_valid_name() rules that matter to us: a name we accept
 * becomes a path component under /sys/class/net, so "/", "." and ".." must
 * never get through. */
static const char *check_name(const char *p, size_t n)
{
    size_t i;

    if (n == 0)
        return "empty interface name";
    if (n >= NM_IFNAME_SIZE)
        return "interface name longer than 15 bytes";
    if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
        return "interface name is . or ..";
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c == '\0' || c == '/' || c == ' ' || (c >= '\t' && c <= '\r'))
            return "forbidden byte in interface name";
    }
    return NULL;
}

/* Parses the counters in [p, end) into row->v. NULL, or why not. */
static const char *parse_counters(const char *p, const char *end, nm_procnetdev_row *row)
{
    int i;

    for (i = 0; i < NM_PND_FIELDS; i++) {
        uint64_t v = 0;

        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            return "fewer than 16 counters";
        if (!is_digit(*p))
            return "counter is not a decimal number";
        while (p < end && is_digit(*p)) {
            unsigned d = (unsigned)(*p - '0');

            if (v > (UINT64_MAX - d) / 10)
                return "counter over 2^64-1";
            v = v * 10 + d;
            p++;
        }
        if (p < end && !is_blank(*p))
            return "counter is not a decimal number";
        row->v[i] = v;
    }
    /* Extra numeric columns are ignored, so a kernel that appends one does
     * not cost us every row; anything else is garbage. */
    for (;;) {
        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            return NULL;
        if (!is_digit(*p))
            return "trailing garbage after the counters";
        while (p < end && is_digit(*p))
            p++;
        if (p < end && !is_blank(*p))
            return "trailing garbage after the counters";
    }
}

/* One line [ls, le) without its '\n'. Returns NULL for a row (filled), or
 * "" for a line to skip silently, or the reason to reject it. */
static const char *parse_line(const char *ls, const char *le, int terminated,
                              nm_procnetdev_row *row, int *is_header)
{
    const char *colon, *p, *why;

    *is_header = 0;
    if (le > ls && le[-1] == '\r')
        le--; /* CRLF, as from a file copied through another OS */
    for (p = ls; p < le && is_blank(*p); p++)
        ;
    if (p == le)
        return ""; /* blank line */
    colon = memchr(p, ':', (size_t)(le - p));
    if (!colon) {
        if (memchr(p, '|', (size_t)(le - p))) {
            *is_header = 1;
            return "";
        }
        return "no ':' after the interface name";
    }
    /* The kernel ends every line with '\n'; without one this is a read cut
     * short, and its last counter could be cut too (a false counter reset). */
    if (!terminated)
        return "last line is not terminated";
    why = check_name(p, (size_t)(colon - p));
    if (why)
        return why;
    memcpy(row->name, p, (size_t)(colon - p));
    row->name[colon - p] = '\0';
    return parse_counters(colon + 1, le, row);
}

netmetrics_status nm_procnetdev_parse(const char *text, size_t len, nm_procnetdev_cb cb,
                                      void *ctx, nm_procnetdev_summary *sum)
{
    nm_procnetdev_summary local;
    const char *p, *end;
    unsigned line = 0;

    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    if (!text)
        return NETMETRICS_OK; /* and NULL + 0 would be undefined */
    p = text;
    end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        nm_procnetdev_row row;
        const char *why;
        int header;

        line++;
        why = parse_line(p, le, nl != NULL, &row, &header);
        p = nl ? nl + 1 : end;
        if (why && *why == '\0') {
            if (header)
                sum->headers++;
            continue;
        }
        if (why) {
            if (sum->rejected++ == 0) {
                sum->first_rejected_line = line;
                sum->first_rejected_why = why;
            }
            continue;
        }
        row.line = line;
        sum->rows++;
        if (cb) {
            netmetrics_status st = cb(&row, ctx);

            if (st != NETMETRICS_OK)
                return st;
        }
    }
    return NETMETRICS_OK;
}

uint32_t nm_procnetdev_stats_mask(void)
{
    uint32_t mask = 0;
    int i;

    for (i = 0; i < NM_PND_FIELDS; i++)
        if (column_stat[i] >= 0)
            mask |= 1u << column_stat[i];
    return mask;
}

void nm_procnetdev_fill(const nm_procnetdev_row *row, struct netmetrics_interface *iface)
{
    int i;

    /* strlen, not sizeof: the bytes after the row's NUL are not set */
    memset(iface->name, 0, sizeof iface->name);
    memcpy(iface->name, row->name, strlen(row->name));
    for (i = 0; i < NM_PND_FIELDS; i++) {
        if (column_stat[i] < 0)
            continue;
        iface->stats[column_stat[i]] = row->v[i];
        iface->stats_valid |= 1u << column_stat[i];
    }
}

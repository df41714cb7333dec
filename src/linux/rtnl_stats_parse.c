/* SPDX-License-Identifier: MIT */
/* The RTM_NEWSTATS parser and the glue that walks a dump's buffers into a
 * sink. It must never do I/O and never trust a length from the buffer:
 * headers are copied out with memcpy after their bounds were checked, so
 * any bytes at any alignment are safe input (the fuzz target relies on it). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>

#include "nmerror.h"
#include "rtnl_stats_parse.h"

netmetrics_status nm_rtnl_parse_stats(const void *payload, size_t len, nm_rtnl_stats *out,
                                      netmetrics_error *err)
{
    const unsigned char *p = payload;
    const unsigned char *s64 = NULL, *d;
    size_t s64_len = 0, n, hdr;
    nm_if_stats_msg ism;
    nm_rtnl_attr_iter it;
    unsigned type;
    int r;

    memset(out, 0, sizeof *out);
    if (!p || len < sizeof ism)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWSTATS: truncated if_stats_msg (%zu of %zu bytes)",
                            p ? len : 0, sizeof ism);
    memcpy(&ism, p, sizeof ism);
    if (ism.ifindex == 0 || ism.ifindex > INT32_MAX)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "RTM_NEWSTATS: bad ifindex %u",
                            (unsigned)ism.ifindex);
    out->ifindex = (int32_t)ism.ifindex;

    hdr = NLMSG_ALIGN(sizeof ism);
    if (hdr > len)
        hdr = len;
    nm_rtnl_attr_start(&it, p + hdr, len - hdr, "RTM_NEWSTATS");
    while ((r = nm_rtnl_attr_next(&it, &type, &d, &n, err)) > 0) {
        if (type != NM_IFLA_STATS_LINK_64)
            continue; /* IFLA_STATS_UNSPEC pads for alignment; others not asked */
        if (n == 0 || n % sizeof(uint64_t))
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "IFLA_STATS_LINK_64 of %zu bytes for ifindex %d is not a whole, "
                                "non-zero number of counters",
                                n, out->ifindex);
        s64 = d;
        s64_len = n;
    }
    if (r < 0)
        return NETMETRICS_ERR_PARSE;
    if (!s64)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWSTATS for ifindex %d has no IFLA_STATS_LINK_64", out->ifindex);
    nm_rtnl_copy_counters(s64, s64_len / sizeof(uint64_t), sizeof(uint64_t), out->counters,
                          &out->valid);
    return NETMETRICS_OK;
}

/* The sink and its argument, for feed_stat. */
struct stats_feed {
    nm_rtnl_stats_sink sink;
    void *ctx;
};

static netmetrics_status feed_stat(void *ctx, const nm_rtnl_msg *m, netmetrics_error *perr)
{
    const struct stats_feed *f = ctx;
    nm_rtnl_stats s;
    netmetrics_status st = nm_rtnl_parse_stats(m->payload, m->payload_len, &s, perr);

    /* a message that does not parse is malformed whatever the parser said */
    if (st != NETMETRICS_OK)
        return st == NETMETRICS_ERR_NO_MEMORY || st == NETMETRICS_ERR_NOT_AVAILABLE
                   ? NETMETRICS_ERR_PARSE
                   : st;
    if (f->sink)
        f->sink(f->ctx, &s);
    return NETMETRICS_OK;
}

netmetrics_status nm_rtnl_feed_stats(nm_rtnl_walker *w, const void *buf, size_t len,
                                     nm_rtnl_stats_sink sink, void *ctx, nm_rtnl_tally *t,
                                     netmetrics_error *err)
{
    struct stats_feed f;

    f.sink = sink;
    f.ctx = ctx;
    return nm_rtnl_feed(w, buf, len, RTM_NEWSTATS, feed_stat, &f, t, err);
}

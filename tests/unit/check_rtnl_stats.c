/* SPDX-License-Identifier: MIT */
/* Unit tests of the cached rtnetlink path: the RTM_NEWSTATS parser and
 * feeder (on messages built here byte by byte: truncated at every length,
 * lying attribute lengths, wrong counter sizes, random mutations), the link
 * cache (notifications applied, bridge port messages ignored, doubt
 * invalidating, stats merged by ifindex, a cache behind the kernel noticed),
 * and the backend live on this machine: after the first collection the
 * cached path serves, and gives what a full dump gives. Buffers under test
 * are exactly-sized heap copies, so ASan catches an over-read. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "backend.h"
#include "linkcache.h"
#include "netlink_backend.h"
#include "netmetrics.h"
#include "nmerror.h"
#include "rtnl_parse.h"
#include "rtnl_stats_parse.h"
#include "snapshot.h"

#define SEQ 11u
#define PID 4243u
#ifndef AF_BRIDGE
#define AF_BRIDGE 7
#endif

/* ------------------------------------------------------ buffer builder -- */

#define BUF_CAP 65536

typedef struct buf {
    unsigned char b[BUF_CAP];
    size_t len, msg;
} buf;

static buf *buf_new(void)
{
    buf *b = calloc(1, sizeof *b);

    ck_assert_ptr_nonnull(b);
    return b;
}

static void put(buf *b, const void *p, size_t n)
{
    ck_assert_uint_le(b->len + n, BUF_CAP - 4);
    if (n)
        memcpy(b->b + b->len, p, n);
    b->len += n;
}

static void pad(buf *b)
{
    while (b->len % 4)
        b->b[b->len++] = 0;
}

static void msg_start(buf *b, uint16_t type, uint16_t flags, uint32_t seq)
{
    struct nlmsghdr h;

    memset(&h, 0, sizeof h);
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    h.nlmsg_seq = seq;
    h.nlmsg_pid = PID;
    pad(b);
    b->msg = b->len;
    put(b, &h, sizeof h);
}

static void msg_end(buf *b)
{
    uint32_t l = (uint32_t)(b->len - b->msg);

    memcpy(b->b + b->msg, &l, sizeof l);
    pad(b);
}

static size_t attr(buf *b, uint16_t type, const void *p, size_t n)
{
    struct rtattr a;
    size_t at;

    pad(b);
    at = b->len;
    a.rta_len = (unsigned short)(sizeof a + n);
    a.rta_type = type;
    put(b, &a, sizeof a);
    put(b, p, n);
    pad(b);
    return at;
}

static uint64_t counter(int ifindex, size_t i)
{
    return ((uint64_t)ifindex << 40) + i * 7919u + 1;
}

/* One RTM_NEWSTATS with `count` u64 counters (and an IFLA_STATS_UNSPEC pad
 * first when padded, as 64-bit-unaligned architectures send). */
static void stats_msg(buf *b, uint32_t seq, uint32_t ifindex, size_t count, int padded)
{
    uint64_t v[NETMETRICS_STAT_COUNT + 4];
    nm_if_stats_msg ism;
    size_t i;

    ck_assert_uint_le(count, NETMETRICS_STAT_COUNT + 4);
    msg_start(b, RTM_NEWSTATS, NLM_F_MULTI, seq);
    memset(&ism, 0, sizeof ism);
    ism.ifindex = ifindex;
    ism.filter_mask = NM_IFLA_STATS_FILTER_LINK_64;
    put(b, &ism, sizeof ism);
    if (padded)
        attr(b, 0, NULL, 0);
    for (i = 0; i < count; i++)
        v[i] = counter((int)ifindex, i);
    attr(b, NM_IFLA_STATS_LINK_64, v, count * sizeof v[0]);
    msg_end(b);
}

static void done_msg(buf *b, uint32_t seq)
{
    int32_t zero = 0;

    msg_start(b, NLMSG_DONE, NLM_F_MULTI, seq);
    put(b, &zero, sizeof zero);
    msg_end(b);
}

static void error_msg(buf *b, uint32_t seq, int32_t code)
{
    struct nlmsghdr orig;

    msg_start(b, NLMSG_ERROR, 0, seq);
    put(b, &code, sizeof code);
    memset(&orig, 0, sizeof orig);
    orig.nlmsg_len = sizeof orig;
    orig.nlmsg_type = RTM_GETSTATS;
    put(b, &orig, sizeof orig);
    msg_end(b);
}

/* An RTM_NEWLINK or RTM_DELLINK as a notification (no NLM_F_MULTI) or a
 * dump message, with the attributes the link parser reads. */
static void link_msg(buf *b, uint16_t type, uint16_t flags, unsigned char family, int ifindex,
                     const char *name, uint32_t mtu)
{
    struct ifinfomsg ifi;
    uint64_t st[NETMETRICS_STAT_COUNT];
    size_t info;
    uint8_t oper = NETMETRICS_OPER_UP;

    msg_start(b, type, flags, 0);
    memset(&ifi, 0, sizeof ifi);
    ifi.ifi_family = family;
    ifi.ifi_index = ifindex;
    ifi.ifi_type = 1;
    ifi.ifi_flags = NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING;
    put(b, &ifi, sizeof ifi);
    attr(b, IFLA_IFNAME, name, strlen(name) + 1);
    attr(b, IFLA_MTU, &mtu, sizeof mtu);
    attr(b, IFLA_OPERSTATE, &oper, 1);
    info = attr(b, IFLA_LINKINFO, NULL, 0);
    attr(b, IFLA_INFO_KIND, "veth", 5);
    {
        unsigned short l = (unsigned short)(b->len - info);

        memcpy(b->b + info, &l, sizeof l);
    }
    memset(st, 0xab, sizeof st); /* counters in a link message: never used from the cache */
    attr(b, IFLA_STATS64, st, sizeof st);
    msg_end(b);
}

static void addr_msg(buf *b, uint16_t type, int ifindex)
{
    struct ifaddrmsg ifa;
    unsigned char a4[4] = {198, 18, 0, 1};

    msg_start(b, type, 0, 0);
    memset(&ifa, 0, sizeof ifa);
    ifa.ifa_family = AF_INET;
    ifa.ifa_prefixlen = 24;
    ifa.ifa_index = (uint32_t)ifindex;
    put(b, &ifa, sizeof ifa);
    attr(b, IFA_LOCAL, a4, sizeof a4);
    msg_end(b);
}

static unsigned char *exact_copy(const void *p, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(c);
    if (n)
        memcpy(c, p, n);
    return c;
}

#define ck_assert_msg_has(err, text) \
    ck_assert_msg(strstr((err)->message, (text)) != NULL, "message \"%s\" lacks \"%s\"", \
                  (err)->message, (text))

/* Parses the payload of the one message in b. */
static netmetrics_status parse_one(const buf *b, size_t msg_len, nm_rtnl_stats *out,
                                   netmetrics_error *err)
{
    size_t n = msg_len - sizeof(struct nlmsghdr);
    unsigned char *copy = exact_copy(b->b + sizeof(struct nlmsghdr), n);
    netmetrics_status st;

    nm_error_clear(err);
    st = nm_rtnl_parse_stats(copy, n, out, err);
    free(copy);
    return st;
}

/* --------------------------------------------------- RTM_NEWSTATS parse -- */

START_TEST(test_stats_all_counters)
{
    buf *b = buf_new();
    nm_rtnl_stats s;
    netmetrics_error err;
    size_t i;
    int padded;

    for (padded = 0; padded < 2; padded++) {
        b->len = 0;
        stats_msg(b, SEQ, 7, NETMETRICS_STAT_COUNT, padded);
        ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_OK);
        ck_assert_int_eq(s.ifindex, 7);
        ck_assert_uint_eq(s.valid, NM_STATS_ALL);
        for (i = 0; i < NETMETRICS_STAT_COUNT; i++)
            ck_assert_uint_eq(s.counters[i], counter(7, i));
    }
    free(b);
}
END_TEST

/* An older kernel (4.7 has 24 counters) sends fewer; a newer one more. */
START_TEST(test_stats_fewer_and_more_counters)
{
    buf *b = buf_new();
    nm_rtnl_stats s;
    netmetrics_error err;

    stats_msg(b, SEQ, 3, 23, 0);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_OK);
    ck_assert_uint_eq(s.valid, (1u << 23) - 1);
    ck_assert_uint_eq(s.counters[22], counter(3, 22));
    ck_assert_uint_eq(s.counters[23], 0);
    ck_assert_uint_eq(s.counters[NETMETRICS_STAT_COUNT - 1], 0);

    b->len = 0;
    stats_msg(b, SEQ, 3, NETMETRICS_STAT_COUNT + 3, 0);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_OK);
    ck_assert_uint_eq(s.valid, NM_STATS_ALL);
    ck_assert_uint_eq(s.counters[NETMETRICS_STAT_COUNT - 1],
                      counter(3, NETMETRICS_STAT_COUNT - 1));
    free(b);
}
END_TEST

START_TEST(test_stats_truncated_header)
{
    unsigned char bytes[sizeof(nm_if_stats_msg)] = {0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0};
    nm_rtnl_stats s;
    netmetrics_error err;
    size_t len;

    for (len = 0; len < sizeof bytes; len++) {
        unsigned char *c = exact_copy(bytes, len);

        nm_error_clear(&err);
        ck_assert_int_eq(nm_rtnl_parse_stats(c, len, &s, &err), NETMETRICS_ERR_PARSE);
        ck_assert_msg_has(&err, "truncated if_stats_msg");
        free(c);
    }
    ck_assert_int_eq(nm_rtnl_parse_stats(NULL, 0, &s, &err), NETMETRICS_ERR_PARSE);
}
END_TEST

START_TEST(test_stats_bad_ifindex)
{
    buf *b = buf_new();
    nm_rtnl_stats s;
    netmetrics_error err;

    stats_msg(b, SEQ, 0, NETMETRICS_STAT_COUNT, 0);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "bad ifindex 0");
    b->len = 0;
    stats_msg(b, SEQ, 0x80000000u, NETMETRICS_STAT_COUNT, 0);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "bad ifindex");
    free(b);
}
END_TEST

/* Zero-length and partial-counter IFLA_STATS_LINK_64, and none at all. */
START_TEST(test_stats_wrong_sizes)
{
    buf *b = buf_new();
    nm_if_stats_msg ism;
    nm_rtnl_stats s;
    netmetrics_error err;
    uint64_t v[3] = {1, 2, 3};

    memset(&ism, 0, sizeof ism);
    ism.ifindex = 4;
    /* zero length */
    msg_start(b, RTM_NEWSTATS, NLM_F_MULTI, SEQ);
    put(b, &ism, sizeof ism);
    attr(b, NM_IFLA_STATS_LINK_64, NULL, 0);
    msg_end(b);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_STATS_LINK_64 of 0 bytes");
    /* 12 bytes: one and a half counters */
    b->len = 0;
    msg_start(b, RTM_NEWSTATS, NLM_F_MULTI, SEQ);
    put(b, &ism, sizeof ism);
    attr(b, NM_IFLA_STATS_LINK_64, v, 12);
    msg_end(b);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_STATS_LINK_64 of 12 bytes");
    /* only other attributes */
    b->len = 0;
    msg_start(b, RTM_NEWSTATS, NLM_F_MULTI, SEQ);
    put(b, &ism, sizeof ism);
    attr(b, 2 /* IFLA_STATS_LINK_XSTATS */, v, sizeof v);
    msg_end(b);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "no IFLA_STATS_LINK_64");
    /* no attributes at all */
    b->len = 0;
    msg_start(b, RTM_NEWSTATS, NLM_F_MULTI, SEQ);
    put(b, &ism, sizeof ism);
    msg_end(b);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    free(b);
}
END_TEST

/* Attribute lengths that lie: below the header, past the message, and a
 * nested overrun (an attribute claiming more than the message holds). */
START_TEST(test_stats_attr_overruns)
{
    buf *b = buf_new();
    nm_rtnl_stats s;
    netmetrics_error err;
    size_t at = sizeof(struct nlmsghdr) + sizeof(nm_if_stats_msg);
    unsigned short l;

    stats_msg(b, SEQ, 5, NETMETRICS_STAT_COUNT, 0);
    l = 2;
    memcpy(b->b + at, &l, sizeof l);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "shorter than its");

    b->len = 0;
    stats_msg(b, SEQ, 5, NETMETRICS_STAT_COUNT, 0);
    l = (unsigned short)(b->len - at + 8);
    memcpy(b->b + at, &l, sizeof l);
    ck_assert_int_eq(parse_one(b, b->len, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "past the");

    /* 3 trailing bytes after the counters */
    b->len = 0;
    stats_msg(b, SEQ, 5, NETMETRICS_STAT_COUNT, 0);
    ck_assert_int_eq(parse_one(b, b->len + 3, &s, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "too short for an attribute header");
    free(b);
}
END_TEST

/* Every cut of one message (the walker hands the parser every truncated
 * attribute list) and of a whole dump buffer: never a crash or an
 * over-read, and every answer is OK or a parse error. */
START_TEST(test_stats_truncation_every_length)
{
    buf *b = buf_new();
    nm_rtnl_stats s;
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t len, one;
    netmetrics_status st;

    stats_msg(b, SEQ, 9, NETMETRICS_STAT_COUNT, 1);
    one = b->len;
    for (len = sizeof(struct nlmsghdr); len <= one; len++) {
        st = parse_one(b, len, &s, &err);
        ck_assert_int_eq(st, len == one ? NETMETRICS_OK : NETMETRICS_ERR_PARSE);
    }
    stats_msg(b, SEQ, 10, NETMETRICS_STAT_COUNT, 0);
    done_msg(b, SEQ);
    for (len = 0; len <= b->len; len++) {
        unsigned char *c = exact_copy(b->b, len);

        nm_rtnl_walk_init(&w);
        nm_rtnl_tally_init(&t);
        nm_error_clear(&err);
        st = nm_rtnl_feed_stats(&w, c, len, NULL, NULL, &t, &err);
        ck_assert_msg(st == NETMETRICS_OK || st == NETMETRICS_ERR_PARSE, "len %zu: %d", len,
                      (int)st);
        if (len == one)
            ck_assert_uint_eq(t.added, 1);
        free(c);
    }
    free(b);
}
END_TEST

typedef struct sink_log {
    int n;
    int32_t ifindex[16];
    uint64_t first[16];
} sink_log;

static void log_sink(void *ctx, const nm_rtnl_stats *s)
{
    sink_log *l = ctx;

    ck_assert_int_lt(l->n, 16);
    l->ifindex[l->n] = s->ifindex;
    l->first[l->n] = s->counters[0];
    l->n++;
}

/* A dump over two buffers with a malformed message in the middle, a
 * message of another type and one with a foreign seq. */
START_TEST(test_stats_feed_dump)
{
    buf *b1 = buf_new(), *b2 = buf_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    sink_log log;
    unsigned char *c;

    memset(&log, 0, sizeof log);
    stats_msg(b1, SEQ, 1, NETMETRICS_STAT_COUNT, 0);
    stats_msg(b1, SEQ, 2, 0, 0); /* zero-length counters: malformed */
    stats_msg(b1, SEQ + 1, 99, NETMETRICS_STAT_COUNT, 0); /* not ours */
    stats_msg(b2, SEQ, 3, NETMETRICS_STAT_COUNT, 0);
    msg_start(b2, RTM_NEWLINK, NLM_F_MULTI, SEQ);
    msg_end(b2);
    done_msg(b2, SEQ);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_expect(&w, SEQ, PID);
    nm_rtnl_tally_init(&t);
    c = exact_copy(b1->b, b1->len);
    ck_assert_int_eq(nm_rtnl_feed_stats(&w, c, b1->len, log_sink, &log, &t, &err), NETMETRICS_OK);
    free(c);
    ck_assert(!nm_rtnl_walk_done(&w));
    c = exact_copy(b2->b, b2->len);
    ck_assert_int_eq(nm_rtnl_feed_stats(&w, c, b2->len, log_sink, &log, &t, &err), NETMETRICS_OK);
    free(c);
    ck_assert(nm_rtnl_walk_done(&w));
    ck_assert_int_eq(log.n, 2);
    ck_assert_int_eq(log.ifindex[0], 1);
    ck_assert_int_eq(log.ifindex[1], 3);
    ck_assert_uint_eq(log.first[1], counter(3, 0));
    ck_assert_uint_eq(t.added, 2);
    ck_assert_uint_eq(t.malformed, 1);
    ck_assert_msg_has(&t.first_error, "IFLA_STATS_LINK_64 of 0 bytes");
    ck_assert_uint_eq(t.skipped, 1);
    ck_assert_uint_eq(w.foreign, 1);
    free(b1);
    free(b2);
}
END_TEST

/* A kernel without RTM_GETSTATS answers EOPNOTSUPP: the error says so. */
START_TEST(test_stats_feed_kernel_error)
{
    buf *b = buf_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    unsigned char *c;

    error_msg(b, SEQ, -EOPNOTSUPP);
    c = exact_copy(b->b, b->len);
    nm_rtnl_walk_init(&w);
    nm_rtnl_tally_init(&t);
    nm_error_clear(&err);
    ck_assert_int_ne(nm_rtnl_feed_stats(&w, c, b->len, NULL, NULL, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(err.sys_errno, EOPNOTSUPP);
    free(c);
    free(b);
}
END_TEST

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Random mutations of a stats dump and of a notification datagram, through
 * the stats feeder and the link cache: no crash, no over-read, and the
 * cache's invariants hold (emitted links sorted and unique). */
START_TEST(test_random_mutations)
{
    buf *stats = buf_new(), *events = buf_new();
    netmetrics_snapshot *snap = netmetrics_snapshot_new(), *seed_snap;
    nm_linkcache *lc = nm_linkcache_new();
    uint32_t seed = 0x2545f491u;
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t j;
    int i, k;

    ck_assert_ptr_nonnull(lc);
    stats_msg(stats, SEQ, 1, NETMETRICS_STAT_COUNT, 0);
    stats_msg(stats, SEQ, 2, NETMETRICS_STAT_COUNT, 1);
    done_msg(stats, SEQ);
    link_msg(events, RTM_NEWLINK, 0, AF_UNSPEC, 5, "eth5", 1500);
    link_msg(events, RTM_DELLINK, 0, AF_UNSPEC, 2, "eth2", 1500);
    addr_msg(events, RTM_NEWADDR, 5);
    seed_snap = netmetrics_snapshot_new();
    for (k = 1; k <= 3; k++) {
        struct netmetrics_interface *it = nm_snapshot_add_interface(seed_snap);

        it->ifindex = k;
        snprintf(it->name, sizeof it->name, "eth%d", k);
    }
    for (i = 0; i < 20000; i++) {
        const buf *src = (i & 1) ? events : stats;
        size_t len = src->len - (xorshift(&seed) % 8 == 0 ? xorshift(&seed) % src->len : 0);
        unsigned char *c = exact_copy(src->b, len);
        int flips = 1 + (int)(xorshift(&seed) % 4);

        for (k = 0; k < flips && len; k++)
            c[xorshift(&seed) % len] = (unsigned char)xorshift(&seed);
        if (i & 1) {
            if (!nm_linkcache_links_valid(lc))
                ck_assert_int_eq(nm_linkcache_load_links(lc, seed_snap, 0), 0);
            nm_linkcache_feed_events(lc, c, len);
            if (nm_linkcache_links_valid(lc)) {
                nm_snapshot_reset(snap);
                ck_assert_int_eq(nm_linkcache_emit_links(lc, snap, &err), NETMETRICS_OK);
                for (j = 1; j < snap->count; j++)
                    ck_assert_int_lt(snap->ifaces[j - 1].ifindex, snap->ifaces[j].ifindex);
                (void)nm_linkcache_merge_complete(lc);
            }
        } else {
            nm_rtnl_walk_init(&w);
            nm_rtnl_tally_init(&t);
            (void)nm_rtnl_feed_stats(&w, c, len, NULL, NULL, &t, &err);
            ck_assert_uint_le(t.added, len / 40);
        }
        free(c);
    }
    nm_linkcache_free(lc);
    netmetrics_snapshot_free(snap);
    netmetrics_snapshot_free(seed_snap);
    free(stats);
    free(events);
}
END_TEST

/* ------------------------------------------------------------ linkcache -- */

/* A snapshot as a full dump leaves it: links with names, MTUs and counters. */
static netmetrics_snapshot *dumped(const int *ifindexes, size_t n)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    size_t i;

    ck_assert_ptr_nonnull(snap);
    for (i = 0; i < n; i++) {
        struct netmetrics_interface *it = nm_snapshot_add_interface(snap);

        ck_assert_ptr_nonnull(it);
        it->ifindex = ifindexes[i];
        snprintf(it->name, sizeof it->name, "if%d", ifindexes[i]);
        it->mtu = 1000u + (uint32_t)ifindexes[i];
        it->stats[0] = 12345;
        it->stats_valid = NM_STATS_ALL;
        it->counters_32bit = 1;
    }
    return snap;
}

static nm_linkcache *loaded(const int *ifindexes, size_t n)
{
    netmetrics_snapshot *snap = dumped(ifindexes, n);
    nm_linkcache *lc = nm_linkcache_new();

    ck_assert_ptr_nonnull(lc);
    ck_assert(!nm_linkcache_links_valid(lc));
    ck_assert_int_eq(nm_linkcache_load_links(lc, snap, 0), 0);
    ck_assert(nm_linkcache_links_valid(lc));
    netmetrics_snapshot_free(snap);
    return lc;
}

/* Emits the cache into a fresh snapshot (the caller frees it). */
static netmetrics_snapshot *emitted(nm_linkcache *lc)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;

    ck_assert_ptr_nonnull(snap);
    ck_assert_int_eq(nm_linkcache_emit_links(lc, snap, &err), NETMETRICS_OK);
    return snap;
}

static void merge(nm_linkcache *lc, int ifindex)
{
    nm_rtnl_stats s;
    size_t i;

    memset(&s, 0, sizeof s);
    s.ifindex = ifindex;
    s.valid = NM_STATS_ALL;
    for (i = 0; i < NETMETRICS_STAT_COUNT; i++)
        s.counters[i] = counter(ifindex, i);
    nm_linkcache_merge_stats(lc, &s);
}

static void feed(nm_linkcache *lc, const buf *b)
{
    unsigned char *c = exact_copy(b->b, b->len);

    nm_linkcache_feed_events(lc, c, b->len);
    free(c);
}

/* Loading sorts (older kernels dump in hash order) and drops counters;
 * emitting gives the links in ifindex order without counters. */
START_TEST(test_cache_load_and_emit)
{
    static const int order[] = {7, 1, 300, 2, 44};
    nm_linkcache *lc = loaded(order, 5);
    netmetrics_snapshot *snap = emitted(lc);
    static const int want[] = {1, 2, 7, 44, 300};
    size_t i;

    ck_assert_uint_eq(nm_linkcache_link_count(lc), 5);
    ck_assert_uint_eq(snap->count, 5);
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(snap->ifaces[i].ifindex, want[i]);
        ck_assert_uint_eq(snap->ifaces[i].mtu, 1000u + (uint32_t)want[i]);
        ck_assert_uint_eq(snap->ifaces[i].stats_valid, 0);
        ck_assert_uint_eq(snap->ifaces[i].stats[0], 0);
        ck_assert_uint_eq(snap->ifaces[i].counters_32bit, 0);
    }
    ck_assert(!nm_linkcache_merge_complete(lc)); /* no stats came */
    netmetrics_snapshot_free(snap);
    nm_linkcache_free(lc);
}
END_TEST

/* Stats in order, in another order (hash-ordered dumps), with a link the
 * cache does not know, without one it knows, and twice for one. */
START_TEST(test_cache_merge)
{
    static const int idx[] = {1, 2, 5, 9};
    nm_linkcache *lc = loaded(idx, 4);
    netmetrics_snapshot *snap;
    size_t i, k;

    snap = emitted(lc);
    for (i = 0; i < 4; i++)
        merge(lc, idx[i]);
    ck_assert(nm_linkcache_merge_complete(lc));
    for (i = 0; i < 4; i++) {
        ck_assert_uint_eq(snap->ifaces[i].stats_valid, NM_STATS_ALL);
        for (k = 0; k < NETMETRICS_STAT_COUNT; k++)
            ck_assert_uint_eq(snap->ifaces[i].stats[k], counter(idx[i], k));
    }
    netmetrics_snapshot_free(snap);

    snap = emitted(lc);
    merge(lc, 9);
    merge(lc, 2);
    merge(lc, 1);
    merge(lc, 5);
    ck_assert(nm_linkcache_merge_complete(lc));
    ck_assert_uint_eq(snap->ifaces[3].stats[1], counter(9, 1));
    netmetrics_snapshot_free(snap);

    snap = emitted(lc); /* a new link (ifindex 10) the cache has not heard of */
    for (i = 0; i < 4; i++)
        merge(lc, idx[i]);
    merge(lc, 10);
    ck_assert(!nm_linkcache_merge_complete(lc));
    netmetrics_snapshot_free(snap);

    snap = emitted(lc); /* ifindex 5 gone */
    merge(lc, 1);
    merge(lc, 2);
    merge(lc, 9);
    ck_assert(!nm_linkcache_merge_complete(lc));
    netmetrics_snapshot_free(snap);

    snap = emitted(lc); /* one twice, one missing: same count, still behind */
    merge(lc, 1);
    merge(lc, 2);
    merge(lc, 2);
    merge(lc, 9);
    ck_assert(!nm_linkcache_merge_complete(lc));
    netmetrics_snapshot_free(snap);

    snap = emitted(lc); /* one below and one above every cached ifindex */
    merge(lc, 0);
    merge(lc, 100);
    for (i = 0; i < 4; i++)
        merge(lc, idx[i]);
    ck_assert(!nm_linkcache_merge_complete(lc));
    netmetrics_snapshot_free(snap);
    {
        nm_linkcache_counts c;

        nm_linkcache_get_counts(lc, &c);
        ck_assert_uint_eq(c.behind, 4);
    }
    nm_linkcache_free(lc);
}
END_TEST

/* Notifications: a rename and an MTU change replace the link, a new link
 * is added in order, a deleted one leaves, a re-created ifindex comes back;
 * several messages in one datagram are all applied. */
START_TEST(test_cache_events_applied)
{
    static const int idx[] = {1, 2, 5};
    nm_linkcache *lc = loaded(idx, 3);
    netmetrics_snapshot *snap;
    buf *b = buf_new();
    nm_linkcache_counts c;

    link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 2, "renamed", 1400);
    link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 8, "new8", 9000);
    link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 3, "mid3", 1280); /* inserted in the middle */
    link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 5, "if5", 1005);
    link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 77, "nosuch", 1); /* unknown: nothing */
    feed(lc, b);
    ck_assert(nm_linkcache_links_valid(lc));
    ck_assert_uint_eq(nm_linkcache_link_count(lc), 4);
    snap = emitted(lc);
    ck_assert_uint_eq(snap->count, 4);
    ck_assert_int_eq(snap->ifaces[0].ifindex, 1);
    ck_assert_int_eq(snap->ifaces[1].ifindex, 2);
    ck_assert_str_eq(snap->ifaces[1].name, "renamed");
    ck_assert_uint_eq(snap->ifaces[1].mtu, 1400);
    ck_assert_str_eq(snap->ifaces[1].kind, "veth");
    ck_assert_uint_eq(snap->ifaces[1].stats_valid, 0); /* the message's counters are not used */
    ck_assert_int_eq(snap->ifaces[2].ifindex, 3);
    ck_assert_str_eq(snap->ifaces[2].name, "mid3");
    ck_assert_int_eq(snap->ifaces[3].ifindex, 8);
    ck_assert_uint_eq(snap->ifaces[3].mtu, 9000);
    merge(lc, 1);
    merge(lc, 2);
    merge(lc, 3);
    merge(lc, 8);
    ck_assert(nm_linkcache_merge_complete(lc));
    netmetrics_snapshot_free(snap);

    /* deleted and re-created with the same ifindex before the next emit */
    b->len = 0;
    link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 3, "mid3", 1280);
    feed(lc, b);
    b->len = 0;
    link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 3, "again3", 1500);
    feed(lc, b);
    snap = emitted(lc);
    ck_assert_uint_eq(snap->count, 4);
    ck_assert_str_eq(snap->ifaces[2].name, "again3");
    netmetrics_snapshot_free(snap);
    nm_linkcache_get_counts(lc, &c);
    ck_assert_uint_eq(c.link_events, 7);
    ck_assert_uint_eq(c.invalidations, 0);
    free(b);
    nm_linkcache_free(lc);
}
END_TEST

/* The bridge sends RTM_NEWLINK / RTM_DELLINK of family AF_BRIDGE to the
 * same group for its ports (a few attributes; DELLINK when a port leaves
 * the bridge, the link staying): they must not touch the link table. */
START_TEST(test_cache_bridge_messages_ignored)
{
    static const int idx[] = {1, 4};
    nm_linkcache *lc = loaded(idx, 2);
    netmetrics_snapshot *snap;
    buf *b = buf_new();
    nm_linkcache_counts c;

    link_msg(b, RTM_DELLINK, 0, AF_BRIDGE, 4, "port", 1500);
    link_msg(b, RTM_NEWLINK, 0, AF_BRIDGE, 4, "port", 1234);
    link_msg(b, RTM_NEWLINK, 0, AF_BRIDGE, 12, "other", 1234);
    feed(lc, b);
    ck_assert(nm_linkcache_links_valid(lc));
    snap = emitted(lc);
    ck_assert_uint_eq(snap->count, 2);
    ck_assert_str_eq(snap->ifaces[1].name, "if4");
    ck_assert_uint_eq(snap->ifaces[1].mtu, 1004);
    (void)nm_linkcache_merge_complete(lc);
    netmetrics_snapshot_free(snap);
    nm_linkcache_get_counts(lc, &c);
    ck_assert_uint_eq(c.ignored_events, 3);
    ck_assert_uint_eq(c.link_events, 0);
    free(b);
    nm_linkcache_free(lc);
}
END_TEST

/* Anything in doubt invalidates: a malformed link, a truncated ifinfomsg,
 * a broken stream, NLMSG_DONE / NLMSG_ERROR / NLMSG_OVERRUN among
 * notifications. */
START_TEST(test_cache_doubt_invalidates)
{
    static const int idx[] = {1, 2};
    buf *b = buf_new();
    struct ifinfomsg ifi;
    int round;

    for (round = 0; round < 7; round++) {
        nm_linkcache *lc = loaded(idx, 2);
        int32_t code = -ENOBUFS;

        b->len = 0;
        switch (round) {
        case 0: /* RTM_NEWLINK without a name */
            msg_start(b, RTM_NEWLINK, 0, 0);
            memset(&ifi, 0, sizeof ifi);
            ifi.ifi_index = 2;
            put(b, &ifi, sizeof ifi);
            msg_end(b);
            break;
        case 1: /* RTM_DELLINK shorter than ifinfomsg */
            msg_start(b, RTM_DELLINK, 0, 0);
            put(b, &code, sizeof code);
            msg_end(b);
            break;
        case 2: /* nlmsg_len past the datagram */
            link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 2, "x", 1);
            b->len -= 4;
            break;
        case 3:
            done_msg(b, 0);
            break;
        case 4:
            error_msg(b, 0, code);
            break;
        case 5:
            msg_start(b, NLMSG_OVERRUN, 0, 0);
            msg_end(b);
            break;
        case 6: /* RTM_DELLINK of ifindex 0 */
            link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 0, "x", 1);
            break;
        }
        feed(lc, b);
        ck_assert_msg(!nm_linkcache_links_valid(lc), "round %d: still valid", round);
        ck_assert(!nm_linkcache_addrs_valid(lc));
        nm_linkcache_free(lc);
    }
    free(b);
}
END_TEST

/* While invalid, notifications are not applied (the full dump that must
 * come next is newer than them); a load makes the cache valid again. */
START_TEST(test_cache_invalid_ignores_events)
{
    static const int idx[] = {1, 2};
    nm_linkcache *lc = loaded(idx, 2);
    netmetrics_snapshot *snap;
    buf *b = buf_new();
    nm_linkcache_counts c;

    nm_linkcache_invalidate(lc);
    ck_assert(!nm_linkcache_links_valid(lc));
    ck_assert_uint_eq(nm_linkcache_link_count(lc), 0);
    link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 2, "late", 1);
    feed(lc, b);
    nm_linkcache_get_counts(lc, &c);
    ck_assert_uint_eq(c.link_events, 0);
    snap = netmetrics_snapshot_new();
    ck_assert_int_eq(nm_linkcache_emit_links(lc, snap, NULL), NETMETRICS_ERR_INVALID);
    ck_assert_uint_eq(snap->count, 0);
    netmetrics_snapshot_free(snap);
    snap = dumped(idx, 2);
    ck_assert_int_eq(nm_linkcache_load_links(lc, snap, 1), 0); /* from index 1: one link */
    netmetrics_snapshot_free(snap);
    ck_assert(nm_linkcache_links_valid(lc));
    ck_assert_uint_eq(nm_linkcache_link_count(lc), 1);
    free(b);
    nm_linkcache_free(lc);
}
END_TEST

/* Addresses: loaded from a dump, emitted as they were; any address or
 * link notification marks them stale (an IPv6 link-local address appears
 * with the carrier, announced only with the link). */
START_TEST(test_cache_addresses)
{
    static const int idx[] = {1, 2};
    nm_linkcache *lc = loaded(idx, 2);
    netmetrics_snapshot *snap = netmetrics_snapshot_new(), *out;
    netmetrics_address a;
    netmetrics_error err;
    buf *b = buf_new();
    int round;

    ck_assert(!nm_linkcache_addrs_valid(lc));
    ck_assert_int_eq(nm_linkcache_emit_addrs(lc, snap, &err), NETMETRICS_ERR_INVALID);
    memset(&a, 0, sizeof a);
    a.family = NETMETRICS_FAMILY_INET;
    a.prefix_length = 8;
    a.bytes[0] = 127;
    a.bytes[3] = 1;
    ck_assert_int_eq(nm_snapshot_add_address(snap, 1, &a), 0); /* before the dump: not taken */
    a.bytes[3] = 2;
    ck_assert_int_eq(nm_snapshot_add_address(snap, 1, &a), 0);
    a.family = NETMETRICS_FAMILY_INET6;
    ck_assert_int_eq(nm_snapshot_add_address(snap, 2, &a), 0);
    for (round = 0; round < 4; round++) {
        ck_assert_int_eq(nm_linkcache_load_addrs(lc, snap, 1), 0);
        ck_assert(nm_linkcache_addrs_valid(lc));
        out = netmetrics_snapshot_new();
        ck_assert_int_eq(nm_linkcache_emit_addrs(lc, out, &err), NETMETRICS_OK);
        ck_assert_uint_eq(out->addr_count, 2);
        ck_assert_int_eq(out->entries[0].ifindex, 1);
        ck_assert_uint_eq(out->entries[0].addr.bytes[3], 2);
        ck_assert_int_eq(out->entries[1].ifindex, 2);
        ck_assert_int_eq(out->entries[1].addr.family, NETMETRICS_FAMILY_INET6);
        netmetrics_snapshot_free(out);
        b->len = 0;
        if (round == 0)
            addr_msg(b, RTM_NEWADDR, 1);
        else if (round == 1)
            addr_msg(b, RTM_DELADDR, 2);
        else if (round == 2)
            link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, 2, "up", 1500);
        else
            link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 2, "up", 1500);
        feed(lc, b);
        ck_assert_msg(!nm_linkcache_addrs_valid(lc), "round %d", round);
        ck_assert(nm_linkcache_links_valid(lc));
    }
    free(b);
    netmetrics_snapshot_free(snap);
    nm_linkcache_free(lc);
}
END_TEST

/* Thousands of links, a few hundred added and deleted in a batch, in
 * ifindex order or not: every emit stays sorted, unique and complete. */
START_TEST(test_cache_many_changes)
{
    int *idx = malloc(2000 * sizeof *idx);
    nm_linkcache *lc;
    netmetrics_snapshot *snap;
    buf *b = buf_new();
    char name[16];
    int i;
    size_t j;

    ck_assert_ptr_nonnull(idx);
    for (i = 0; i < 2000; i++)
        idx[i] = 2 * i + 1; /* odd ifindexes */
    lc = loaded(idx, 2000);
    for (i = 0; i < 200; i++) {
        b->len = 0;
        snprintf(name, sizeof name, "n%d", i);
        /* even ifindexes land between existing ones; high ones at the end */
        link_msg(b, RTM_NEWLINK, 0, AF_UNSPEC, (i % 2) ? 4 * i + 2 : 5000 + i, name, 1500);
        link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 10 * i + 1, "", 0);
        feed(lc, b);
    }
    ck_assert(nm_linkcache_links_valid(lc));
    ck_assert_uint_eq(nm_linkcache_link_count(lc), 2000);
    snap = emitted(lc);
    ck_assert_uint_eq(snap->count, 2000);
    for (j = 1; j < snap->count; j++)
        ck_assert_int_lt(snap->ifaces[j - 1].ifindex, snap->ifaces[j].ifindex);
    for (j = 0; j < snap->count; j++)
        merge(lc, snap->ifaces[j].ifindex);
    ck_assert(nm_linkcache_merge_complete(lc));
    netmetrics_snapshot_free(snap);
    free(b);
    free(idx);
    nm_linkcache_free(lc);
}
END_TEST

/* A link with every attribute nm_rtnl_parse_link reads, as the kernel
 * sends it (minimal: only a name, so the parser's defaults show). */
static void rich_link(buf *b, int ifindex, int minimal)
{
    struct ifinfomsg ifi;
    uint64_t st[NETMETRICS_STAT_COUNT];
    unsigned char mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    uint32_t mtu = 9000, txq = 1234, cc = 7, master = 42;
    uint8_t oper = NETMETRICS_OPER_DORMANT, carrier = 1;
    size_t info;

    msg_start(b, RTM_NEWLINK, 0, 0);
    memset(&ifi, 0, sizeof ifi);
    ifi.ifi_index = ifindex;
    ifi.ifi_type = 772;
    ifi.ifi_flags = NETMETRICS_FLAG_UP | NETMETRICS_FLAG_PROMISC | NETMETRICS_FLAG_LOWER_UP;
    put(b, &ifi, sizeof ifi);
    attr(b, IFLA_IFNAME, "rich0", 6);
    if (!minimal) {
        attr(b, IFLA_MTU, &mtu, sizeof mtu);
        attr(b, IFLA_OPERSTATE, &oper, 1);
        attr(b, IFLA_CARRIER, &carrier, 1);
        attr(b, IFLA_ADDRESS, mac, sizeof mac);
        info = attr(b, IFLA_LINKINFO, NULL, 0);
        attr(b, IFLA_INFO_KIND, "macvlan", 8);
        {
            unsigned short l = (unsigned short)(b->len - info);

            memcpy(b->b + info, &l, sizeof l);
        }
        attr(b, IFLA_TXQLEN, &txq, sizeof txq);
        attr(b, IFLA_CARRIER_CHANGES, &cc, sizeof cc);
        attr(b, IFLA_MASTER, &master, sizeof master);
        attr(b, IFLA_IFALIAS, "uplink to rack 4", 17);
#ifdef IFLA_PARENT_DEV_NAME
        attr(b, IFLA_PARENT_DEV_NAME, "0000:00:03.0", 13);
        attr(b, IFLA_PARENT_DEV_BUS_NAME, "pci", 4);
#endif
    }
    memset(st, 0x5a, sizeof st);
    attr(b, IFLA_STATS64, st, sizeof st);
    msg_end(b);
}

/* 1 when p points into one of the blocks of snap's string store. */
static int in_strings(const netmetrics_snapshot *snap, const char *p)
{
    return nm_strstore_owns(&snap->strings, p);
}

/* What the parser makes of a link, through the cache (a full dump loaded,
 * and a notification applied) and out again, is the same struct but for
 * the counters: the cache carries every field the parser fills. The text
 * comes out as copies in the emitted snapshot's own store: the parsed
 * snapshot and the cache are freed before it is read (ASan). */
START_TEST(test_cache_round_trip)
{
    int minimal, via_event;

    for (minimal = 0; minimal < 2; minimal++) {
        for (via_event = 0; via_event < 2; via_event++) {
            netmetrics_snapshot *in = netmetrics_snapshot_new(), *out;
            struct netmetrics_interface *it, want, got;
            char alias[NM_IFALIAS_MAX + 1], dev[NM_PARENT_MAX + 1], bus[NM_PARENT_BUS_MAX + 1];
            char kind[NM_KIND_SIZE];
            nm_linkcache *lc = nm_linkcache_new();
            netmetrics_error err;
            buf *b = buf_new();
            unsigned char *c;
            nm_rtnl_walker w;
            nm_rtnl_msg m;

            rich_link(b, 5, minimal);
            c = exact_copy(b->b, b->len);
            nm_rtnl_walk_init(&w);
            nm_rtnl_walk_buffer(&w, c, b->len);
            ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_MSG);
            it = nm_snapshot_add_interface(in);
            ck_assert_int_eq(nm_rtnl_parse_link(m.payload, m.payload_len, it, &in->strings, &err),
                             NETMETRICS_OK);
            memset(&want, 0, sizeof want);
            memcpy(&want, it, sizeof want);
            memset(want.stats, 0, sizeof want.stats);
            want.stats_valid = 0;
            snprintf(alias, sizeof alias, "%s", it->ifalias);
            snprintf(dev, sizeof dev, "%s", it->parent_dev);
            snprintf(bus, sizeof bus, "%s", it->parent_bus);
            snprintf(kind, sizeof kind, "%s", it->kind);
            if (!minimal) {
                ck_assert_str_eq(want.kind, "macvlan");
                ck_assert_str_eq(want.ifalias, "uplink to rack 4");
                ck_assert_uint_eq(want.master_ifindex, 42);
            }
            if (via_event) {
                /* loaded with another link, then this one announced */
                static const int other[] = {9};
                netmetrics_snapshot *seed = dumped(other, 1);

                ck_assert_int_eq(nm_linkcache_load_links(lc, seed, 0), 0);
                netmetrics_snapshot_free(seed);
                nm_linkcache_feed_events(lc, c, b->len);
            } else {
                ck_assert_int_eq(nm_linkcache_load_links(lc, in, 0), 0);
            }
            ck_assert(nm_linkcache_links_valid(lc));
            netmetrics_snapshot_free(in);
            out = emitted(lc);
            (void)nm_linkcache_merge_complete(lc);
            nm_linkcache_free(lc);
            ck_assert_uint_ge(out->count, 1);
            ck_assert_int_eq(out->ifaces[0].ifindex, 5);
            memset(&got, 0, sizeof got);
            memcpy(&got, &out->ifaces[0], sizeof got);
            ck_assert_str_eq(got.ifalias, alias);
            ck_assert_str_eq(got.parent_dev, dev);
            ck_assert_str_eq(got.parent_bus, bus);
            ck_assert(!alias[0] || in_strings(out, got.ifalias));
            ck_assert(!dev[0] || in_strings(out, got.parent_dev));
            ck_assert(!bus[0] || in_strings(out, got.parent_bus));
            ck_assert_str_eq(got.kind, kind);
            ck_assert(!kind[0] || in_strings(out, got.kind));
            /* devtype, driver (sysfs) and wireless are not the parser's */
            ck_assert_str_eq(got.devtype, "");
            ck_assert_str_eq(got.driver, "");
            ck_assert_ptr_null(got.wireless);
            ck_assert_ptr_null(want.wireless);
            /* the rest, byte for byte (pointers compared, not followed) */
            got.kind = want.kind;
            got.ifalias = want.ifalias;
            got.parent_dev = want.parent_dev;
            got.parent_bus = want.parent_bus;
            got.devtype = want.devtype;
            got.driver = want.driver;
            ck_assert_msg(memcmp(&got, &want, sizeof want) == 0,
                          "minimal %d, via event %d: the cache lost a field", minimal, via_event);
            netmetrics_snapshot_free(out);
            free(c);
            free(b);
        }
    }
}
END_TEST

/* Aliases live outside the table: set, changed, cleared, and the link
 * deleted and reloaded, without a leak (valgrind, ASan) or a stale one.
 * Each emitted snapshot is kept and read again at the end, after the cache
 * replaced the text it was emitted from (several snapshots are alive at
 * once in the exporter). */
START_TEST(test_cache_alias_lifetime)
{
    static const int idx[] = {1, 2};
    nm_linkcache *lc = loaded(idx, 2);
    netmetrics_snapshot *snap, *kept[5];
    buf *b = buf_new();
    const char *seq[] = {"first", "first", "a longer second alias", "", "third"};
    size_t i;

    for (i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        struct ifinfomsg ifi;
        uint32_t mtu = 1500;

        b->len = 0;
        msg_start(b, RTM_NEWLINK, 0, 0);
        memset(&ifi, 0, sizeof ifi);
        ifi.ifi_index = 2;
        put(b, &ifi, sizeof ifi);
        attr(b, IFLA_IFNAME, "al", 3);
        attr(b, IFLA_MTU, &mtu, sizeof mtu);
        if (seq[i][0])
            attr(b, IFLA_IFALIAS, seq[i], strlen(seq[i]) + 1);
        msg_end(b);
        feed(lc, b);
        kept[i] = emitted(lc);
        ck_assert_str_eq(kept[i]->ifaces[1].ifalias, seq[i]);
        ck_assert_str_eq(netmetrics_interface_alias(&kept[i]->ifaces[1]), seq[i]);
        (void)nm_linkcache_merge_complete(lc);
    }
    for (i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        ck_assert_str_eq(kept[i]->ifaces[1].ifalias, seq[i]);
        netmetrics_snapshot_free(kept[i]);
    }
    b->len = 0;
    link_msg(b, RTM_DELLINK, 0, AF_UNSPEC, 2, "al", 1500);
    feed(lc, b);
    snap = emitted(lc); /* compaction frees the deleted link's alias */
    ck_assert_uint_eq(snap->count, 1);
    (void)nm_linkcache_merge_complete(lc);
    netmetrics_snapshot_free(snap);
    snap = dumped(idx, 2);
    snap->ifaces[0].ifalias = nm_strstore_add(&snap->strings, "reloaded", 8);
    snap->ifaces[1].parent_dev = "1-1.4:1.0"; /* static text is fine too */
    snap->ifaces[1].parent_bus = "usb";
    ck_assert_int_eq(nm_linkcache_load_links(lc, snap, 0), 0);
    ck_assert_int_eq(nm_linkcache_load_links(lc, snap, 0), 0); /* the old aliases freed */
    netmetrics_snapshot_free(snap);
    snap = emitted(lc);
    ck_assert_str_eq(snap->ifaces[0].ifalias, "reloaded");
    ck_assert_str_eq(snap->ifaces[0].parent_dev, "");
    ck_assert_str_eq(snap->ifaces[1].ifalias, "");
    ck_assert_str_eq(snap->ifaces[1].parent_dev, "1-1.4:1.0");
    ck_assert_str_eq(snap->ifaces[1].parent_bus, "usb");
    ck_assert(in_strings(snap, snap->ifaces[1].parent_dev));
    (void)nm_linkcache_merge_complete(lc);
    netmetrics_snapshot_free(snap);
    free(b);
    nm_linkcache_free(lc);
}
END_TEST

/* ------------------------------------------------------ live: backend -- */

static void *open_backend(void)
{
    nm_roots roots;
    netmetrics_error err;
    void *state = NULL;

    strcpy(roots.proc, "/proc");
    strcpy(roots.sys, "/sys");
    nm_error_clear(&err);
    ck_assert_msg(nm_backend_netlink.open(&state, &roots, &err) == NETMETRICS_OK,
                  "netlink open: %s", err.message);
    return state;
}

static void collect(void *state, netmetrics_snapshot *snap)
{
    netmetrics_error err;

    nm_snapshot_reset(snap);
    nm_error_clear(&err);
    ck_assert_msg(nm_backend_netlink.collect_links(state, snap, &err) == NETMETRICS_OK,
                  "collect_links: %s", err.message);
    ck_assert_msg(nm_backend_netlink.collect_addresses(state, snap, &err) == NETMETRICS_OK,
                  "collect_addresses: %s", err.message);
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);
}

/* Everything but the counters (which move) is the same. */
static int same_links(const netmetrics_snapshot *a, const netmetrics_snapshot *b, char *why,
                      size_t size)
{
    size_t i;

    if (a->count != b->count) {
        snprintf(why, size, "%zu vs %zu interfaces", a->count, b->count);
        return 0;
    }
    for (i = 0; i < a->count; i++) {
        const struct netmetrics_interface *x = &a->ifaces[i], *y = &b->ifaces[i];
        const char *field = NULL;

        if (x->ifindex != y->ifindex)
            field = "ifindex";
        else if (strcmp(x->name, y->name) != 0)
            field = "name";
        else if (x->flags != y->flags)
            field = "flags";
        else if (x->mtu != y->mtu)
            field = "mtu";
        else if (x->operstate != y->operstate)
            field = "operstate";
        else if (x->carrier != y->carrier)
            field = "carrier";
        else if (x->link_type != y->link_type)
            field = "link_type";
        else if (x->hwaddr_len != y->hwaddr_len || memcmp(x->hwaddr, y->hwaddr, x->hwaddr_len))
            field = "hwaddr";
        else if (strcmp(x->kind, y->kind) != 0)
            field = "kind";
        else if (x->stats_valid != y->stats_valid || x->counters_32bit != y->counters_32bit)
            field = "counter validity";
        else if (x->link_valid != y->link_valid)
            field = "link_valid";
        else if (x->txqlen != y->txqlen)
            field = "txqlen";
        else if (x->carrier_changes != y->carrier_changes)
            field = "carrier_changes";
        else if (x->master_ifindex != y->master_ifindex)
            field = "master";
        else if (strcmp(x->ifalias, y->ifalias) != 0)
            field = "ifalias";
        else if (strcmp(x->parent_dev, y->parent_dev) != 0 ||
                 strcmp(x->parent_bus, y->parent_bus) != 0 || x->has_device != y->has_device)
            field = "parent device";
        else if (x->iftype != y->iftype)
            field = "iftype";
        else if (x->addr_count != y->addr_count ||
                 (x->addr_count && memcmp(x->addrs, y->addrs, x->addr_count * sizeof *x->addrs)))
            field = "addresses";
        if (field) {
            snprintf(why, size, "%s (ifindex %d): %s differs", x->name, (int)x->ifindex, field);
            return 0;
        }
    }
    return 1;
}

/* The first collection is full; the next ones are served by the cache and
 * RTM_GETSTATS, and hold what a full dump holds (a fresh backend state's
 * first collection), lo's counters within sysfs read around them. */
START_TEST(test_live_cached_path)
{
    netmetrics_snapshot *cached = netmetrics_snapshot_new(), *full = netmetrics_snapshot_new();
    nm_netlink_counts c;
    void *state = open_backend(), *fresh;
    char why[160] = "";
    int attempt, same = 0, i;

    nm_netlink_get_counts(state, &c);
    if (!c.cached) {
        nm_backend_netlink.close(state);
        netmetrics_snapshot_free(cached);
        netmetrics_snapshot_free(full);
        /* no notification socket (sandbox?) or RTM_GETSTATS: nothing to test */
        fprintf(stderr, "note: the cached path is off on this machine\n");
        return;
    }
    collect(state, cached);
    nm_netlink_get_counts(state, &c);
    ck_assert_uint_eq(c.link_dumps, 1);
    ck_assert_uint_eq(c.addr_dumps, 1);
    ck_assert_uint_eq(c.stats_dumps, 0);
    for (i = 0; i < 5; i++)
        collect(state, cached);
    nm_netlink_get_counts(state, &c);
    ck_assert_msg(c.cached, "the cached path turned itself off");
    /* the host may change an interface meanwhile; most must be cached */
    ck_assert_uint_ge(c.stats_dumps, 3);
    ck_assert_uint_eq(c.link_dumps + c.stats_dumps, 6);
    ck_assert_uint_ge(c.addr_cached, 3);

    for (attempt = 0; attempt < 5 && !same; attempt++) {
        fresh = open_backend();
        collect(fresh, full);
        collect(state, cached);
        same = same_links(full, cached, why, sizeof why);
        nm_backend_netlink.close(fresh);
    }
    ck_assert_msg(same, "cached collection differs from a full dump: %s", why);
    ck_assert_ptr_nonnull(netmetrics_snapshot_find(cached, "lo"));
    nm_backend_netlink.close(state);
    netmetrics_snapshot_free(cached);
    netmetrics_snapshot_free(full);
}
END_TEST

/* lo's counters on the cached path equal sysfs read around the collection. */
START_TEST(test_live_cached_counters)
{
    static const char *const files[] = {"rx_packets", "tx_packets", "rx_bytes", "tx_bytes"};
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    const netmetrics_interface *lo;
    void *state = open_backend();
    unsigned long long before[4], after[4];
    nm_netlink_counts c;
    size_t i;

    collect(state, snap);
    for (i = 0; i < 4; i++) {
        char path[96];
        FILE *f;

        snprintf(path, sizeof path, "/sys/class/net/lo/statistics/%s", files[i]);
        f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fscanf(f, "%llu", &before[i]), 1);
        fclose(f);
    }
    collect(state, snap);
    for (i = 0; i < 4; i++) {
        char path[96];
        FILE *f;

        snprintf(path, sizeof path, "/sys/class/net/lo/statistics/%s", files[i]);
        f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fscanf(f, "%llu", &after[i]), 1);
        fclose(f);
    }
    nm_netlink_get_counts(state, &c);
    lo = netmetrics_snapshot_find(snap, "lo");
    ck_assert_ptr_nonnull(lo);
    ck_assert_uint_eq(lo->stats_valid & 0xffu, 0xffu);
    for (i = 0; i < 4; i++)
        ck_assert_msg(before[i] <= lo->stats[i] && lo->stats[i] <= after[i],
                      "lo %s: %llu not within [%llu, %llu] (%s path)", files[i],
                      (unsigned long long)lo->stats[i], before[i], after[i],
                      c.stats_dumps ? "cached" : "full");
    nm_backend_netlink.close(state);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ----------------------------------------------------------------- suites -- */

int main(void)
{
    Suite *s = suite_create("rtnl_stats");
    TCase *parse = tcase_create("parse"), *cache = tcase_create("cache"),
          *live = tcase_create("live");
    SRunner *sr;
    int failed;

    tcase_add_test(parse, test_stats_all_counters);
    tcase_add_test(parse, test_stats_fewer_and_more_counters);
    tcase_add_test(parse, test_stats_truncated_header);
    tcase_add_test(parse, test_stats_bad_ifindex);
    tcase_add_test(parse, test_stats_wrong_sizes);
    tcase_add_test(parse, test_stats_attr_overruns);
    tcase_add_test(parse, test_stats_truncation_every_length);
    tcase_add_test(parse, test_stats_feed_dump);
    tcase_add_test(parse, test_stats_feed_kernel_error);
    tcase_set_timeout(parse, 120); /* sanitizer builds are several times slower */
    tcase_add_test(parse, test_random_mutations);
    suite_add_tcase(s, parse);

    tcase_add_test(cache, test_cache_load_and_emit);
    tcase_add_test(cache, test_cache_merge);
    tcase_add_test(cache, test_cache_events_applied);
    tcase_add_test(cache, test_cache_bridge_messages_ignored);
    tcase_add_test(cache, test_cache_doubt_invalidates);
    tcase_add_test(cache, test_cache_invalid_ignores_events);
    tcase_add_test(cache, test_cache_addresses);
    tcase_add_test(cache, test_cache_many_changes);
    tcase_add_test(cache, test_cache_round_trip);
    tcase_add_test(cache, test_cache_alias_lifetime);
    suite_add_tcase(s, cache);

    tcase_set_timeout(live, 60);
    tcase_add_test(live, test_live_cached_path);
    tcase_add_test(live, test_live_cached_counters);
    suite_add_tcase(s, live);

    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

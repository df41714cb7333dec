/* SPDX-License-Identifier: MIT */
/* Check runner for the macOS parsers, run on every platform: the
 * NET_RT_IFLIST2 walker on message buffers this file builds per the layout
 * of darwin_layout.h (valid, cut at every length, zero and lying lengths,
 * wrong versions, malformed sockaddr_dl), the ifmibdata reader, the
 * `netstat -ibdn` parser on the samples in tests/fixtures/darwin/, the
 * classification rules and the collector's per-platform backend table.
 * Buffers are copied into exactly-sized heap blocks before parsing, so
 * under ASan a read one byte past the end is a failure. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify_darwin.h"
#include "darwin_layout.h"
#include "fileio.h"
#include "ifmib_parse.h"
#include "ifmsg_parse.h"
#include "netmetrics.h"
#include "netstat_parse.h"
#include "snapshot.h"
#include "strbuf.h"

/* ------------------------------------------------------------ builders -- */

typedef struct msgbuf {
    unsigned char b[8192];
    size_t len;
} msgbuf;

static void put16(unsigned char *p, uint16_t v) { memcpy(p, &v, sizeof v); }
static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, sizeof v); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, sizeof v); }

typedef struct linkspec {
    uint16_t index;
    uint32_t flags;
    uint8_t ift;
    uint32_t mtu;
    uint64_t baudrate;
    uint64_t base; /* counters are base + field number */
    const char *name;
    const unsigned char *mac;
    uint8_t maclen;
} linkspec;

/* Writes an if_data64 whose counters are distinct: base + k. */
static void put_ifdata(unsigned char *d, const linkspec *s)
{
    d[NM_DW_IFD_TYPE_OFF] = s->ift;
    d[NM_DW_IFD_ADDRLEN_OFF] = s->maclen;
    put32(d + NM_DW_IFD_MTU_OFF, s->mtu);
    put64(d + NM_DW_IFD_BAUDRATE_OFF, s->baudrate);
    put64(d + NM_DW_IFD_IPACKETS_OFF, s->base + 1);
    put64(d + NM_DW_IFD_IERRORS_OFF, s->base + 2);
    put64(d + NM_DW_IFD_OPACKETS_OFF, s->base + 3);
    put64(d + NM_DW_IFD_OERRORS_OFF, s->base + 4);
    put64(d + NM_DW_IFD_COLLISIONS_OFF, s->base + 5);
    put64(d + NM_DW_IFD_IBYTES_OFF, s->base + 6);
    put64(d + NM_DW_IFD_OBYTES_OFF, s->base + 7);
    put64(d + NM_DW_IFD_IMCASTS_OFF, s->base + 8);
    put64(d + NM_DW_IFD_OMCASTS_OFF, s->base + 9);
    put64(d + NM_DW_IFD_IQDROPS_OFF, s->base + 10);
    put64(d + NM_DW_IFD_NOPROTO_OFF, s->base + 11);
}

/* Appends an RTM_IFINFO2 with its sockaddr_dl (rounded to 4 bytes, as the
 * kernel does); returns the message's offset. */
static size_t add_ifinfo2(msgbuf *m, const linkspec *s)
{
    size_t off = m->len, nlen = strlen(s->name), sdl_len, msglen;
    unsigned char *p = m->b + off;

    sdl_len = NM_DW_SDL_DATA_OFF + nlen + s->maclen;
    if (sdl_len < 20)
        sdl_len = 20; /* sizeof(struct sockaddr_dl) */
    sdl_len = (sdl_len + 3) & ~(size_t)3;
    msglen = NM_DW_IFM2_SIZE + sdl_len;
    ck_assert_uint_le(off + msglen, sizeof m->b);
    memset(p, 0, msglen);
    put16(p + NM_DW_MSG_MSGLEN_OFF, (uint16_t)msglen);
    p[NM_DW_MSG_VERSION_OFF] = NM_DW_RTM_VERSION;
    p[NM_DW_MSG_TYPE_OFF] = NM_DW_RTM_IFINFO2;
    put32(p + NM_DW_IFM2_ADDRS_OFF, NM_DW_RTA_IFP);
    put32(p + NM_DW_IFM2_FLAGS_OFF, s->flags);
    put16(p + NM_DW_IFM2_INDEX_OFF, s->index);
    put32(p + NM_DW_IFM2_SND_DROPS_OFF, 77);
    put_ifdata(p + NM_DW_IFM2_DATA_OFF, s);
    p += NM_DW_IFM2_SIZE;
    p[NM_DW_SDL_LEN_OFF] = (uint8_t)sdl_len;
    p[NM_DW_SDL_FAMILY_OFF] = NM_DW_AF_LINK;
    put16(p + NM_DW_SDL_INDEX_OFF, s->index);
    p[NM_DW_SDL_TYPE_OFF] = s->ift;
    p[NM_DW_SDL_NLEN_OFF] = (uint8_t)nlen;
    p[NM_DW_SDL_ALEN_OFF] = s->maclen;
    memcpy(p + NM_DW_SDL_DATA_OFF, s->name, nlen);
    if (s->maclen)
        memcpy(p + NM_DW_SDL_DATA_OFF + nlen, s->mac, s->maclen);
    m->len += msglen;
    return off;
}

/* Appends a message of another type (an address) of n bytes. */
static void add_other(msgbuf *m, uint8_t type, size_t n)
{
    unsigned char *p = m->b + m->len;

    ck_assert_uint_ge(n, 4);
    memset(p, 0xa5, n);
    put16(p, (uint16_t)n);
    p[NM_DW_MSG_VERSION_OFF] = NM_DW_RTM_VERSION;
    p[NM_DW_MSG_TYPE_OFF] = type;
    m->len += n;
}

static const unsigned char mac_en0[6] = {0xf0, 0x18, 0x98, 0xaa, 0xbb, 0xcc};

/* lo0 + its addresses, en0 (counters above 2^32) + its addresses and a
 * multicast message. */
static void build_two(msgbuf *m, size_t *off_en0)
{
    linkspec lo = {1, 0x8049, NM_DW_IFT_LOOP, 16384, 0, 1000, "lo0", NULL, 0};
    linkspec en = {11, 0x8863, NM_DW_IFT_ETHER, 1500, 1000000000ull,
                   (1ull << 32) * 3 + 5, "en0", mac_en0, 6};

    memset(m, 0, sizeof *m);
    add_ifinfo2(m, &lo);
    add_other(m, NM_DW_RTM_NEWADDR, 36);
    add_other(m, NM_DW_RTM_NEWADDR, 64);
    *off_en0 = add_ifinfo2(m, &en);
    add_other(m, NM_DW_RTM_NEWADDR, 52);
    add_other(m, NM_DW_RTM_NEWMADDR2, 40);
}

typedef struct collected {
    nm_dw_iflink links[8];
    size_t n;
    int stop_after; /* 0: never */
} collected;

static netmetrics_status collect_cb(const nm_dw_iflink *l, void *ctx)
{
    collected *c = ctx;

    if (c->n < 8)
        c->links[c->n] = *l;
    c->n++;
    if (c->stop_after && c->n == (size_t)c->stop_after)
        return NETMETRICS_ERR_NO_MEMORY;
    return NETMETRICS_OK;
}

/* Walks an exactly-sized heap copy of the first len bytes. */
static netmetrics_status walk(const msgbuf *m, size_t len, collected *c, nm_dw_ifmsg_summary *sum,
                              netmetrics_error *err)
{
    unsigned char *copy = malloc(len ? len : 1);
    netmetrics_status st;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, m->b, len);
    st = nm_dw_ifmsg_walk(copy, len, collect_cb, c, sum, err);
    free(copy);
    return st;
}

/* -------------------------------------------------------- ifmsg tests -- */

START_TEST(test_ifmsg_valid)
{
    msgbuf m;
    collected c;
    nm_dw_ifmsg_summary sum;
    netmetrics_error err;
    size_t off;
    const nm_dw_iflink *en;
    uint64_t base = (1ull << 32) * 3 + 5;

    build_two(&m, &off);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, &sum, &err), NETMETRICS_OK);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_uint_eq(sum.links, 2);
    ck_assert_uint_eq(sum.messages, 6);
    ck_assert_uint_eq(sum.skipped, 4);
    ck_assert_uint_eq(sum.bad_sdl, 0);
    ck_assert_str_eq(c.links[0].name, "lo0");
    ck_assert_uint_eq(c.links[0].index, 1);
    ck_assert_uint_eq(c.links[0].hwaddr_len, 0);
    ck_assert_uint_eq(c.links[0].data.type, NM_DW_IFT_LOOP);
    en = &c.links[1];
    ck_assert_uint_eq(en->offset, off);
    ck_assert_str_eq(en->name, "en0");
    ck_assert_uint_eq(en->index, 11);
    ck_assert_uint_eq(en->bsd_flags, 0x8863);
    ck_assert_uint_eq(en->snd_drops, 77);
    ck_assert_uint_eq(en->hwaddr_len, 6);
    ck_assert_mem_eq(en->hwaddr, mac_en0, 6);
    ck_assert_uint_eq(en->data.mtu, 1500);
    ck_assert_uint_eq(en->data.baudrate, 1000000000ull);
    ck_assert_uint_eq(en->data.ipackets, base + 1);
    ck_assert_uint_eq(en->data.ierrors, base + 2);
    ck_assert_uint_eq(en->data.opackets, base + 3);
    ck_assert_uint_eq(en->data.oerrors, base + 4);
    ck_assert_uint_eq(en->data.collisions, base + 5);
    ck_assert_uint_eq(en->data.ibytes, base + 6);
    ck_assert_uint_eq(en->data.obytes, base + 7);
    ck_assert_uint_eq(en->data.imcasts, base + 8);
    ck_assert_uint_eq(en->data.omcasts, base + 9);
    ck_assert_uint_eq(en->data.iqdrops, base + 10);
    ck_assert_uint_eq(en->data.noproto, base + 11);
}
END_TEST

START_TEST(test_ifmsg_empty)
{
    msgbuf m;
    collected c;
    nm_dw_ifmsg_summary sum;

    memset(&m, 0, sizeof m);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, 0, &c, &sum, NULL), NETMETRICS_OK);
    ck_assert_uint_eq(c.n, 0);
    ck_assert_uint_eq(sum.messages, 0);
    ck_assert_int_eq(nm_dw_ifmsg_walk(NULL, 0, NULL, NULL, NULL, NULL), NETMETRICS_OK);
    ck_assert_int_eq(nm_dw_ifmsg_walk(NULL, 4, NULL, NULL, NULL, NULL), NETMETRICS_ERR_INVALID);
}
END_TEST

/* Every prefix of a valid buffer: OK exactly at message boundaries, PARSE
 * elsewhere, never a read past the cut (ASan), and the links wholly before
 * the cut are delivered. */
START_TEST(test_ifmsg_every_cut)
{
    msgbuf m;
    size_t off, cut, bounds[7], nb = 0, pos = 0;

    build_two(&m, &off);
    bounds[nb++] = 0;
    while (pos < m.len) {
        uint16_t l;

        memcpy(&l, m.b + pos, 2);
        pos += l;
        bounds[nb++] = pos;
    }
    ck_assert_uint_eq(nb, 7);
    for (cut = 0; cut <= m.len; cut++) {
        collected c;
        netmetrics_error err;
        netmetrics_status st;
        size_t i;
        int boundary = 0;

        memset(&c, 0, sizeof c);
        st = walk(&m, cut, &c, NULL, &err);
        for (i = 0; i < nb; i++)
            boundary |= bounds[i] == cut;
        if (boundary) {
            ck_assert_msg(st == NETMETRICS_OK, "cut %zu: %s", cut, err.message);
        } else {
            ck_assert_msg(st == NETMETRICS_ERR_PARSE, "cut %zu gave %d", cut, (int)st);
            ck_assert_ptr_nonnull(strstr(err.message, "offset"));
        }
        ck_assert_uint_eq(c.n, cut >= off + NM_DW_IFM2_SIZE + 20 ? 2 : cut >= bounds[1] ? 1 : 0);
    }
}
END_TEST

START_TEST(test_ifmsg_zero_length)
{
    msgbuf m;
    collected c;
    netmetrics_error err;
    size_t off;

    /* the second message (an address) claims 0 bytes: without the check
     * the walk would never advance */
    build_two(&m, &off);
    {
        uint16_t first;

        memcpy(&first, m.b, 2);
        put16(m.b + first, 0);
    }
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "claims 0 bytes"));
    ck_assert_uint_eq(c.n, 1);

    /* 1..3 bytes are as bad: shorter than the common header */
    build_two(&m, &off);
    put16(m.b, 3);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_uint_eq(c.n, 0);
}
END_TEST

START_TEST(test_ifmsg_lying_length)
{
    msgbuf m;
    collected c;
    netmetrics_error err;
    size_t off;

    build_two(&m, &off);
    put16(m.b + off, 0xfff0); /* en0 claims more than the buffer holds */
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "left"));
    ck_assert_uint_eq(c.n, 1);
}
END_TEST

START_TEST(test_ifmsg_short_ifinfo2)
{
    msgbuf m;
    collected c;
    netmetrics_error err;

    memset(&m, 0, sizeof m);
    add_other(&m, NM_DW_RTM_IFINFO2, NM_DW_IFM2_SIZE - 4);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "if_msghdr2 needs 160"));
    ck_assert_uint_eq(c.n, 0);
}
END_TEST

START_TEST(test_ifmsg_version_and_index)
{
    msgbuf m;
    collected c;
    netmetrics_error err;
    size_t off;

    build_two(&m, &off);
    m.b[off + NM_DW_MSG_VERSION_OFF] = 4;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "version 4"));

    build_two(&m, &off);
    put16(m.b + off + NM_DW_IFM2_INDEX_OFF, 0);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "index 0"));

    /* a version mismatch in a message we skip does not matter */
    build_two(&m, &off);
    m.b[off - 64 + NM_DW_MSG_VERSION_OFF] = 9;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, &err), NETMETRICS_OK);
    ck_assert_uint_eq(c.n, 2);
}
END_TEST

/* A malformed sockaddr_dl costs the name and MAC only. */
START_TEST(test_ifmsg_bad_sdl)
{
    static const struct {
        size_t at;
        uint8_t value;
    } cases[] = {
        {NM_DW_SDL_FAMILY_OFF, 2},   /* not AF_LINK */
        {NM_DW_SDL_NLEN_OFF, 16},    /* name too long for IFNAMSIZ */
        {NM_DW_SDL_NLEN_OFF, 0},     /* no name */
        {NM_DW_SDL_LEN_OFF, 200},    /* beyond the message */
        {NM_DW_SDL_LEN_OFF, 4},      /* shorter than its header */
        {NM_DW_SDL_ALEN_OFF, 40},    /* address beyond sdl_len */
        {NM_DW_SDL_DATA_OFF + 1, 0}, /* NUL inside the name */
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        msgbuf m;
        collected c;
        nm_dw_ifmsg_summary sum;
        netmetrics_error err;
        size_t off;

        build_two(&m, &off);
        m.b[off + NM_DW_IFM2_SIZE + cases[i].at] = cases[i].value;
        memset(&c, 0, sizeof c);
        ck_assert_int_eq(walk(&m, m.len, &c, &sum, &err), NETMETRICS_OK);
        ck_assert_uint_eq(c.n, 2);
        ck_assert_msg(!c.links[1].have_sdl, "case %zu", i);
        ck_assert_str_eq(c.links[1].name, "");
        ck_assert_uint_eq(c.links[1].hwaddr_len, 0);
        ck_assert_uint_eq(sum.bad_sdl, 1);
        ck_assert_uint_eq(c.links[1].data.mtu, 1500); /* the rest is still read */
    }
    {
        msgbuf m;
        collected c;
        size_t off;

        /* addresses other than RTA_IFP first: the sdl is not where we look */
        build_two(&m, &off);
        put32(m.b + off + NM_DW_IFM2_ADDRS_OFF, NM_DW_RTA_IFP | NM_DW_RTA_NETMASK);
        memset(&c, 0, sizeof c);
        ck_assert_int_eq(walk(&m, m.len, &c, NULL, NULL), NETMETRICS_OK);
        ck_assert(!c.links[1].have_sdl);
    }
}
END_TEST

START_TEST(test_ifmsg_callback_stops)
{
    msgbuf m;
    collected c;
    size_t off;

    build_two(&m, &off);
    memset(&c, 0, sizeof c);
    c.stop_after = 1;
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, NULL), NETMETRICS_ERR_NO_MEMORY);
    ck_assert_uint_eq(c.n, 1);
}
END_TEST

START_TEST(test_ifmsg_fill)
{
    msgbuf m;
    collected c;
    size_t off;
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    struct netmetrics_interface *it;
    uint64_t base = (1ull << 32) * 3 + 5;

    ck_assert_ptr_nonnull(snap);
    build_two(&m, &off);
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(walk(&m, m.len, &c, NULL, NULL), NETMETRICS_OK);
    it = nm_snapshot_add_interface(snap);
    ck_assert_ptr_nonnull(it);
    nm_dw_iflink_fill(&c.links[1], it);
    ck_assert_int_eq(it->ifindex, 11);
    ck_assert_str_eq(it->name, "en0");
    /* 0x8863 = UP BROADCAST SMART(0x20, Linux's NOTRAILERS bit) RUNNING
     * SIMPLEX MULTICAST: SIMPLEX (0x800) is Linux's SLAVE bit and must not
     * leak; MULTICAST moves to 0x1000 */
    ck_assert_uint_eq(it->flags, NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST |
                                     NETMETRICS_FLAG_NOTRAILERS | NETMETRICS_FLAG_RUNNING |
                                     NETMETRICS_FLAG_MULTICAST);
    ck_assert_uint_eq(it->operstate, NETMETRICS_OPER_UP);
    ck_assert_uint_eq(it->mtu, 1500);
    ck_assert_int_eq(it->link_type, 1);
    ck_assert_uint_eq(it->hwaddr_len, 6);
    ck_assert(it->link_valid & NM_LINK_HAVE_SPEED);
    ck_assert_uint_eq(it->speed_bytes, 125000000u);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_RX_PACKETS], base + 1);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_TX_PACKETS], base + 3);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_RX_BYTES], base + 6);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_TX_BYTES], base + 7);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_RX_DROPPED], base + 10);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_TX_DROPPED], 77);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_RX_NOHANDLER], base + 11);
    ck_assert(!(it->stats_valid & (1u << NETMETRICS_STAT_RX_CRC_ERRORS)));
    ck_assert_uint_eq(it->counters_32bit, 0);

    it = nm_snapshot_add_interface(snap);
    nm_dw_iflink_fill(&c.links[0], it);
    ck_assert_int_eq(it->link_type, 772);
    ck_assert(!(it->link_valid & NM_LINK_HAVE_SPEED)); /* baudrate 0: unknown */
    netmetrics_snapshot_free(snap);

    ck_assert(!nm_dw_baudrate_known(0xffffffffu));
    ck_assert(!nm_dw_baudrate_known(0));
    ck_assert(nm_dw_baudrate_known(10000000));
    ck_assert_uint_eq(nm_dw_flags(0x8000u), NETMETRICS_FLAG_MULTICAST);
    ck_assert_uint_eq(nm_dw_flags(0x7c00u), 0); /* OACTIVE SIMPLEX LINK0-2 */
    ck_assert_uint_eq(nm_dw_flags(0x3ffu), 0x3ffu);
}
END_TEST

/* -------------------------------------------------------- ifmib tests -- */

static void build_ifmib(unsigned char *b, const char *name, uint64_t ibytes, uint64_t obytes)
{
    linkspec s = {5, 0x8863, NM_DW_IFT_ETHER, 9000, 0, 0, "x", NULL, 0};

    memset(b, 0, NM_DW_IFMD_SIZE);
    memcpy(b + NM_DW_IFMD_NAME_OFF, name, strlen(name));
    put32(b + NM_DW_IFMD_FLAGS_OFF, 0x8863);
    put32(b + NM_DW_IFMD_SND_DROPS_OFF, 9);
    put_ifdata(b + NM_DW_IFMD_DATA_OFF, &s);
    put64(b + NM_DW_IFMD_DATA_OFF + NM_DW_IFD_IBYTES_OFF, ibytes);
    put64(b + NM_DW_IFMD_DATA_OFF + NM_DW_IFD_OBYTES_OFF, obytes);
}

START_TEST(test_ifmib_valid)
{
    unsigned char *b = malloc(NM_DW_IFMD_SIZE);
    nm_dw_ifmib mib;
    netmetrics_error err;
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    struct netmetrics_interface *it;
    /* not multiples of 1 KiB and above 2^32: neither rounded nor cut */
    uint64_t in = 5ull * 1024 * 1024 * 1024 + 123, out = (1ull << 40) + 1;

    ck_assert_ptr_nonnull(b);
    build_ifmib(b, "en0", in, out);
    ck_assert_int_eq(nm_dw_ifmib_parse(b, NM_DW_IFMD_SIZE, &mib, &err), NETMETRICS_OK);
    ck_assert_str_eq(mib.name, "en0");
    ck_assert_uint_eq(mib.flags, 0x8863);
    ck_assert_uint_eq(mib.snd_drops, 9);
    ck_assert_uint_eq(mib.data.mtu, 9000);
    ck_assert_uint_eq(mib.data.type, NM_DW_IFT_ETHER);
    ck_assert_uint_eq(mib.data.ibytes, in);
    ck_assert_uint_eq(mib.data.obytes, out);
    ck_assert_uint_eq(mib.data.ipackets, 1);

    it = nm_snapshot_add_interface(snap);
    it->stats[NETMETRICS_STAT_RX_BYTES] = 1024; /* the rounded value */
    nm_dw_ifdata_fill_bytes(&mib.data, it);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_RX_BYTES], in);
    ck_assert_uint_eq(it->stats[NETMETRICS_STAT_TX_BYTES], out);
    ck_assert(it->stats_valid & (1u << NETMETRICS_STAT_TX_BYTES));
    netmetrics_snapshot_free(snap);

    /* a 15-byte name fills the field but for its NUL */
    build_ifmib(b, "abcdefghijklmno", 1, 2);
    ck_assert_int_eq(nm_dw_ifmib_parse(b, NM_DW_IFMD_SIZE, &mib, &err), NETMETRICS_OK);
    ck_assert_str_eq(mib.name, "abcdefghijklmno");
    free(b);
}
END_TEST

START_TEST(test_ifmib_bad)
{
    unsigned char *b = malloc(NM_DW_IFMD_SIZE + 32);
    unsigned char *shorter;
    nm_dw_ifmib mib;
    netmetrics_error err;
    size_t n;

    ck_assert_ptr_nonnull(b);
    build_ifmib(b, "en0", 1, 2);
    /* every shorter length is refused, read from an exactly-sized block */
    for (n = 0; n < NM_DW_IFMD_SIZE; n++) {
        shorter = malloc(n ? n : 1);
        memcpy(shorter, b, n);
        ck_assert_int_eq(nm_dw_ifmib_parse(shorter, n, &mib, &err), NETMETRICS_ERR_PARSE);
        free(shorter);
    }
    ck_assert_ptr_nonnull(strstr(err.message, "expected at least 180"));
    /* longer: a later macOS may grow the structure */
    memset(b + NM_DW_IFMD_SIZE, 0xee, 32);
    ck_assert_int_eq(nm_dw_ifmib_parse(b, NM_DW_IFMD_SIZE + 32, &mib, &err), NETMETRICS_OK);
    /* 16 name bytes and no NUL */
    memset(b, 'a', NM_DW_IFMD_NAME_SIZE);
    ck_assert_int_eq(nm_dw_ifmib_parse(b, NM_DW_IFMD_SIZE, &mib, &err), NETMETRICS_ERR_PARSE);
    /* empty name */
    b[0] = '\0';
    ck_assert_int_eq(nm_dw_ifmib_parse(b, NM_DW_IFMD_SIZE, &mib, &err), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_dw_ifmib_parse(NULL, 0, &mib, &err), NETMETRICS_ERR_PARSE);
    free(b);
}
END_TEST

/* ------------------------------------------------------ netstat tests -- */

static char *load_fixture(const char *rel, size_t *len)
{
    netmetrics_error e;
    nm_strbuf b;
    char *text, *exact;

    nm_strbuf_init(&b);
    if (nm_read_file(NM_FIXTURES_DIR, rel, 1u << 20, &b, &e) != NETMETRICS_OK)
        ck_abort_msg("fixture %s: %s", rel, e.message);
    text = nm_strbuf_steal(&b, len);
    /* exactly sized and not NUL-terminated, so an over-read is caught */
    exact = malloc(*len ? *len : 1);
    ck_assert_ptr_nonnull(exact);
    memcpy(exact, text, *len);
    free(text);
    return exact;
}

typedef struct rows {
    nm_netstat_row r[32];
    size_t n;
} rows;

static netmetrics_status row_cb(const nm_netstat_row *r, void *ctx)
{
    rows *rs = ctx;

    ck_assert_uint_lt(rs->n, 32);
    rs->r[rs->n++] = *r;
    return NETMETRICS_OK;
}

static netmetrics_status parse_fixture(const char *rel, rows *rs, nm_netstat_summary *sum,
                                       netmetrics_error *err)
{
    size_t len;
    char *text = load_fixture(rel, &len);
    netmetrics_status st;

    memset(rs, 0, sizeof *rs);
    st = nm_netstat_parse(text, len, row_cb, rs, sum, err);
    free(text);
    return st;
}

static const nm_netstat_row *find_row(const rows *rs, const char *name)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->r[i].name, name) == 0)
            return &rs->r[i];
    return NULL;
}

START_TEST(test_netstat_ibdn)
{
    rows rs;
    nm_netstat_summary sum;
    netmetrics_error err;
    const nm_netstat_row *r;
    static const unsigned char mac[6] = {0xf0, 0x18, 0x98, 0xaa, 0xbb, 0xcc};

    ck_assert_int_eq(parse_fixture("darwin/netstat_ibdn.txt", &rs, &sum, &err), NETMETRICS_OK);
    ck_assert_uint_eq(rs.n, 9);
    ck_assert_uint_eq(sum.rows, 9);
    ck_assert_uint_eq(sum.address_rows, 6);
    ck_assert_uint_eq(sum.rejected, 0);

    r = find_row(&rs, "lo0");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->ifindex, 1);
    ck_assert_uint_eq(r->mtu, 16384);
    ck_assert_uint_eq(r->hwaddr_len, 0); /* no MAC column */
    ck_assert(!r->down);
    ck_assert_uint_eq(r->v[NM_NS_IBYTES], 21939843u);

    r = find_row(&rs, "gif0"); /* the '*' is stripped and means down */
    ck_assert_ptr_nonnull(r);
    ck_assert(r->down);
    ck_assert(!r->maybe_truncated);
    ck_assert_uint_eq(r->ifindex, 2);

    r = find_row(&rs, "en0");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->ifindex, 11);
    ck_assert_uint_eq(r->hwaddr_len, 6);
    ck_assert_mem_eq(r->hwaddr, mac, 6);
    ck_assert_uint_eq(r->v[NM_NS_IPKTS], 9876543u);
    ck_assert_uint_eq(r->v[NM_NS_IERRS], 3);
    ck_assert_uint_eq(r->v[NM_NS_IBYTES], 12884901888ull); /* above 2^32 */
    ck_assert_uint_eq(r->v[NM_NS_OPKTS], 5432109u);
    ck_assert_uint_eq(r->v[NM_NS_OERRS], 1);
    ck_assert_uint_eq(r->v[NM_NS_OBYTES], 987654321u);
    ck_assert_uint_eq(r->v[NM_NS_COLL], 0);
    ck_assert_uint_eq(r->v[NM_NS_DROP], 12);
    ck_assert_uint_eq(r->have, (1u << NM_NS_FIELDS) - 1);

    r = find_row(&rs, "utun0"); /* no MAC, numbers shift left by one */
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->hwaddr_len, 0);
    ck_assert_uint_eq(r->v[NM_NS_IPKTS], 12);
    ck_assert_uint_eq(r->v[NM_NS_OBYTES], 4080);

    r = find_row(&rs, "bridge100"); /* '-' reads as 0; 9 < 10: not cut */
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->v[NM_NS_DROP], 0);
    ck_assert(!r->maybe_truncated);
    ck_assert_uint_eq(r->ifindex, 20);
}
END_TEST

START_TEST(test_netstat_truncated_names)
{
    rows rs;
    nm_netstat_summary sum;
    const nm_netstat_row *r;
    static const unsigned char mac[6] = {0xac, 0xde, 0x48, 0x00, 0x11, 0x22};

    ck_assert_int_eq(parse_fixture("darwin/netstat_truncated_names.txt", &rs, &sum, NULL),
                     NETMETRICS_OK);
    ck_assert_uint_eq(rs.n, 4);
    ck_assert_uint_eq(sum.address_rows, 1);
    r = find_row(&rs, "bridg");
    ck_assert_ptr_nonnull(r);
    ck_assert(r->maybe_truncated);
    ck_assert_uint_eq(r->ifindex, 20); /* the backend names it from the index */
    r = find_row(&rs, "utun1");
    ck_assert(r && r->maybe_truncated);
    r = find_row(&rs, "lo0");
    ck_assert(r && !r->maybe_truncated);
    r = find_row(&rs, "en5"); /* "en5*" is 4 wide: whole, and down */
    ck_assert(r && !r->maybe_truncated && r->down);
    ck_assert_uint_eq(r->hwaddr_len, 6); /* "0" is a 00 byte */
    ck_assert_mem_eq(r->hwaddr, mac, 6);
}
END_TEST

START_TEST(test_netstat_no_bytes_columns)
{
    rows rs;
    nm_netstat_summary sum;
    const nm_netstat_row *r;
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    struct netmetrics_interface *it;

    ck_assert_int_eq(parse_fixture("darwin/netstat_in_no_bytes.txt", &rs, &sum, NULL),
                     NETMETRICS_OK);
    ck_assert_uint_eq(rs.n, 2);
    r = find_row(&rs, "en0");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->hwaddr_len, 6);
    ck_assert_uint_eq(r->hwaddr[3], 0x0d);
    ck_assert_uint_eq(r->v[NM_NS_IPKTS], 10);
    ck_assert_uint_eq(r->v[NM_NS_OPKTS], 8);
    ck_assert(!(r->have & (1u << NM_NS_IBYTES)));
    ck_assert(!(r->have & (1u << NM_NS_DROP)));

    /* columns the header lacks are absent, not 0 */
    it = nm_snapshot_add_interface(snap);
    nm_netstat_fill(r, it);
    ck_assert_int_eq(it->ifindex, 4);
    ck_assert_str_eq(it->name, "en0");
    ck_assert_uint_eq(it->flags, NETMETRICS_FLAG_UP);
    ck_assert(it->stats_valid & (1u << NETMETRICS_STAT_RX_PACKETS));
    ck_assert(it->stats_valid & (1u << NETMETRICS_STAT_COLLISIONS));
    ck_assert(!(it->stats_valid & (1u << NETMETRICS_STAT_RX_BYTES)));
    ck_assert(!(it->stats_valid & (1u << NETMETRICS_STAT_TX_DROPPED)));
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_netstat_crlf)
{
    rows rs;

    ck_assert_int_eq(parse_fixture("darwin/netstat_crlf.txt", &rs, NULL, NULL), NETMETRICS_OK);
    ck_assert_uint_eq(rs.n, 1);
    ck_assert_uint_eq(rs.r[0].v[NM_NS_DROP], 0);
    ck_assert_uint_eq(rs.r[0].v[NM_NS_OBYTES], 2000);
}
END_TEST

START_TEST(test_netstat_bad_rows)
{
    rows rs;
    nm_netstat_summary sum;

    ck_assert_int_eq(parse_fixture("darwin/netstat_bad_rows.txt", &rs, &sum, NULL),
                     NETMETRICS_OK);
    ck_assert_uint_eq(rs.n, 1);
    ck_assert_str_eq(rs.r[0].name, "en9");
    ck_assert_uint_eq(sum.rejected, 7);
    ck_assert_uint_eq(sum.first_rejected_line, 3);
    ck_assert_str_eq(sum.first_rejected_why, "number of fields does not match the header");
}
END_TEST

START_TEST(test_netstat_no_header)
{
    rows rs;
    netmetrics_error err;

    ck_assert_int_eq(parse_fixture("darwin/netstat_no_header.txt", &rs, NULL, &err),
                     NETMETRICS_ERR_PARSE);
    ck_assert_uint_eq(rs.n, 0);
    ck_assert_ptr_nonnull(strstr(err.message, "no netstat header"));
    ck_assert_int_eq(nm_netstat_parse(NULL, 0, NULL, NULL, NULL, &err), NETMETRICS_ERR_PARSE);
}
END_TEST

/* Every prefix of the sample parses without reading past it (ASan) and
 * never delivers more rows than the whole. */
START_TEST(test_netstat_every_prefix)
{
    size_t len, cut;
    char *text = load_fixture("darwin/netstat_ibdn.txt", &len);

    for (cut = 0; cut <= len; cut++) {
        char *copy = malloc(cut ? cut : 1);
        rows rs;
        netmetrics_status st;

        memcpy(copy, text, cut);
        memset(&rs, 0, sizeof rs);
        st = nm_netstat_parse(copy, cut, row_cb, &rs, NULL, NULL);
        ck_assert(st == NETMETRICS_OK || st == NETMETRICS_ERR_PARSE);
        ck_assert_uint_le(rs.n, 9);
        free(copy);
    }
    free(text);
}
END_TEST

/* ---------------------------------------------------- classification -- */

START_TEST(test_classify_table)
{
    static const struct {
        const char *name;
        uint32_t flags;
        int func, ift;
        const char *sc;
        netmetrics_interface_type want;
    } cases[] = {
        {"lo0", 0x8049, -1, NM_DW_IFT_LOOP, NULL, NETMETRICS_IFTYPE_LOOPBACK},
        {"lo0", 0x8049, NM_DW_FUNC_LOOPBACK, -1, NULL, NETMETRICS_IFTYPE_LOOPBACK},
        {"en0", 0x8863, NM_DW_FUNC_WIFI_INFRA, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_WIFI},
        {"en0", 0x8863, NM_DW_FUNC_WIRED, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_ETHERNET},
        /* nothing but IFT_ETHER: Ethernet, never assumed Wi-Fi */
        {"en0", 0x8863, -1, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_ETHERNET},
        {"en0", 0x8863, NM_DW_FUNC_UNKNOWN, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_ETHERNET},
        {"en1", 0x8863, -1, NM_DW_IFT_ETHER, "IEEE80211", NETMETRICS_IFTYPE_WIFI},
        {"en7", 0x8863, -1, NM_DW_IFT_ETHER, "Ethernet", NETMETRICS_IFTYPE_ETHERNET},
        {"en3", 0x8863, -1, NM_DW_IFT_ETHER, "Bluetooth", NETMETRICS_IFTYPE_OTHER},
        {"awdl0", 0x8943, NM_DW_FUNC_WIFI_AWDL, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"awdl0", 0x8943, -1, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"llw0", 0x8863, NM_DW_FUNC_WIRED, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"pdp_ip0", 0x8011, NM_DW_FUNC_CELLULAR, NM_DW_IFT_CELLULAR, NULL,
         NETMETRICS_IFTYPE_CELLULAR},
        {"pdp_ip0", 0x8011, -1, NM_DW_IFT_CELLULAR, NULL, NETMETRICS_IFTYPE_CELLULAR},
        {"en4", 0x8863, -1, NM_DW_IFT_ETHER, "WWAN", NETMETRICS_IFTYPE_CELLULAR},
        {"utun3", 0x8051, -1, NM_DW_IFT_OTHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"utun3", 0x8051, NM_DW_FUNC_UNKNOWN, -1, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"bridge100", 0x8863, NM_DW_FUNC_WIRED, NM_DW_IFT_BRIDGE, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"bridge0", 0x8863, NM_DW_FUNC_WIRED, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"bridge0", 0x8863, -1, NM_DW_IFT_ETHER, "Bridge", NETMETRICS_IFTYPE_VIRTUAL},
        {"ap1", 0x8843, -1, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"apple0", 0x8863, -1, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_ETHERNET},
        {"anpi0", 0x8863, NM_DW_FUNC_INTCOPROC, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"anpi1", 0x8863, -1, NM_DW_IFT_ETHER, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"gif0", 0x8010, -1, NM_DW_IFT_GIF, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"stf0", 0x0, -1, NM_DW_IFT_STF, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"vlan0", 0x8863, -1, NM_DW_IFT_L2VLAN, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"fw0", 0x8863, -1, NM_DW_IFT_IEEE1394, NULL, NETMETRICS_IFTYPE_OTHER},
        {"xyz0", 0, -1, -1, NULL, NETMETRICS_IFTYPE_OTHER},
        {"en9", 0x8863, -1, -1, "SomethingNew", NETMETRICS_IFTYPE_OTHER},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nm_dw_class_input in;

        in.name = cases[i].name;
        in.bsd_flags = cases[i].flags;
        in.functional_type = cases[i].func;
        in.ift_type = cases[i].ift;
        in.sc_type = cases[i].sc;
        ck_assert_msg(nm_dw_classify(&in) == cases[i].want, "case %zu (%s): got %d want %d", i,
                      cases[i].name, (int)nm_dw_classify(&in), (int)cases[i].want);
    }
}
END_TEST

START_TEST(test_classify_virtual_names)
{
    ck_assert(nm_dw_virtual_name("utun0"));
    ck_assert(nm_dw_virtual_name("utun12"));
    ck_assert(nm_dw_virtual_name("bridge100"));
    ck_assert(nm_dw_virtual_name("ap1"));
    ck_assert(nm_dw_virtual_name("llw0"));
    ck_assert(nm_dw_virtual_name("stf0"));
    ck_assert(!nm_dw_virtual_name("utun"));
    ck_assert(!nm_dw_virtual_name("apple0"));
    ck_assert(!nm_dw_virtual_name("en0"));
    ck_assert(!nm_dw_virtual_name("utun0x"));
    ck_assert(!nm_dw_virtual_name(""));
    ck_assert(!nm_dw_virtual_name(NULL));
    ck_assert_int_eq(nm_dw_ift_to_arphrd(NM_DW_IFT_ETHER), 1);
    ck_assert_int_eq(nm_dw_ift_to_arphrd(NM_DW_IFT_LOOP), 772);
    ck_assert_int_eq(nm_dw_ift_to_arphrd(NM_DW_IFT_CELLULAR), -1);
}
END_TEST

/* What the Darwin backend decides survives the portable classification
 * that nm_snapshot_finish runs. */
START_TEST(test_classify_roundtrip)
{
    static const struct {
        const char *name;
        int32_t link_type;
        netmetrics_interface_type type;
    } cases[] = {
        {"lo0", 772, NETMETRICS_IFTYPE_LOOPBACK}, {"en0", 1, NETMETRICS_IFTYPE_WIFI},
        {"en1", 1, NETMETRICS_IFTYPE_ETHERNET},   {"pdp_ip0", -1, NETMETRICS_IFTYPE_CELLULAR},
        {"utun3", -1, NETMETRICS_IFTYPE_VIRTUAL}, {"bridge100", 1, NETMETRICS_IFTYPE_VIRTUAL},
        {"fw0", 24, NETMETRICS_IFTYPE_OTHER},     {"en3", 1, NETMETRICS_IFTYPE_OTHER},
        {"0", -1, NETMETRICS_IFTYPE_VIRTUAL},
    };
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct netmetrics_interface *it;

        nm_snapshot_reset(snap);
        it = nm_snapshot_add_interface(snap);
        ck_assert_ptr_nonnull(it);
        it->ifindex = 1;
        strcpy(it->name, cases[i].name);
        it->link_type = cases[i].link_type;
        nm_dw_apply_type(it, cases[i].type);
        ck_assert_int_eq(nm_snapshot_finish(snap), 0);
        ck_assert_msg(netmetrics_interface_type_get(netmetrics_snapshot_interface(snap, 0)) ==
                          cases[i].type,
                      "case %zu (%s)", i, cases[i].name);
    }
    nm_snapshot_reset(snap);
    {
        struct netmetrics_interface *it = nm_snapshot_add_interface(snap);

        strcpy(it->name, "utun3");
        nm_dw_apply_type(it, NETMETRICS_IFTYPE_VIRTUAL);
        ck_assert_str_eq(it->kind, "utun");
    }
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ------------------------------------------------ platform backends -- */

START_TEST(test_platform_backends)
{
    netmetrics_backend b;
    netmetrics_collector_options o;
    netmetrics_collector *c = NULL;
    netmetrics_error err;
    int linux_os = strcmp(NM_OS, "linux") == 0;

    ck_assert_int_eq(netmetrics_backend_parse("sysctl", &b), NETMETRICS_OK);
    ck_assert_int_eq(b, NETMETRICS_BACKEND_SYSCTL);
    ck_assert_int_eq(netmetrics_backend_parse("netstat", &b), NETMETRICS_OK);
    ck_assert_int_eq(b, NETMETRICS_BACKEND_NETSTAT);
    ck_assert_str_eq(netmetrics_backend_name(NETMETRICS_BACKEND_SYSCTL), "sysctl");
    ck_assert_str_eq(netmetrics_backend_name(NETMETRICS_BACKEND_NETSTAT), "netstat");

    /* another platform's backend: NOT_AVAILABLE, naming it */
    netmetrics_collector_options_init(&o);
    o.backend = linux_os ? NETMETRICS_BACKEND_SYSCTL : NETMETRICS_BACKEND_NETLINK;
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &err), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(err.message, linux_os ? "sysctl" : "netlink"));
    ck_assert_ptr_nonnull(strstr(err.message, "not available"));
    o.backend = linux_os ? NETMETRICS_BACKEND_NETSTAT : NETMETRICS_BACKEND_PROCFS;
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &err), NETMETRICS_ERR_NOT_AVAILABLE);
    o.backend = (netmetrics_backend)99;
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &err), NETMETRICS_ERR_INVALID);

    /* AUTO picks the native backend */
    ck_assert_int_eq(netmetrics_collector_new(NULL, &c, &err), NETMETRICS_OK);
    ck_assert_str_eq(netmetrics_collector_backend(c), linux_os ? "netlink" : "sysctl");
    netmetrics_collector_free(c);
}
END_TEST

static Suite *darwin_suite(void)
{
    Suite *s = suite_create("darwin_parsers");
    TCase *tc;

    tc = tcase_create("ifmsg");
    tcase_add_test(tc, test_ifmsg_valid);
    tcase_add_test(tc, test_ifmsg_empty);
    tcase_add_test(tc, test_ifmsg_every_cut);
    tcase_add_test(tc, test_ifmsg_zero_length);
    tcase_add_test(tc, test_ifmsg_lying_length);
    tcase_add_test(tc, test_ifmsg_short_ifinfo2);
    tcase_add_test(tc, test_ifmsg_version_and_index);
    tcase_add_test(tc, test_ifmsg_bad_sdl);
    tcase_add_test(tc, test_ifmsg_callback_stops);
    tcase_add_test(tc, test_ifmsg_fill);
    suite_add_tcase(s, tc);

    tc = tcase_create("ifmib");
    tcase_add_test(tc, test_ifmib_valid);
    tcase_add_test(tc, test_ifmib_bad);
    suite_add_tcase(s, tc);

    tc = tcase_create("netstat");
    tcase_add_test(tc, test_netstat_ibdn);
    tcase_add_test(tc, test_netstat_truncated_names);
    tcase_add_test(tc, test_netstat_no_bytes_columns);
    tcase_add_test(tc, test_netstat_crlf);
    tcase_add_test(tc, test_netstat_bad_rows);
    tcase_add_test(tc, test_netstat_no_header);
    tcase_add_test(tc, test_netstat_every_prefix);
    suite_add_tcase(s, tc);

    tc = tcase_create("classify");
    tcase_add_test(tc, test_classify_table);
    tcase_add_test(tc, test_classify_virtual_names);
    tcase_add_test(tc, test_classify_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("platform");
    tcase_add_test(tc, test_platform_backends);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(darwin_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

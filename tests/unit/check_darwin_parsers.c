/* SPDX-License-Identifier: MIT */
/* Check runner for the macOS parsers, run on every platform: the
 * NET_RT_IFLIST2 walker on message buffers this file builds per the layout
 * of darwin_layout.h (valid, cut at every length, zero and lying lengths,
 * wrong versions, malformed sockaddr_dl), the ifmibdata reader, the
 * `netstat -ibdn` parser on the samples in tests/fixtures/darwin/, the
 * classification rules, libproc's socket_fdinfo decoder and the socket
 * table that de-duplicates shared sockets, the CoreWLAN value rules, and
 * the per-platform backend tables (interfaces and connections).
 * Buffers are copied into exactly-sized heap blocks before parsing, so
 * under ASan a read one byte past the end is a failure. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "classify_darwin.h"
#include "darwin_layout.h"
#include "fileio.h"
#include "ifmib_parse.h"
#include "ifmsg_parse.h"
#include "netmetrics.h"
#include "netstat_parse.h"
#include "snapshot.h"
#include "sockinfo_parse.h"
#include "strbuf.h"
#include "wifi_reading.h"

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
        /* each branch, and which source wins over which */
        {"lo0", 0x8049, NM_DW_FUNC_WIRED, NM_DW_IFT_ETHER, "Ethernet",
         NETMETRICS_IFTYPE_LOOPBACK}, /* IFF_LOOPBACK first */
        {"en0", 0x8863, NM_DW_FUNC_WIFI_INFRA, NM_DW_IFT_ETHER, "Ethernet",
         NETMETRICS_IFTYPE_WIFI}, /* functional type over SystemConfiguration */
        {"en5", 0x8863, NM_DW_FUNC_WIRED, NM_DW_IFT_ETHER, "IEEE80211",
         NETMETRICS_IFTYPE_WIFI}, /* WIRED does not decide: SC says Wi-Fi */
        {"en6", 0x8863, NM_DW_FUNC_UNKNOWN, NM_DW_IFT_LOOP, "WWAN",
         NETMETRICS_IFTYPE_CELLULAR}, /* SC over IFT */
        {"gif1", 0x8010, -1, NM_DW_IFT_GIF, "Ethernet", NETMETRICS_IFTYPE_VIRTUAL},
        {"utun4", 0x8051, NM_DW_FUNC_WIRED, NM_DW_IFT_ETHER, "Ethernet",
         NETMETRICS_IFTYPE_VIRTUAL}, /* a virtual name over "Ethernet" */
        {"en8", 0x8863, NM_DW_FUNC_COMPANIONLINK, NM_DW_IFT_ETHER, NULL,
         NETMETRICS_IFTYPE_VIRTUAL},
        {"en2", 0x8863, NM_DW_FUNC_MANAGEMENT, NM_DW_IFT_ETHER, NULL,
         NETMETRICS_IFTYPE_ETHERNET}, /* a type newer than these rules: next source */
        {"en2", 0x8863, 99, NM_DW_IFT_ETHER, "IEEE80211", NETMETRICS_IFTYPE_WIFI},
        {"bond0", 0x8863, -1, NM_DW_IFT_IEEE8023ADLAG, "Bond", NETMETRICS_IFTYPE_VIRTUAL},
        {"en3", 0x8863, -1, NM_DW_IFT_ETHER, "Bond", NETMETRICS_IFTYPE_VIRTUAL},
        {"en3", 0x8863, -1, NM_DW_IFT_ETHER, "VLAN", NETMETRICS_IFTYPE_VIRTUAL},
        {"ppp0", 0x8051, -1, -1, "PPP", NETMETRICS_IFTYPE_VIRTUAL},
        {"ppp0", 0x8051, -1, NM_DW_IFT_PPP, NULL, NETMETRICS_IFTYPE_VIRTUAL},
        {"ipsec0", 0x8051, -1, -1, "IPSec", NETMETRICS_IFTYPE_VIRTUAL},
        {"x0", 0, -1, -1, "L2TP", NETMETRICS_IFTYPE_VIRTUAL},
        {"x0", 0, -1, -1, "PPTP", NETMETRICS_IFTYPE_VIRTUAL},
        {"x0", 0, -1, -1, "6to4", NETMETRICS_IFTYPE_VIRTUAL},
        {"x0", 0, -1, -1, "IPv4", NETMETRICS_IFTYPE_VIRTUAL},
        {"x0", 0, -1, -1, "VPN", NETMETRICS_IFTYPE_VIRTUAL},
        {"x0", 0, -1, -1, "Modem", NETMETRICS_IFTYPE_OTHER},
        {"x0", 0, -1, -1, "Serial", NETMETRICS_IFTYPE_OTHER},
        {"fw1", 0x8863, -1, -1, "FireWire", NETMETRICS_IFTYPE_OTHER},
        {"pktap0", 0, -1, NM_DW_IFT_PKTAP, NULL, NETMETRICS_IFTYPE_VIRTUAL},
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
    /* which functional types end the decision */
    ck_assert(nm_dw_functional_decides(NM_DW_FUNC_LOOPBACK));
    ck_assert(nm_dw_functional_decides(NM_DW_FUNC_WIFI_INFRA));
    ck_assert(nm_dw_functional_decides(NM_DW_FUNC_WIFI_AWDL));
    ck_assert(nm_dw_functional_decides(NM_DW_FUNC_CELLULAR));
    ck_assert(nm_dw_functional_decides(NM_DW_FUNC_INTCOPROC));
    ck_assert(nm_dw_functional_decides(NM_DW_FUNC_COMPANIONLINK));
    ck_assert(!nm_dw_functional_decides(NM_DW_FUNC_WIRED));
    ck_assert(!nm_dw_functional_decides(NM_DW_FUNC_UNKNOWN));
    ck_assert(!nm_dw_functional_decides(NM_DW_FUNC_MANAGEMENT));
    ck_assert(!nm_dw_functional_decides(-1));
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
        ck_assert_int_eq(nm_dw_apply_type(it, cases[i].type, &snap->strings), 0);
        ck_assert_int_eq(nm_snapshot_finish(snap), 0);
        ck_assert_msg(netmetrics_interface_type_get(netmetrics_snapshot_interface(snap, 0)) ==
                          cases[i].type,
                      "case %zu (%s)", i, cases[i].name);
    }
    nm_snapshot_reset(snap);
    {
        struct netmetrics_interface *it = nm_snapshot_add_interface(snap);

        strcpy(it->name, "utun3");
        ck_assert_int_eq(nm_dw_apply_type(it, NETMETRICS_IFTYPE_VIRTUAL, &snap->strings), 0);
        ck_assert_str_eq(it->kind, "utun");
    }
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ----------------------------------------------------------- sockinfo -- */

typedef struct sockspec {
    int family;            /* NM_DW_AF_* (or anything, for the skip cases) */
    int kind;              /* NM_DW_SOCKINFO_* */
    int protocol;
    int tcp_state;
    uint8_t vflag;
    const char *laddr, *faddr; /* text; IPv4 goes into the in4in6 slot */
    uint16_t lport, fport;
    int16_t soi_state, qlen, qlimit;
    uint32_t rcv_cc, snd_cc;
    uint64_t handle;
} sockspec;

/* A zero-filled socket_fdinfo of `size` bytes written per the layout. */
static unsigned char *build_sock(const sockspec *s, size_t size)
{
    unsigned char *b = calloc(1, size);
    int16_t v16;

    ck_assert_ptr_nonnull(b);
    ck_assert_uint_ge(size, NM_DW_SFI_SIZE);
    memset(b, 0x5a, NM_DW_SFI_PSI_OFF); /* proc_fileinfo: not read */
    put64(b + NM_DW_SFI_SO_OFF, s->handle);
    put32(b + NM_DW_SFI_TYPE_OFF, s->protocol == NM_DW_IPPROTO_UDP ? 2u : 1u);
    put32(b + NM_DW_SFI_PROTOCOL_OFF, (uint32_t)s->protocol);
    put32(b + NM_DW_SFI_FAMILY_OFF, (uint32_t)s->family);
    v16 = s->soi_state;
    memcpy(b + NM_DW_SFI_STATE_OFF, &v16, 2);
    v16 = s->qlen;
    memcpy(b + NM_DW_SFI_QLEN_OFF, &v16, 2);
    v16 = s->qlimit;
    memcpy(b + NM_DW_SFI_QLIMIT_OFF, &v16, 2);
    put32(b + NM_DW_SFI_RCV_CC_OFF, s->rcv_cc);
    put32(b + NM_DW_SFI_SND_CC_OFF, s->snd_cc);
    put32(b + NM_DW_SFI_KIND_OFF, (uint32_t)s->kind);
    /* the kernel stores the u_short port as it is on the wire */
    put32(b + NM_DW_SFI_LPORT_OFF, htons(s->lport));
    put32(b + NM_DW_SFI_FPORT_OFF, htons(s->fport));
    b[NM_DW_SFI_VFLAG_OFF] = s->vflag;
    if (s->laddr) {
        if (strchr(s->laddr, ':'))
            ck_assert_int_eq(inet_pton(AF_INET6, s->laddr, b + NM_DW_SFI_LADDR_OFF), 1);
        else
            ck_assert_int_eq(
                inet_pton(AF_INET, s->laddr, b + NM_DW_SFI_LADDR_OFF + NM_DW_IN46_ADDR4_OFF), 1);
    }
    if (s->faddr) {
        if (strchr(s->faddr, ':'))
            ck_assert_int_eq(inet_pton(AF_INET6, s->faddr, b + NM_DW_SFI_FADDR_OFF), 1);
        else
            ck_assert_int_eq(
                inet_pton(AF_INET, s->faddr, b + NM_DW_SFI_FADDR_OFF + NM_DW_IN46_ADDR4_OFF), 1);
    }
    put32(b + NM_DW_SFI_TCP_STATE_OFF, (uint32_t)s->tcp_state);
    return b;
}

static netmetrics_status parse_sock(const sockspec *s, nm_dw_sock *out)
{
    unsigned char *b = build_sock(s, NM_DW_SFI_SIZE);
    netmetrics_error err;
    netmetrics_status st = nm_dw_sockinfo_parse(b, NM_DW_SFI_SIZE, out, &err);

    free(b);
    return st;
}

static void ck_addr(const netmetrics_address *a, const char *want)
{
    char buf[64];

    ck_assert_int_eq(netmetrics_address_format(a, buf, sizeof buf), NETMETRICS_OK);
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(a->prefix_length, a->family == NETMETRICS_FAMILY_INET ? 32 : 128);
    ck_assert_uint_eq(a->scope, 0);
}

START_TEST(test_sockinfo_tcp4)
{
    sockspec sp = {NM_DW_AF_INET, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                   NM_DW_TSI_S_ESTABLISHED, NM_DW_INI_IPV4, "198.18.0.1", "198.18.0.2",
                   443, 51000, 0x2, 0, 0, 10, 20, 0xfeedface12345678ull};
    nm_dw_sock s;

    ck_assert_int_eq(parse_sock(&sp, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.protocol, NETMETRICS_CONN_PROTO_TCP);
    ck_assert_int_eq(s.conn.family, NETMETRICS_FAMILY_INET);
    ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_ESTABLISHED);
    ck_addr(&s.conn.local_addr, "198.18.0.1");
    ck_addr(&s.conn.remote_addr, "198.18.0.2");
    ck_assert_uint_eq(s.conn.local_port, 443);
    ck_assert_uint_eq(s.conn.remote_port, 51000);
    ck_assert_uint_eq(s.conn.receive_queue, 10);
    ck_assert_uint_eq(s.conn.send_queue, 20);
    ck_assert_uint_eq(s.handle, 0xfeedface12345678ull);
    /* the walk fills these, not the parser */
    ck_assert_int_eq(s.conn.pid, -1);
    ck_assert_uint_eq(s.conn.uid, 0);
    ck_assert_uint_eq(s.conn.inode, 0);
    ck_assert_str_eq(s.conn.process_name, "");
    ck_assert_int_eq(s.conn.owner_status, NETMETRICS_ERR_NOT_AVAILABLE);
}
END_TEST

START_TEST(test_sockinfo_tcp6_and_mapped)
{
    sockspec v6 = {NM_DW_AF_INET6, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                   NM_DW_TSI_S_SYN_SENT, NM_DW_INI_IPV6, "fd00::1", "fd00::2:3",
                   8080, 65535, 0, 0, 0, 0, 0, 7};
    /* an AF_INET6 socket connected to an IPv4 peer: the kernel marks it
     * INI_IPV4 and keeps the addresses in the IPv4 slot */
    sockspec mapped = {NM_DW_AF_INET6, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                       NM_DW_TSI_S_ESTABLISHED, NM_DW_INI_IPV4, "198.18.0.5", "198.18.0.6",
                       22, 40000, 0, 0, 0, 0, 0, 8};
    /* nothing bound yet: no flag, the family's own member */
    sockspec fresh = {NM_DW_AF_INET6, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                      NM_DW_TSI_S_CLOSED, 0, "fd00::9", NULL, 0, 0, 0, 0, 0, 0, 0, 9};
    nm_dw_sock s;

    ck_assert_int_eq(parse_sock(&v6, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.family, NETMETRICS_FAMILY_INET6);
    ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_SYN_SENT);
    ck_addr(&s.conn.local_addr, "fd00::1");
    ck_addr(&s.conn.remote_addr, "fd00::2:3");
    ck_assert_uint_eq(s.conn.local_port, 8080);
    ck_assert_uint_eq(s.conn.remote_port, 65535);

    ck_assert_int_eq(parse_sock(&mapped, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.family, NETMETRICS_FAMILY_INET6);
    ck_addr(&s.conn.local_addr, "::ffff:198.18.0.5");
    ck_addr(&s.conn.remote_addr, "::ffff:198.18.0.6");

    ck_assert_int_eq(parse_sock(&fresh, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_CLOSE);
    ck_addr(&s.conn.local_addr, "fd00::9");
    ck_addr(&s.conn.remote_addr, "::");
}
END_TEST

START_TEST(test_sockinfo_listen)
{
    /* dual-stack listener on [::]:9709: both flags, the IPv6 member */
    sockspec sp = {NM_DW_AF_INET6, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                   NM_DW_TSI_S_LISTEN, NM_DW_INI_IPV4 | NM_DW_INI_IPV6, "::", NULL,
                   9709, 0, 0x80, 3, 128, 555, 666, 1};
    sockspec v4 = {NM_DW_AF_INET, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                   NM_DW_TSI_S_LISTEN, NM_DW_INI_IPV4, "127.0.0.1", NULL,
                   80, 0, 0, -1, -5, 0, 0, 2};
    nm_dw_sock s;

    ck_assert_int_eq(parse_sock(&sp, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_LISTEN);
    ck_addr(&s.conn.local_addr, "::");
    ck_addr(&s.conn.remote_addr, "::");
    ck_assert_uint_eq(s.conn.local_port, 9709);
    ck_assert_uint_eq(s.conn.remote_port, 0);
    /* Linux's meaning for a listener: pending connections, backlog */
    ck_assert_uint_eq(s.conn.receive_queue, 3);
    ck_assert_uint_eq(s.conn.send_queue, 128);

    ck_assert_int_eq(parse_sock(&v4, &s), NETMETRICS_OK);
    ck_addr(&s.conn.local_addr, "127.0.0.1");
    ck_addr(&s.conn.remote_addr, "0.0.0.0");
    ck_assert_uint_eq(s.conn.receive_queue, 0); /* negative shorts: none */
    ck_assert_uint_eq(s.conn.send_queue, 0);
}
END_TEST

START_TEST(test_sockinfo_udp)
{
    sockspec unconn = {NM_DW_AF_INET, NM_DW_SOCKINFO_IN, NM_DW_IPPROTO_UDP, 0,
                       NM_DW_INI_IPV4, "0.0.0.0", NULL, 5353, 0, 0, 0, 0, 42, 0, 3};
    sockspec conn = {NM_DW_AF_INET6, NM_DW_SOCKINFO_IN, NM_DW_IPPROTO_UDP, 0,
                     NM_DW_INI_IPV6, "fd00::1", "fd00::53", 40000, 53,
                     NM_DW_SOI_S_ISCONNECTED | 0x100, 0, 0, 0, 0, 4};
    nm_dw_sock s;

    ck_assert_int_eq(parse_sock(&unconn, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.protocol, NETMETRICS_CONN_PROTO_UDP);
    ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_UNCONN);
    ck_assert_uint_eq(s.conn.local_port, 5353);
    ck_assert_uint_eq(s.conn.receive_queue, 42);

    ck_assert_int_eq(parse_sock(&conn, &s), NETMETRICS_OK);
    ck_assert_int_eq(s.conn.protocol, NETMETRICS_CONN_PROTO_UDP);
    ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_ESTABLISHED);
    ck_addr(&s.conn.remote_addr, "fd00::53");
    ck_assert_uint_eq(s.conn.remote_port, 53);
}
END_TEST

START_TEST(test_sockinfo_skipped)
{
    static const struct {
        int family, kind, protocol;
        netmetrics_status want;
    } cases[] = {
        {1, 3, 0, NETMETRICS_ERR_NOT_AVAILABLE},                  /* AF_UNIX, SOCKINFO_UN */
        {17, 0, 0, NETMETRICS_ERR_NOT_AVAILABLE},                 /* PF_ROUTE */
        {32, 6, 2, NETMETRICS_ERR_NOT_AVAILABLE},                 /* PF_SYSTEM, kern ctl */
        {10, NM_DW_SOCKINFO_TCP, 6, NETMETRICS_ERR_NOT_AVAILABLE}, /* Linux's AF_INET6 is not */
        {NM_DW_AF_INET, 0, 6, NETMETRICS_ERR_NOT_AVAILABLE},      /* no protocol block */
        {NM_DW_AF_INET, NM_DW_SOCKINFO_IN, 1, NETMETRICS_ERR_NOT_AVAILABLE}, /* ICMP */
        {NM_DW_AF_INET6, NM_DW_SOCKINFO_IN, 58, NETMETRICS_ERR_NOT_AVAILABLE},
        {NM_DW_AF_INET, 99, 17, NETMETRICS_ERR_NOT_AVAILABLE},
        /* a TCP socket whose tcpcb is gone: listed, state unknown */
        {NM_DW_AF_INET, NM_DW_SOCKINFO_IN, NM_DW_IPPROTO_TCP, NETMETRICS_OK},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sockspec sp;
        nm_dw_sock s;

        memset(&sp, 0, sizeof sp);
        sp.family = cases[i].family;
        sp.kind = cases[i].kind;
        sp.protocol = cases[i].protocol;
        sp.tcp_state = NM_DW_TSI_S_ESTABLISHED;
        ck_assert_msg(parse_sock(&sp, &s) == cases[i].want, "case %zu", i);
        if (cases[i].want == NETMETRICS_OK) {
            ck_assert_int_eq(s.conn.protocol, NETMETRICS_CONN_PROTO_TCP);
            ck_assert_int_eq(s.conn.state, NETMETRICS_CONN_STATE_UNKNOWN);
        }
    }
}
END_TEST

START_TEST(test_sockinfo_lengths)
{
    sockspec sp = {NM_DW_AF_INET, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP,
                   NM_DW_TSI_S_ESTABLISHED, NM_DW_INI_IPV4, "198.18.0.1", "198.18.0.2",
                   1, 2, 0, 0, 0, 0, 0, 5};
    unsigned char *full = build_sock(&sp, NM_DW_SFI_SIZE + 64);
    netmetrics_error err;
    nm_dw_sock s;
    size_t len;

    /* every cut: an exact-size copy, so ASan sees a read past the end */
    for (len = 0; len < NM_DW_SFI_SIZE; len++) {
        unsigned char *cut = malloc(len ? len : 1);

        memcpy(cut, full, len);
        ck_assert_int_eq(nm_dw_sockinfo_parse(cut, len, &s, &err), NETMETRICS_ERR_PARSE);
        ck_assert_int_eq(s.conn.pid, -1);
        free(cut);
    }
    ck_assert_ptr_nonnull(strstr(err.message, "socket_fdinfo"));
    ck_assert_int_eq(nm_dw_sockinfo_parse(NULL, 0, &s, NULL), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_dw_sockinfo_parse(NULL, NM_DW_SFI_SIZE, &s, NULL), NETMETRICS_ERR_PARSE);
    /* a later macOS may grow the structure at its end */
    ck_assert_int_eq(nm_dw_sockinfo_parse(full, NM_DW_SFI_SIZE + 64, &s, NULL), NETMETRICS_OK);
    ck_assert_uint_eq(s.conn.remote_port, 2);
    /* odd alignment */
    {
        unsigned char *odd = malloc(NM_DW_SFI_SIZE + 1);

        memcpy(odd + 1, full, NM_DW_SFI_SIZE);
        ck_assert_int_eq(nm_dw_sockinfo_parse(odd + 1, NM_DW_SFI_SIZE, &s, NULL), NETMETRICS_OK);
        ck_assert_uint_eq(s.conn.local_port, 1);
        free(odd);
    }
    free(full);
}
END_TEST

START_TEST(test_sockinfo_tcp_states)
{
    static const struct {
        int tsi;
        netmetrics_conn_state want;
        const char *name;
    } cases[] = {
        {NM_DW_TSI_S_CLOSED, NETMETRICS_CONN_STATE_CLOSE, "close"},
        {NM_DW_TSI_S_LISTEN, NETMETRICS_CONN_STATE_LISTEN, "listen"},
        {NM_DW_TSI_S_SYN_SENT, NETMETRICS_CONN_STATE_SYN_SENT, "syn_sent"},
        {NM_DW_TSI_S_SYN_RECEIVED, NETMETRICS_CONN_STATE_SYN_RECV, "syn_recv"},
        {NM_DW_TSI_S_ESTABLISHED, NETMETRICS_CONN_STATE_ESTABLISHED, "established"},
        {NM_DW_TSI_S_CLOSE_WAIT, NETMETRICS_CONN_STATE_CLOSE_WAIT, "close_wait"},
        {NM_DW_TSI_S_FIN_WAIT_1, NETMETRICS_CONN_STATE_FIN_WAIT1, "fin_wait1"},
        {NM_DW_TSI_S_CLOSING, NETMETRICS_CONN_STATE_CLOSING, "closing"},
        {NM_DW_TSI_S_LAST_ACK, NETMETRICS_CONN_STATE_LAST_ACK, "last_ack"},
        {NM_DW_TSI_S_FIN_WAIT_2, NETMETRICS_CONN_STATE_FIN_WAIT2, "fin_wait2"},
        {NM_DW_TSI_S_TIME_WAIT, NETMETRICS_CONN_STATE_TIME_WAIT, "time_wait"},
        {11, NETMETRICS_CONN_STATE_UNKNOWN, "unknown"}, /* TSI_S_RESERVED */
        {12, NETMETRICS_CONN_STATE_UNKNOWN, "unknown"},
        {-1, NETMETRICS_CONN_STATE_UNKNOWN, "unknown"},
        {0x7fffffff, NETMETRICS_CONN_STATE_UNKNOWN, "unknown"},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sockspec sp = {NM_DW_AF_INET, NM_DW_SOCKINFO_TCP, NM_DW_IPPROTO_TCP, cases[i].tsi,
                       NM_DW_INI_IPV4, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 1};
        nm_dw_sock s;

        ck_assert_int_eq(nm_dw_tcp_state(cases[i].tsi), cases[i].want);
        ck_assert_int_eq(parse_sock(&sp, &s), NETMETRICS_OK);
        ck_assert_str_eq(netmetrics_conn_state_string(s.conn.state), cases[i].name);
    }
}
END_TEST

static nm_dw_sock tab_sock(int proto_udp, int v6, uint64_t handle, uint16_t lport)
{
    sockspec sp = {v6 ? NM_DW_AF_INET6 : NM_DW_AF_INET,
                   proto_udp ? NM_DW_SOCKINFO_IN : NM_DW_SOCKINFO_TCP,
                   proto_udp ? NM_DW_IPPROTO_UDP : NM_DW_IPPROTO_TCP,
                   NM_DW_TSI_S_LISTEN, v6 ? NM_DW_INI_IPV6 : NM_DW_INI_IPV4,
                   NULL, NULL, lport, 0, 0, 0, 0, 0, 0, handle};
    nm_dw_sock s;

    ck_assert_int_eq(parse_sock(&sp, &s), NETMETRICS_OK);
    return s;
}

START_TEST(test_socktab_owners)
{
    const unsigned all = NETMETRICS_CONN_TCP | NETMETRICS_CONN_UDP | NETMETRICS_CONN_INET |
                         NETMETRICS_CONN_INET6;
    nm_dw_owner o300 = {300, 501, "launchd-child"}, o200 = {200, 0, "sshd"},
                o250 = {250, 502, "other"};
    nm_dw_sock shared = tab_sock(0, 0, 0xabc, 22), anon = tab_sock(0, 0, 0, 23);
    netmetrics_connections *l;
    nm_dw_socktab t;
    int pass;

    /* pass 0 with owners asked for, pass 1 without */
    for (pass = 0; pass < 2; pass++) {
        unsigned flags = all | (pass == 0 ? NETMETRICS_CONN_PROCESSES : 0u);
        const netmetrics_connection *c;

        l = calloc(1, sizeof *l);
        nm_dw_socktab_init(&t);
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &shared, flags, &o300, NULL), NETMETRICS_OK);
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &shared, flags, &o200, NULL), NETMETRICS_OK);
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &shared, flags, &o250, NULL), NETMETRICS_OK);
        /* handle 0: no identity, never merged */
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &anon, flags, &o300, NULL), NETMETRICS_OK);
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &anon, flags, &o250, NULL), NETMETRICS_OK);
        ck_assert_uint_eq(netmetrics_connections_count(l), 3);
        c = netmetrics_connections_get(l, 0);
        ck_assert_uint_eq(c->local_port, 22);
        ck_assert_uint_eq(c->uid, 0); /* the lowest pid's process */
        if (pass == 0) {
            ck_assert_int_eq(c->pid, 200);
            ck_assert_str_eq(c->process_name, "sshd");
            ck_assert_int_eq(c->owner_status, NETMETRICS_OK);
            ck_assert_int_eq(netmetrics_connections_get(l, 1)->pid, 300);
            ck_assert_int_eq(netmetrics_connections_get(l, 2)->pid, 250);
            ck_assert_str_eq(netmetrics_connections_get(l, 1)->process_name, "launchd-child");
        } else {
            ck_assert_int_eq(c->pid, -1);
            ck_assert_str_eq(c->process_name, "");
            ck_assert_int_eq(c->owner_status, NETMETRICS_ERR_NOT_AVAILABLE);
            ck_assert_uint_eq(netmetrics_connections_get(l, 1)->uid, 501);
        }
        nm_dw_socktab_free(&t);
        netmetrics_connections_free(l);
    }
}
END_TEST

START_TEST(test_socktab_filters_and_growth)
{
    nm_dw_owner me = {4242, 501, "a-process-name-longer-than-fifteen"};
    netmetrics_connections *l = calloc(1, sizeof *l);
    nm_dw_socktab t;
    unsigned flags;
    uint64_t h;
    size_t i;

    nm_dw_socktab_init(&t);
    /* TCP over IPv6 only */
    flags = NETMETRICS_CONN_TCP | NETMETRICS_CONN_INET6 | NETMETRICS_CONN_PROCESSES;
    {
        nm_dw_sock tcp4 = tab_sock(0, 0, 1, 1), udp6 = tab_sock(1, 1, 2, 2),
                   tcp6 = tab_sock(0, 1, 3, 3);

        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &tcp4, flags, &me, NULL), NETMETRICS_OK);
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &udp6, flags, &me, NULL), NETMETRICS_OK);
        ck_assert_int_eq(nm_dw_socktab_add(&t, l, &tcp6, flags, &me, NULL), NETMETRICS_OK);
        ck_assert_uint_eq(netmetrics_connections_count(l), 1);
        ck_assert_uint_eq(netmetrics_connections_get(l, 0)->local_port, 3);
        ck_assert_str_eq(netmetrics_connections_get(l, 0)->process_name, "a-process-name-");
    }
    /* many distinct sockets, each seen twice: the table grows, every
     * second sighting is found */
    flags = NETMETRICS_CONN_TCP | NETMETRICS_CONN_INET | NETMETRICS_CONN_INET6;
    for (i = 0; i < 2; i++)
        for (h = 100; h < 20100; h++) {
            nm_dw_sock s = tab_sock(0, 0, h * 0x100000000ull, (uint16_t)h);

            ck_assert_int_eq(nm_dw_socktab_add(&t, l, &s, flags, &me, NULL), NETMETRICS_OK);
        }
    ck_assert_uint_eq(netmetrics_connections_count(l), 1 + 20000);
    ck_assert_uint_eq(t.used, 1 + 20000);
    ck_assert_uint_le(t.used * 2, t.cap);
    for (i = 1; i < netmetrics_connections_count(l); i++)
        ck_assert_uint_eq(netmetrics_connections_get(l, i)->local_port, (uint16_t)(99 + i));
    nm_dw_socktab_free(&t);
    nm_dw_socktab_free(&t); /* twice is harmless */
    netmetrics_connections_free(l);
}
END_TEST

/* --------------------------------------------------------------- wifi -- */

START_TEST(test_wifi_channels)
{
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_2GHZ, 1), 2412000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_2GHZ, 6), 2437000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_2GHZ, 13), 2472000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_2GHZ, 14), 2484000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_2GHZ, 0), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_2GHZ, 15), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_5GHZ, 36), 5180000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_5GHZ, 165), 5825000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_5GHZ, 0), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_5GHZ, 197), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_6GHZ, 1), 5955000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_6GHZ, 2), 5935000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_6GHZ, 37), 6135000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_6GHZ, 233), 7115000000ull);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_6GHZ, 234), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_UNKNOWN, 6), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(7, 6), 0);
    ck_assert_uint_eq(nm_dw_wifi_channel_hz(NM_DW_WIFI_BAND_5GHZ, -36), 0);
}
END_TEST

START_TEST(test_wifi_bssid)
{
    static const char *const bad[] = {
        "", "a0:b1:c2:d3:e4", "a0:b1:c2:d3:e4:f5:", "a0-b1-c2-d3-e4-f5", "a0:b1:c2:d3:e4:f5 ",
        "a0b:1:c2:d3:e4:f5", ":a0:b1:c2:d3:e4", "g0:b1:c2:d3:e4:f5", "a0:b1::d3:e4:f5",
        "a0:b1:c2:d3:e4:f56",
    };
    unsigned char b[6];
    size_t i;

    ck_assert_int_eq(nm_dw_parse_bssid("a0:b1:c2:d3:e4:f5", b), 0);
    ck_assert_int_eq(b[0], 0xa0);
    ck_assert_int_eq(b[5], 0xf5);
    ck_assert_int_eq(nm_dw_parse_bssid("A0:B1:C2:D3:E4:0F", b), 0);
    ck_assert_int_eq(b[5], 0x0f);
    /* airport and some CoreWLAN versions drop leading zeros */
    ck_assert_int_eq(nm_dw_parse_bssid("0:1a:2:b:c:d", b), 0);
    ck_assert_int_eq(b[0], 0x00);
    ck_assert_int_eq(b[1], 0x1a);
    ck_assert_int_eq(b[3], 0x0b);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(nm_dw_parse_bssid(bad[i], b) == -1, "\"%s\" parsed", bad[i]);
    ck_assert_int_eq(nm_dw_parse_bssid(NULL, b), -1);
}
END_TEST

START_TEST(test_wifi_fill)
{
    static const unsigned char ssid[] = "home-net";
    static const unsigned char ssid32[32] = "0123456789abcdef0123456789abcdef";
    nm_dw_wifi_reading r;
    netmetrics_wireless w;

    /* associated, nothing redacted */
    memset(&r, 0, sizeof r);
    r.rssi_dbm = -55;
    r.noise_dbm = -92;
    r.tx_rate_mbps = 866.7;
    r.channel = 36;
    r.band = NM_DW_WIFI_BAND_5GHZ;
    r.ssid = ssid;
    r.ssid_len = 8;
    r.bssid = "a0:b1:c2:d3:e4:f5";
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 1);
    ck_assert_uint_eq(w.valid, NETMETRICS_WIRELESS_SIGNAL | NETMETRICS_WIRELESS_NOISE |
                                   NETMETRICS_WIRELESS_BITRATE | NETMETRICS_WIRELESS_FREQUENCY |
                                   NETMETRICS_WIRELESS_SSID | NETMETRICS_WIRELESS_BSSID);
    ck_assert_int_eq(w.signal_dbm, -55);
    ck_assert_int_eq(w.noise_dbm, -92);
    ck_assert_uint_eq(w.tx_bitrate, 108337500ull); /* 866.7 Mb/s in bytes/s */
    ck_assert_uint_eq(w.frequency_hz, 5180000000ull);
    ck_assert_str_eq(w.ssid, "home-net");
    ck_assert_int_eq(w.bssid[0], 0xa0);

    /* SSID and BSSID redacted (no Location Services permission): absent */
    r.ssid = NULL;
    r.bssid = NULL;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 1);
    ck_assert_uint_eq(w.valid & (NETMETRICS_WIRELESS_SSID | NETMETRICS_WIRELESS_BSSID), 0);
    ck_assert_str_eq(w.ssid, "");

    /* not associated: CoreWLAN answers 0, the radio still has a channel */
    memset(&r, 0, sizeof r);
    r.channel = 6;
    r.band = NM_DW_WIFI_BAND_2GHZ;
    r.bssid = "a0:b1:c2:d3:e4:f5";
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 0);
    ck_assert_uint_eq(w.valid, 0);

    /* signal alone is association enough; odd values are left out */
    memset(&r, 0, sizeof r);
    r.rssi_dbm = -70;
    r.noise_dbm = -256;
    r.tx_rate_mbps = nan("");
    r.ssid = ssid32;
    r.ssid_len = 32;
    r.bssid = "00:00:00:00:00:00";
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 1);
    ck_assert_uint_eq(w.valid, NETMETRICS_WIRELESS_SIGNAL | NETMETRICS_WIRELESS_SSID);
    ck_assert_uint_eq(strlen(w.ssid), 32);
    r.ssid_len = 33;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 1);
    ck_assert_uint_eq(w.valid, NETMETRICS_WIRELESS_SIGNAL);
    r.ssid_len = 0;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 1);
    ck_assert_uint_eq(w.valid, NETMETRICS_WIRELESS_SIGNAL);

    /* a rate alone (signal 0, or out of range) */
    memset(&r, 0, sizeof r);
    r.rssi_dbm = 12;
    r.tx_rate_mbps = 6.0;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 1);
    ck_assert_uint_eq(w.valid, NETMETRICS_WIRELESS_BITRATE);
    ck_assert_uint_eq(w.tx_bitrate, 750000ull);
    r.tx_rate_mbps = -1.0;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 0);
    r.tx_rate_mbps = HUGE_VAL;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 0);
    r.rssi_dbm = -151;
    ck_assert_int_eq(nm_dw_wifi_fill(&r, &w), 0);
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

/* The connection table follows the interface backend's platform table:
 * another platform's id is NOT_AVAILABLE, and the native table lists this
 * process's own listening socket with its pid (sock_diag and /proc on
 * Linux; libproc on macOS, where this is the test of the real walk). */
START_TEST(test_platform_connections)
{
    const unsigned want = NETMETRICS_CONN_TCP | NETMETRICS_CONN_INET | NETMETRICS_CONN_PROCESSES;
    int linux_os = strcmp(NM_OS, "linux") == 0;
    netmetrics_collector_options o;
    netmetrics_connections *l = (netmetrics_connections *)&o;
    netmetrics_error err;
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    const char *backend;
    size_t i, found = 0;
    int fd, pass;

    netmetrics_collector_options_init(&o);
    o.backend = linux_os ? NETMETRICS_BACKEND_SYSCTL : NETMETRICS_BACKEND_NETLINK;
    ck_assert_int_eq(netmetrics_connections_collect(&o, 0, &l, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(err.message, linux_os ? "sysctl" : "netlink"));
    o.backend = linux_os ? NETMETRICS_BACKEND_NETSTAT : NETMETRICS_BACKEND_PROCFS;
    ck_assert_int_eq(netmetrics_connections_collect(&o, 0, &l, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    o.backend = (netmetrics_backend)99;
    ck_assert_int_eq(netmetrics_connections_collect(&o, 0, &l, &err), NETMETRICS_ERR_INVALID);

    fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(fd, 5), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
    /* AUTO, then each of this platform's backends by name */
    for (pass = 0; pass < 3; pass++) {
        o.backend = pass == 0 ? NETMETRICS_BACKEND_AUTO
                    : pass == 1 ? (linux_os ? NETMETRICS_BACKEND_NETLINK : NETMETRICS_BACKEND_SYSCTL)
                                : (linux_os ? NETMETRICS_BACKEND_PROCFS : NETMETRICS_BACKEND_NETSTAT);
        ck_assert_int_eq(netmetrics_connections_collect(&o, want, &l, &err), NETMETRICS_OK);
        backend = netmetrics_connections_backend(l);
        if (linux_os)
            ck_assert(strcmp(backend, "netlink") == 0 || strcmp(backend, "procfs") == 0);
        else
            ck_assert_str_eq(backend, "libproc");
        found = 0;
        for (i = 0; i < netmetrics_connections_count(l); i++) {
            const netmetrics_connection *c = netmetrics_connections_get(l, i);
            char a[64];

            ck_assert_int_eq(c->protocol, NETMETRICS_CONN_PROTO_TCP);
            ck_assert_int_eq(c->family, NETMETRICS_FAMILY_INET);
            if (c->local_port != ntohs(sa.sin_port) || c->state != NETMETRICS_CONN_STATE_LISTEN)
                continue;
            found++;
            ck_assert_int_eq(netmetrics_address_format(&c->local_addr, a, sizeof a),
                             NETMETRICS_OK);
            ck_assert_str_eq(a, "127.0.0.1");
            ck_assert_int_eq(c->pid, (int32_t)getpid());
            ck_assert_int_eq(c->owner_status, NETMETRICS_OK);
            ck_assert_uint_eq(c->uid, (uint32_t)getuid());
            ck_assert_str_ne(c->process_name, "");
        }
        ck_assert_msg(found == 1, "pass %d (%s): own listener found %zu times", pass, backend,
                      found);
        netmetrics_connections_free(l);
    }
    close(fd);
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

    tc = tcase_create("sockinfo");
    tcase_add_test(tc, test_sockinfo_tcp4);
    tcase_add_test(tc, test_sockinfo_tcp6_and_mapped);
    tcase_add_test(tc, test_sockinfo_listen);
    tcase_add_test(tc, test_sockinfo_udp);
    tcase_add_test(tc, test_sockinfo_skipped);
    tcase_add_test(tc, test_sockinfo_lengths);
    tcase_add_test(tc, test_sockinfo_tcp_states);
    tcase_add_test(tc, test_socktab_owners);
    tcase_add_test(tc, test_socktab_filters_and_growth);
    suite_add_tcase(s, tc);

    tc = tcase_create("wifi");
    tcase_add_test(tc, test_wifi_channels);
    tcase_add_test(tc, test_wifi_bssid);
    tcase_add_test(tc, test_wifi_fill);
    suite_add_tcase(s, tc);

    tc = tcase_create("platform");
    tcase_add_test(tc, test_platform_backends);
    tcase_add_test(tc, test_platform_connections);
    tcase_set_timeout(tc, 30);
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

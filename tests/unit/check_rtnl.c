/* SPDX-License-Identifier: MIT */
/* Unit tests of the rtnetlink parsers (walker, RTM_NEWLINK, RTM_NEWADDR,
 * whole-buffer feeding) on message buffers built here byte by byte, with
 * lying lengths, truncation at every offset and random mutations; and live
 * tests of the netlink backend against this machine's loopback interface.
 * Buffers under test are copied into exactly-sized heap blocks so that an
 * over-read is caught by ASan (configure --enable-sanitizers). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
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
#include "netmetrics.h"
#include "nmerror.h"
#include "rtnl_parse.h"
#include "snapshot.h"

#define TEST_PID 4242u
#define TEST_SEQ 7u
#define ARPHRD_ETHER_VALUE 1
#define ARPHRD_LOOPBACK_VALUE 772

/* ------------------------------------------------------ buffer builder -- */

#define NB_CAP 16384

typedef struct nb {
    unsigned char b[NB_CAP];
    size_t len;
    size_t msg; /* offset of the message being built */
} nb;

static void nb_init(nb *b)
{
    memset(b, 0, sizeof *b);
}

static void nb_raw(nb *b, const void *p, size_t n)
{
    ck_assert_uint_le(b->len + n, NB_CAP - 4);
    if (n)
        memcpy(b->b + b->len, p, n);
    b->len += n;
}

static void nb_pad(nb *b)
{
    while (b->len % 4)
        b->b[b->len++] = 0;
}

static void nb_msg(nb *b, uint16_t type, uint16_t flags, uint32_t seq)
{
    struct nlmsghdr h;

    memset(&h, 0, sizeof h);
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    h.nlmsg_seq = seq;
    h.nlmsg_pid = TEST_PID;
    nb_pad(b);
    b->msg = b->len;
    nb_raw(b, &h, sizeof h);
}

static void nb_set_len(nb *b, size_t msg, uint32_t len)
{
    memcpy(b->b + msg + offsetof(struct nlmsghdr, nlmsg_len), &len, sizeof len);
}

/* Closes the message: nlmsg_len covers what was written, then padding. */
static void nb_end(nb *b)
{
    nb_set_len(b, b->msg, (uint32_t)(b->len - b->msg));
    nb_pad(b);
}

static size_t nb_attr(nb *b, uint16_t type, const void *p, size_t n)
{
    struct rtattr a;
    size_t at;

    nb_pad(b);
    at = b->len;
    a.rta_len = (unsigned short)(sizeof a + n);
    a.rta_type = type;
    nb_raw(b, &a, sizeof a);
    nb_raw(b, p, n);
    nb_pad(b);
    return at;
}

static void nb_str(nb *b, uint16_t type, const char *s)
{
    nb_attr(b, type, s, strlen(s) + 1);
}

static void nb_u32(nb *b, uint16_t type, uint32_t v)
{
    nb_attr(b, type, &v, sizeof v);
}

static void nb_u8(nb *b, uint16_t type, uint8_t v)
{
    nb_attr(b, type, &v, 1);
}

static size_t nb_nest(nb *b, uint16_t type)
{
    return nb_attr(b, type, NULL, 0);
}

static void nb_nest_end(nb *b, size_t at)
{
    unsigned short l = (unsigned short)(b->len - at);

    memcpy(b->b + at + offsetof(struct rtattr, rta_len), &l, sizeof l);
}

/* Overwrites rta_len of the attribute at `at`. */
static void nb_set_rta_len(nb *b, size_t at, unsigned short l)
{
    memcpy(b->b + at + offsetof(struct rtattr, rta_len), &l, sizeof l);
}

static void nb_ifinfo(nb *b, int index, unsigned short type, unsigned flags)
{
    struct ifinfomsg ifi;

    memset(&ifi, 0, sizeof ifi);
    ifi.ifi_family = AF_UNSPEC;
    ifi.ifi_index = index;
    ifi.ifi_type = type;
    ifi.ifi_flags = flags;
    nb_raw(b, &ifi, sizeof ifi);
}

static void nb_ifaddr(nb *b, unsigned char family, unsigned char prefix, unsigned char scope,
                      uint32_t index)
{
    struct ifaddrmsg ifa;

    memset(&ifa, 0, sizeof ifa);
    ifa.ifa_family = family;
    ifa.ifa_prefixlen = prefix;
    ifa.ifa_scope = scope;
    ifa.ifa_index = index;
    nb_raw(b, &ifa, sizeof ifa);
}

static uint64_t stat64_value(size_t i)
{
    return (UINT64_C(1) << 40) + i * 1000003u;
}

static void nb_stats64(nb *b, size_t count)
{
    uint64_t v[NETMETRICS_STAT_COUNT + 2];
    size_t i;

    ck_assert_uint_le(count, NETMETRICS_STAT_COUNT + 2);
    for (i = 0; i < count; i++)
        v[i] = stat64_value(i);
    nb_attr(b, IFLA_STATS64, v, count * sizeof v[0]);
}

static void nb_stats32(nb *b, size_t count)
{
    uint32_t v[NETMETRICS_STAT_COUNT];
    size_t i;

    for (i = 0; i < count; i++)
        v[i] = (uint32_t)(100 + i);
    nb_attr(b, IFLA_STATS, v, count * sizeof v[0]);
}

static const unsigned char test_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

/* An RTM_NEWLINK with every attribute we read, a few we do not, and both
 * counter structures (32-bit first, so 64-bit must win by preference, not
 * by order). */
static void nb_link_full(nb *b, uint32_t seq, int ifindex, const char *name)
{
    uint32_t unknown = 0xdeadbeef;
    size_t info, data;

    nb_msg(b, RTM_NEWLINK, NLM_F_MULTI, seq);
    nb_ifinfo(b, ifindex, ARPHRD_ETHER_VALUE,
              NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_RUNNING |
                  NETMETRICS_FLAG_MULTICAST | NETMETRICS_FLAG_LOWER_UP);
    nb_stats32(b, 24);
    nb_str(b, IFLA_IFNAME, name);
    nb_attr(b, 999, &unknown, sizeof unknown); /* unknown: skipped */
    nb_u32(b, IFLA_MTU, 1500);
    nb_u8(b, IFLA_OPERSTATE, NETMETRICS_OPER_UP);
    nb_u8(b, IFLA_CARRIER, 1);
    nb_attr(b, IFLA_ADDRESS, test_mac, sizeof test_mac);
    info = nb_nest(b, IFLA_LINKINFO | NLA_F_NESTED);
    nb_str(b, IFLA_INFO_KIND, "veth");
    data = nb_nest(b, IFLA_INFO_DATA);
    nb_u32(b, 1, 7);
    nb_nest_end(b, data);
    nb_nest_end(b, info);
    nb_stats64(b, NETMETRICS_STAT_COUNT);
    nb_end(b);
}

/* A minimal RTM_NEWLINK: ifinfomsg and a name. */
static void nb_link_min(nb *b, uint32_t seq, int ifindex, const char *name)
{
    nb_msg(b, RTM_NEWLINK, NLM_F_MULTI, seq);
    nb_ifinfo(b, ifindex, ARPHRD_ETHER_VALUE, 0);
    nb_str(b, IFLA_IFNAME, name);
    nb_end(b);
}

static void nb_done(nb *b, uint32_t seq)
{
    int32_t zero = 0;

    nb_msg(b, NLMSG_DONE, NLM_F_MULTI, seq);
    nb_raw(b, &zero, sizeof zero);
    nb_end(b);
}

static void nb_error(nb *b, uint32_t seq, int32_t code)
{
    struct nlmsghdr orig;

    nb_msg(b, NLMSG_ERROR, 0, seq);
    nb_raw(b, &code, sizeof code);
    memset(&orig, 0, sizeof orig);
    orig.nlmsg_len = sizeof orig;
    orig.nlmsg_type = RTM_GETLINK;
    orig.nlmsg_seq = seq;
    nb_raw(b, &orig, sizeof orig);
    nb_end(b);
}

static void nb_addr(nb *b, uint32_t seq, unsigned char family, unsigned char prefix,
                    unsigned char scope, uint32_t index, const void *local, const void *address)
{
    size_t w = family == AF_INET6 ? 16 : 4;

    nb_msg(b, RTM_NEWADDR, NLM_F_MULTI, seq);
    nb_ifaddr(b, family, prefix, scope, index);
    if (address)
        nb_attr(b, IFA_ADDRESS, address, w);
    nb_u32(b, IFA_FLAGS, 0x80);
    if (local)
        nb_attr(b, IFA_LOCAL, local, w);
    nb_str(b, IFA_LABEL, "x");
    nb_end(b);
}

/* An exactly-sized heap copy, so reading one byte past it trips ASan. */
static unsigned char *exact_copy(const void *p, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(c);
    if (n)
        memcpy(c, p, n);
    return c;
}

/* Where the parsers called on a struct of a test's own put their strings;
 * emptied after each test (teardown), so the strings of every parse in a
 * test stay readable to its end. */
static nm_strstore test_strings;

static void free_test_strings(void)
{
    nm_strstore_free(&test_strings);
}

/* Parses the first message of b as a link (through the walker). */
static netmetrics_status parse_first_link(const nb *b, struct netmetrics_interface *out,
                                          netmetrics_error *err)
{
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    unsigned char *copy = exact_copy(b->b, b->len);
    netmetrics_status st;

    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, copy, b->len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, err), NM_RTNL_STEP_MSG);
    ck_assert_uint_eq(m.type, RTM_NEWLINK);
    nm_error_clear(err);
    st = nm_rtnl_parse_link(m.payload, m.payload_len, out, &test_strings, err);
    free(copy);
    return st;
}

static netmetrics_status parse_first_addr(const nb *b, int *ifindex, netmetrics_address *out,
                                          netmetrics_error *err)
{
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    unsigned char *copy = exact_copy(b->b, b->len);
    netmetrics_status st;

    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, copy, b->len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, err), NM_RTNL_STEP_MSG);
    ck_assert_uint_eq(m.type, RTM_NEWADDR);
    nm_error_clear(err);
    st = nm_rtnl_parse_addr(m.payload, m.payload_len, ifindex, out, err);
    free(copy);
    return st;
}

/* Feeds b as one recv() of a link dump into a fresh snapshot. */
static netmetrics_status feed_links(const nb *b, size_t len, netmetrics_snapshot *snap,
                                    nm_rtnl_walker *w, nm_rtnl_tally *t, netmetrics_error *err)
{
    unsigned char *copy = exact_copy(b->b, len);
    netmetrics_status st;

    nm_rtnl_walk_init(w);
    nm_rtnl_tally_init(t);
    nm_error_clear(err);
    st = nm_rtnl_feed_links(w, copy, len, snap, t, err);
    free(copy);
    return st;
}

#define ck_assert_msg_has(err, text) \
    ck_assert_msg(strstr((err)->message, (text)) != NULL, "message \"%s\" lacks \"%s\"", \
                  (err)->message, (text))

/* ---------------------------------------------------------- RTM_NEWLINK -- */

START_TEST(test_link_all_attributes)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;
    size_t i;

    nb_init(&b);
    nb_link_full(&b, TEST_SEQ, 3, "veth0");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_int_eq(it.ifindex, 3);
    ck_assert_str_eq(it.name, "veth0");
    ck_assert_uint_eq(it.flags, NETMETRICS_FLAG_UP | NETMETRICS_FLAG_BROADCAST |
                                    NETMETRICS_FLAG_RUNNING | NETMETRICS_FLAG_MULTICAST |
                                    NETMETRICS_FLAG_LOWER_UP);
    ck_assert_int_eq(it.link_type, ARPHRD_ETHER_VALUE);
    ck_assert_uint_eq(it.mtu, 1500);
    ck_assert_uint_eq(it.operstate, NETMETRICS_OPER_UP);
    ck_assert_int_eq(it.carrier, 1);
    ck_assert_uint_eq(it.hwaddr_len, 6);
    ck_assert_mem_eq(it.hwaddr, test_mac, 6);
    ck_assert_str_eq(it.kind, "veth");
    ck_assert_uint_eq(it.stats_valid, NM_STATS_ALL);
    for (i = 0; i < NETMETRICS_STAT_COUNT; i++)
        ck_assert_uint_eq(it.stats[i], stat64_value(i));
}
END_TEST

START_TEST(test_link_minimal_defaults)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 9, "dummy0");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_int_eq(it.ifindex, 9);
    ck_assert_str_eq(it.name, "dummy0");
    ck_assert_int_eq(it.carrier, -1);
    ck_assert_uint_eq(it.hwaddr_len, 0);
    ck_assert_str_eq(it.kind, "");
    ck_assert_uint_eq(it.stats_valid, 0);
    ck_assert_uint_eq(it.operstate, NETMETRICS_OPER_UNKNOWN);
    ck_assert_str_eq(it.ifalias, "");
    ck_assert_str_eq(it.parent_dev, "");
    ck_assert_str_eq(it.parent_bus, "");
    ck_assert_str_eq(netmetrics_interface_alias(&it), "");
    /* a link without text costs the store nothing */
    ck_assert_uint_eq(nm_strstore_capacity(&test_strings), 0);
}
END_TEST

START_TEST(test_link_stats64_short)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;
    size_t i;

    /* A kernel from before rx_nohandler: 23 counters. */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_stats64(&b, 23);
    nb_stats32(&b, 23);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.stats_valid, (1u << 23) - 1u);
    for (i = 0; i < 23; i++)
        ck_assert_uint_eq(it.stats[i], stat64_value(i));
    ck_assert_uint_eq(it.stats[NETMETRICS_STAT_RX_NOHANDLER], 0);
    ck_assert_uint_eq(it.stats[NETMETRICS_STAT_RX_OTHERHOST_DROPPED], 0);
}
END_TEST

START_TEST(test_link_stats64_longer_than_known)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    /* A future kernel with two more counters: the known ones are kept. */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_stats64(&b, NETMETRICS_STAT_COUNT + 2);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.stats_valid, NM_STATS_ALL);
    ck_assert_uint_eq(it.stats[NETMETRICS_STAT_COUNT - 1], stat64_value(NETMETRICS_STAT_COUNT - 1));
}
END_TEST

START_TEST(test_link_stats64_partial_counter)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    unsigned char junk[12] = {0};
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_attr(&b, IFLA_STATS64, junk, sizeof junk);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_STATS64");
}
END_TEST

START_TEST(test_link_stats32_fallback)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;
    size_t i;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_stats32(&b, 24);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.stats_valid, (1u << 24) - 1u);
    for (i = 0; i < 24; i++)
        ck_assert_uint_eq(it.stats[i], 100 + i);
    ck_assert_uint_eq(it.stats[NETMETRICS_STAT_RX_OTHERHOST_DROPPED], 0);
}
END_TEST

START_TEST(test_link_name_not_terminated)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_attr(&b, IFLA_IFNAME, "eth0", 4);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_IFNAME");
    ck_assert_msg_has(&err, "NUL");
}
END_TEST

START_TEST(test_link_name_too_long)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    /* 15 bytes is the longest a name can be. */
    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "abcdefghijklmno");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_str_eq(it.name, "abcdefghijklmno");

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "abcdefghijklmnop");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_IFNAME");
    ck_assert_msg_has(&err, "too long");
}
END_TEST

START_TEST(test_link_name_missing_or_empty)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_u32(&b, IFLA_MTU, 1500);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "no IFLA_IFNAME");

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "empty");
}
END_TEST

START_TEST(test_link_rta_len_too_short)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    size_t at;
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    at = nb_nest(&b, IFLA_MTU);
    nb_set_rta_len(&b, at, 2);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "rta_len 2");
    ck_assert_msg_has(&err, "shorter");

    /* rta_len 0 would loop forever in a careless walker */
    nb_set_rta_len(&b, at, 0);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "rta_len 0");
}
END_TEST

START_TEST(test_link_rta_len_past_end)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    size_t at;
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    at = nb_attr(&b, IFLA_MTU, "\x01\x02\x03\x04", 4);
    nb_set_rta_len(&b, at, 200);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "rta_len 200");
    ck_assert_msg_has(&err, "past");
}
END_TEST

START_TEST(test_link_attr_payload_too_short)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_attr(&b, IFLA_MTU, "\x01\x02", 2);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_MTU");

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_attr(&b, IFLA_OPERSTATE, NULL, 0);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_OPERSTATE");
}
END_TEST

START_TEST(test_link_hwaddr_too_long)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    unsigned char big[NM_HWADDR_MAX + 1];
    nb b;

    memset(big, 0xab, sizeof big);
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "ib0");
    nb_attr(&b, IFLA_ADDRESS, big, NM_HWADDR_MAX);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.hwaddr_len, NM_HWADDR_MAX);

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "ib0");
    nb_attr(&b, IFLA_ADDRESS, big, sizeof big);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_ADDRESS");
}
END_TEST

START_TEST(test_link_operstate_out_of_range)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0xffffffffu);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_u8(&b, IFLA_OPERSTATE, 200);
    nb_u8(&b, IFLA_CARRIER, 0);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.operstate, NETMETRICS_OPER_UNKNOWN);
    ck_assert_int_eq(it.carrier, 0);
    /* only the flag bits netmetrics.h names survive */
    ck_assert_uint_eq(it.flags, 0x7ffffu);
}
END_TEST

START_TEST(test_link_truncated_ifinfomsg)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    unsigned char half[10] = {0};

    nm_error_clear(&err);
    ck_assert_int_eq(nm_rtnl_parse_link(half, sizeof half, &it, &test_strings, &err),
                     NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "truncated ifinfomsg");
    ck_assert_int_eq(nm_rtnl_parse_link(NULL, 0, &it, &test_strings, &err), NETMETRICS_ERR_PARSE);
    /* err may be NULL */
    ck_assert_int_eq(nm_rtnl_parse_link(half, sizeof half, &it, &test_strings, NULL),
                     NETMETRICS_ERR_PARSE);
}
END_TEST

START_TEST(test_link_bad_ifindex)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 0, "eth0");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "ifindex");
    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, -5, "eth0");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
}
END_TEST

/* The link details netlink carries: queue length, carrier changes,
 * master, alias and the parent device (whose presence means a backing
 * device); without them every one stays unknown. */
START_TEST(test_link_details)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    nb b;
    size_t at;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, 0, TEST_SEQ);
    nb_ifinfo(&b, 7, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "port0");
    nb_u32(&b, IFLA_TXQLEN, 1000);
    nb_u32(&b, IFLA_CARRIER_CHANGES, 5);
    nb_u32(&b, IFLA_MASTER, 3);
    nb_str(&b, IFLA_IFALIAS, "uplink to rack 4");
    nb_str(&b, IFLA_PARENT_DEV_NAME, "0000:00:03.0");
    nb_str(&b, IFLA_PARENT_DEV_BUS_NAME, "pci");
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.txqlen, 1000);
    ck_assert_uint_eq(it.carrier_changes, 5);
    ck_assert_uint_eq(it.link_valid, NM_LINK_HAVE_TXQLEN | NM_LINK_HAVE_CARRIER_CHANGES);
    ck_assert_int_eq(it.master_ifindex, 3);
    ck_assert_str_eq(it.ifalias, "uplink to rack 4");
    ck_assert_str_eq(it.parent_dev, "0000:00:03.0");
    ck_assert_str_eq(it.parent_bus, "pci");
    ck_assert_int_eq(it.has_device, 1);

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 8, "veth0");
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.link_valid, 0);
    ck_assert_int_eq(it.master_ifindex, 0);
    ck_assert_str_eq(it.ifalias, "");
    ck_assert_int_eq(it.has_device, -1);

    /* A short u32 is malformed; an unterminated alias costs only itself. */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, 0, TEST_SEQ);
    nb_ifinfo(&b, 7, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "port0");
    nb_u8(&b, IFLA_TXQLEN, 1);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "IFLA_TXQLEN"));
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, 0, TEST_SEQ);
    nb_ifinfo(&b, 7, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "port0");
    at = nb_attr(&b, IFLA_IFALIAS, "abcd", 4);
    (void)at;
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_str_eq(it.ifalias, "abcd");
}
END_TEST

/* Text longer than the kernel's limits is cut to them, as the inline
 * arrays did; an empty attribute is ""; a repeated one, the later. */
START_TEST(test_link_text_limits)
{
    struct netmetrics_interface it, first;
    netmetrics_error err;
    char longer[400];
    nb b;

    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, 0, TEST_SEQ);
    nb_ifinfo(&b, 7, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "port0");
    nb_str(&b, IFLA_IFALIAS, longer);
    nb_str(&b, IFLA_PARENT_DEV_NAME, longer);
    nb_str(&b, IFLA_PARENT_DEV_BUS_NAME, longer);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(strlen(it.ifalias), NM_IFALIAS_MAX);
    ck_assert_uint_eq(strlen(it.parent_dev), NM_PARENT_MAX);
    ck_assert_uint_eq(strlen(it.parent_bus), NM_PARENT_BUS_MAX);
    ck_assert_int_eq(strspn(it.ifalias, "x"), NM_IFALIAS_MAX);
    ck_assert_ptr_eq(netmetrics_interface_alias(&it), it.ifalias);
    first = it;

    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, 0, TEST_SEQ);
    nb_ifinfo(&b, 8, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "port1");
    nb_str(&b, IFLA_IFALIAS, "");
    nb_str(&b, IFLA_PARENT_DEV_NAME, "old");
    nb_str(&b, IFLA_PARENT_DEV_NAME, "virtio2");
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
    ck_assert_str_eq(it.ifalias, "");
    ck_assert_str_eq(it.parent_dev, "virtio2");
    ck_assert_str_eq(it.parent_bus, "");
    ck_assert_int_eq(it.has_device, 1);
    /* the first link's text is untouched by the second parse */
    ck_assert_uint_eq(strlen(first.ifalias), NM_IFALIAS_MAX);
    ck_assert_uint_eq(strlen(first.parent_bus), NM_PARENT_BUS_MAX);

    /* a record zeroed by hand, not by the builder: still "" */
    memset(&it, 0, sizeof it);
    ck_assert_str_eq(netmetrics_interface_alias(&it), "");
}
END_TEST

START_TEST(test_linkinfo_malformed)
{
    struct netmetrics_interface it;
    netmetrics_error err;
    size_t info, kind;
    nb b;

    /* inner rta_len past the nest */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "br0");
    info = nb_nest(&b, IFLA_LINKINFO);
    kind = nb_attr(&b, IFLA_INFO_KIND, "bridge", 7);
    nb_nest_end(&b, info);
    nb_u32(&b, IFLA_MTU, 1500); /* the inner length must not reach this */
    nb_set_rta_len(&b, kind, 40);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_LINKINFO");

    /* inner rta_len below the header */
    nb_set_rta_len(&b, kind, 3);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_LINKINFO");

    /* kind without NUL */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "br0");
    info = nb_nest(&b, IFLA_LINKINFO);
    nb_attr(&b, IFLA_INFO_KIND, "bridge", 6);
    nb_nest_end(&b, info);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_INFO_KIND");

    /* a nest with a few stray bytes after its last attribute */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
    nb_str(&b, IFLA_IFNAME, "br0");
    info = nb_nest(&b, IFLA_LINKINFO);
    nb_str(&b, IFLA_INFO_KIND, "bridge");
    nb_raw(&b, "\x01\x02", 2);
    nb_nest_end(&b, info);
    nb_end(&b);
    ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFLA_LINKINFO");
}
END_TEST

/* --------------------------------------------------------------- walker -- */

START_TEST(test_walk_nlmsg_len_past_buffer)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    nb b;

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "eth0");
    nb_set_len(&b, 0, (uint32_t)b.len + 4);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "nlmsg_len");
    /* the walker stays failed */
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);

    nb_set_len(&b, 0, UINT32_MAX);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
}
END_TEST

START_TEST(test_walk_nlmsg_len_below_header)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    uint32_t l;
    nb b;

    for (l = 0; l < sizeof(struct nlmsghdr); l++) {
        nb_init(&b);
        nb_link_min(&b, TEST_SEQ, 2, "eth0");
        nb_set_len(&b, 0, l);
        nm_rtnl_walk_init(&w);
        nm_rtnl_walk_buffer(&w, b.b, b.len);
        ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
        ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);
        ck_assert_msg_has(&err, "shorter than");
    }
}
END_TEST

START_TEST(test_walk_partial_header)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    nb b;

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "eth0");
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, 10);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_msg_has(&err, "too short for a message header");
}
END_TEST

START_TEST(test_walk_error_eperm)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    nm_rtnl_msg m;
    nb b;

    nb_init(&b);
    nb_error(&b, TEST_SEQ, -EPERM);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    nm_error_clear(&err);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_PERMISSION);
    ck_assert_int_eq(err.sys_errno, EPERM);

    /* the same through the feeder, with a link before it */
    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "eth0");
    nb_error(&b, TEST_SEQ, -EPERM);
    ck_assert_int_eq(feed_links(&b, b.len, snap, &w, &t, &err), NETMETRICS_ERR_PERMISSION);
    ck_assert_int_eq(err.sys_errno, EPERM);

    /* other errnos keep their errno too */
    nb_init(&b);
    nb_error(&b, TEST_SEQ, -EOPNOTSUPP);
    ck_assert_int_eq(feed_links(&b, b.len, snap, &w, &t, &err), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(err.sys_errno, EOPNOTSUPP);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_walk_error_bogus_code)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    nb b;

    /* negating INT32_MIN would be undefined: must be a parse error */
    nb_init(&b);
    nb_error(&b, TEST_SEQ, INT32_MIN);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);

    nb_init(&b);
    nb_error(&b, TEST_SEQ, 5);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);

    /* NLMSG_ERROR too short to hold the code */
    nb_init(&b);
    nb_msg(&b, NLMSG_ERROR, 0, TEST_SEQ);
    nb_raw(&b, "\xff\xff", 2);
    nb_end(&b);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);
}
END_TEST

START_TEST(test_walk_error_ext_ack)
{
    struct nlmsghdr orig;
    netmetrics_error err;
    int32_t code = -EINVAL;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    nb b;

    nb_init(&b);
    nb_msg(&b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, TEST_SEQ);
    nb_raw(&b, &code, sizeof code);
    memset(&orig, 0, sizeof orig);
    orig.nlmsg_len = 32; /* the request was longer: CAPPED left only its header */
    nb_raw(&b, &orig, sizeof orig);
    nb_str(&b, NLMSGERR_ATTR_MSG, "Invalid header for link dump");
    nb_end(&b);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.sys_errno, EINVAL);
    ck_assert_msg_has(&err, "Invalid header for link dump");

    /* not capped: the whole request is echoed before the attributes */
    nb_init(&b);
    nb_msg(&b, NLMSG_ERROR, NLM_F_ACK_TLVS, TEST_SEQ);
    nb_raw(&b, &code, sizeof code);
    nb_raw(&b, &orig, sizeof orig);
    nb_raw(&b, "0123456789abcdef", 16);
    nb_str(&b, NLMSGERR_ATTR_MSG, "echoed in full");
    nb_end(&b);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.sys_errno, EINVAL);
    ck_assert_msg_has(&err, "echoed in full");

    /* an echoed length that lies only loses the text, never the errno */
    orig.nlmsg_len = 4000;
    memcpy(b.b + sizeof(struct nlmsghdr) + sizeof code, &orig, sizeof orig);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.sys_errno, EINVAL);
    ck_assert_ptr_null(strstr(err.message, "echoed"));
}
END_TEST

START_TEST(test_walk_ack_and_single_reply)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    nb b;

    nb_init(&b);
    nb_error(&b, TEST_SEQ, 0);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_DONE);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 1);

    /* without NLM_F_MULTI a message is the whole answer */
    nb_init(&b);
    nb_msg(&b, RTM_NEWLINK, 0, TEST_SEQ);
    nb_ifinfo(&b, 2, 1, 0);
    nb_str(&b, IFLA_IFNAME, "eth0");
    nb_end(&b);
    nb_link_min(&b, TEST_SEQ, 3, "eth1");
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_MSG);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_DONE);
}
END_TEST

START_TEST(test_walk_done_stops)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    nb b;

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ, 2, "eth0");
    nb_done(&b, TEST_SEQ);
    nb_link_min(&b, TEST_SEQ, 3, "eth1");
    nb_raw(&b, "garbage after done", 18);
    ck_assert_int_eq(feed_links(&b, b.len, snap, &w, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 1);
    ck_assert_uint_eq(snap->count, 1);
    ck_assert_str_eq(snap->ifaces[0].name, "eth0");
    ck_assert_uint_eq(t.added, 1);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_walk_done_with_errno)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    int32_t code = -EMSGSIZE;
    nb b;

    nb_init(&b);
    nb_msg(&b, NLMSG_DONE, NLM_F_MULTI, TEST_SEQ);
    nb_raw(&b, &code, sizeof code);
    nb_end(&b);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_ERROR);
    ck_assert_int_eq(err.sys_errno, EMSGSIZE);

    /* an old kernel's DONE without a payload is still DONE */
    nb_init(&b);
    nb_msg(&b, NLMSG_DONE, NLM_F_MULTI, TEST_SEQ);
    nb_end(&b);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_DONE);
}
END_TEST

START_TEST(test_walk_multipart_and_noop)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    nb b1, b2;

    nb_init(&b1);
    nb_link_min(&b1, TEST_SEQ, 2, "eth0");
    nb_msg(&b1, NLMSG_NOOP, NLM_F_MULTI, TEST_SEQ);
    nb_end(&b1);
    nb_link_full(&b1, TEST_SEQ, 3, "eth1");
    nb_init(&b2);
    nb_link_min(&b2, TEST_SEQ, 4, "eth2");
    nb_done(&b2, TEST_SEQ);

    nm_rtnl_walk_init(&w);
    nm_rtnl_tally_init(&t);
    ck_assert_int_eq(nm_rtnl_feed_links(&w, b1.b, b1.len, snap, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 0);
    ck_assert_uint_eq(snap->count, 2);
    ck_assert_int_eq(nm_rtnl_feed_links(&w, b2.b, b2.len, snap, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 1);
    ck_assert_uint_eq(snap->count, 3);
    ck_assert_uint_eq(t.added, 3);
    ck_assert_uint_eq(t.malformed, 0);
    ck_assert_str_eq(snap->ifaces[2].name, "eth2");
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_walk_misaligned_length)
{
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_msg m;
    nb b;

    /* A NOOP of 17 bytes is followed, after padding, by a link. */
    nb_init(&b);
    nb_msg(&b, NLMSG_NOOP, NLM_F_MULTI, TEST_SEQ);
    nb_raw(&b, "x", 1);
    nb_end(&b);
    ck_assert_uint_eq(b.len, 20);
    nb_link_min(&b, TEST_SEQ, 2, "eth0");
    /* and a last message whose unaligned length has no padding after it */
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
    nb_ifinfo(&b, 5, 1, 0);
    nb_attr(&b, IFLA_IFNAME, "e\0", 2);
    b.len -= 2; /* drop the attribute's padding */
    nb_set_len(&b, b.msg, (uint32_t)(b.len - b.msg));

    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_buffer(&w, b.b, b.len);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_MSG);
    ck_assert_uint_eq(m.type, RTM_NEWLINK);
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_MSG);
    ck_assert_uint_eq(m.payload_len % 4, 2);
    {
        struct netmetrics_interface it;

        ck_assert_int_eq(nm_rtnl_parse_link(m.payload, m.payload_len, &it, &test_strings, &err),
                         NETMETRICS_OK);
        ck_assert_str_eq(it.name, "e");
    }
    ck_assert_int_eq(nm_rtnl_walk_next(&w, &m, &err), NM_RTNL_STEP_MORE);
}
END_TEST

START_TEST(test_walk_foreign_seq_and_intr)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    nb b;

    nb_init(&b);
    nb_link_min(&b, TEST_SEQ - 1, 2, "stale0"); /* an abandoned earlier dump */
    nb_error(&b, TEST_SEQ - 1, -EBUSY);
    nb_done(&b, TEST_SEQ - 1);
    nb_link_min(&b, TEST_SEQ, 3, "eth0");
    nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI | NLM_F_DUMP_INTR, TEST_SEQ);
    nb_ifinfo(&b, 4, 1, 0);
    nb_str(&b, IFLA_IFNAME, "eth1");
    nb_end(&b);
    nb_done(&b, TEST_SEQ);

    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_expect(&w, TEST_SEQ, TEST_PID);
    nm_rtnl_tally_init(&t);
    ck_assert_int_eq(nm_rtnl_feed_links(&w, b.b, b.len, snap, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 1);
    ck_assert_uint_eq(w.foreign, 3);
    ck_assert_int_eq(w.interrupted, 1);
    ck_assert_uint_eq(snap->count, 2);
    ck_assert_str_eq(snap->ifaces[0].name, "eth0");

    /* a wrong port id is foreign as well */
    nm_snapshot_reset(snap);
    nm_rtnl_walk_init(&w);
    nm_rtnl_walk_expect(&w, TEST_SEQ, TEST_PID + 1);
    ck_assert_int_eq(nm_rtnl_feed_links(&w, b.b, b.len, snap, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 0);
    ck_assert_uint_eq(snap->count, 0);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_feed_drops_malformed_message)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    nb b;

    nb_init(&b);
    nb_link_full(&b, TEST_SEQ, 2, "eth0");
    nb_link_min(&b, TEST_SEQ, 3, "abcdefghijklmnopq"); /* name too long */
    nb_addr(&b, TEST_SEQ, AF_INET, 8, 0, 2, "\x0a\0\0\x01", NULL); /* wrong type: skipped */
    nb_link_full(&b, TEST_SEQ, 4, "eth2");
    nb_done(&b, TEST_SEQ);
    ck_assert_int_eq(feed_links(&b, b.len, snap, &w, &t, &err), NETMETRICS_OK);
    ck_assert_uint_eq(snap->count, 2);
    ck_assert_str_eq(snap->ifaces[0].name, "eth0");
    ck_assert_str_eq(snap->ifaces[1].name, "eth2");
    ck_assert_uint_eq(snap->ifaces[1].stats_valid, NM_STATS_ALL);
    ck_assert_uint_eq(t.added, 2);
    ck_assert_uint_eq(t.malformed, 1);
    ck_assert_uint_eq(t.skipped, 1);
    ck_assert_msg_has(&t.first_error, "too long");
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ---------------------------------------------------------- RTM_NEWADDR -- */

static const unsigned char v4_local[4] = {198, 18, 0, 1};
static const unsigned char v4_peer[4] = {198, 18, 0, 2};
static const unsigned char v6_a[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const unsigned char v6_b[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

START_TEST(test_addr_v4_local_preferred)
{
    netmetrics_address a;
    netmetrics_error err;
    int ifindex;
    nb b;

    /* point-to-point: IFA_ADDRESS (sent first) is the peer */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET, 32, RT_SCOPE_UNIVERSE, 7, v4_local, v4_peer);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_OK);
    ck_assert_int_eq(ifindex, 7);
    ck_assert_int_eq(a.family, NETMETRICS_FAMILY_INET);
    ck_assert_uint_eq(a.prefix_length, 32);
    ck_assert_uint_eq(a.scope, 0);
    ck_assert_mem_eq(a.bytes, v4_local, 4);

    /* only IFA_ADDRESS */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET, 24, RT_SCOPE_HOST, 1, NULL, v4_peer);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_OK);
    ck_assert_mem_eq(a.bytes, v4_peer, 4);
    ck_assert_uint_eq(a.scope, RT_SCOPE_HOST);
    ck_assert_uint_eq(a.prefix_length, 24);
}
END_TEST

START_TEST(test_addr_v6)
{
    netmetrics_address a;
    netmetrics_error err;
    int ifindex;
    nb b;

    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET6, 64, RT_SCOPE_LINK, 3, NULL, v6_a);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_OK);
    ck_assert_int_eq(ifindex, 3);
    ck_assert_int_eq(a.family, NETMETRICS_FAMILY_INET6);
    ck_assert_uint_eq(a.prefix_length, 64);
    ck_assert_uint_eq(a.scope, RT_SCOPE_LINK);
    ck_assert_mem_eq(a.bytes, v6_a, 16);

    /* "ip -6 addr add fd00::1 peer fd00::2": the kernel sends LOCAL = ours,
     * ADDRESS = the peer, as for IPv4 */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET6, 128, RT_SCOPE_UNIVERSE, 3, v6_a, v6_b);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_OK);
    ck_assert_mem_eq(a.bytes, v6_a, 16);
    ck_assert_uint_eq(a.prefix_length, 128);
}
END_TEST

START_TEST(test_addr_unknown_family_skipped)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_address a;
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    int ifindex;
    nb b;

    nb_init(&b);
    nb_addr(&b, TEST_SEQ, 45 /* AF_MCTP */, 0, 0, 2, NULL, v4_local);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_ERR_NOT_AVAILABLE);

    nb_addr(&b, TEST_SEQ, AF_INET, 8, RT_SCOPE_HOST, 1, v4_local, v4_local);
    nb_done(&b, TEST_SEQ);
    nm_rtnl_walk_init(&w);
    nm_rtnl_tally_init(&t);
    ck_assert_int_eq(nm_rtnl_feed_addrs(&w, b.b, b.len, snap, &t, &err), NETMETRICS_OK);
    ck_assert_int_eq(nm_rtnl_walk_done(&w), 1);
    ck_assert_uint_eq(snap->addr_count, 1);
    ck_assert_int_eq(snap->entries[0].ifindex, 1);
    ck_assert_uint_eq(t.skipped, 1);
    ck_assert_uint_eq(t.malformed, 0);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_addr_prefix_too_long)
{
    netmetrics_address a;
    netmetrics_error err;
    int ifindex;
    nb b;

    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET, 33, 0, 2, v4_local, NULL);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "prefix length 33");

    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET6, 129, 0, 2, NULL, v6_a);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "prefix length 129");

    /* the widths themselves are fine; 128 is not too long for IPv6 */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET6, 128, 0, 2, NULL, v6_a);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_OK);
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET, 32, 0, 2, v4_local, NULL);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_OK);
}
END_TEST

START_TEST(test_addr_malformed)
{
    netmetrics_address a;
    netmetrics_error err;
    unsigned char short_hdr[5] = {AF_INET, 8, 0, 0, 1};
    int ifindex;
    nb b;

    /* a 16-byte address in an IPv4 message */
    nb_init(&b);
    nb_msg(&b, RTM_NEWADDR, NLM_F_MULTI, TEST_SEQ);
    nb_ifaddr(&b, AF_INET, 8, 0, 2);
    nb_attr(&b, IFA_LOCAL, v6_a, 16);
    nb_end(&b);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "IFA_LOCAL");

    /* no address at all */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET, 8, 0, 2, NULL, NULL);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_ERR_PARSE);

    /* ifindex 0 */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET, 8, 0, 0, v4_local, NULL);
    ck_assert_int_eq(parse_first_addr(&b, &ifindex, &a, &err), NETMETRICS_ERR_PARSE);

    /* truncated ifaddrmsg */
    nm_error_clear(&err);
    ck_assert_int_eq(nm_rtnl_parse_addr(short_hdr, sizeof short_hdr, &ifindex, &a, &err),
                     NETMETRICS_ERR_PARSE);
    ck_assert_msg_has(&err, "truncated ifaddrmsg");
}
END_TEST

/* ------------------------------------------------------------ robustness -- */

/* Every prefix of a valid two-message buffer: no crash, and either success
 * (cut on a message boundary) or a parse error. */
START_TEST(test_truncation_every_length)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t len, first;
    netmetrics_status st;
    nb b;

    nb_init(&b);
    nb_link_full(&b, TEST_SEQ, 2, "eth0");
    first = b.len;
    nb_link_full(&b, TEST_SEQ, 3, "eth1");
    for (len = 0; len <= b.len; len++) {
        nm_snapshot_reset(snap);
        st = feed_links(&b, len, snap, &w, &t, &err);
        ck_assert_msg(st == NETMETRICS_OK || st == NETMETRICS_ERR_PARSE, "len %zu: status %d",
                      len, (int)st);
        if (len == 0 || len == first || len == b.len)
            ck_assert_int_eq(st, NETMETRICS_OK);
        if (st == NETMETRICS_OK)
            ck_assert_uint_eq(snap->count, len == b.len ? 2 : len >= first ? 1 : 0);
        else
            ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);
    }
    netmetrics_snapshot_free(snap);
}
END_TEST

/* The first message cut at every length with nlmsg_len agreeing, so the
 * walker hands the link parser every truncated attribute list. */
START_TEST(test_truncation_inside_message)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t len;
    nb b, cut;

    nb_init(&b);
    nb_link_full(&b, TEST_SEQ, 2, "eth0");
    for (len = sizeof(struct nlmsghdr); len <= b.len; len++) {
        cut = b;
        nb_set_len(&cut, 0, (uint32_t)len);
        nm_snapshot_reset(snap);
        ck_assert_int_eq(feed_links(&cut, len, snap, &w, &t, &err), NETMETRICS_OK);
        ck_assert_uint_eq(t.added + t.malformed, 1);
        ck_assert_uint_eq(snap->count, t.added);
    }
    /* and the same for addresses */
    nb_init(&b);
    nb_addr(&b, TEST_SEQ, AF_INET6, 64, 0, 2, v6_a, v6_b);
    for (len = sizeof(struct nlmsghdr); len <= b.len; len++) {
        unsigned char *copy;

        cut = b;
        nb_set_len(&cut, 0, (uint32_t)len);
        copy = exact_copy(cut.b, len);
        nm_snapshot_reset(snap);
        nm_rtnl_walk_init(&w);
        nm_rtnl_tally_init(&t);
        ck_assert_int_eq(nm_rtnl_feed_addrs(&w, copy, len, snap, &t, &err), NETMETRICS_OK);
        ck_assert_uint_eq(t.added + t.malformed, 1);
        free(copy);
    }
    netmetrics_snapshot_free(snap);
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

/* Random byte mutations of valid dumps: a poor man's fuzzer, so the parsers
 * meet garbage in every build, not only under libFuzzer. */
START_TEST(test_random_mutations)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    uint32_t seed = 0x9e3779b9u;
    nb links, addrs;
    int i, k;

    nb_init(&links);
    nb_link_full(&links, TEST_SEQ, 2, "eth0");
    nb_link_full(&links, TEST_SEQ, 3, "eth1");
    nb_done(&links, TEST_SEQ);
    nb_init(&addrs);
    nb_addr(&addrs, TEST_SEQ, AF_INET, 24, 0, 2, v4_local, v4_peer);
    nb_addr(&addrs, TEST_SEQ, AF_INET6, 64, 0, 2, NULL, v6_a);
    nb_done(&addrs, TEST_SEQ);

    for (i = 0; i < 20000; i++) {
        const nb *src = (i & 1) ? &addrs : &links;
        size_t len = src->len -
                     (src->len && xorshift(&seed) % 8 == 0 ? xorshift(&seed) % src->len : 0);
        unsigned char *copy = exact_copy(src->b, len);
        int flips = 1 + (int)(xorshift(&seed) % 4);

        for (k = 0; k < flips && len; k++)
            copy[xorshift(&seed) % len] = (unsigned char)xorshift(&seed);
        nm_snapshot_reset(snap);
        nm_rtnl_walk_init(&w);
        nm_rtnl_tally_init(&t);
        (void)nm_rtnl_feed_links(&w, copy, len, snap, &t, &err);
        /* a lying nlmsg_len may split the buffer differently, but every
         * link needs a header and an ifinfomsg, every address 24 bytes */
        ck_assert_uint_le(snap->count, len / 32);
        nm_rtnl_walk_init(&w);
        nm_rtnl_tally_init(&t);
        (void)nm_rtnl_feed_addrs(&w, copy, len, snap, &t, &err);
        ck_assert_uint_le(snap->addr_count, len / 24);
        free(copy);
    }
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ------------------------------------------------------ live: backend -- */

static const char *const sysfs_stat[NETMETRICS_STAT_COUNT] = {
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
    "rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
    "rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
    "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
    "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
    "rx_nohandler", NULL /* rx_otherhost_dropped has no sysfs file */
};

/* Reads every lo counter sysfs has; 0 when sysfs lacks one (older kernels). */
static void read_lo_sysfs(uint64_t out[NETMETRICS_STAT_COUNT], int have[NETMETRICS_STAT_COUNT])
{
    char path[128];
    size_t i;

    for (i = 0; i < NETMETRICS_STAT_COUNT; i++) {
        unsigned long long v = 0;
        FILE *f;

        out[i] = 0;
        have[i] = 0;
        if (!sysfs_stat[i])
            continue;
        snprintf(path, sizeof path, "/sys/class/net/lo/statistics/%s", sysfs_stat[i]);
        f = fopen(path, "r");
        if (!f)
            continue;
        if (fscanf(f, "%llu", &v) == 1) {
            out[i] = v;
            have[i] = 1;
        }
        fclose(f);
    }
}

static void *open_netlink(void)
{
    nm_roots roots;
    netmetrics_error err;
    void *state = NULL;
    netmetrics_status st;

    strcpy(roots.proc, "/proc");
    strcpy(roots.sys, "/sys");
    nm_error_clear(&err);
    st = nm_backend_netlink.open(&state, &roots, &err);
    ck_assert_msg(st == NETMETRICS_OK, "netlink open: %s", err.message);
    ck_assert_ptr_nonnull(state);
    return state;
}

START_TEST(test_live_lo_link)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    uint64_t before[NETMETRICS_STAT_COUNT], after[NETMETRICS_STAT_COUNT];
    int have_before[NETMETRICS_STAT_COUNT], have_after[NETMETRICS_STAT_COUNT];
    const netmetrics_interface *lo;
    netmetrics_error err;
    netmetrics_status st;
    void *state = open_netlink();
    size_t i;

    ck_assert_str_eq(nm_backend_netlink.name, "netlink");
    read_lo_sysfs(before, have_before);
    st = nm_backend_netlink.collect_links(state, snap, &err);
    read_lo_sysfs(after, have_after);
    ck_assert_msg(st == NETMETRICS_OK, "collect_links: %s", err.message);
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);

    lo = netmetrics_snapshot_find(snap, "lo");
    ck_assert_ptr_nonnull(lo);
    ck_assert_int_eq(lo->ifindex, 1);
    ck_assert_uint_ne(lo->flags & NETMETRICS_FLAG_LOOPBACK, 0);
    ck_assert_int_eq(lo->link_type, ARPHRD_LOOPBACK_VALUE);
    ck_assert_uint_gt(lo->mtu, 0);
    /* the dump asks for IFLA_STATS64; at least the basic counters are there */
    ck_assert_uint_eq(lo->stats_valid & 0xffu, 0xffu);
    for (i = 0; i < NETMETRICS_STAT_COUNT; i++) {
        if (!have_before[i] || !have_after[i] || !(lo->stats_valid & (1u << i)))
            continue;
        ck_assert_msg(before[i] <= lo->stats[i] && lo->stats[i] <= after[i],
                      "lo %s: netlink %llu not within sysfs [%llu, %llu]", sysfs_stat[i],
                      (unsigned long long)lo->stats[i], (unsigned long long)before[i],
                      (unsigned long long)after[i]);
    }
    nm_backend_netlink.close(state);
    netmetrics_snapshot_free(snap);
}
END_TEST

START_TEST(test_live_lo_addresses)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    static const unsigned char v4_loop[4] = {127, 0, 0, 1};
    const netmetrics_interface *lo;
    netmetrics_error err;
    netmetrics_status st;
    void *state = open_netlink();
    size_t i;
    int found = 0;

    st = nm_backend_netlink.collect_links(state, snap, &err);
    ck_assert_msg(st == NETMETRICS_OK, "collect_links: %s", err.message);
    st = nm_backend_netlink.collect_addresses(state, snap, &err);
    ck_assert_msg(st == NETMETRICS_OK, "collect_addresses: %s", err.message);
    ck_assert_int_eq(nm_snapshot_finish(snap), 0);
    lo = netmetrics_snapshot_find(snap, "lo");
    ck_assert_ptr_nonnull(lo);
    for (i = 0; i < lo->addr_count; i++) {
        const netmetrics_address *a = &lo->addrs[i];

        if (a->family == NETMETRICS_FAMILY_INET && memcmp(a->bytes, v4_loop, 4) == 0) {
            ck_assert_uint_eq(a->prefix_length, 8);
            ck_assert_uint_eq(a->scope, RT_SCOPE_HOST);
            found = 1;
        }
    }
    ck_assert_msg(found, "127.0.0.1/8 not found on lo (%zu addresses)", lo->addr_count);
    nm_backend_netlink.close(state);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* The same state used many times (socket, seq and buffer reused), and the
 * backend reached through the public collector. */
START_TEST(test_live_repeat_and_collector)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_collector_options opts;
    netmetrics_collector *c = NULL;
    netmetrics_error err;
    void *state = open_netlink();
    int i;

    for (i = 0; i < 50; i++) {
        nm_snapshot_reset(snap);
        ck_assert_int_eq(nm_backend_netlink.collect_links(state, snap, &err), NETMETRICS_OK);
        ck_assert_int_eq(nm_backend_netlink.collect_addresses(state, snap, &err), NETMETRICS_OK);
        ck_assert_ptr_nonnull(netmetrics_snapshot_find(snap, "lo"));
    }
    nm_backend_netlink.close(state);

    netmetrics_collector_options_init(&opts);
    opts.backend = NETMETRICS_BACKEND_NETLINK;
    ck_assert_int_eq(netmetrics_collector_new(&opts, &c, &err), NETMETRICS_OK);
    ck_assert_str_eq(netmetrics_collector_backend(c), "netlink");
    ck_assert_int_eq(netmetrics_collector_collect(c, snap, &err), NETMETRICS_OK);
    ck_assert_str_eq(netmetrics_snapshot_backend(snap), "netlink");
    ck_assert_ptr_nonnull(netmetrics_snapshot_find(snap, "lo"));
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_LINKS), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_snapshot_part_status(snap, NETMETRICS_PART_ADDRESSES),
                     NETMETRICS_OK);
    netmetrics_collector_free(c);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* ----------------------------------------------------------------- suites -- */

/* ----------------------------------------------- snapshot string store -- */

/* 1 when p points into one of st's blocks. */
static int in_store(const nm_strstore *st, const char *p)
{
    size_t i;

    for (i = 0; i < st->count; i++)
        if (p >= st->blocks[i].text && p < st->blocks[i].text + st->blocks[i].size)
            return 1;
    return 0;
}

static size_t fill_len(size_t i)
{
    return (i * 37u) % 301u;
}

static void fill_store(nm_strstore *st, const char **p, size_t n)
{
    char text[301];
    size_t i;

    for (i = 0; i < n; i++) {
        memset(text, 'a' + (int)(i % 26), sizeof text);
        p[i] = nm_strstore_add(st, text, fill_len(i));
        ck_assert_ptr_nonnull(p[i]);
    }
}

static void check_store(const char **p, size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        ck_assert_uint_eq(strlen(p[i]), fill_len(i));
        for (j = 0; j < fill_len(i); j++)
            ck_assert_int_eq(p[i][j], 'a' + (int)(i % 26));
    }
}

/* Strings already handed out never move while more are added; a clear
 * keeps the blocks, so filling again allocates nothing. */
START_TEST(test_strstore_stable_and_reused)
{
    enum { N = 3000 };
    static const char *p[N];
    nm_strstore st;
    size_t cap, blocks, total = 0, i;
    char *big;
    const char *bp;

    memset(&st, 0, sizeof st);
    ck_assert_str_eq(nm_strstore_add(&st, "xyz", 0), "");
    ck_assert_uint_eq(nm_strstore_capacity(&st), 0);
    fill_store(&st, p, N);
    check_store(p, N);
    for (i = 0; i < N; i++) {
        total += fill_len(i) + 1;
        if (fill_len(i))
            ck_assert(in_store(&st, p[i]));
    }
    cap = nm_strstore_capacity(&st);
    blocks = st.count;
    /* few blocks, and not much more room than the text */
    ck_assert_uint_le(blocks, 16);
    ck_assert_uint_le(cap, 2 * total + 64 * 1024);

    nm_strstore_clear(&st);
    fill_store(&st, p, N);
    check_store(p, N);
    ck_assert_uint_eq(nm_strstore_capacity(&st), cap);
    ck_assert_uint_eq(st.count, blocks);

    /* longer than any block: a block of its own, the others intact */
    big = malloc(200000);
    ck_assert_ptr_nonnull(big);
    memset(big, 'z', 200000);
    bp = nm_strstore_add(&st, big, 200000);
    ck_assert_ptr_nonnull(bp);
    ck_assert_uint_eq(strlen(bp), 200000);
    ck_assert_int_eq(memcmp(bp, big, 200000), 0);
    check_store(p, N);
    free(big);
    nm_strstore_free(&st);
    ck_assert_uint_eq(nm_strstore_capacity(&st), 0);
    nm_strstore_free(&st); /* twice is harmless */
}
END_TEST

/* A link dump of n links from ifindex `first` down (the reverse of the
 * kernel's order, so finish must sort): even ifindexes get an alias,
 * multiples of 3 a parent device and bus; `dup` is announced twice, the
 * second time with the alias "dup-later". */
static void nb_text_links(nb *b, int first, int n, int dup)
{
    char name[16], text[32];
    int i, k;

    for (i = 0; i < n; i++) {
        int idx = first - i;

        for (k = 0; k < (idx == dup ? 2 : 1); k++) {
            snprintf(name, sizeof name, "l%d", idx);
            nb_msg(b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
            nb_ifinfo(b, idx, ARPHRD_ETHER_VALUE, 0);
            nb_str(b, IFLA_IFNAME, name);
            if (k == 1) {
                nb_str(b, IFLA_IFALIAS, "dup-later");
            } else if (idx % 2 == 0) {
                snprintf(text, sizeof text, "alias of %d", idx);
                nb_str(b, IFLA_IFALIAS, text);
            }
            if (idx % 3 == 0) {
                snprintf(text, sizeof text, "0000:00:%02x.0", idx);
                nb_str(b, IFLA_PARENT_DEV_NAME, text);
                nb_str(b, IFLA_PARENT_DEV_BUS_NAME, "pci");
            }
            nb_end(b);
        }
    }
}

static void check_text(const netmetrics_snapshot *snap, const struct netmetrics_interface *it,
                       int dup)
{
    char want[32];

    if (it->ifindex == dup)
        snprintf(want, sizeof want, "dup-later");
    else if (it->ifindex % 2 == 0)
        snprintf(want, sizeof want, "alias of %d", (int)it->ifindex);
    else
        want[0] = '\0';
    ck_assert_str_eq(netmetrics_interface_alias(it), want);
    if (want[0])
        ck_assert(in_store(&snap->strings, it->ifalias));
    if (it->ifindex % 3 == 0) {
        snprintf(want, sizeof want, "0000:00:%02x.0", (int)it->ifindex);
        ck_assert_str_eq(it->parent_dev, want);
        ck_assert_str_eq(it->parent_bus, "pci");
        ck_assert(in_store(&snap->strings, it->parent_dev));
    } else {
        ck_assert_str_eq(it->parent_dev, "");
        ck_assert_str_eq(it->parent_bus, "");
    }
}

static int keep_multiple_of_4(const struct netmetrics_interface *it, void *arg)
{
    (void)arg;
    return it->ifindex % 4 == 0;
}

/* The strings follow their interface through finish (sort, duplicate
 * dropped), retain (records moved down) and a reset and refill (the
 * store's memory reused, nothing allocated). */
START_TEST(test_snapshot_strings_follow_records)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t cap = 0, i;
    int round;
    nb b;

    ck_assert_ptr_nonnull(snap);
    nb_init(&b);
    nb_text_links(&b, 60, 60, 12);
    nb_done(&b, TEST_SEQ);
    for (round = 0; round < 3; round++) {
        nm_snapshot_reset(snap);
        ck_assert_int_eq(feed_links(&b, b.len, snap, &w, &t, &err), NETMETRICS_OK);
        ck_assert_uint_eq(t.added, 61);
        ck_assert_int_eq(nm_snapshot_finish(snap), 0);
        ck_assert_uint_eq(snap->count, 60);
        for (i = 0; i < snap->count; i++) {
            ck_assert_int_eq(snap->ifaces[i].ifindex, (int)i + 1);
            check_text(snap, &snap->ifaces[i], 12);
        }
        if (round == 0)
            cap = nm_strstore_capacity(&snap->strings);
        else
            ck_assert_uint_eq(nm_strstore_capacity(&snap->strings), cap);
        ck_assert_uint_eq(nm_snapshot_retain(snap, keep_multiple_of_4, NULL), 15);
        for (i = 0; i < snap->count; i++) {
            ck_assert_int_eq(snap->ifaces[i].ifindex, 4 * ((int)i + 1));
            check_text(snap, &snap->ifaces[i], 12);
        }
    }
    netmetrics_snapshot_free(snap);
}
END_TEST

/* 1,001 links with aliases, over several recv() buffers as a dump
 * arrives: every alias right, the store a few blocks, and a second
 * collection into the reset snapshot allocates no more. */
START_TEST(test_snapshot_strings_many_links)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    netmetrics_error err;
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    size_t cap = 0, blocks = 0, i;
    int round, first;
    nb *b = malloc(sizeof *b);

    ck_assert_ptr_nonnull(snap);
    ck_assert_ptr_nonnull(b);
    for (round = 0; round < 2; round++) {
        nm_snapshot_reset(snap);
        nm_rtnl_walk_init(&w);
        nm_rtnl_tally_init(&t);
        for (first = 1001; first > 0; first -= 50) {
            unsigned char *copy;

            nb_init(b);
            nb_text_links(b, first, first > 50 ? 50 : first, -1);
            if (first <= 50)
                nb_done(b, TEST_SEQ);
            copy = exact_copy(b->b, b->len);
            ck_assert_int_eq(nm_rtnl_feed_links(&w, copy, b->len, snap, &t, &err),
                             NETMETRICS_OK);
            free(copy);
        }
        ck_assert_int_eq(nm_rtnl_walk_done(&w), 1);
        ck_assert_int_eq(nm_snapshot_finish(snap), 0);
        ck_assert_uint_eq(snap->count, 1001);
        for (i = 0; i < snap->count; i++)
            check_text(snap, &snap->ifaces[i], -1);
        if (round == 0) {
            cap = nm_strstore_capacity(&snap->strings);
            blocks = snap->strings.count;
            ck_assert_uint_le(blocks, 8);
        } else {
            ck_assert_uint_eq(nm_strstore_capacity(&snap->strings), cap);
            ck_assert_uint_eq(snap->strings.count, blocks);
        }
    }
    /* issue 8: an interface record without its inline strings or wireless
     * statistics (864 bytes with them, 520 with kind, devtype, driver and
     * wireless still inline) */
    ck_assert_msg(sizeof(struct netmetrics_interface) <= 376,
                  "struct netmetrics_interface grew to %zu bytes",
                  sizeof(struct netmetrics_interface));
    free(b);
    netmetrics_snapshot_free(snap);
}
END_TEST

/* Blocks are malloc'd, so any alignment up to malloc's holds at any
 * offset; what is handed out never overlaps. */
START_TEST(test_strstore_alloc_aligned)
{
    nm_strstore st;
    unsigned char *prev = NULL;
    size_t prev_size = 0, i;

    memset(&st, 0, sizeof st);
    ck_assert_ptr_null(nm_strstore_alloc(&st, 8, 0));
    ck_assert_ptr_null(nm_strstore_alloc(&st, 8, 3));
    ck_assert_ptr_null(nm_strstore_alloc(&st, 8, 2 * _Alignof(max_align_t)));
    for (i = 0; i < 400; i++) {
        size_t align = (size_t)1 << (i % 4), size = 1 + (i * 13) % 97;
        unsigned char *p;

        ck_assert_ptr_nonnull(nm_strstore_add(&st, "odd", 1 + i % 3)); /* shift the offset */
        p = nm_strstore_alloc(&st, size, align);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % align, 0);
        ck_assert(in_store(&st, (const char *)p) && in_store(&st, (const char *)p + size - 1));
        memset(p, (int)(i & 0xff), size);
        /* the one before is intact: nothing overlaps */
        if (prev)
            ck_assert_int_eq(prev[prev_size - 1], (int)((i - 1) & 0xff));
        prev = p;
        prev_size = size;
    }
    nm_strstore_free(&st);
}
END_TEST

/* The kind, now a pointer into the store, keeps the limit it had as an
 * inline array: NM_KIND_SIZE - 1 bytes taken (copied into the store), one
 * more refuses the link. */
START_TEST(test_link_kind_in_store_and_limit)
{
    char kind[NM_KIND_SIZE + 1];
    struct netmetrics_interface it;
    netmetrics_error err;
    size_t info, n;
    nb b;

    for (n = NM_KIND_SIZE - 2; n <= NM_KIND_SIZE; n++) {
        memset(kind, 'k', n);
        kind[n] = '\0';
        nb_init(&b);
        nb_msg(&b, RTM_NEWLINK, NLM_F_MULTI, TEST_SEQ);
        nb_ifinfo(&b, 2, ARPHRD_ETHER_VALUE, 0);
        nb_str(&b, IFLA_IFNAME, "k0");
        info = nb_nest(&b, IFLA_LINKINFO);
        nb_str(&b, IFLA_INFO_KIND, kind);
        nb_nest_end(&b, info);
        nb_end(&b);
        if (n < NM_KIND_SIZE) {
            ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_OK);
            ck_assert_str_eq(it.kind, kind);
            ck_assert_str_eq(netmetrics_interface_kind(&it), kind);
            ck_assert(in_store(&test_strings, it.kind));
            ck_assert_str_eq(it.devtype, "");
            ck_assert_str_eq(it.driver, "");
            ck_assert_ptr_null(it.wireless);
        } else {
            ck_assert_int_eq(parse_first_link(&b, &it, &err), NETMETRICS_ERR_PARSE);
            ck_assert_msg_has(&err, "IFLA_INFO_KIND");
            ck_assert_msg_has(&err, "too long");
        }
    }
    free_test_strings(); /* this tcase has no teardown */
}
END_TEST

/* An interface of the wireless test: kind and driver name its ifindex and
 * variant; all but multiples of 3 get wireless statistics that do too,
 * except multiples of 7, whose statistics are made but stay empty (as a
 * reader that found nothing leaves them). */
static void add_wl_iface(netmetrics_snapshot *snap, int idx, int variant)
{
    struct netmetrics_interface *it = nm_snapshot_add_interface(snap);
    netmetrics_wireless *w;
    char text[32];

    ck_assert_ptr_nonnull(it);
    ck_assert_ptr_null(it->wireless);
    ck_assert_str_eq(it->kind, "");
    ck_assert_str_eq(it->devtype, "");
    ck_assert_str_eq(it->driver, "");
    it->ifindex = idx;
    snprintf(it->name, sizeof it->name, "w%d", idx);
    snprintf(text, sizeof text, "kind%d.%d", idx, variant);
    it->kind = nm_strstore_add(&snap->strings, text, strlen(text));
    snprintf(text, sizeof text, "drv%d.%d", idx, variant);
    it->driver = nm_strstore_add(&snap->strings, text, strlen(text));
    ck_assert(it->kind && it->driver);
    if (idx % 3 == 0)
        return;
    w = nm_snapshot_wireless(snap, it);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_eq(it->wireless, w);
    ck_assert_ptr_eq(nm_snapshot_wireless(snap, it), w); /* the same ones again */
    ck_assert_uint_eq((uintptr_t)w % _Alignof(netmetrics_wireless), 0);
    ck_assert_uint_eq(w->valid, 0);
    if (idx % 7 == 0)
        return;
    w->valid = NETMETRICS_WIRELESS_SIGNAL | NETMETRICS_WIRELESS_SSID;
    w->signal_dbm = -idx - 1000 * variant;
    snprintf(w->ssid, sizeof w->ssid, "net%d.%d", idx, variant);
}

/* Every value of it belongs to one add_wl_iface call: the duplicate's
 * variant is read from its kind, whichever of the two finish kept. */
static void check_wl_iface(const netmetrics_snapshot *snap, const struct netmetrics_interface *it,
                           int dup)
{
    int idx = (int)it->ifindex, variant = 0;
    netmetrics_wireless w;
    char want[32];

    if (idx == dup)
        variant = it->kind[strlen(it->kind) - 1] - '0';
    ck_assert(variant == 0 || variant == 1);
    snprintf(want, sizeof want, "kind%d.%d", idx, variant);
    ck_assert_str_eq(netmetrics_interface_kind(it), want);
    ck_assert(in_store(&snap->strings, it->kind));
    snprintf(want, sizeof want, "drv%d.%d", idx, variant);
    ck_assert_str_eq(netmetrics_interface_driver(it), want);
    ck_assert(in_store(&snap->strings, it->driver));
    if (idx % 3 == 0 || idx % 7 == 0) {
        ck_assert(idx % 3 == 0 ? it->wireless == NULL : it->wireless != NULL);
        memset(&w, 0xff, sizeof w);
        ck_assert_int_eq(netmetrics_interface_wireless(it, &w), NETMETRICS_ERR_NOT_AVAILABLE);
        ck_assert_uint_eq(w.valid, 0);
        ck_assert_int_eq(netmetrics_interface_wireless(it, NULL), NETMETRICS_ERR_NOT_AVAILABLE);
        return;
    }
    ck_assert(in_store(&snap->strings, (const char *)it->wireless));
    ck_assert_int_eq(netmetrics_interface_wireless(it, NULL), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_interface_wireless(it, &w), NETMETRICS_OK);
    ck_assert_uint_eq(w.valid, NETMETRICS_WIRELESS_SIGNAL | NETMETRICS_WIRELESS_SSID);
    ck_assert_int_eq(w.signal_dbm, -idx - 1000 * variant);
    snprintf(want, sizeof want, "net%d.%d", idx, variant);
    ck_assert_str_eq(w.ssid, want);
}

/* Wireless statistics, kind and driver follow their interface through
 * finish (sorted from reverse order, one ifindex added twice) and retain
 * (records moved down), and a reset and refill reuses the store. */
START_TEST(test_snapshot_wireless_follows_records)
{
    netmetrics_snapshot *snap = netmetrics_snapshot_new();
    size_t cap = 0, i;
    int round, idx;

    ck_assert_ptr_nonnull(snap);
    for (round = 0; round < 3; round++) {
        nm_snapshot_reset(snap);
        for (idx = 40; idx >= 1; idx--) {
            add_wl_iface(snap, idx, 0);
            if (idx == 20)
                add_wl_iface(snap, idx, 1);
        }
        ck_assert_int_eq(nm_snapshot_finish(snap), 0);
        ck_assert_uint_eq(snap->count, 40);
        for (i = 0; i < snap->count; i++) {
            ck_assert_int_eq(snap->ifaces[i].ifindex, (int)i + 1);
            check_wl_iface(snap, &snap->ifaces[i], 20);
        }
        if (round == 0)
            cap = nm_strstore_capacity(&snap->strings);
        else
            ck_assert_uint_eq(nm_strstore_capacity(&snap->strings), cap);
        ck_assert_uint_eq(nm_snapshot_retain(snap, keep_multiple_of_4, NULL), 10);
        for (i = 0; i < snap->count; i++) {
            ck_assert_int_eq(snap->ifaces[i].ifindex, 4 * ((int)i + 1));
            check_wl_iface(snap, &snap->ifaces[i], 20);
        }
    }
    netmetrics_snapshot_free(snap);
}
END_TEST

/* A record zeroed by hand (no builder) reads as having no text and no
 * wireless statistics, never as a crash. */
START_TEST(test_interface_zeroed_by_hand)
{
    struct netmetrics_interface it;
    netmetrics_wireless w;

    memset(&it, 0, sizeof it);
    ck_assert_str_eq(netmetrics_interface_kind(&it), "");
    ck_assert_str_eq(netmetrics_interface_driver(&it), "");
    ck_assert_str_eq(netmetrics_interface_alias(&it), "");
    ck_assert_int_eq(netmetrics_interface_wireless(&it, &w), NETMETRICS_ERR_NOT_AVAILABLE);
}
END_TEST

static Suite *strings_suite(void)
{
    Suite *s = suite_create("snapshot_strings");
    TCase *tc = tcase_create("strings");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_strstore_stable_and_reused);
    tcase_add_test(tc, test_snapshot_strings_follow_records);
    tcase_add_test(tc, test_snapshot_strings_many_links);
    tcase_add_test(tc, test_strstore_alloc_aligned);
    tcase_add_test(tc, test_link_kind_in_store_and_limit);
    tcase_add_test(tc, test_snapshot_wireless_follows_records);
    tcase_add_test(tc, test_interface_zeroed_by_hand);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *walk_suite(void)
{
    Suite *s = suite_create("rtnl_walk");
    TCase *tc = tcase_create("walk");

    tcase_add_test(tc, test_walk_nlmsg_len_past_buffer);
    tcase_add_test(tc, test_walk_nlmsg_len_below_header);
    tcase_add_test(tc, test_walk_partial_header);
    tcase_add_test(tc, test_walk_error_eperm);
    tcase_add_test(tc, test_walk_error_bogus_code);
    tcase_add_test(tc, test_walk_error_ext_ack);
    tcase_add_test(tc, test_walk_ack_and_single_reply);
    tcase_add_test(tc, test_walk_done_stops);
    tcase_add_test(tc, test_walk_done_with_errno);
    tcase_add_test(tc, test_walk_multipart_and_noop);
    tcase_add_test(tc, test_walk_misaligned_length);
    tcase_add_test(tc, test_walk_foreign_seq_and_intr);
    tcase_add_test(tc, test_feed_drops_malformed_message);
    tcase_add_checked_fixture(tc, NULL, free_test_strings);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *link_suite(void)
{
    Suite *s = suite_create("rtnl_link");
    TCase *tc = tcase_create("link");

    tcase_add_test(tc, test_link_all_attributes);
    tcase_add_test(tc, test_link_minimal_defaults);
    tcase_add_test(tc, test_link_stats64_short);
    tcase_add_test(tc, test_link_stats64_longer_than_known);
    tcase_add_test(tc, test_link_stats64_partial_counter);
    tcase_add_test(tc, test_link_stats32_fallback);
    tcase_add_test(tc, test_link_name_not_terminated);
    tcase_add_test(tc, test_link_name_too_long);
    tcase_add_test(tc, test_link_name_missing_or_empty);
    tcase_add_test(tc, test_link_rta_len_too_short);
    tcase_add_test(tc, test_link_rta_len_past_end);
    tcase_add_test(tc, test_link_attr_payload_too_short);
    tcase_add_test(tc, test_link_hwaddr_too_long);
    tcase_add_test(tc, test_link_operstate_out_of_range);
    tcase_add_test(tc, test_link_truncated_ifinfomsg);
    tcase_add_test(tc, test_link_bad_ifindex);
    tcase_add_test(tc, test_link_details);
    tcase_add_test(tc, test_link_text_limits);
    tcase_add_test(tc, test_linkinfo_malformed);
    tcase_add_checked_fixture(tc, NULL, free_test_strings);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *addr_suite(void)
{
    Suite *s = suite_create("rtnl_addr");
    TCase *tc = tcase_create("addr");

    tcase_add_test(tc, test_addr_v4_local_preferred);
    tcase_add_test(tc, test_addr_v6);
    tcase_add_test(tc, test_addr_unknown_family_skipped);
    tcase_add_test(tc, test_addr_prefix_too_long);
    tcase_add_test(tc, test_addr_malformed);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *robustness_suite(void)
{
    Suite *s = suite_create("rtnl_robustness");
    TCase *tc = tcase_create("robustness");

    /* sanitizer builds are several times slower */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_truncation_every_length);
    tcase_add_test(tc, test_truncation_inside_message);
    tcase_add_test(tc, test_random_mutations);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *backend_suite(void)
{
    Suite *s = suite_create("netlink_backend");
    TCase *tc = tcase_create("live");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_live_lo_link);
    tcase_add_test(tc, test_live_lo_addresses);
    tcase_add_test(tc, test_live_repeat_and_collector);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(walk_suite());
    int failed;

    srunner_add_suite(sr, link_suite());
    srunner_add_suite(sr, addr_suite());
    srunner_add_suite(sr, strings_suite());
    srunner_add_suite(sr, robustness_suite());
    srunner_add_suite(sr, backend_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

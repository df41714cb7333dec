/* SPDX-License-Identifier: MIT */
/* Unit tests of the link-detail and wireless code on Linux: the uevent,
 * speed and duplex parsers; the /proc/net/wireless parser on its fixture
 * and on odd lines; the nl80211 parsers on messages built here from the
 * layouts documented in <linux/nl80211.h> (associated, not associated,
 * missing attributes, malformed, truncated at every length); the sysfs
 * reader and its cache on the fixture tree tests/fixtures/linkinfo; and a
 * whole collection through the procfs backend on that tree, which must
 * classify wlan0 as wifi and wwan0 as cellular and carry wlan0's signal.
 * Buffers under test are copied into exactly-sized heap blocks so ASan
 * catches any over-read. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nl80211.h>

#include "linkdetail.h"
#include "netmetrics.h"
#include "nl80211_parse.h"
#include "procnetwireless_parse.h"
#include "snapshot.h"
#include "uevent_parse.h"

#define FIX NM_FIXTURES_DIR "/linkinfo"

static void *dup_exact(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(q);
    if (n)
        memcpy(q, p, n);
    return q;
}

/* ------------------------------------------------------ sysfs values -- */

START_TEST(test_uevent_value)
{
    static const char text[] = "DEVTYPE=wlan\nINTERFACE=wlan0\nIFINDEX=3\n";
    char out[8];

    ck_assert_int_eq(nm_uevent_value(text, strlen(text), "DEVTYPE", out, sizeof out),
                     NETMETRICS_OK);
    ck_assert_str_eq(out, "wlan");
    ck_assert_int_eq(nm_uevent_value(text, strlen(text), "IFINDEX", out, sizeof out),
                     NETMETRICS_OK);
    ck_assert_str_eq(out, "3");
    /* a key that is a prefix of another is not it */
    ck_assert_int_eq(nm_uevent_value(text, strlen(text), "DEV", out, sizeof out),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_str_eq(out, "");
    /* cut to fit; no trailing newline; CRLF */
    ck_assert_int_eq(nm_uevent_value("INTERFACE=averyverylongname", 27, "INTERFACE", out,
                                     sizeof out),
                     NETMETRICS_OK);
    ck_assert_str_eq(out, "averyve");
    ck_assert_int_eq(nm_uevent_value("A=b\r\n", 5, "A", out, sizeof out), NETMETRICS_OK);
    ck_assert_str_eq(out, "b");
    ck_assert_int_eq(nm_uevent_value("", 0, "A", out, sizeof out), NETMETRICS_ERR_NOT_AVAILABLE);
}
END_TEST

START_TEST(test_speed_and_duplex)
{
    uint32_t v;

    ck_assert_int_eq(nm_sysfs_parse_speed("10000\n", 6, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 10000);
    ck_assert_int_eq(nm_sysfs_parse_speed("-1\n", 3, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(nm_sysfs_parse_speed("0\n", 2, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_sysfs_parse_speed("4294967295", 10, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_sysfs_parse_speed("99999999999", 11, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_sysfs_parse_speed("", 0, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_sysfs_parse_speed("10x", 3, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(nm_sysfs_parse_duplex("full\n", 5), NETMETRICS_DUPLEX_FULL);
    ck_assert_int_eq(nm_sysfs_parse_duplex("half", 4), NETMETRICS_DUPLEX_HALF);
    ck_assert_int_eq(nm_sysfs_parse_duplex("unknown\n", 8), NETMETRICS_DUPLEX_UNKNOWN);
    ck_assert_int_eq(nm_sysfs_parse_duplex("fullx", 5), NETMETRICS_DUPLEX_UNKNOWN);
    ck_assert_int_eq(nm_sysfs_parse_duplex(NULL, 0), NETMETRICS_DUPLEX_UNKNOWN);
}
END_TEST

/* --------------------------------------------------- /proc/net/wireless -- */

typedef struct wext_rows {
    nm_wext_row row[8];
    unsigned n;
} wext_rows;

static netmetrics_status keep_row(const nm_wext_row *r, void *arg)
{
    wext_rows *rows = arg;

    if (rows->n < 8)
        rows->row[rows->n++] = *r;
    return NETMETRICS_OK;
}

static void parse_wext(const char *text, size_t len, wext_rows *rows, nm_wext_summary *sum)
{
    char *copy = dup_exact(text, len);

    memset(rows, 0, sizeof *rows);
    ck_assert_int_eq(nm_procnetwireless_parse(copy, len, keep_row, rows, sum), NETMETRICS_OK);
    free(copy);
}

START_TEST(test_wext_fixture)
{
    FILE *f = fopen(FIX "/proc/net/wireless", "rb");
    char buf[1024];
    size_t n;
    wext_rows rows;
    nm_wext_summary sum;

    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    parse_wext(buf, n, &rows, &sum);
    ck_assert_uint_eq(sum.rows, 1);
    ck_assert_uint_eq(sum.rejected, 0);
    ck_assert_str_eq(rows.row[0].name, "wlan0");
    ck_assert_uint_eq(rows.row[0].w.valid,
                      NETMETRICS_WIRELESS_QUALITY | NETMETRICS_WIRELESS_SIGNAL);
    ck_assert_int_eq(rows.row[0].w.signal_dbm, -56);
    ck_assert_double_eq_tol(rows.row[0].w.link_quality, 54.0 / 70.0, 1e-12);
}
END_TEST

START_TEST(test_wext_odd_lines)
{
    static const char text[] =
        "Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n"
        " face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n"
        "  wlp2s0: 0000   70   -40   -95        0      0      0      0      0        0\n"
        " wlan1: 0000   90.  -10.  -96.\n"           /* no counters; quality over 70 */
        " wlan2: 0000   30    45    0\n"              /* relative units: no dBm */
        " wlan3: zzzz   54.  -56.  -256\n"            /* bad status */
        " wlan4: 0000   54.  -56.\n"                  /* noise missing */
        ": 0000 1 2 3\n"                              /* no name */
        " wlan5: 0000   5x.  -56.  -256\n"            /* bad number */
        " averyveryverylongname: 0000 1 -2 -3\n"      /* name too long */
        " wlan6: 0000 1 -2 -3";                       /* no final newline */
    wext_rows rows;
    nm_wext_summary sum;

    parse_wext(text, sizeof text - 1, &rows, &sum);
    ck_assert_uint_eq(sum.rows, 4);
    ck_assert_uint_eq(sum.rejected, 5);
    ck_assert_str_eq(rows.row[0].name, "wlp2s0");
    ck_assert_int_eq(rows.row[0].w.noise_dbm, -95);
    ck_assert_double_eq_tol(rows.row[0].w.link_quality, 1.0, 1e-12);
    ck_assert_str_eq(rows.row[1].name, "wlan1");
    ck_assert_double_eq_tol(rows.row[1].w.link_quality, 1.0, 1e-12); /* capped */
    ck_assert_int_eq(rows.row[1].w.noise_dbm, -96);
    ck_assert_str_eq(rows.row[2].name, "wlan2");
    ck_assert_uint_eq(rows.row[2].w.valid, NETMETRICS_WIRELESS_QUALITY);
    ck_assert_str_eq(rows.row[3].name, "wlan6");
}
END_TEST

START_TEST(test_wext_truncated_everywhere)
{
    FILE *f = fopen(FIX "/proc/net/wireless", "rb");
    char buf[1024];
    size_t n, cut;

    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (cut = 0; cut <= n; cut++) {
        wext_rows rows;
        nm_wext_summary sum;

        parse_wext(buf, cut, &rows, &sum);
        ck_assert_uint_le(sum.rows, 1);
    }
}
END_TEST

/* ------------------------------------------------------ nl80211 messages -- */

#define MB_CAP 1024

typedef struct mb {
    unsigned char b[MB_CAP];
    size_t len;
} mb;

static void mb_genl(mb *m, uint8_t cmd)
{
    struct genlmsghdr g;

    memset(m, 0, sizeof *m);
    memset(&g, 0, sizeof g);
    g.cmd = cmd;
    g.version = 1;
    memcpy(m->b, &g, sizeof g);
    m->len = NLMSG_ALIGN(sizeof g);
}

static size_t mb_attr(mb *m, uint16_t type, const void *p, size_t n)
{
    struct nlattr a;
    size_t at = m->len;

    ck_assert_uint_le(m->len + NLA_HDRLEN + n + 4, MB_CAP);
    a.nla_len = (uint16_t)(NLA_HDRLEN + n);
    a.nla_type = type;
    memcpy(m->b + m->len, &a, sizeof a);
    if (n)
        memcpy(m->b + m->len + NLA_HDRLEN, p, n);
    m->len += NLA_ALIGN(a.nla_len);
    return at;
}

static void mb_u32(mb *m, uint16_t type, uint32_t v)
{
    mb_attr(m, type, &v, sizeof v);
}

static size_t mb_nest(mb *m, uint16_t type)
{
    return mb_attr(m, (uint16_t)(type | NLA_F_NESTED), NULL, 0);
}

static void mb_nest_end(mb *m, size_t at)
{
    uint16_t l = (uint16_t)(m->len - at);

    memcpy(m->b + at, &l, sizeof l);
}

static const unsigned char ap_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};

static void build_station(mb *m, int with_bitrate32)
{
    size_t info, rate;
    int8_t sig = -56;
    uint16_t br16 = 650;

    mb_genl(m, NL80211_CMD_NEW_STATION);
    mb_u32(m, NL80211_ATTR_IFINDEX, 3);
    mb_attr(m, NL80211_ATTR_MAC, ap_mac, 6);
    info = mb_nest(m, NL80211_ATTR_STA_INFO);
    mb_u32(m, NL80211_STA_INFO_INACTIVE_TIME, 10);
    mb_attr(m, NL80211_STA_INFO_SIGNAL, &sig, 1);
    rate = mb_nest(m, NL80211_STA_INFO_TX_BITRATE);
    mb_attr(m, NL80211_RATE_INFO_BITRATE, &br16, sizeof br16);
    if (with_bitrate32)
        mb_u32(m, NL80211_RATE_INFO_BITRATE32, 8667);
    mb_nest_end(m, rate);
    mb_nest_end(m, info);
}

START_TEST(test_nl80211_station_associated)
{
    nm_nl80211_station sta;
    netmetrics_error err;
    mb m;
    void *p;

    build_station(&m, 1);
    p = dup_exact(m.b, m.len);
    ck_assert_int_eq(nm_nl80211_parse_station(p, m.len, &sta, &err), NETMETRICS_OK);
    ck_assert_int_eq(sta.ifindex, 3);
    ck_assert(sta.have_mac);
    ck_assert_mem_eq(sta.mac, ap_mac, 6);
    ck_assert(sta.have_signal);
    ck_assert_int_eq(sta.signal_dbm, -56);
    ck_assert(sta.have_bitrate);
    ck_assert_uint_eq(sta.tx_bitrate_100kbps, 8667); /* BITRATE32 wins */
    free(p);

    build_station(&m, 0); /* only the 16-bit rate */
    p = dup_exact(m.b, m.len);
    ck_assert_int_eq(nm_nl80211_parse_station(p, m.len, &sta, &err), NETMETRICS_OK);
    ck_assert_uint_eq(sta.tx_bitrate_100kbps, 650);
    free(p);
}
END_TEST

START_TEST(test_nl80211_station_missing_attributes)
{
    nm_nl80211_station sta;
    netmetrics_error err;
    size_t info;
    mb m;

    /* a station with no STA_INFO at all: nothing known, not an error */
    mb_genl(&m, NL80211_CMD_NEW_STATION);
    mb_u32(&m, NL80211_ATTR_IFINDEX, 3);
    ck_assert_int_eq(nm_nl80211_parse_station(m.b, m.len, &sta, &err), NETMETRICS_OK);
    ck_assert(!sta.have_signal && !sta.have_bitrate && !sta.have_mac);
    /* an empty STA_INFO, and a zero bitrate (not computable) */
    mb_genl(&m, NL80211_CMD_NEW_STATION);
    info = mb_nest(&m, NL80211_ATTR_STA_INFO);
    {
        size_t rate = mb_nest(&m, NL80211_STA_INFO_TX_BITRATE);

        mb_u32(&m, NL80211_RATE_INFO_BITRATE32, 0);
        mb_nest_end(&m, rate);
    }
    mb_nest_end(&m, info);
    ck_assert_int_eq(nm_nl80211_parse_station(m.b, m.len, &sta, &err), NETMETRICS_OK);
    ck_assert(!sta.have_bitrate);
}
END_TEST

START_TEST(test_nl80211_station_malformed)
{
    nm_nl80211_station sta;
    netmetrics_error err;
    size_t info;
    mb m;

    /* MAC of 5 bytes */
    mb_genl(&m, NL80211_CMD_NEW_STATION);
    mb_attr(&m, NL80211_ATTR_MAC, ap_mac, 5);
    ck_assert_int_eq(nm_nl80211_parse_station(m.b, m.len, &sta, &err), NETMETRICS_ERR_PARSE);
    /* signal with an empty payload */
    mb_genl(&m, NL80211_CMD_NEW_STATION);
    info = mb_nest(&m, NL80211_ATTR_STA_INFO);
    mb_attr(&m, NL80211_STA_INFO_SIGNAL, NULL, 0);
    mb_nest_end(&m, info);
    ck_assert_int_eq(nm_nl80211_parse_station(m.b, m.len, &sta, &err), NETMETRICS_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "SIGNAL"));
    /* an attribute length past the end */
    build_station(&m, 1);
    m.b[NLMSG_ALIGN(sizeof(struct genlmsghdr))] = 0xff;
    m.b[NLMSG_ALIGN(sizeof(struct genlmsghdr)) + 1] = 0x7f;
    ck_assert_int_eq(nm_nl80211_parse_station(m.b, m.len, &sta, &err), NETMETRICS_ERR_PARSE);
    /* no genlmsghdr */
    ck_assert_int_eq(nm_nl80211_parse_station(m.b, 3, &sta, &err), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_nl80211_parse_station(NULL, 0, &sta, &err), NETMETRICS_ERR_PARSE);
}
END_TEST

/* Every prefix of a good message either parses or is refused; none reads
 * past its end (ASan checks the exact-size copies). */
START_TEST(test_nl80211_truncated_everywhere)
{
    mb m;
    size_t cut;

    build_station(&m, 1);
    for (cut = 0; cut <= m.len; cut++) {
        nm_nl80211_station sta;
        nm_nl80211_iface it;
        nm_nl80211_survey sv;
        uint16_t fam;
        void *p = dup_exact(m.b, cut);

        (void)nm_nl80211_parse_station(p, cut, &sta, NULL);
        (void)nm_nl80211_parse_interface(p, cut, &it, NULL);
        (void)nm_nl80211_parse_survey(p, cut, &sv, NULL);
        (void)nm_genl_parse_family(p, cut, &fam, NULL);
        free(p);
    }
}
END_TEST

static void build_interface(mb *m, int associated)
{
    mb_genl(m, NL80211_CMD_NEW_INTERFACE);
    mb_u32(m, NL80211_ATTR_IFINDEX, 3);
    mb_attr(m, NL80211_ATTR_IFNAME, "wlan0", 6);
    mb_u32(m, NL80211_ATTR_IFTYPE, NL80211_IFTYPE_STATION);
    if (associated) {
        mb_u32(m, NL80211_ATTR_WIPHY_FREQ, 5180);
        mb_attr(m, NL80211_ATTR_SSID, "lab-net", 7);
    }
}

START_TEST(test_nl80211_interface)
{
    nm_nl80211_iface it;
    netmetrics_error err;
    mb m;
    void *p;

    build_interface(&m, 1);
    p = dup_exact(m.b, m.len);
    ck_assert_int_eq(nm_nl80211_parse_interface(p, m.len, &it, &err), NETMETRICS_OK);
    ck_assert_int_eq(it.ifindex, 3);
    ck_assert_str_eq(it.name, "wlan0");
    ck_assert_uint_eq(it.iftype, NL80211_IFTYPE_STATION);
    ck_assert_uint_eq(it.freq_mhz, 5180);
    ck_assert(it.have_ssid);
    ck_assert_uint_eq(it.ssid_len, 7);
    ck_assert_mem_eq(it.ssid, "lab-net", 7);
    free(p);

    build_interface(&m, 0); /* not associated: no frequency, no SSID */
    ck_assert_int_eq(nm_nl80211_parse_interface(m.b, m.len, &it, &err), NETMETRICS_OK);
    ck_assert_uint_eq(it.freq_mhz, 0);
    ck_assert(!it.have_ssid);

    /* SSID of 33 bytes, and a frequency of 2 bytes */
    mb_genl(&m, NL80211_CMD_NEW_INTERFACE);
    mb_attr(&m, NL80211_ATTR_SSID, "0123456789abcdef0123456789abcdefX", 33);
    ck_assert_int_eq(nm_nl80211_parse_interface(m.b, m.len, &it, &err), NETMETRICS_ERR_PARSE);
    mb_genl(&m, NL80211_CMD_NEW_INTERFACE);
    mb_attr(&m, NL80211_ATTR_WIPHY_FREQ, "ab", 2);
    ck_assert_int_eq(nm_nl80211_parse_interface(m.b, m.len, &it, &err), NETMETRICS_ERR_PARSE);
}
END_TEST

START_TEST(test_nl80211_survey_and_family)
{
    nm_nl80211_survey sv;
    netmetrics_error err;
    uint16_t fam, id = 0x1c;
    int8_t noise = -95;
    size_t info;
    mb m;

    mb_genl(&m, NL80211_CMD_NEW_SURVEY_RESULTS);
    mb_u32(&m, NL80211_ATTR_IFINDEX, 3);
    info = mb_nest(&m, NL80211_ATTR_SURVEY_INFO);
    mb_u32(&m, NL80211_SURVEY_INFO_FREQUENCY, 5180);
    mb_attr(&m, NL80211_SURVEY_INFO_NOISE, &noise, 1);
    mb_attr(&m, NL80211_SURVEY_INFO_IN_USE, NULL, 0);
    mb_nest_end(&m, info);
    ck_assert_int_eq(nm_nl80211_parse_survey(m.b, m.len, &sv, &err), NETMETRICS_OK);
    ck_assert(sv.in_use && sv.have_noise);
    ck_assert_int_eq(sv.noise_dbm, -95);
    ck_assert_uint_eq(sv.freq_mhz, 5180);

    mb_genl(&m, CTRL_CMD_NEWFAMILY);
    mb_attr(&m, CTRL_ATTR_FAMILY_NAME, "nl80211", 8);
    mb_attr(&m, CTRL_ATTR_FAMILY_ID, &id, sizeof id);
    ck_assert_int_eq(nm_genl_parse_family(m.b, m.len, &fam, &err), NETMETRICS_OK);
    ck_assert_uint_eq(fam, 0x1c);
    mb_genl(&m, CTRL_CMD_NEWFAMILY);
    mb_attr(&m, CTRL_ATTR_FAMILY_NAME, "nl80211", 8);
    ck_assert_int_eq(nm_genl_parse_family(m.b, m.len, &fam, &err), NETMETRICS_ERR_PARSE);
}
END_TEST

/* ------------------------------------------------------ sysfs + cache -- */

static struct netmetrics_interface *add(netmetrics_snapshot *s, int idx, const char *name,
                                        uint32_t flags, int32_t type, const char *kind)
{
    struct netmetrics_interface *i = nm_snapshot_add_interface(s);

    i->ifindex = idx;
    snprintf(i->name, sizeof i->name, "%s", name);
    i->flags = flags;
    i->link_type = type;
    i->carrier = 1;
    i->kind = kind; /* static text, as a parser may point at */
    i->link_valid |= NM_LINK_HAVE_CARRIER_CHANGES;
    i->carrier_changes = 2;
    return i;
}

/* 1 when p points into one of the blocks of snap's string store. */
static int in_strings(const netmetrics_snapshot *snap, const char *p)
{
    return nm_strstore_owns(&snap->strings, p);
}

static void fill_fixture(netmetrics_snapshot *s)
{
    nm_snapshot_reset(s);
    add(s, 1, "lo", 0x49, 772, "");
    add(s, 2, "eth0", 0x1043, 1, "");
    add(s, 3, "wlan0", 0x1043, 1, "");
    add(s, 4, "wwan0", 0x1091, 65534, "");
    add(s, 5, "veth9", 0x1043, 1, "veth");
    add(s, 6, "eth1", 0x1002, 1, "")->carrier = 0;
}

START_TEST(test_linkdetail_fixture_and_cache)
{
    nm_linkdetail *ld = nm_linkdetail_new(FIX "/sys");
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    const netmetrics_interface *it;
    size_t first, second;
    uint64_t v;

    ck_assert_ptr_nonnull(ld);
    ck_assert_ptr_nonnull(s);
    fill_fixture(s);
    ck_assert_int_eq(nm_linkdetail_fill(ld, s), NETMETRICS_OK);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    first = nm_linkdetail_reads(ld);

    it = netmetrics_snapshot_find(s, "eth0");
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_ETHERNET);
    ck_assert_str_eq(netmetrics_interface_driver(it), "virtio_net");
    ck_assert_int_eq(netmetrics_interface_speed(it, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 1250000000u);
    ck_assert_int_eq(netmetrics_interface_duplex(it), NETMETRICS_DUPLEX_FULL);
    it = netmetrics_snapshot_find(s, "wlan0");
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_WIFI);
    ck_assert_str_eq(netmetrics_interface_driver(it), "iwlwifi");
    ck_assert_int_eq(netmetrics_interface_speed(it, &v), NETMETRICS_ERR_NOT_AVAILABLE); /* -1 */
    it = netmetrics_snapshot_find(s, "wwan0");
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_CELLULAR);
    it = netmetrics_snapshot_find(s, "veth9");
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_VIRTUAL);
    ck_assert_int_eq(netmetrics_interface_speed(it, &v), NETMETRICS_OK);
    ck_assert_uint_eq(v, 1250000000u);
    it = netmetrics_snapshot_find(s, "lo");
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_LOOPBACK);
    ck_assert_int_eq(netmetrics_interface_speed(it, &v), NETMETRICS_ERR_NOT_AVAILABLE);
    it = netmetrics_snapshot_find(s, "eth1"); /* down: no speed */
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_ETHERNET);
    ck_assert_int_eq(netmetrics_interface_speed(it, &v), NETMETRICS_ERR_NOT_AVAILABLE);

    /* Same interfaces, same carrier counts: nothing is read again. */
    fill_fixture(s);
    ck_assert_int_eq(nm_linkdetail_fill(ld, s), NETMETRICS_OK);
    second = nm_linkdetail_reads(ld);
    ck_assert_uint_eq(second, first);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_int_eq(netmetrics_interface_speed(netmetrics_snapshot_find(s, "eth0"), &v),
                     NETMETRICS_OK);

    /* eth0 renegotiated (carrier count moved): its speed and duplex only. */
    fill_fixture(s);
    s->ifaces[1].carrier_changes = 4;
    ck_assert_int_eq(nm_linkdetail_fill(ld, s), NETMETRICS_OK);
    ck_assert_uint_eq(nm_linkdetail_reads(ld), second + 2);

    /* wlan0 re-created with a new ifindex: the fixture's ifindex file says
     * 3, so the statics are not trusted (rename race) and stay unknown. */
    fill_fixture(s);
    s->ifaces[2].ifindex = 30;
    ck_assert_int_eq(nm_linkdetail_fill(ld, s), NETMETRICS_OK);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_find(s, "wlan0")),
                     NETMETRICS_IFTYPE_ETHERNET);

    /* An interface sysfs does not have (vanished): unknown, no failure. */
    nm_snapshot_reset(s);
    add(s, 9, "gone0", 0x1043, 1, "");
    ck_assert_int_eq(nm_linkdetail_fill(ld, s), NETMETRICS_OK);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    ck_assert_int_eq(netmetrics_interface_speed(netmetrics_snapshot_interface(s, 0), &v),
                     NETMETRICS_ERR_NOT_AVAILABLE);

    /* devtype and driver are copies in the snapshot's store, readable once
     * the cache they were read into is gone (ASan); none where sysfs has
     * none, or for a software link (not read at all) */
    fill_fixture(s);
    ck_assert_int_eq(nm_linkdetail_fill(ld, s), NETMETRICS_OK);
    nm_linkdetail_free(ld);
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
    it = netmetrics_snapshot_find(s, "wlan0");
    ck_assert_str_eq(it->devtype, "wlan");
    ck_assert_str_eq(netmetrics_interface_driver(it), "iwlwifi");
    ck_assert(in_strings(s, it->devtype) && in_strings(s, it->driver));
    it = netmetrics_snapshot_find(s, "wwan0");
    ck_assert_str_eq(it->devtype, "wwan");
    ck_assert(in_strings(s, it->devtype));
    it = netmetrics_snapshot_find(s, "eth0");
    ck_assert_str_eq(it->devtype, "");
    ck_assert_str_eq(it->driver, "virtio_net");
    ck_assert(in_strings(s, it->driver));
    it = netmetrics_snapshot_find(s, "veth9");
    ck_assert_str_eq(it->devtype, "");
    ck_assert_str_eq(it->driver, "");
    netmetrics_snapshot_free(s);
}
END_TEST

/* A whole collection on the fixture roots through the procfs backend. */
START_TEST(test_collect_fixture_tree)
{
    netmetrics_collector_options o;
    netmetrics_collector *c = NULL;
    netmetrics_snapshot *s = netmetrics_snapshot_new();
    const netmetrics_interface *it;
    netmetrics_wireless w;
    netmetrics_error err;

    netmetrics_collector_options_init(&o);
    o.backend = NETMETRICS_BACKEND_PROCFS;
    o.proc_root = FIX "/proc";
    o.sys_root = FIX "/sys";
    ck_assert_int_eq(netmetrics_collector_new(&o, &c, &err), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_collector_collect(c, s, &err), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_snapshot_part_status(s, NETMETRICS_PART_WIRELESS), NETMETRICS_OK);
    it = netmetrics_snapshot_find(s, "wlan0");
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(netmetrics_interface_type_get(it), NETMETRICS_IFTYPE_WIFI);
    ck_assert_int_eq(netmetrics_interface_wireless(it, &w), NETMETRICS_OK);
    ck_assert_int_eq(w.signal_dbm, -56);
    ck_assert(!(w.valid & NETMETRICS_WIRELESS_NOISE)); /* -256: unknown */
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_find(s, "wwan0")),
                     NETMETRICS_IFTYPE_CELLULAR);
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_find(s, "veth9")),
                     NETMETRICS_IFTYPE_VIRTUAL);
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_find(s, "eth0")),
                     NETMETRICS_IFTYPE_ETHERNET);
    ck_assert_int_eq(netmetrics_interface_type_get(netmetrics_snapshot_find(s, "lo")),
                     NETMETRICS_IFTYPE_LOOPBACK);
    ck_assert_int_eq(netmetrics_interface_wireless(netmetrics_snapshot_find(s, "eth0"), &w),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    netmetrics_collector_free(c);
    netmetrics_snapshot_free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linkinfo");
    TCase *tp = tcase_create("parsers"), *tn = tcase_create("nl80211"),
          *ts = tcase_create("sysfs");
    SRunner *sr;
    int failed;

    tcase_add_test(tp, test_uevent_value);
    tcase_add_test(tp, test_speed_and_duplex);
    tcase_add_test(tp, test_wext_fixture);
    tcase_add_test(tp, test_wext_odd_lines);
    tcase_add_test(tp, test_wext_truncated_everywhere);
    tcase_add_test(tn, test_nl80211_station_associated);
    tcase_add_test(tn, test_nl80211_station_missing_attributes);
    tcase_add_test(tn, test_nl80211_station_malformed);
    tcase_add_test(tn, test_nl80211_truncated_everywhere);
    tcase_add_test(tn, test_nl80211_interface);
    tcase_add_test(tn, test_nl80211_survey_and_family);
    tcase_add_test(ts, test_linkdetail_fixture_and_cache);
    tcase_add_test(ts, test_collect_fixture_tree);
    suite_add_tcase(s, tp);
    suite_add_tcase(s, tn);
    suite_add_tcase(s, ts);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

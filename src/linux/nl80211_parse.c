/* SPDX-License-Identifier: MIT */
/* nl80211 and generic-netlink control parsers (see nl80211_parse.h). A
 * length that does not add up makes the message malformed (PARSE); an
 * attribute we do not know is skipped; an attribute we know but whose
 * payload is too short is malformed, since guessing would report numbers
 * the kernel never sent. The nested attribute types carry NLA_F_NESTED on
 * newer kernels, so types are masked before comparison. */
#include "config.h"

#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nl80211.h>

#include "nl80211_parse.h"
#include "nmerror.h"

#ifndef NLA_TYPE_MASK
#define NLA_TYPE_MASK 0x3fff
#endif

typedef struct nla_iter {
    const unsigned char *p;
    size_t left;
    const char *where;
} nla_iter;

static void nla_start(nla_iter *it, const unsigned char *p, size_t len, const char *where)
{
    it->p = p;
    it->left = len;
    it->where = where;
}

/* 1 with the next attribute, 0 at the end, -1 with err set when the
 * lengths do not add up. */
static int nla_next(nla_iter *it, unsigned *type, const unsigned char **data, size_t *dlen,
                    netmetrics_error *err)
{
    struct nlattr a;
    size_t adv;

    if (it->left == 0)
        return 0;
    if (it->left < sizeof a) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s: %zu trailing bytes, too short for an "
                     "attribute header", it->where, it->left);
        return -1;
    }
    memcpy(&a, it->p, sizeof a);
    if (a.nla_len < sizeof a || a.nla_len > it->left) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                     "%s: attribute %u has length %u, outside 4..%zu", it->where,
                     (unsigned)(a.nla_type & NLA_TYPE_MASK), (unsigned)a.nla_len, it->left);
        return -1;
    }
    *type = a.nla_type & NLA_TYPE_MASK;
    *data = it->p + sizeof a;
    *dlen = a.nla_len - sizeof a;
    adv = NLA_ALIGN(a.nla_len);
    if (adv > it->left)
        adv = it->left; /* the last attribute may lack its padding */
    it->p += adv;
    it->left -= adv;
    return 1;
}

static int need(size_t have, size_t want, const char *name, netmetrics_error *err)
{
    if (have >= want)
        return 0;
    nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s: payload of %zu bytes, needs %zu", name, have,
                 want);
    return -1;
}

static int get_u32(const unsigned char *d, size_t n, const char *name, uint32_t *out,
                   netmetrics_error *err)
{
    if (need(n, sizeof *out, name, err) < 0)
        return -1;
    memcpy(out, d, sizeof *out);
    return 0;
}

static int get_ifindex(const unsigned char *d, size_t n, int32_t *out, netmetrics_error *err)
{
    uint32_t v;

    if (get_u32(d, n, "NL80211_ATTR_IFINDEX", &v, err) < 0)
        return -1;
    *out = v <= INT32_MAX ? (int32_t)v : 0;
    return 0;
}

/* Checks the genlmsghdr and starts an iterator over the attributes. */
static netmetrics_status genl_start(const void *payload, size_t len, nla_iter *it,
                                    const char *what, netmetrics_error *err)
{
    size_t hdr = NLMSG_ALIGN(sizeof(struct genlmsghdr));

    /* The code is returned as a constant so it is plain (to the static
     * analyzer too) that NETMETRICS_OK always comes with *it started. */
    if (!payload || len < sizeof(struct genlmsghdr)) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s: truncated genlmsghdr (%zu bytes)", what,
                     payload ? len : 0);
        return NETMETRICS_ERR_PARSE;
    }
    if (hdr > len)
        hdr = len;
    nla_start(it, (const unsigned char *)payload + hdr, len - hdr, what);
    return NETMETRICS_OK;
}

netmetrics_status nm_genl_parse_family(const void *payload, size_t len, uint16_t *family_id,
                                       netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r, found = 0;

    *family_id = 0;
    if (genl_start(payload, len, &it, "CTRL_CMD_NEWFAMILY", err) != NETMETRICS_OK)
        return NETMETRICS_ERR_PARSE;
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        if (type != CTRL_ATTR_FAMILY_ID)
            continue;
        if (need(n, sizeof *family_id, "CTRL_ATTR_FAMILY_ID", err) < 0)
            return NETMETRICS_ERR_PARSE;
        memcpy(family_id, d, sizeof *family_id);
        found = 1;
    }
    if (r < 0)
        return NETMETRICS_ERR_PARSE;
    if (!found || *family_id == 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "CTRL_CMD_NEWFAMILY without a family id");
    return NETMETRICS_OK;
}

netmetrics_status nm_nl80211_parse_interface(const void *payload, size_t len,
                                             nm_nl80211_iface *out, netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r;

    memset(out, 0, sizeof *out);
    if (genl_start(payload, len, &it, "NL80211_CMD_NEW_INTERFACE", err) != NETMETRICS_OK)
        return NETMETRICS_ERR_PARSE;
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        switch (type) {
        case NL80211_ATTR_IFINDEX:
            if (get_ifindex(d, n, &out->ifindex, err) < 0)
                return NETMETRICS_ERR_PARSE;
            break;
        case NL80211_ATTR_IFNAME: {
            const unsigned char *nul = memchr(d, '\0', n);
            size_t l = nul ? (size_t)(nul - d) : n;

            if (l >= sizeof out->name)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "NL80211_ATTR_IFNAME of %zu bytes is too long", l);
            memcpy(out->name, d, l);
            out->name[l] = '\0';
            break;
        }
        case NL80211_ATTR_IFTYPE:
            if (get_u32(d, n, "NL80211_ATTR_IFTYPE", &out->iftype, err) < 0)
                return NETMETRICS_ERR_PARSE;
            break;
        case NL80211_ATTR_WIPHY_FREQ:
            if (get_u32(d, n, "NL80211_ATTR_WIPHY_FREQ", &out->freq_mhz, err) < 0)
                return NETMETRICS_ERR_PARSE;
            break;
        case NL80211_ATTR_SSID:
            if (n > sizeof out->ssid)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "NL80211_ATTR_SSID of %zu bytes is longer than 32", n);
            memcpy(out->ssid, d, n);
            out->ssid_len = n;
            out->have_ssid = 1;
            break;
        default:
            break;
        }
    }
    return r < 0 ? NETMETRICS_ERR_PARSE : NETMETRICS_OK;
}

static int parse_rate(const unsigned char *p, size_t len, nm_nl80211_station *out,
                      netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r, have32 = 0;

    nla_start(&it, p, len, "NL80211_STA_INFO_TX_BITRATE");
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        if (type == NL80211_RATE_INFO_BITRATE32) {
            uint32_t v;

            if (get_u32(d, n, "NL80211_RATE_INFO_BITRATE32", &v, err) < 0)
                return -1;
            out->tx_bitrate_100kbps = v;
            out->have_bitrate = 1;
            have32 = 1;
        } else if (type == NL80211_RATE_INFO_BITRATE && !have32) {
            /* The 16-bit form, older kernels and rates below 6.5 Gb/s. */
            uint16_t v;

            if (need(n, sizeof v, "NL80211_RATE_INFO_BITRATE", err) < 0)
                return -1;
            memcpy(&v, d, sizeof v);
            out->tx_bitrate_100kbps = v;
            out->have_bitrate = 1;
        }
    }
    /* 0 means the kernel could not compute the rate. */
    if (out->have_bitrate && out->tx_bitrate_100kbps == 0)
        out->have_bitrate = 0;
    return r;
}

static int parse_sta_info(const unsigned char *p, size_t len, nm_nl80211_station *out,
                          netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r;

    nla_start(&it, p, len, "NL80211_ATTR_STA_INFO");
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        if (type == NL80211_STA_INFO_SIGNAL) {
            if (need(n, 1, "NL80211_STA_INFO_SIGNAL", err) < 0)
                return -1;
            out->signal_dbm = (int)(int8_t)d[0];
            out->have_signal = 1;
        } else if (type == NL80211_STA_INFO_TX_BITRATE) {
            if (parse_rate(d, n, out, err) < 0)
                return -1;
        }
    }
    return r;
}

netmetrics_status nm_nl80211_parse_station(const void *payload, size_t len,
                                           nm_nl80211_station *out, netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r;

    memset(out, 0, sizeof *out);
    if (genl_start(payload, len, &it, "NL80211_CMD_NEW_STATION", err) != NETMETRICS_OK)
        return NETMETRICS_ERR_PARSE;
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        switch (type) {
        case NL80211_ATTR_IFINDEX:
            if (get_ifindex(d, n, &out->ifindex, err) < 0)
                return NETMETRICS_ERR_PARSE;
            break;
        case NL80211_ATTR_MAC:
            if (n != sizeof out->mac)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "NL80211_ATTR_MAC of %zu bytes, not 6", n);
            memcpy(out->mac, d, sizeof out->mac);
            out->have_mac = 1;
            break;
        case NL80211_ATTR_STA_INFO:
            if (parse_sta_info(d, n, out, err) < 0)
                return NETMETRICS_ERR_PARSE;
            break;
        default:
            break;
        }
    }
    return r < 0 ? NETMETRICS_ERR_PARSE : NETMETRICS_OK;
}

static int parse_survey_info(const unsigned char *p, size_t len, nm_nl80211_survey *out,
                             netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r;

    nla_start(&it, p, len, "NL80211_ATTR_SURVEY_INFO");
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        switch (type) {
        case NL80211_SURVEY_INFO_FREQUENCY:
            if (get_u32(d, n, "NL80211_SURVEY_INFO_FREQUENCY", &out->freq_mhz, err) < 0)
                return -1;
            break;
        case NL80211_SURVEY_INFO_NOISE:
            if (need(n, 1, "NL80211_SURVEY_INFO_NOISE", err) < 0)
                return -1;
            out->noise_dbm = (int)(int8_t)d[0];
            out->have_noise = 1;
            break;
        case NL80211_SURVEY_INFO_IN_USE:
            out->in_use = 1; /* a flag: presence is the value */
            break;
        default:
            break;
        }
    }
    return r;
}

netmetrics_status nm_nl80211_parse_survey(const void *payload, size_t len,
                                          nm_nl80211_survey *out, netmetrics_error *err)
{
    const unsigned char *d;
    nla_iter it;
    unsigned type;
    size_t n;
    int r;

    memset(out, 0, sizeof *out);
    if (genl_start(payload, len, &it, "NL80211_CMD_NEW_SURVEY_RESULTS", err) != NETMETRICS_OK)
        return NETMETRICS_ERR_PARSE;
    while ((r = nla_next(&it, &type, &d, &n, err)) > 0) {
        if (type == NL80211_ATTR_IFINDEX) {
            if (get_ifindex(d, n, &out->ifindex, err) < 0)
                return NETMETRICS_ERR_PARSE;
        } else if (type == NL80211_ATTR_SURVEY_INFO) {
            if (parse_survey_info(d, n, out, err) < 0)
                return NETMETRICS_ERR_PARSE;
        }
    }
    return r < 0 ? NETMETRICS_ERR_PARSE : NETMETRICS_OK;
}

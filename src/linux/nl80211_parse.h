/* SPDX-License-Identifier: MIT */
/* Pure parsers of generic-netlink and nl80211 messages: the payload of one
 * netlink message (struct genlmsghdr followed by attributes) in, plain
 * values out. Like rtnl_parse.h they never read past len and copy every
 * header out with memcpy, so any bytes at any alignment are safe input (a
 * fuzz target can call them directly). Layouts are those documented in
 * <linux/genetlink.h> and <linux/nl80211.h>. */
#ifndef NM_NL80211_PARSE_H
#define NM_NL80211_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

/* CTRL_CMD_NEWFAMILY answer: the family id (CTRL_ATTR_FAMILY_ID).
 * NETMETRICS_ERR_PARSE when the message is malformed or carries no id. */
netmetrics_status nm_genl_parse_family(const void *payload, size_t len, uint16_t *family_id,
                                       netmetrics_error *err);

/* One NL80211_CMD_NEW_INTERFACE message of a GET_INTERFACE dump. */
typedef struct nm_nl80211_iface {
    int32_t ifindex;             /* 0 when absent (a wiphy without netdev) */
    char name[NM_IFNAME_SIZE];   /* NL80211_ATTR_IFNAME, "" when absent */
    uint32_t iftype;             /* NL80211_ATTR_IFTYPE, 0 when absent */
    uint32_t freq_mhz;           /* NL80211_ATTR_WIPHY_FREQ, 0 when absent */
    size_t ssid_len;             /* NL80211_ATTR_SSID: 0..32 bytes */
    int have_ssid;
    unsigned char ssid[32];
} nm_nl80211_iface;

netmetrics_status nm_nl80211_parse_interface(const void *payload, size_t len,
                                             nm_nl80211_iface *out, netmetrics_error *err);

/* One NL80211_CMD_NEW_STATION message of a GET_STATION dump. */
typedef struct nm_nl80211_station {
    int32_t ifindex;         /* NL80211_ATTR_IFINDEX, 0 when absent */
    int have_mac;
    unsigned char mac[6];    /* NL80211_ATTR_MAC: the peer (the BSSID for a station) */
    int have_signal;
    int signal_dbm;          /* NL80211_STA_INFO_SIGNAL, a signed byte */
    int have_bitrate;
    uint64_t tx_bitrate_100kbps; /* NL80211_RATE_INFO_BITRATE32 (or the 16-bit BITRATE) */
} nm_nl80211_station;

netmetrics_status nm_nl80211_parse_station(const void *payload, size_t len,
                                           nm_nl80211_station *out, netmetrics_error *err);

/* One NL80211_CMD_NEW_SURVEY_RESULTS message of a GET_SURVEY dump. */
typedef struct nm_nl80211_survey {
    int32_t ifindex;
    uint32_t freq_mhz;   /* NL80211_SURVEY_INFO_FREQUENCY */
    int in_use;          /* NL80211_SURVEY_INFO_IN_USE flag */
    int have_noise;
    int noise_dbm;       /* NL80211_SURVEY_INFO_NOISE, a signed byte */
} nm_nl80211_survey;

netmetrics_status nm_nl80211_parse_survey(const void *payload, size_t len,
                                          nm_nl80211_survey *out, netmetrics_error *err);

#endif

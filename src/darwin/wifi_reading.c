/* SPDX-License-Identifier: MIT */
/* CoreWLAN readings -> netmetrics_wireless (see wifi_reading.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "wifi_reading.h"
#include "utf8.h"

uint64_t nm_dw_wifi_channel_hz(int band, long ch)
{
    long mhz;

    switch (band) {
    case NM_DW_WIFI_BAND_2GHZ:
        if (ch == 14)
            mhz = 2484;
        else if (ch >= 1 && ch <= 13)
            mhz = 2407 + 5 * ch;
        else
            return 0;
        break;
    case NM_DW_WIFI_BAND_5GHZ:
        if (ch < 1 || ch > 196)
            return 0;
        mhz = 5000 + 5 * ch;
        break;
    case NM_DW_WIFI_BAND_6GHZ:
        if (ch == 2)
            mhz = 5935; /* the one 6 GHz channel off the 5950 grid */
        else if (ch >= 1 && ch <= 233)
            mhz = 5950 + 5 * ch;
        else
            return 0;
        break;
    default:
        return 0;
    }
    return (uint64_t)mhz * 1000000u;
}

int nm_dw_parse_bssid(const char *s, unsigned char out[6])
{
    int i;

    if (!s)
        return -1;
    for (i = 0; i < 6; i++) {
        int hi = nm_hex_value(*s), lo;

        if (hi < 0)
            return -1;
        s++;
        lo = nm_hex_value(*s);
        if (lo >= 0) {
            out[i] = (unsigned char)(hi * 16 + lo);
            s++;
        } else {
            out[i] = (unsigned char)hi;
        }
        if (i < 5 && *s++ != ':')
            return -1;
    }
    return *s == '\0' ? 0 : -1;
}

static int dbm_ok(long v)
{
    return v >= -150 && v <= -1;
}

int nm_dw_wifi_fill(const nm_dw_wifi_reading *r, netmetrics_wireless *out)
{
    static const unsigned char zero[6];
    int rate_ok = isfinite(r->tx_rate_mbps) && r->tx_rate_mbps > 0.0 &&
                  r->tx_rate_mbps < 1e6;
    uint64_t hz;

    memset(out, 0, sizeof *out);
    if (!dbm_ok(r->rssi_dbm) && !rate_ok)
        return 0; /* not associated (or CoreWLAN could not ask) */
    if (dbm_ok(r->rssi_dbm)) {
        out->signal_dbm = (int)r->rssi_dbm;
        out->valid |= NETMETRICS_WIRELESS_SIGNAL;
    }
    if (dbm_ok(r->noise_dbm)) {
        out->noise_dbm = (int)r->noise_dbm;
        out->valid |= NETMETRICS_WIRELESS_NOISE;
    }
    if (rate_ok) {
        /* Mb/s is 10^6 bit/s: 125000 bytes/s each */
        out->tx_bitrate = (uint64_t)llround(r->tx_rate_mbps * 125000.0);
        out->valid |= NETMETRICS_WIRELESS_BITRATE;
    }
    hz = nm_dw_wifi_channel_hz(r->band, r->channel);
    if (hz) {
        out->frequency_hz = hz;
        out->valid |= NETMETRICS_WIRELESS_FREQUENCY;
    }
    if (r->ssid && r->ssid_len >= 1 && r->ssid_len <= 32) {
        memcpy(out->ssid, r->ssid, r->ssid_len);
        out->ssid[r->ssid_len] = '\0';
        out->valid |= NETMETRICS_WIRELESS_SSID;
    }
    if (nm_dw_parse_bssid(r->bssid, out->bssid) == 0 && memcmp(out->bssid, zero, 6) != 0)
        out->valid |= NETMETRICS_WIRELESS_BSSID;
    else
        memset(out->bssid, 0, sizeof out->bssid);
    return out->valid != 0;
}

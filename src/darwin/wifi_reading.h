/* SPDX-License-Identifier: MIT */
/* What CoreWLAN reports of one Wi-Fi interface, as plain C values, and
 * the rules that turn it into the library's wireless statistics. The
 * Objective-C file (wifi_corewlan.m, macOS only) only reads CWInterface
 * properties into an nm_dw_wifi_reading; every decision (which values mean
 * "unknown", units, the channel's frequency, the BSSID text) is here, in
 * portable C tested on every platform. */
#ifndef NM_WIFI_READING_H
#define NM_WIFI_READING_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

/* CWChannelBand values (CoreWLANTypes.h). */
#define NM_DW_WIFI_BAND_UNKNOWN 0
#define NM_DW_WIFI_BAND_2GHZ    1
#define NM_DW_WIFI_BAND_5GHZ    2
#define NM_DW_WIFI_BAND_6GHZ    3

typedef struct nm_dw_wifi_reading {
    long rssi_dbm;              /* -[CWInterface rssiValue]: 0 on error or when not associated */
    long noise_dbm;             /* -noiseMeasurement: 0 likewise */
    double tx_rate_mbps;        /* -transmitRate, Mb/s: 0 likewise */
    long channel;               /* -wlanChannel.channelNumber; 0 without a channel */
    int band;                   /* -wlanChannel.channelBand: NM_DW_WIFI_BAND_* */
    const unsigned char *ssid;  /* -ssidData bytes; NULL when nil (not associated, or
                                 * redacted: macOS hides it without Location access) */
    size_t ssid_len;
    const char *bssid;          /* -bssid, "a0:b1:c2:d3:e4:f5"; NULL when nil or redacted */
} nm_dw_wifi_reading;

/* Fills *out (cleared first) from r. Nothing is reported for an interface
 * that shows no sign of association (neither a signal nor a transmit
 * rate): CoreWLAN answers 0 then, and a powered-on radio still has a
 * channel. Signal and noise count when in -150..-1 dBm; the rate is Mb/s
 * (10^6 bit/s) turned into bytes/s; an SSID of 1..32 bytes and a BSSID
 * that parses and is not all zeros count. Returns 1 when out->valid is not
 * 0, else 0. */
int nm_dw_wifi_fill(const nm_dw_wifi_reading *r, netmetrics_wireless *out);

/* Centre frequency in Hz of a channel number in a band (2.4 GHz: 1..14,
 * 5 GHz: 1..196, 6 GHz: 1..233), 0 when unknown. */
uint64_t nm_dw_wifi_channel_hz(int band, long channel);

/* "a0:b1:c2:d3:e4:f5" (one or two hex digits per byte, as CoreWLAN and
 * airport print them) -> 6 bytes. 0, or -1 when it is not that. */
int nm_dw_parse_bssid(const char *s, unsigned char out[6]);

#endif

/* SPDX-License-Identifier: MIT */
/* Wi-Fi statistics on macOS: for each interface CoreWLAN knows, its RSSI,
 * noise, transmit rate, channel, and the SSID and BSSID when the OS does
 * not redact them, written into the snapshot's wireless fields. Built from
 * wifi_corewlan.m when configure finds CoreWLAN; otherwise the stubs in
 * darwin_absent.c add nothing. */
#ifndef NM_WIFI_COREWLAN_H
#define NM_WIFI_COREWLAN_H

#include "netmetrics.h"

/* Fills the wireless statistics of snap's interfaces that CoreWLAN reports
 * as associated (matched by name). A machine without Wi-Fi, or with the
 * radio off, adds nothing and succeeds. */
netmetrics_status nm_dw_wifi_collect(netmetrics_snapshot *snap, netmetrics_error *err);

/* "corewlan" when built with CoreWLAN, else "". */
const char *nm_dw_wifi_source(void);

#endif

/* SPDX-License-Identifier: MIT */
/* CoreWLAN reader (see wifi_corewlan.h): the one Objective-C file. It
 * copies CWInterface properties into plain C values and leaves every
 * decision to wifi_reading.c, which is tested on every platform. Manual
 * reference counting: everything used here is autoreleased and dies with
 * the pool, so nothing is retained past a call. Compiled on macOS only,
 * when configure finds CoreWLAN. */
#include "config.h"

#include <string.h>

#import <CoreWLAN/CoreWLAN.h>
#import <Foundation/Foundation.h>

#include "nmerror.h"
#include "snapshot.h"
#include "wifi_corewlan.h"
#include "wifi_reading.h"

_Static_assert(kCWChannelBand2GHz == NM_DW_WIFI_BAND_2GHZ, "CWChannelBand 2.4 GHz");
_Static_assert(kCWChannelBand5GHz == NM_DW_WIFI_BAND_5GHZ, "CWChannelBand 5 GHz");

static struct netmetrics_interface *find_iface(netmetrics_snapshot *snap, const char *name)
{
    size_t i;

    for (i = 0; i < snap->count; i++)
        if (strcmp(snap->ifaces[i].name, name) == 0)
            return &snap->ifaces[i];
    return NULL;
}

/* One CWInterface into its snapshot entry; -1 when out of memory. */
static int read_interface(CWInterface *cw, netmetrics_snapshot *snap)
{
    nm_dw_wifi_reading r;
    netmetrics_wireless w, *dst;
    struct netmetrics_interface *it;
    NSString *name = [cw interfaceName];
    CWChannel *ch;
    NSData *ssid;
    NSString *bssid;

    if (!name || ![name UTF8String])
        return 0;
    it = find_iface(snap, [name UTF8String]);
    if (!it)
        return 0;
    memset(&r, 0, sizeof r);
    r.rssi_dbm = (long)[cw rssiValue];
    r.noise_dbm = (long)[cw noiseMeasurement];
    r.tx_rate_mbps = [cw transmitRate];
    ch = [cw wlanChannel];
    if (ch) {
        r.channel = (long)[ch channelNumber];
        r.band = (int)[ch channelBand];
    }
    /* nil when not associated, or when the OS redacts them (no Location
     * Services permission): the values are then absent, not empty */
    ssid = [cw ssidData];
    if (ssid) {
        r.ssid = [ssid bytes];
        r.ssid_len = (size_t)[ssid length];
    }
    bssid = [cw bssid];
    if (bssid)
        r.bssid = [bssid UTF8String];
    /* the statistics live in the snapshot's store, made only when there
     * are some (nm_dw_wifi_fill leaves w cleared otherwise) */
    if (!nm_dw_wifi_fill(&r, &w)) {
        if (it->wireless)
            memset(it->wireless, 0, sizeof *it->wireless);
        return 0;
    }
    dst = nm_snapshot_wireless(snap, it);
    if (!dst)
        return -1;
    *dst = w;
    return 0;
}

netmetrics_status nm_dw_wifi_collect(netmetrics_snapshot *snap, netmetrics_error *err)
{
    int oom = 0;

    @autoreleasepool {
        CWWiFiClient *client = [CWWiFiClient sharedWiFiClient];
        NSArray *ifaces = client ? [client interfaces] : nil;
        CWInterface *cw;

        for (cw in ifaces) {
            if (read_interface(cw, snap) < 0)
                oom = 1;
        }
    }
    if (oom)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "CoreWLAN: out of memory");
    return NETMETRICS_OK;
}

const char *nm_dw_wifi_source(void)
{
    return "corewlan";
}

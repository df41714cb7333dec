/* SPDX-License-Identifier: MIT */
/* Link-detail and wireless families (see render_link.h). Like render.c it
 * reads the snapshot only through the public API and allocates nothing. */
#include "config.h"

#include <string.h>

#include "render_link.h"

static void label_set(nm_label *l, const char *name, const char *value)
{
    l->name = name;
    l->value = value;
    l->value_len = strlen(value);
}

const char *nm_render_master_name(const netmetrics_snapshot *snap,
                                  const netmetrics_interface *iface, char *buf)
{
    int m = netmetrics_interface_master_index(iface);
    const netmetrics_interface *master;

    buf[0] = '\0';
    if (m <= 0)
        return buf;
    master = netmetrics_snapshot_find_index(snap, m);
    if (master)
        return netmetrics_interface_name(master);
    nm_expfmt_int_text(buf, m);
    return buf;
}

static void render_details(nm_expfmt *w, const netmetrics_snapshot *snap, size_t n,
                           const nm_devlabels *dl)
{
    size_t i;

    nm_expfmt_family(w, "netmetrics_interface_speed_bytes", NM_METRIC_GAUGE,
                     "Link speed in bytes per second as the driver reports it; absent when "
                     "unknown (link down, no carrier, or a driver that reports none).");
    for (i = 0; i < n; i++) {
        const netmetrics_interface *iface = netmetrics_snapshot_interface(snap, i);
        uint64_t v;

        if (netmetrics_interface_speed(iface, &v) != NETMETRICS_OK)
            continue;
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(dl, i), NULL, 0, v);
    }

    nm_expfmt_family(w, "netmetrics_interface_carrier_changes_total", NM_METRIC_COUNTER,
                     "Times the link's carrier went up or down since the interface was "
                     "created (IFLA_CARRIER_CHANGES).");
    for (i = 0; i < n; i++) {
        const netmetrics_interface *iface = netmetrics_snapshot_interface(snap, i);
        uint64_t v;

        if (netmetrics_interface_carrier_changes(iface, &v) != NETMETRICS_OK)
            continue;
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(dl, i), NULL, 0, v);
    }

    nm_expfmt_family(w, "netmetrics_interface_transmit_queue_length", NM_METRIC_GAUGE,
                     "Transmit queue length of the interface, in packets (IFLA_TXQLEN).");
    for (i = 0; i < n; i++) {
        const netmetrics_interface *iface = netmetrics_snapshot_interface(snap, i);
        uint32_t v;

        if (netmetrics_interface_txqlen(iface, &v) != NETMETRICS_OK)
            continue;
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(dl, i), NULL, 0, v);
    }

    /* Free text that an administrator may change at any time: its own
     * series, present only when set, so interface_info stays stable. */
    nm_expfmt_family(w, "netmetrics_interface_alias_info", NM_METRIC_INFO,
                     "The interface's alias (ip link set DEV alias TEXT) in the alias label; "
                     "the value is always 1.");
    for (i = 0; i < n; i++) {
        const netmetrics_interface *iface = netmetrics_snapshot_interface(snap, i);
        const char *alias = netmetrics_interface_alias(iface);
        nm_label l;

        if (!alias[0])
            continue;
        label_set(&l, "alias", alias);
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(dl, i), &l, 1, 1);
    }
}

/* One wireless gauge family: the value of `bit` for every interface that
 * has it, taken by get. */
typedef double (*wl_get)(const netmetrics_wireless *wl);

static double get_signal(const netmetrics_wireless *wl) { return wl->signal_dbm; }
static double get_noise(const netmetrics_wireless *wl) { return wl->noise_dbm; }
static double get_quality(const netmetrics_wireless *wl) { return wl->link_quality; }
static double get_bitrate(const netmetrics_wireless *wl) { return (double)wl->tx_bitrate; }
static double get_freq(const netmetrics_wireless *wl) { return (double)wl->frequency_hz; }

static void render_wireless_gauge(nm_expfmt *w, const netmetrics_snapshot *snap, size_t n,
                                  const nm_devlabels *dl, const char *name, const char *help,
                                  unsigned bit, wl_get get)
{
    size_t i;

    nm_expfmt_family(w, name, NM_METRIC_GAUGE, help);
    for (i = 0; i < n; i++) {
        const netmetrics_interface *iface = netmetrics_snapshot_interface(snap, i);
        netmetrics_wireless wl;

        if (netmetrics_interface_wireless(iface, &wl) != NETMETRICS_OK || !(wl.valid & bit))
            continue;
        nm_expfmt_sample_double_pre(w, nm_devlabels_get(dl, i), NULL, 0, get(&wl));
    }
}

static void render_wireless(nm_expfmt *w, const netmetrics_snapshot *snap, size_t n,
                            const nm_devlabels *dl, int with_ssid)
{
    size_t i;

    render_wireless_gauge(w, snap, n, dl, "netmetrics_wireless_signal_dbm",
                          "Signal level of the associated access point, in dBm.",
                          NETMETRICS_WIRELESS_SIGNAL, get_signal);
    render_wireless_gauge(w, snap, n, dl, "netmetrics_wireless_noise_dbm",
                          "Noise level on the channel in use, in dBm.",
                          NETMETRICS_WIRELESS_NOISE, get_noise);
    render_wireless_gauge(w, snap, n, dl, "netmetrics_wireless_link_quality_ratio",
                          "Link quality from 0 to 1 (/proc/net/wireless quality over 70).",
                          NETMETRICS_WIRELESS_QUALITY, get_quality);
    render_wireless_gauge(w, snap, n, dl, "netmetrics_wireless_transmit_bitrate_bytes",
                          "Bitrate of the last transmission to the access point, in bytes "
                          "per second.",
                          NETMETRICS_WIRELESS_BITRATE, get_bitrate);
    render_wireless_gauge(w, snap, n, dl, "netmetrics_wireless_frequency_hertz",
                          "Centre frequency of the channel in use, in hertz.",
                          NETMETRICS_WIRELESS_FREQUENCY, get_freq);
    if (!with_ssid)
        return;
    nm_expfmt_family(w, "netmetrics_wireless_network_info", NM_METRIC_INFO,
                     "SSID and BSSID of the network the interface is associated with "
                     "(--collector.wireless.ssid); the value is always 1.");
    for (i = 0; i < n; i++) {
        const netmetrics_interface *iface = netmetrics_snapshot_interface(snap, i);
        static const char hex[] = "0123456789abcdef";
        netmetrics_wireless wl;
        char bssid[18];
        nm_label l[2];
        size_t b;

        if (netmetrics_interface_wireless(iface, &wl) != NETMETRICS_OK ||
            !(wl.valid & (NETMETRICS_WIRELESS_SSID | NETMETRICS_WIRELESS_BSSID)))
            continue;
        bssid[0] = '\0';
        if (wl.valid & NETMETRICS_WIRELESS_BSSID) {
            for (b = 0; b < 6; b++) {
                bssid[b * 3] = hex[wl.bssid[b] >> 4];
                bssid[b * 3 + 1] = hex[wl.bssid[b] & 15];
                bssid[b * 3 + 2] = b < 5 ? ':' : '\0';
            }
        }
        label_set(&l[0], "ssid", (wl.valid & NETMETRICS_WIRELESS_SSID) ? wl.ssid : "");
        label_set(&l[1], "bssid", bssid);
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(dl, i), l, 2, 1);
    }
}

void nm_render_link_details(nm_expfmt *w, const netmetrics_snapshot *snap, size_t n,
                            const nm_devlabels *dl)
{
    render_details(w, snap, n, dl);
}

void nm_render_wireless(nm_expfmt *w, const netmetrics_snapshot *snap, size_t n,
                        const nm_devlabels *dl, int with_ssid)
{
    render_wireless(w, snap, n, dl, with_ssid);
}


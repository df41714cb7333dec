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

static void row_speed(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const netmetrics_interface *iface = netmetrics_snapshot_interface(src->snap, i);
    uint64_t v;

    (void)arg;
    if (netmetrics_interface_speed(iface, &v) == NETMETRICS_OK)
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), NULL, 0, v);
}

static void row_carrier_changes(nm_expfmt *w, const nm_render_src *src, const void *arg,
                                size_t i)
{
    const netmetrics_interface *iface = netmetrics_snapshot_interface(src->snap, i);
    uint64_t v;

    (void)arg;
    if (netmetrics_interface_carrier_changes(iface, &v) == NETMETRICS_OK)
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), NULL, 0, v);
}

static void row_txqlen(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const netmetrics_interface *iface = netmetrics_snapshot_interface(src->snap, i);
    uint32_t v;

    (void)arg;
    if (netmetrics_interface_txqlen(iface, &v) == NETMETRICS_OK)
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), NULL, 0, v);
}

/* Free text that an administrator may change at any time: its own series,
 * present only when set, so interface_info stays stable. */
static void row_alias(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const char *alias = netmetrics_interface_alias(netmetrics_snapshot_interface(src->snap, i));
    nm_label l;

    (void)arg;
    if (!alias[0])
        return;
    label_set(&l, "alias", alias);
    nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), &l, 1, 1);
}

size_t nm_render_link_sections(nm_section *out)
{
    nm_section_set(&out[0], "netmetrics_interface_speed_bytes", NM_METRIC_GAUGE,
                "Link speed in bytes per second as the driver reports it; absent when "
                "unknown (link down, no carrier, or a driver that reports none).",
                row_speed, NULL);
    nm_section_set(&out[1], "netmetrics_interface_carrier_changes_total", NM_METRIC_COUNTER,
                "Times the link's carrier went up or down since the interface was "
                "created (IFLA_CARRIER_CHANGES).",
                row_carrier_changes, NULL);
    nm_section_set(&out[2], "netmetrics_interface_transmit_queue_length", NM_METRIC_GAUGE,
                "Transmit queue length of the interface, in packets (IFLA_TXQLEN).", row_txqlen,
                NULL);
    nm_section_set(&out[3], "netmetrics_interface_alias_info", NM_METRIC_INFO,
                "The interface's alias (ip link set DEV alias TEXT) in the alias label; "
                "the value is always 1.",
                row_alias, NULL);
    return 4;
}

/* One wireless gauge family: the value of `bit` for every interface that
 * has it, taken by get. */
typedef double (*wl_get)(const netmetrics_wireless *wl);

static double get_signal(const netmetrics_wireless *wl) { return wl->signal_dbm; }
static double get_noise(const netmetrics_wireless *wl) { return wl->noise_dbm; }
static double get_quality(const netmetrics_wireless *wl) { return wl->link_quality; }
static double get_bitrate(const netmetrics_wireless *wl) { return (double)wl->tx_bitrate; }
static double get_freq(const netmetrics_wireless *wl) { return (double)wl->frequency_hz; }

static const struct wl_def {
    const char *name;
    const char *help;
    unsigned bit;
    wl_get get;
} wl_defs[] = {
    {"netmetrics_wireless_signal_dbm", "Signal level of the associated access point, in dBm.",
     NETMETRICS_WIRELESS_SIGNAL, get_signal},
    {"netmetrics_wireless_noise_dbm", "Noise level on the channel in use, in dBm.",
     NETMETRICS_WIRELESS_NOISE, get_noise},
    {"netmetrics_wireless_link_quality_ratio",
     "Link quality from 0 to 1 (/proc/net/wireless quality over 70).",
     NETMETRICS_WIRELESS_QUALITY, get_quality},
    {"netmetrics_wireless_transmit_bitrate_bytes",
     "Bitrate of the last transmission to the access point, in bytes per second.",
     NETMETRICS_WIRELESS_BITRATE, get_bitrate},
    {"netmetrics_wireless_frequency_hertz", "Centre frequency of the channel in use, in hertz.",
     NETMETRICS_WIRELESS_FREQUENCY, get_freq},
};

static void row_wireless_gauge(nm_expfmt *w, const nm_render_src *src, const void *arg,
                               size_t i)
{
    const struct wl_def *def = arg;
    netmetrics_wireless wl;

    if (netmetrics_interface_wireless(netmetrics_snapshot_interface(src->snap, i), &wl) !=
            NETMETRICS_OK ||
        !(wl.valid & def->bit))
        return;
    nm_expfmt_sample_double_pre(w, nm_devlabels_get(src->dl, i), NULL, 0, def->get(&wl));
}

static void row_network_info(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    static const char hex[] = "0123456789abcdef";
    netmetrics_wireless wl;
    char bssid[18];
    nm_label l[2];
    size_t b;

    (void)arg;
    if (netmetrics_interface_wireless(netmetrics_snapshot_interface(src->snap, i), &wl) !=
            NETMETRICS_OK ||
        !(wl.valid & (NETMETRICS_WIRELESS_SSID | NETMETRICS_WIRELESS_BSSID)))
        return;
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
    nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), l, 2, 1);
}

size_t nm_render_wireless_sections(nm_section *out, int with_ssid)
{
    size_t d, k = 0;

    for (d = 0; d < sizeof wl_defs / sizeof wl_defs[0]; d++, k++)
        nm_section_set(&out[k], wl_defs[d].name, NM_METRIC_GAUGE, wl_defs[d].help,
                    row_wireless_gauge, &wl_defs[d]);
    if (with_ssid)
        nm_section_set(&out[k++], "netmetrics_wireless_network_info", NM_METRIC_INFO,
                    "SSID and BSSID of the network the interface is associated with "
                    "(--collector.wireless.ssid); the value is always 1.",
                    row_network_info, NULL);
    return k;
}

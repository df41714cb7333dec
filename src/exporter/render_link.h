/* SPDX-License-Identifier: MIT */
/* The link-detail and wireless families: link speed, carrier changes,
 * transmit queue length, the alias info series, and the wireless gauges
 * (signal, noise, link quality, transmit bitrate, frequency) with the
 * opt-in SSID/BSSID info series. Kept apart from render.c so the issue's
 * families and their HELP text live together. */
#ifndef NM_RENDER_LINK_H
#define NM_RENDER_LINK_H

#include <stddef.h>

#include "expfmt.h"
#include "netmetrics.h"
#include "render_devices.h"
#include "render_section.h"

/* Appends the sections of the link details (--collector.link) or of the
 * wireless families (--collector.wireless) to out, which has room for
 * NM_RENDER_LINK_SECTIONS more, and returns how many it added. Series
 * whose value is unknown (a down link's speed, a non-wireless interface's
 * signal) are left out; a family with no series leaves no trace.
 * with_ssid adds netmetrics_wireless_network_info. */
#define NM_RENDER_LINK_SECTIONS 6
size_t nm_render_link_sections(nm_section *out);
size_t nm_render_wireless_sections(nm_section *out, int with_ssid);

/* The master's name for the interface_info "master" label: "" when none,
 * the ifindex as text when the master is not in snap (another namespace,
 * or left out by the device filter).
 * buf holds NM_RENDER_MASTER_SIZE bytes. */
#define NM_RENDER_MASTER_SIZE 21
const char *nm_render_master_name(const netmetrics_snapshot *snap,
                                  const netmetrics_interface *iface, char *buf);

#endif

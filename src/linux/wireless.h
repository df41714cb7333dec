/* SPDX-License-Identifier: MIT */
/* Wireless statistics for a snapshot: nl80211 over generic netlink when the
 * kernel has the family, and /proc/net/wireless (under the overridable proc
 * root) for link quality and as the fallback. This file moves bytes; the
 * parsing is in nl80211_parse.c and procnetwireless_parse.c. */
#ifndef NM_WIRELESS_H
#define NM_WIRELESS_H

#include "netmetrics.h"
#include "snapshot.h"

typedef struct nm_wireless nm_wireless;

/* Opens a generic-netlink socket and resolves "nl80211". A kernel without
 * the family (or without generic netlink) is not an error: the source is
 * then "proc". NULL only when out of memory. */
nm_wireless *nm_wireless_new(const char *proc_root);
void nm_wireless_free(nm_wireless *w);

/* "nl80211" or "proc". */
const char *nm_wireless_source(const nm_wireless *w);

/* Fills the wireless statistics of snap's interfaces (matched by ifindex
 * and name). No wireless interface is success. Errors: an nl80211 dump that
 * failed (its message says why); whatever was read is still filled in. */
netmetrics_status nm_wireless_collect(nm_wireless *w, netmetrics_snapshot *snap,
                                      netmetrics_error *err);

#endif

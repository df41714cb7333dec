/* SPDX-License-Identifier: MIT */
/* Public accessors of an interface's link details (type, speed, duplex,
 * carrier changes, queue length, master, alias, driver) and wireless
 * statistics, and the adapter that feeds a snapshot interface's facts to
 * the classification rules. Read-only on the snapshot; no I/O. */
#include "config.h"

#include <string.h>

#include "classify.h"
#include "snapshot.h"

void nm_interface_classify(struct netmetrics_interface *iface)
{
    nm_classify_input in;

    in.flags = iface->flags;
    in.link_type = iface->link_type;
    in.kind = iface->kind;
    in.has_device = iface->has_device;
    in.wireless = iface->wireless_marker;
    in.devtype = iface->devtype;
    in.driver = iface->driver;
    iface->iftype = (uint8_t)nm_classify(&in);
}

const char *netmetrics_interface_type_name(netmetrics_interface_type type)
{
    switch (type) {
    case NETMETRICS_IFTYPE_ETHERNET: return "ethernet";
    case NETMETRICS_IFTYPE_WIFI: return "wifi";
    case NETMETRICS_IFTYPE_LOOPBACK: return "loopback";
    case NETMETRICS_IFTYPE_VIRTUAL: return "virtual";
    case NETMETRICS_IFTYPE_CELLULAR: return "cellular";
    case NETMETRICS_IFTYPE_OTHER: return "other";
    }
    return "other";
}

netmetrics_interface_type netmetrics_interface_type_get(const netmetrics_interface *iface)
{
    return (netmetrics_interface_type)iface->iftype;
}

const char *netmetrics_duplex_string(netmetrics_duplex duplex)
{
    switch (duplex) {
    case NETMETRICS_DUPLEX_HALF: return "half";
    case NETMETRICS_DUPLEX_FULL: return "full";
    case NETMETRICS_DUPLEX_UNKNOWN: break;
    }
    return "unknown";
}

netmetrics_status netmetrics_interface_speed(const netmetrics_interface *iface, uint64_t *out)
{
    int have = (iface->link_valid & NM_LINK_HAVE_SPEED) != 0;

    if (out)
        *out = have ? iface->speed_bytes : 0;
    return have ? NETMETRICS_OK : NETMETRICS_ERR_NOT_AVAILABLE;
}

netmetrics_duplex netmetrics_interface_duplex(const netmetrics_interface *iface)
{
    return iface->duplex <= NETMETRICS_DUPLEX_FULL ? (netmetrics_duplex)iface->duplex
                                                   : NETMETRICS_DUPLEX_UNKNOWN;
}

netmetrics_status netmetrics_interface_carrier_changes(const netmetrics_interface *iface,
                                                       uint64_t *out)
{
    int have = (iface->link_valid & NM_LINK_HAVE_CARRIER_CHANGES) != 0;

    if (out)
        *out = have ? iface->carrier_changes : 0;
    return have ? NETMETRICS_OK : NETMETRICS_ERR_NOT_AVAILABLE;
}

netmetrics_status netmetrics_interface_txqlen(const netmetrics_interface *iface, uint32_t *out)
{
    int have = (iface->link_valid & NM_LINK_HAVE_TXQLEN) != 0;

    if (out)
        *out = have ? iface->txqlen : 0;
    return have ? NETMETRICS_OK : NETMETRICS_ERR_NOT_AVAILABLE;
}

int netmetrics_interface_master_index(const netmetrics_interface *iface)
{
    return iface->master_ifindex;
}

const char *netmetrics_interface_alias(const netmetrics_interface *iface)
{
    /* NULL only in a record zeroed by hand rather than made by the builder */
    return iface->ifalias ? iface->ifalias : "";
}

const char *netmetrics_interface_driver(const netmetrics_interface *iface)
{
    /* NULL only in a record zeroed by hand rather than made by the builder */
    return iface->driver ? iface->driver : "";
}

netmetrics_status netmetrics_interface_wireless(const netmetrics_interface *iface,
                                                netmetrics_wireless *out)
{
    const netmetrics_wireless *w = iface->wireless;
    int have = w && w->valid;

    if (!out)
        return have ? NETMETRICS_OK : NETMETRICS_ERR_NOT_AVAILABLE;
    if (!have) {
        memset(out, 0, sizeof *out);
        return NETMETRICS_ERR_NOT_AVAILABLE;
    }
    *out = *w;
    return NETMETRICS_OK;
}

/* SPDX-License-Identifier: MIT */
/* Public read accessors of an interface in a snapshot. */
#include "config.h"

#include <string.h>

#include "snapshot.h"

const char *netmetrics_interface_name(const netmetrics_interface *iface)
{
    return iface->name;
}

int netmetrics_interface_index(const netmetrics_interface *iface)
{
    return iface->ifindex;
}

uint32_t netmetrics_interface_flags(const netmetrics_interface *iface)
{
    return iface->flags;
}

uint32_t netmetrics_interface_mtu(const netmetrics_interface *iface)
{
    return iface->mtu;
}

netmetrics_operstate netmetrics_interface_operstate(const netmetrics_interface *iface)
{
    return (netmetrics_operstate)iface->operstate;
}

int netmetrics_interface_carrier(const netmetrics_interface *iface)
{
    return iface->carrier;
}

int netmetrics_interface_link_type(const netmetrics_interface *iface)
{
    return iface->link_type;
}

const char *netmetrics_interface_kind(const netmetrics_interface *iface)
{
    /* NULL only in a record zeroed by hand rather than made by the builder */
    return iface->kind ? iface->kind : "";
}

size_t netmetrics_interface_hwaddr(const netmetrics_interface *iface, unsigned char *buf,
                                   size_t size)
{
    if (buf)
        memcpy(buf, iface->hwaddr, size < iface->hwaddr_len ? size : iface->hwaddr_len);
    return iface->hwaddr_len;
}

netmetrics_status netmetrics_interface_hwaddr_string(const netmetrics_interface *iface, char *buf,
                                                     size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, need = iface->hwaddr_len ? 3u * iface->hwaddr_len : 1u;
    char *p = buf;

    if (!buf || size < need)
        return NETMETRICS_ERR_INVALID;
    for (i = 0; i < iface->hwaddr_len; i++) {
        if (i)
            *p++ = ':';
        *p++ = hex[iface->hwaddr[i] >> 4];
        *p++ = hex[iface->hwaddr[i] & 15];
    }
    *p = '\0';
    return NETMETRICS_OK;
}

netmetrics_status netmetrics_interface_stat(const netmetrics_interface *iface, netmetrics_stat stat,
                                            uint64_t *value)
{
    if ((unsigned)stat >= NETMETRICS_STAT_COUNT) {
        if (value)
            *value = 0;
        return NETMETRICS_ERR_INVALID;
    }
    if (!(iface->stats_valid & (1u << stat))) {
        if (value)
            *value = 0;
        return NETMETRICS_ERR_NOT_AVAILABLE;
    }
    if (value)
        *value = iface->stats[stat];
    return NETMETRICS_OK;
}

size_t netmetrics_interface_address_count(const netmetrics_interface *iface)
{
    return iface->addr_count;
}

const netmetrics_address *netmetrics_interface_address(const netmetrics_interface *iface, size_t i)
{
    return i < iface->addr_count ? &iface->addrs[i] : NULL;
}

/* SPDX-License-Identifier: MIT */
/* The macOS classification rules (see classify_darwin.h). Each source is
 * consulted only when the stronger ones had no answer, so a missing
 * framework or a failed ioctl degrades to the next source, never to a
 * wrong guess such as "en0 is Wi-Fi". */
#include "config.h"

#include <string.h>

#include "classify_darwin.h"
#include "darwin_layout.h"

int nm_dw_virtual_name(const char *name)
{
    static const char *const prefixes[] = {"utun", "awdl", "llw", "bridge", "anpi",
                                           "ap",   "gif",  "stf", "ipsec",  "ppp"};
    size_t i;

    if (!name)
        return 0;
    for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        const char *p;

        if (strncmp(name, prefixes[i], n) != 0 || name[n] == '\0')
            continue;
        for (p = name + n; *p >= '0' && *p <= '9'; p++)
            ;
        if (*p == '\0')
            return 1;
    }
    return 0;
}

static int from_functional(int f, netmetrics_interface_type *out)
{
    switch (f) {
    case NM_DW_FUNC_LOOPBACK: *out = NETMETRICS_IFTYPE_LOOPBACK; return 1;
    case NM_DW_FUNC_WIFI_INFRA: *out = NETMETRICS_IFTYPE_WIFI; return 1;
    /* AWDL rides on the Wi-Fi radio as a separate peer-to-peer link: a
     * virtual interface, or its traffic would count twice. */
    case NM_DW_FUNC_WIFI_AWDL: *out = NETMETRICS_IFTYPE_VIRTUAL; return 1;
    case NM_DW_FUNC_CELLULAR: *out = NETMETRICS_IFTYPE_CELLULAR; return 1;
    /* the link to the machine's own co-processors (T2, companion links) */
    case NM_DW_FUNC_INTCOPROC:
    case NM_DW_FUNC_COMPANIONLINK: *out = NETMETRICS_IFTYPE_VIRTUAL; return 1;
    default: return 0; /* WIRED is also what bridges say: decided below */
    }
}

int nm_dw_functional_decides(int f)
{
    netmetrics_interface_type t;

    return from_functional(f, &t);
}

static int from_sc(const char *t, netmetrics_interface_type *out)
{
    static const struct {
        const char *sc;
        netmetrics_interface_type type;
    } map[] = {
        {"IEEE80211", NETMETRICS_IFTYPE_WIFI}, {"WWAN", NETMETRICS_IFTYPE_CELLULAR},
        {"Bond", NETMETRICS_IFTYPE_VIRTUAL},   {"VLAN", NETMETRICS_IFTYPE_VIRTUAL},
        {"Bridge", NETMETRICS_IFTYPE_VIRTUAL}, {"PPP", NETMETRICS_IFTYPE_VIRTUAL},
        {"IPSec", NETMETRICS_IFTYPE_VIRTUAL},  {"L2TP", NETMETRICS_IFTYPE_VIRTUAL},
        {"6to4", NETMETRICS_IFTYPE_VIRTUAL},   {"VPN", NETMETRICS_IFTYPE_VIRTUAL},
        {"PPTP", NETMETRICS_IFTYPE_VIRTUAL},   {"IPv4", NETMETRICS_IFTYPE_VIRTUAL},
        {"Bluetooth", NETMETRICS_IFTYPE_OTHER}, {"FireWire", NETMETRICS_IFTYPE_OTHER},
        {"Modem", NETMETRICS_IFTYPE_OTHER},    {"Serial", NETMETRICS_IFTYPE_OTHER},
        {"IrDA", NETMETRICS_IFTYPE_OTHER},
    };
    size_t i;

    if (!t)
        return 0;
    for (i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(t, map[i].sc) == 0) {
            *out = map[i].type;
            return 1;
        }
    }
    return 0; /* "Ethernet" included: a virtual name may still say otherwise */
}

static int from_ift(int ift, netmetrics_interface_type *out)
{
    switch (ift) {
    case NM_DW_IFT_LOOP: *out = NETMETRICS_IFTYPE_LOOPBACK; return 1;
    case NM_DW_IFT_CELLULAR: *out = NETMETRICS_IFTYPE_CELLULAR; return 1;
    case NM_DW_IFT_GIF:
    case NM_DW_IFT_FAITH:
    case NM_DW_IFT_STF:
    case NM_DW_IFT_L2VLAN:
    case NM_DW_IFT_IEEE8023ADLAG:
    case NM_DW_IFT_BRIDGE:
    case NM_DW_IFT_PPP:
    case NM_DW_IFT_SLIP:
    case NM_DW_IFT_ENC:
    case NM_DW_IFT_PFLOG:
    case NM_DW_IFT_PFSYNC:
    case NM_DW_IFT_PKTAP: *out = NETMETRICS_IFTYPE_VIRTUAL; return 1;
    default: return 0;
    }
}

netmetrics_interface_type nm_dw_classify(const nm_dw_class_input *in)
{
    netmetrics_interface_type t;

    if (in->bsd_flags & 0x8u) /* IFF_LOOPBACK */
        return NETMETRICS_IFTYPE_LOOPBACK;
    if (from_functional(in->functional_type, &t))
        return t;
    if (from_sc(in->sc_type, &t))
        return t;
    if (from_ift(in->ift_type, &t))
        return t;
    /* utun, bridge, ap... are IFT_ETHER or IFT_OTHER and say "wired" */
    if (nm_dw_virtual_name(in->name))
        return NETMETRICS_IFTYPE_VIRTUAL;
    if (in->ift_type == NM_DW_IFT_ETHER || in->functional_type == NM_DW_FUNC_WIRED ||
        (in->sc_type && strcmp(in->sc_type, "Ethernet") == 0))
        return NETMETRICS_IFTYPE_ETHERNET;
    return NETMETRICS_IFTYPE_OTHER;
}

int32_t nm_dw_ift_to_arphrd(int ift)
{
    switch (ift) {
    case NM_DW_IFT_ETHER:
    case NM_DW_IFT_L2VLAN:
    case NM_DW_IFT_IEEE8023ADLAG:
    case NM_DW_IFT_BRIDGE: return 1;      /* ARPHRD_ETHER */
    case NM_DW_IFT_LOOP: return 772;      /* ARPHRD_LOOPBACK */
    case NM_DW_IFT_PPP: return 512;       /* ARPHRD_PPP */
    case NM_DW_IFT_SLIP: return 256;      /* ARPHRD_SLIP */
    case NM_DW_IFT_IEEE1394: return 24;   /* ARPHRD_IEEE1394 */
    case NM_DW_IFT_GIF: return 768;       /* ARPHRD_TUNNEL */
    case NM_DW_IFT_STF: return 776;       /* ARPHRD_SIT: 6to4 */
    default: return -1;
    }
}

int nm_dw_apply_type(struct netmetrics_interface *iface, netmetrics_interface_type type,
                     nm_strstore *strings)
{
    size_t n;

    switch (type) {
    case NETMETRICS_IFTYPE_LOOPBACK:
        iface->flags |= NETMETRICS_FLAG_LOOPBACK;
        break;
    case NETMETRICS_IFTYPE_WIFI:
        iface->wireless_marker = 1;
        iface->devtype = "wlan";
        iface->has_device = 1;
        break;
    case NETMETRICS_IFTYPE_CELLULAR:
        iface->devtype = "wwan";
        iface->has_device = 1;
        break;
    case NETMETRICS_IFTYPE_VIRTUAL:
        /* the name without its unit number is the kind: "utun", "bridge" */
        n = 0;
        while (n + 1 < NM_KIND_SIZE && iface->name[n] &&
               !(iface->name[n] >= '0' && iface->name[n] <= '9'))
            n++;
        iface->kind = n == 0 ? "virtual" : nm_strstore_add(strings, iface->name, n);
        iface->has_device = 0;
        if (!iface->kind) {
            iface->kind = "";
            return -1;
        }
        break;
    case NETMETRICS_IFTYPE_ETHERNET:
        iface->link_type = 1; /* ARPHRD_ETHER */
        iface->has_device = 1;
        break;
    case NETMETRICS_IFTYPE_OTHER:
        if (iface->link_type == 1)
            iface->link_type = -1; /* an Ethernet framing alone must not say Ethernet */
        break;
    }
    return 0;
}

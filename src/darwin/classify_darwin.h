/* SPDX-License-Identifier: MIT */
/* macOS interface classification as a pure function of what the system
 * says about an interface, so the rules are tested on every platform. The
 * sources, strongest first: SIOCGIFFUNCTIONALTYPE (the kernel's own
 * wired / Wi-Fi / AWDL / cellular / loopback answer), SystemConfiguration's
 * interface type string, the IFT_* link type (there is no IFT for Wi-Fi:
 * Wi-Fi reports IFT_ETHER), and last the well-known names of virtual
 * interfaces (utun, awdl, llw, bridge, anpi, ap, gif, stf). en0 is not
 * assumed to be Wi-Fi: an en* interface nothing else describes is
 * Ethernet. */
#ifndef NM_CLASSIFY_DARWIN_H
#define NM_CLASSIFY_DARWIN_H

#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

typedef struct nm_dw_class_input {
    const char *name;       /* interface name */
    uint32_t bsd_flags;     /* IFF_* (IFF_LOOPBACK is 0x8) */
    int functional_type;    /* NM_DW_FUNC_*, or -1 when the ioctl failed */
    int ift_type;           /* IFT_*, or -1 when unknown */
    const char *sc_type;    /* SCNetworkInterfaceGetInterfaceType() string, or NULL */
} nm_dw_class_input;

netmetrics_interface_type nm_dw_classify(const nm_dw_class_input *in);

/* 1 when the functional type alone decides the class (loopback, Wi-Fi,
 * AWDL, cellular, co-processor links); 0 for WIRED (bridges say it too),
 * UNKNOWN, MANAGEMENT, -1 and values not known here, where the weaker
 * sources are asked. */
int nm_dw_functional_decides(int functional_type);

/* 1 when name is one of the well-known virtual prefixes followed only by
 * digits ("utun3", "bridge100", "ap1"; not "apple0" or "utun"). */
int nm_dw_virtual_name(const char *name);

/* Writes a classification into the facts the portable rules read
 * (src/lib/classify.h), so that nm_snapshot_finish's classification of
 * iface yields `type`: Wi-Fi sets the wireless marker, cellular the "wwan"
 * device type, virtual a link kind (the name's letters: "utun", "bridge")
 * and no backing device, Ethernet ARPHRD_ETHER. iface->name and
 * iface->link_type must be set first. The kind is copied into `strings`,
 * the store of iface's snapshot. 0, or -1 when the store cannot grow (the
 * kind is then ""). */
int nm_dw_apply_type(struct netmetrics_interface *iface, netmetrics_interface_type type,
                     nm_strstore *strings);

/* IFT_* -> Linux ARPHRD_* for netmetrics_interface_link_type(), -1 when
 * there is no counterpart. */
int32_t nm_dw_ift_to_arphrd(int ift_type);

#endif

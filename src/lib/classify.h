/* SPDX-License-Identifier: MIT */
/* Interface classification: one pure function from what a platform knows
 * about an interface (flags, link-layer type, link kind, backing device,
 * wireless markers, device type, driver) to netmetrics_interface_type. It is
 * portable: a platform maps its own facts onto nm_classify_input (macOS would
 * set wireless from its functional type) and gets the same rules. */
#ifndef NM_CLASSIFY_H
#define NM_CLASSIFY_H

#include <stdint.h>

#include "netmetrics.h"

/* Linux ARPHRD_* values the rules use (macOS maps IFT_* onto them). */
#define NM_ARPHRD_ETHER 1
#define NM_ARPHRD_RAWIP 519
#define NM_ARPHRD_LOOPBACK 772
#define NM_ARPHRD_NONE 65534

typedef struct nm_classify_input {
    uint32_t flags;      /* NETMETRICS_FLAG_* */
    int32_t link_type;   /* ARPHRD_*, -1 unknown */
    const char *kind;    /* IFLA_INFO_KIND, "" or NULL when none */
    int has_device;      /* backing device: 1 yes, 0 no (virtual), -1 unknown */
    int wireless;        /* wireless/ or phy80211 seen */
    const char *devtype; /* uevent DEVTYPE, "" or NULL when none */
    const char *driver;  /* backing device's driver, "" or NULL when none */
} nm_classify_input;

/* The rules, first match wins:
 *  1. loopback flag or ARPHRD_LOOPBACK                     -> LOOPBACK
 *  2. wireless marker or DEVTYPE "wlan"                     -> WIFI
 *  3. DEVTYPE "wwan", link kind "wwan", or a raw-IP link
 *     (ARPHRD_NONE / ARPHRD_RAWIP) on a cellular modem driver -> CELLULAR
 *  4. any link kind, or no backing device                   -> VIRTUAL
 *  5. ARPHRD_ETHER with a backing device (or where the
 *     platform cannot tell)                                 -> ETHERNET
 *  6. anything else                                         -> OTHER */
netmetrics_interface_type nm_classify(const nm_classify_input *in);

/* 1 when driver is one of the cellular modem drivers that present a raw-IP
 * network interface (qmi_wwan, cdc_mbim, mhi_net, ipa, ...). */
int nm_classify_cellular_driver(const char *driver);

#endif

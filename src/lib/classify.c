/* SPDX-License-Identifier: MIT */
/* The classification rules (see classify.h). Pure: no I/O, no state, so the
 * table-driven unit test can walk every branch. The order of the rules is
 * the design: a Wi-Fi card is also ARPHRD_ETHER with a device, and the wwan
 * framework's links carry a link kind, so the specific tests come before the
 * general ones. */
#include "config.h"

#include <string.h>

#include "classify.h"

static int is(const char *s, const char *word)
{
    return s && strcmp(s, word) == 0;
}

int nm_classify_cellular_driver(const char *driver)
{
    /* Drivers of modems whose network interface carries bare IP packets. */
    static const char *const cellular[] = {"qmi_wwan", "cdc_mbim", "mhi_net", "mhi_wwan_mbim",
                                           "ipa",      "t7xx",     "iosm",    "sierra_net"};
    size_t i;

    if (!driver || !*driver)
        return 0;
    for (i = 0; i < sizeof cellular / sizeof cellular[0]; i++)
        if (strcmp(driver, cellular[i]) == 0)
            return 1;
    return 0;
}

netmetrics_interface_type nm_classify(const nm_classify_input *in)
{
    int has_kind = in->kind && in->kind[0] != '\0';
    int raw_ip = in->link_type == NM_ARPHRD_NONE || in->link_type == NM_ARPHRD_RAWIP;

    if ((in->flags & NETMETRICS_FLAG_LOOPBACK) || in->link_type == NM_ARPHRD_LOOPBACK)
        return NETMETRICS_IFTYPE_LOOPBACK;
    if (in->wireless || is(in->devtype, "wlan"))
        return NETMETRICS_IFTYPE_WIFI;
    if (is(in->devtype, "wwan") || is(in->kind, "wwan") ||
        (raw_ip && in->has_device == 1 && nm_classify_cellular_driver(in->driver)))
        return NETMETRICS_IFTYPE_CELLULAR;
    if (has_kind || in->has_device == 0)
        return NETMETRICS_IFTYPE_VIRTUAL;
    if (in->link_type == NM_ARPHRD_ETHER)
        return NETMETRICS_IFTYPE_ETHERNET;
    return NETMETRICS_IFTYPE_OTHER;
}

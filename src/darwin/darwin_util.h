/* SPDX-License-Identifier: MIT */
/* macOS system-call helpers shared by the sysctl and netstat backends:
 * the sources of classification (the functional-type ioctl and
 * SystemConfiguration's interface types), and the getifaddrs() view of
 * flags and MACs. Compiled on macOS only. */
#ifndef NM_DARWIN_UTIL_H
#define NM_DARWIN_UTIL_H

#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

/* SIOCGIFFUNCTIONALTYPE on `sock` (an AF_INET datagram socket): an
 * NM_DW_FUNC_* value, or -1 when the ioctl is missing or fails. */
int nm_dw_functional_type(int sock, const char *name);

/* What classification asks, kept open by a backend: a datagram socket for
 * the ioctl and SystemConfiguration's type table (sc_types.h). NULL only
 * when out of memory; a source that cannot be opened answers nothing. */
typedef struct nm_dw_classifier nm_dw_classifier;

nm_dw_classifier *nm_dw_classifier_new(void);
void nm_dw_classifier_free(nm_dw_classifier *c);

/* Classifies iface (name, flags, link_type set) from the kernel's functional
 * type, SystemConfiguration's interface type, its IFT_* type and its name
 * (classify_darwin.h), and records the result so the portable rules agree
 * (nm_dw_apply_type, with iface's snapshot's string store). ift is -1 when
 * unknown. 0, or -1 when out of memory. */
int nm_dw_classify_iface(nm_dw_classifier *c, struct netmetrics_interface *iface,
                         uint32_t bsd_flags, int ift, nm_strstore *strings);

/* Per-interface facts from one getifaddrs() call, by name. */
typedef struct nm_dw_ifa {
    char name[NM_IFNAME_SIZE];
    uint32_t bsd_flags;
    int ift;               /* sdl_type, -1 when no AF_LINK entry */
    uint8_t hwaddr_len;
    uint8_t hwaddr[NM_HWADDR_MAX];
} nm_dw_ifa;

/* Fills a malloc'd array (*out, *count); free() it. SYSTEM / NO_MEMORY. */
netmetrics_status nm_dw_ifa_list(nm_dw_ifa **out, size_t *count, netmetrics_error *err);
const nm_dw_ifa *nm_dw_ifa_find(const nm_dw_ifa *list, size_t count, const char *name);

#endif

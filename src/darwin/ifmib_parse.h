/* SPDX-License-Identifier: MIT */
/* A pure reader of struct ifmibdata, the answer of sysctl {CTL_NET,
 * PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, ifindex, IFDATA_GENERAL} on
 * macOS. Its ifmd_data is an if_data64 whose byte counters the kernel does
 * not round or cut to 32 bits (unlike NET_RT_IFLIST2's for unsigned
 * programs), so the sysctl backend takes bytes from here. Portable C on a
 * byte buffer (layout in darwin_layout.h), tested on every platform. */
#ifndef NM_IFMIB_PARSE_H
#define NM_IFMIB_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "ifmsg_parse.h"
#include "netmetrics.h"
#include "snapshot.h"

typedef struct nm_dw_ifmib {
    char name[NM_IFNAME_SIZE]; /* ifmd_name, NUL-terminated */
    uint32_t flags;            /* ifmd_flags: BSD IFF_* */
    uint32_t snd_drops;        /* ifmd_snd_drops */
    nm_dw_ifdata data;         /* ifmd_data */
} nm_dw_ifmib;

/* Reads len bytes. NETMETRICS_ERR_PARSE (err says why) when len is shorter
 * than struct ifmibdata or the name is empty or not NUL-terminated within
 * its 16 bytes. A longer buffer is accepted: a later macOS may grow the
 * structure at its end. */
netmetrics_status nm_dw_ifmib_parse(const void *buf, size_t len, nm_dw_ifmib *out,
                                    netmetrics_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/* A pure walker of the buffer macOS returns for sysctl {CTL_NET, PF_ROUTE,
 * 0, 0, NET_RT_IFLIST2, 0}: a run of routing messages, one RTM_IFINFO2
 * (struct if_msghdr2 + if_data64, then the interface's sockaddr_dl) per
 * interface, each followed by RTM_NEWADDR / RTM_NEWMADDR2 messages for its
 * addresses. Bytes in, one record per interface out through a callback;
 * the layout comes from darwin_layout.h, so this file is portable C, built
 * and unit-tested on every platform. It never reads past the length it is
 * given and never loops on a zero-length message.
 *
 * Known trap (FACTS.md): for programs not signed by Apple the kernel rounds
 * the byte counters of these messages down to 1 KiB and, on recent macOS,
 * cuts them to 32 bits. The backend takes bytes from ifmib_parse instead. */
#ifndef NM_IFMSG_PARSE_H
#define NM_IFMSG_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

/* The fields of one struct if_data64 that netmetrics uses. */
typedef struct nm_dw_ifdata {
    uint8_t type;      /* IFT_* */
    uint8_t addrlen;
    uint32_t mtu;
    uint64_t baudrate; /* bits/s; see nm_dw_baudrate_known */
    uint64_t ipackets, ierrors, opackets, oerrors, collisions;
    uint64_t ibytes, obytes, imcasts, omcasts, iqdrops, noproto;
} nm_dw_ifdata;

/* Reads an if_data64 from p, which must hold NM_DW_IFD_SIZE bytes. */
void nm_dw_ifdata_read(const unsigned char *p, nm_dw_ifdata *out);

/* One RTM_IFINFO2 message. */
typedef struct nm_dw_iflink {
    uint16_t index;
    uint32_t bsd_flags;  /* ifm_flags: BSD IFF_* bits */
    uint32_t snd_drops;  /* ifm_snd_drops: output queue drops */
    nm_dw_ifdata data;
    int have_sdl;        /* a well-formed sockaddr_dl followed the header */
    char name[NM_IFNAME_SIZE];  /* from the sockaddr_dl; "" without one */
    uint8_t hwaddr_len;
    uint8_t hwaddr[NM_HWADDR_MAX];
    size_t offset;       /* of the message in the buffer */
} nm_dw_iflink;

typedef struct nm_dw_ifmsg_summary {
    size_t messages;     /* every message walked */
    size_t links;        /* RTM_IFINFO2 delivered */
    size_t skipped;      /* other types (addresses, multicast), skipped */
    size_t bad_sdl;      /* links whose sockaddr_dl was absent or malformed */
} nm_dw_ifmsg_summary;

/* NETMETRICS_OK continues; anything else stops the walk, which returns it. */
typedef netmetrics_status (*nm_dw_ifmsg_cb)(const nm_dw_iflink *link, void *ctx);

/* Walks len bytes of messages. Returns NETMETRICS_OK, a callback's status,
 * or NETMETRICS_ERR_PARSE (err says where) when a message header is cut
 * short, a message claims fewer than 4 bytes (which would loop forever) or
 * more than remain, or an RTM_IFINFO2 has another version or is shorter
 * than if_msghdr2. Links before the bad message have been delivered; the
 * caller decides whether a partial table is usable (the backend: it is
 * not). A malformed sockaddr_dl costs only the name and MAC (have_sdl 0).
 * `sum` may be NULL. */
netmetrics_status nm_dw_ifmsg_walk(const void *buf, size_t len, nm_dw_ifmsg_cb cb, void *ctx,
                                   nm_dw_ifmsg_summary *sum, netmetrics_error *err);

/* BSD IFF_* -> NETMETRICS_FLAG_*: the low ten bits are the same; the
 * multicast bit moves; OACTIVE, SIMPLEX and LINK0-2 have no equivalent. */
uint32_t nm_dw_flags(uint32_t bsd_flags);

/* 1 when ifi_baudrate is a real speed (not 0 and not 0xFFFFFFFF). */
int nm_dw_baudrate_known(uint64_t baudrate);

/* Copies a link's index, name, MAC, flags, MTU, link type (IFT_* mapped
 * to ARPHRD_*), speed (ifi_baudrate / 8 when known) and counters into iface,
 * setting stats_valid for each counter. operstate is derived from the flags
 * (UP and RUNNING: up; else down): macOS has no RFC 2863 state. RX_BYTES and
 * TX_BYTES are copied too, but they may be rounded: the caller replaces or
 * invalidates them (nm_dw_ifdata_fill_bytes). */
void nm_dw_iflink_fill(const nm_dw_iflink *link, struct netmetrics_interface *iface);

/* Sets RX_BYTES and TX_BYTES from an unrounded if_data64 (ifmibdata). */
void nm_dw_ifdata_fill_bytes(const nm_dw_ifdata *d, struct netmetrics_interface *iface);

#endif

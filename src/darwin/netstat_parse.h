/* SPDX-License-Identifier: MIT */
/* A pure parser of macOS `netstat -ibdn` text, the fallback source of
 * interface counters: bytes in, one row per interface out through a
 * callback. Only `<Link#N>` rows carry an interface's totals; the address
 * rows that repeat them (with `-` for errors) are skipped. Columns are found
 * by their header names (Name Mtu Network Address, then Ipkts Ierrs Ibytes
 * Opkts Oerrs Obytes Coll Drop in whatever order and subset netstat prints),
 * so a netstat without -b or -d still parses. A `*` after a name marks an
 * interface that is down; the MAC column is empty for interfaces without
 * one; `-` reads as 0. netstat cuts names to its column width: such rows
 * are flagged, and the backend takes the real name from the `<Link#N>`
 * index. Portable C, tested on every platform; never reads past `len`. */
#ifndef NM_NETSTAT_PARSE_H
#define NM_NETSTAT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

enum {
    NM_NS_IPKTS = 0,
    NM_NS_IERRS,
    NM_NS_IBYTES,
    NM_NS_OPKTS,
    NM_NS_OERRS,
    NM_NS_OBYTES,
    NM_NS_COLL,
    NM_NS_DROP, /* output queue drops (-d) */
    NM_NS_FIELDS
};

typedef struct nm_netstat_row {
    char name[NM_IFNAME_SIZE]; /* as printed, without the '*' */
    int down;                  /* a '*' followed the name (meaningless when truncated) */
    int maybe_truncated;       /* the printed name filled netstat's name column */
    uint32_t ifindex;          /* N of <Link#N> */
    uint32_t mtu;
    uint8_t hwaddr_len;        /* 0: no MAC column (or not a colon-hex address) */
    uint8_t hwaddr[NM_HWADDR_MAX];
    uint64_t v[NM_NS_FIELDS];
    uint32_t have;             /* bit NM_NS_*: that column is in the header */
    unsigned line;             /* 1-based */
} nm_netstat_row;

typedef struct nm_netstat_summary {
    size_t rows;               /* <Link#N> rows delivered */
    size_t address_rows;       /* other rows under the header, skipped */
    size_t rejected;           /* rows that could not be trusted */
    unsigned first_rejected_line;
    const char *first_rejected_why; /* static text, NULL when none */
} nm_netstat_summary;

typedef netmetrics_status (*nm_netstat_cb)(const nm_netstat_row *row, void *ctx);

/* Parses len bytes (NUL bytes are data). NETMETRICS_ERR_PARSE when no
 * header line (Name Mtu Network Address ... with Ipkts and Opkts) is found;
 * otherwise NETMETRICS_OK or a callback's status. Bad rows are counted in
 * *sum (may be NULL), not fatal. */
netmetrics_status nm_netstat_parse(const char *text, size_t len, nm_netstat_cb cb, void *ctx,
                                   nm_netstat_summary *sum, netmetrics_error *err);

/* Copies a row into iface: ifindex, name, MTU, MAC, flags (UP unless the
 * row said down; the backend refines them) and each counter whose column
 * was present. */
void nm_netstat_fill(const nm_netstat_row *row, struct netmetrics_interface *iface);

#endif

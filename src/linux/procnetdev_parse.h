/* SPDX-License-Identifier: MIT */
/* A pure parser of Linux's /proc/net/dev text: bytes in, one row per
 * interface out through a callback. It never opens a file, never reads past
 * the length it is given and never trusts the text to be NUL-terminated, so
 * it can be fed fixtures, truncated reads and fuzzed input alike. A row it
 * cannot trust (too few numbers, a number over 2^64-1, a name the kernel
 * could not have produced, a last line cut short) is rejected and counted;
 * the other rows are still delivered. */
#ifndef NM_PROCNETDEV_PARSE_H
#define NM_PROCNETDEV_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

/* The 16 columns, in file order. */
enum {
    NM_PND_RX_BYTES = 0,
    NM_PND_RX_PACKETS,
    NM_PND_RX_ERRS,
    NM_PND_RX_DROP,       /* rx_dropped + rx_missed_errors */
    NM_PND_RX_FIFO,
    NM_PND_RX_FRAME,      /* length + over + crc + frame errors */
    NM_PND_RX_COMPRESSED,
    NM_PND_RX_MULTICAST,
    NM_PND_TX_BYTES,
    NM_PND_TX_PACKETS,
    NM_PND_TX_ERRS,
    NM_PND_TX_DROP,
    NM_PND_TX_FIFO,
    NM_PND_TX_COLLS,
    NM_PND_TX_CARRIER,    /* carrier + aborted + window + heartbeat errors */
    NM_PND_TX_COMPRESSED,
    NM_PND_FIELDS
};

typedef struct nm_procnetdev_row {
    char name[NM_IFNAME_SIZE]; /* NUL-terminated, 1..15 bytes */
    uint64_t v[NM_PND_FIELDS];
    unsigned line;             /* 1-based line number in the text */
} nm_procnetdev_row;

/* What a parse saw besides the rows it delivered. */
typedef struct nm_procnetdev_summary {
    size_t rows;               /* rows handed to the callback */
    size_t headers;            /* header lines skipped ('|' and no ':') */
    size_t rejected;           /* lines that were neither */
    unsigned first_rejected_line;     /* 0 when none */
    const char *first_rejected_why;   /* static text, NULL when none */
} nm_procnetdev_summary;

/* Called once per accepted row. NETMETRICS_OK continues; any other status
 * stops the parse, which then returns it. */
typedef netmetrics_status (*nm_procnetdev_cb)(const nm_procnetdev_row *row, void *ctx);

/* Parses len bytes of text (NUL bytes inside are data, not an end). Fills
 * *sum when sum is not NULL. Returns NETMETRICS_OK, or the first non-OK
 * status a callback returned; malformed lines are never an error here, only
 * counted: whether "no row at all" is fatal is the caller's decision. */
netmetrics_status nm_procnetdev_parse(const char *text, size_t len, nm_procnetdev_cb cb,
                                      void *ctx, nm_procnetdev_summary *sum);

/* Copies a row's name and counters into iface, setting the stats_valid bit
 * of each counter it provides (see the .c for the two folded columns that
 * it leaves unset). Other fields of iface are untouched. */
void nm_procnetdev_fill(const nm_procnetdev_row *row, struct netmetrics_interface *iface);

/* The stats_valid mask nm_procnetdev_fill sets. */
uint32_t nm_procnetdev_stats_mask(void);

#endif

/* SPDX-License-Identifier: MIT */
/* Speeds from two snapshots: the counter-delta rules (reset, 32-bit wrap,
 * re-created interface) and the sorted merge that pairs each interface with
 * its previous sample. Everything declared in the first part is pure: no
 * clock reads, no I/O, no allocation, so the exporter and the manager share
 * one set of rules and the tests can drive them with hand-built numbers.
 * The last part is the manager's seam for tests (implemented in manager.c). */
#ifndef NM_RATES_H
#define NM_RATES_H

#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

/* ------------------------------------------------------------ the maths -- */

/* What a delta between two readings of one counter means. */
typedef enum nm_delta_status {
    NM_DELTA_OK = 0,  /* cur >= prev: delta = cur - prev */
    NM_DELTA_WRAPPED, /* 32-bit counter passed 2^32 once: delta = cur + 2^32 - prev */
    NM_DELTA_RESET    /* counter went down: no delta, restart the baseline */
} nm_delta_status;

/* The delta of one counter. A 64-bit counter that goes down was reset
 * (driver reset, interface re-created): we cannot know how much happened
 * since, so there is no delta and *delta is 0. A counter the backend marks
 * as 32-bit that goes down while both readings are below 2^32 wrapped once;
 * a "32-bit" reading at or above 2^32 cannot be a wrap, so it is a reset. A
 * 32-bit reset is indistinguishable from a wrap: it is reported as one. */
nm_delta_status nm_counter_delta(uint64_t prev, uint64_t cur, int counter_32bit, uint64_t *delta);

/* Per-second rate of one counter over interval_ns nanoseconds. Returns
 * NETMETRICS_OK and *rate >= 0, or NETMETRICS_ERR_NOT_AVAILABLE (and
 * *rate = 0) when the interval is 0 or the counter was reset. */
netmetrics_status nm_counter_rate(uint64_t prev, uint64_t cur, uint64_t interval_ns,
                                  int counter_32bit, double *rate);

/* The four rates the seed's API reports, as indexes into nm_rates.value. */
typedef enum nm_rate_kind {
    NM_RATE_RX_BYTES = 0, /* download speed, bytes/s */
    NM_RATE_TX_BYTES,     /* upload speed, bytes/s */
    NM_RATE_RX_PACKETS,   /* packets/s received */
    NM_RATE_TX_PACKETS,   /* packets/s sent */
    NM_RATE_COUNT
} nm_rate_kind;

typedef struct nm_rates {
    unsigned valid;               /* bit k set: value[k] is a rate */
    double value[NM_RATE_COUNT];  /* per second; 0 when the bit is clear */
} nm_rates;

/* Counter behind each rate (NETMETRICS_STAT_RX_BYTES, ...). */
netmetrics_stat nm_rate_stat(nm_rate_kind kind);

/* Rates of one interface between two samples interval_ns apart. No rate at
 * all (valid == 0) when:
 *  - prev is NULL (first sample of this interface);
 *  - interval_ns is 0;
 *  - prev and cur differ in ifindex or name (re-created or renamed: a new
 *    ifindex behind a name is a new interface with new counters, and an
 *    ifindex the kernel handed to another interface is no baseline either),
 *    or in counter width (the backend changed);
 *  - any of the four counters of a 64-bit interface went down: a reset
 *    touches every counter, so the others are no baseline either.
 * Otherwise each rate whose counter both samples provide is valid. */
void nm_interface_rates(const struct netmetrics_interface *prev,
                        const struct netmetrics_interface *cur, uint64_t interval_ns,
                        nm_rates *out);

/* Rates of every interface of cur against prev: out[i] for cur's i-th
 * interface (out has netmetrics_snapshot_count(cur) entries). Both
 * snapshots must be sorted by ifindex, as nm_snapshot_finish leaves them:
 * they are paired by one merge pass, linear in the two counts. prev may be
 * NULL (first sample). The interval is cur->time_ns - prev->time_ns; when
 * cur is not later than prev, nothing is valid. Interfaces only in prev
 * (gone) are ignored; interfaces only in cur (new) get no rate. */
void nm_snapshot_rates(const netmetrics_snapshot *prev, const netmetrics_snapshot *cur,
                       nm_rates *out);

/* ------------------------------------------------- a compact baseline -- */

/* What nm_interface_rates reads of an earlier sample, for a holder of
 * speeds that keeps only this of the previous collection (some 60 bytes an
 * interface instead of the whole record). */
typedef struct nm_rate_base_entry {
    int32_t ifindex;
    uint32_t stats_valid; /* snapshot stat bits, of the rate counters only */
    uint8_t counters_32bit;
    char name[NM_IFNAME_SIZE];
    uint64_t stat[NM_RATE_COUNT];
} nm_rate_base_entry;

typedef struct nm_rate_base {
    nm_rate_base_entry *e; /* sorted by ifindex, as the snapshot was */
    size_t count, cap;
    uint64_t time_ns;
} nm_rate_base;

void nm_rate_base_init(nm_rate_base *b);
void nm_rate_base_free(nm_rate_base *b);

/* Makes b the baseline of a finished snapshot. 0, or -1 when out of memory
 * (b is then empty: no baseline). */
int nm_rate_base_take(nm_rate_base *b, const netmetrics_snapshot *snap);

/* nm_snapshot_rates with b as the earlier sample (empty: none). */
void nm_rate_base_rates(const nm_rate_base *b, const netmetrics_snapshot *cur, nm_rates *out);

/* ------------------------------------------------------------- totals -- */

/* The type the manager gives an interface (manager.c; the classification
 * issue refines it). Pure: reads only the interface. */
netmetrics_interface_type nm_interface_type(const struct netmetrics_interface *raw);

/* The totals rule (netmetrics.h, "Totals"), one function for the manager
 * and the exporter: 1 when an interface of `type` counts in the totals on a
 * machine that has (have_physical) or has not a physical interface. */
int nm_totals_include(netmetrics_interface_type type, int have_physical);

/* Total download and upload bytes/s of cur under the totals rule: the sum
 * of the valid RX/TX byte rates (rates[i] belongs to cur's i-th interface)
 * of the interfaces that count. 0 when none counts. */
void nm_rates_totals(const netmetrics_snapshot *cur, const nm_rates *rates, double *down,
                     double *up);

/* ---------------------------------------------- manager seam for tests -- */

/* Where a manager's snapshots come from: fills snap (already reset) and
 * finishes it, or fails like netmetrics_collector_collect. Called with the
 * manager's update lock held, so calls never overlap. */
typedef netmetrics_status (*nm_snapshot_source)(void *ctx, netmetrics_snapshot *snap,
                                                netmetrics_error *err);

/* A manager that reads its snapshots from `source` instead of a collector:
 * the tests drive update(), the views and the monitor with hand-built
 * snapshots through it. */
netmetrics_status nm_manager_new_with_source(nm_snapshot_source source, void *ctx,
                                             netmetrics_manager **out, netmetrics_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/* Rate maths: counter deltas and per-second rates between two snapshots.
 * Pure by design: the caller supplies both samples and their times, so the
 * rules (reset, wrap, re-created interface) are tested on plain numbers and
 * the same code serves the manager and the exporter. Never read a clock or
 * a file here, and never produce a negative rate. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define NM_2POW32 ((uint64_t)1 << 32)

nm_delta_status nm_counter_delta(uint64_t prev, uint64_t cur, int counter_32bit, uint64_t *delta)
{
    if (cur >= prev) {
        *delta = cur - prev;
        return NM_DELTA_OK;
    }
    if (counter_32bit && prev < NM_2POW32 && cur < NM_2POW32) {
        /* both below 2^32, so the sum cannot overflow 64 bits */
        *delta = cur + NM_2POW32 - prev;
        return NM_DELTA_WRAPPED;
    }
    *delta = 0;
    return NM_DELTA_RESET;
}

/* delta over interval, per second. Multiplying first keeps the precision of
 * small deltas; doubles hold any uint64 delta to within 2^-53 relative. */
static double per_second(uint64_t delta, uint64_t interval_ns)
{
    return (double)delta * 1e9 / (double)interval_ns;
}

netmetrics_status nm_counter_rate(uint64_t prev, uint64_t cur, uint64_t interval_ns,
                                  int counter_32bit, double *rate)
{
    uint64_t delta;

    *rate = 0.0;
    if (interval_ns == 0)
        return NETMETRICS_ERR_NOT_AVAILABLE;
    if (nm_counter_delta(prev, cur, counter_32bit, &delta) == NM_DELTA_RESET)
        return NETMETRICS_ERR_NOT_AVAILABLE;
    *rate = per_second(delta, interval_ns);
    return NETMETRICS_OK;
}

static const netmetrics_stat rate_stat[NM_RATE_COUNT] = {
    [NM_RATE_RX_BYTES] = NETMETRICS_STAT_RX_BYTES,
    [NM_RATE_TX_BYTES] = NETMETRICS_STAT_TX_BYTES,
    [NM_RATE_RX_PACKETS] = NETMETRICS_STAT_RX_PACKETS,
    [NM_RATE_TX_PACKETS] = NETMETRICS_STAT_TX_PACKETS,
};

netmetrics_stat nm_rate_stat(nm_rate_kind kind)
{
    return (unsigned)kind < NM_RATE_COUNT ? rate_stat[kind] : NETMETRICS_STAT_COUNT;
}

static void clear_rates(nm_rates *out)
{
    int k;

    out->valid = 0;
    for (k = 0; k < NM_RATE_COUNT; k++)
        out->value[k] = 0.0;
}

void nm_interface_rates(const struct netmetrics_interface *prev,
                        const struct netmetrics_interface *cur, uint64_t interval_ns,
                        nm_rates *out)
{
    uint64_t delta[NM_RATE_COUNT];
    unsigned have = 0;
    int k, wide;

    clear_rates(out);
    if (!prev || !cur || interval_ns == 0)
        return;
    if (prev->ifindex != cur->ifindex ||
        strncmp(prev->name, cur->name, sizeof cur->name) != 0 ||
        !prev->counters_32bit != !cur->counters_32bit)
        return;
    wide = !cur->counters_32bit;

    /* First pass: every delta, so one reset voids the whole interface. */
    for (k = 0; k < NM_RATE_COUNT; k++) {
        uint32_t bit = 1u << rate_stat[k];

        if (!(prev->stats_valid & bit) || !(cur->stats_valid & bit))
            continue;
        if (nm_counter_delta(prev->stats[rate_stat[k]], cur->stats[rate_stat[k]], !wide,
                             &delta[k]) == NM_DELTA_RESET)
            return;
        have |= 1u << k;
    }
    for (k = 0; k < NM_RATE_COUNT; k++) {
        if (have & (1u << k))
            out->value[k] = per_second(delta[k], interval_ns);
    }
    out->valid = have;
}

void nm_snapshot_rates(const netmetrics_snapshot *prev, const netmetrics_snapshot *cur,
                       nm_rates *out)
{
    uint64_t interval = 0;
    size_t i, j = 0;

    if (!cur)
        return;
    if (prev && cur->time_ns > prev->time_ns)
        interval = cur->time_ns - prev->time_ns;
    for (i = 0; i < cur->count; i++) {
        const struct netmetrics_interface *now = &cur->ifaces[i];
        const struct netmetrics_interface *before = NULL;

        /* Both tables ascend by ifindex: advance prev past smaller indexes
         * (interfaces that are gone) and pair on equality. */
        if (interval) {
            while (j < prev->count && prev->ifaces[j].ifindex < now->ifindex)
                j++;
            if (j < prev->count && prev->ifaces[j].ifindex == now->ifindex)
                before = &prev->ifaces[j];
        }
        nm_interface_rates(before, now, interval, &out[i]);
    }
}

void nm_rate_base_init(nm_rate_base *b)
{
    b->e = NULL;
    b->count = b->cap = 0;
    b->time_ns = 0;
}

void nm_rate_base_free(nm_rate_base *b)
{
    free(b->e);
    nm_rate_base_init(b);
}

int nm_rate_base_take(nm_rate_base *b, const netmetrics_snapshot *snap)
{
    size_t i;
    int k;

    b->count = 0;
    if (snap->count > b->cap) {
        nm_rate_base_entry *e = realloc(b->e, snap->count * sizeof *e);

        if (!e)
            return -1;
        b->e = e;
        b->cap = snap->count;
    }
    for (i = 0; i < snap->count; i++) {
        const struct netmetrics_interface *it = &snap->ifaces[i];
        nm_rate_base_entry *e = &b->e[i];

        e->ifindex = it->ifindex;
        e->counters_32bit = it->counters_32bit;
        memcpy(e->name, it->name, sizeof e->name);
        e->stats_valid = 0;
        for (k = 0; k < NM_RATE_COUNT; k++) {
            uint32_t bit = 1u << rate_stat[k];

            e->stats_valid |= it->stats_valid & bit;
            e->stat[k] = it->stats[rate_stat[k]];
        }
    }
    b->count = snap->count;
    b->time_ns = snap->time_ns;
    return 0;
}

void nm_rate_base_rates(const nm_rate_base *b, const netmetrics_snapshot *cur, nm_rates *out)
{
    /* the earlier interface as nm_interface_rates reads it */
    struct netmetrics_interface before;
    uint64_t interval = 0;
    size_t i, j = 0;
    int k;

    if (!cur)
        return;
    memset(&before, 0, sizeof before);
    if (b->count && cur->time_ns > b->time_ns)
        interval = cur->time_ns - b->time_ns;
    for (i = 0; i < cur->count; i++) {
        const struct netmetrics_interface *now = &cur->ifaces[i];
        const nm_rate_base_entry *e = NULL;

        /* the same merge as nm_snapshot_rates */
        if (interval) {
            while (j < b->count && b->e[j].ifindex < now->ifindex)
                j++;
            if (j < b->count && b->e[j].ifindex == now->ifindex)
                e = &b->e[j];
        }
        if (!e) {
            nm_interface_rates(NULL, now, interval, &out[i]);
            continue;
        }
        before.ifindex = e->ifindex;
        before.counters_32bit = e->counters_32bit;
        before.stats_valid = e->stats_valid;
        memcpy(before.name, e->name, sizeof before.name);
        for (k = 0; k < NM_RATE_COUNT; k++)
            before.stats[rate_stat[k]] = e->stat[k];
        nm_interface_rates(&before, now, interval, &out[i]);
    }
}

/* Loopback never leaves the host. On a host, traffic through a bridge and
 * its veths would be counted two or three times on its way to the physical
 * NIC; inside a container, whose only way out is a veth, that veth is the
 * machine's traffic and counts. */
int nm_totals_include(netmetrics_interface_type type, int have_physical)
{
    if (type == NETMETRICS_IFTYPE_LOOPBACK)
        return 0;
    return type != NETMETRICS_IFTYPE_VIRTUAL || !have_physical;
}

void nm_rates_totals(const netmetrics_snapshot *cur, const nm_rates *rates, double *down,
                     double *up)
{
    int have_physical = 0;
    size_t i;

    *down = 0.0;
    *up = 0.0;
    if (!cur || !rates)
        return;
    for (i = 0; i < cur->count; i++) {
        netmetrics_interface_type t = nm_interface_type(&cur->ifaces[i]);

        have_physical |= t != NETMETRICS_IFTYPE_LOOPBACK && t != NETMETRICS_IFTYPE_VIRTUAL;
    }
    for (i = 0; i < cur->count; i++) {
        if (!nm_totals_include(nm_interface_type(&cur->ifaces[i]), have_physical))
            continue;
        if (rates[i].valid & (1u << NM_RATE_RX_BYTES))
            *down += rates[i].value[NM_RATE_RX_BYTES];
        if (rates[i].valid & (1u << NM_RATE_TX_BYTES))
            *up += rates[i].value[NM_RATE_TX_BYTES];
    }
}

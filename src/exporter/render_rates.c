/* SPDX-License-Identifier: MIT */
/* Speed gauges. The numbers come from nm_snapshot_rates (rates.c), the same
 * maths the library's manager uses, and the totals from nm_rates_totals, so
 * the exporter and `netmetrics` cannot disagree on what counts. This file
 * only decides which series exist and how they are described; it computes
 * nothing and must never emit a rate it was not given (a missing rate is an
 * absent series, never a 0). */
#include "config.h"

#include <string.h>

#include "render_rates.h"

static const struct {
    nm_rate_kind kind;
    const char *name;
    const char *help;
} rate_defs[] = {
    {NM_RATE_RX_BYTES, "netmetrics_receive_bytes_per_second",
     "Download speed: rx_bytes delta between this scrape's interface snapshot and the "
     "previous one, divided by the monotonic-clock time between them, in bytes per second. "
     "Scrapes within --collector.speed.min-interval of the last computation show its speeds."},
    {NM_RATE_TX_BYTES, "netmetrics_transmit_bytes_per_second",
     "Upload speed: tx_bytes delta between this scrape's interface snapshot and the "
     "previous one, divided by the monotonic-clock time between them, in bytes per second. "
     "Scrapes within --collector.speed.min-interval of the last computation show its speeds."},
    {NM_RATE_RX_PACKETS, "netmetrics_receive_packets_per_second",
     "rx_packets delta between this scrape's interface snapshot and the previous one, "
     "divided by the monotonic-clock time between them, in packets per second."},
    {NM_RATE_TX_PACKETS, "netmetrics_transmit_packets_per_second",
     "tx_packets delta between this scrape's interface snapshot and the previous one, "
     "divided by the monotonic-clock time between them, in packets per second."},
};

static void row_rate(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const nm_rate_kind kind = *(const nm_rate_kind *)arg;

    if (src->rates[i].valid & (1u << kind))
        nm_expfmt_sample_double_pre(w, nm_devlabels_get(src->dl, i), NULL, 0,
                                    src->rates[i].value[kind]);
}

static void block_totals(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    double down, up;

    (void)arg;
    (void)i;
    nm_rates_totals(src->snap, src->rates, &down, &up);
    nm_expfmt_family(w, "netmetrics_total_receive_bytes_per_second", NM_METRIC_GAUGE,
                     "Sum of netmetrics_receive_bytes_per_second over the interfaces that "
                     "count: never loopback; virtual interfaces (veth, bridge, tun, ...) only "
                     "when the machine has no physical one, so traffic is not counted twice.");
    nm_expfmt_sample_double(w, NULL, 0, down);
    nm_expfmt_family(w, "netmetrics_total_transmit_bytes_per_second", NM_METRIC_GAUGE,
                     "Sum of netmetrics_transmit_bytes_per_second over the interfaces that "
                     "count: never loopback; virtual interfaces (veth, bridge, tun, ...) only "
                     "when the machine has no physical one, so traffic is not counted twice.");
    nm_expfmt_sample_double(w, NULL, 0, up);
}

size_t nm_render_rates_sections(nm_section *out, const nm_rates *rates)
{
    size_t d;

    if (!rates)
        return 0;
    for (d = 0; d < sizeof rate_defs / sizeof rate_defs[0]; d++)
        nm_section_set(&out[d], rate_defs[d].name, NM_METRIC_GAUGE, rate_defs[d].help, row_rate,
                       &rate_defs[d].kind);
    nm_section_block(&out[d++], block_totals, NULL);
    return d;
}

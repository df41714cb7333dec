/* SPDX-License-Identifier: MIT */
/* Rendering the process_* families from what procself.c read. Names,
 * types and units are the client libraries' (process_cpu_seconds_total is
 * a counter; the rest are gauges), so a family with no value this time is
 * left out rather than written as 0. */
#include "config.h"

#include "render_process.h"

static void gauge_u64(nm_expfmt *w, const char *name, const char *help, uint64_t v)
{
    nm_expfmt_family(w, name, NM_METRIC_GAUGE, help);
    nm_expfmt_sample_u64(w, NULL, 0, v);
}

void nm_render_process(nm_expfmt *w, const nm_process_metrics *m)
{
    if (!m)
        return;
    if (m->have_cpu) {
        nm_expfmt_family(w, "process_cpu_seconds_total", NM_METRIC_COUNTER,
                         "User and system CPU time the exporter has used, in seconds.");
        nm_expfmt_sample_double(w, NULL, 0, m->cpu_seconds);
    }
    if (m->have_open_fds)
        gauge_u64(w, "process_open_fds", "File descriptors the exporter has open.",
                  m->open_fds);
    if (m->have_max_fds)
        gauge_u64(w, "process_max_fds",
                  "Most file descriptors the exporter may open (RLIMIT_NOFILE, soft).",
                  m->max_fds);
    if (m->have_memory) {
        gauge_u64(w, "process_virtual_memory_bytes",
                  "Virtual memory size of the exporter, in bytes.", m->virtual_bytes);
        gauge_u64(w, "process_resident_memory_bytes",
                  "Resident memory size of the exporter, in bytes.", m->resident_bytes);
    }
    if (m->have_start_time) {
        nm_expfmt_family(w, "process_start_time_seconds", NM_METRIC_GAUGE,
                         "Start time of the exporter, in seconds since the Unix epoch.");
        nm_expfmt_sample_double(w, NULL, 0, m->start_time_seconds);
    }
}

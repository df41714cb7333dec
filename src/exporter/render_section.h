/* SPDX-License-Identifier: MIT */
/* A section of the exposition: one metric family written one interface at
 * a time, or a self-contained block (self metrics, connections) written in
 * one go. The renderer (render.c) lays a scrape out as a list of sections
 * and can stop after any row and resume later, which is what lets a
 * response be streamed in small pieces instead of rendered whole: at a
 * thousand interfaces the whole text is megabytes, a row is a few lines. */
#ifndef NM_RENDER_SECTION_H
#define NM_RENDER_SECTION_H

#include <stddef.h>

#include "expfmt.h"
#include "netmetrics.h"
#include "rates.h"
#include "render_devices.h"

/* What rows read: the interfaces, their device labels, their speeds. */
typedef struct nm_render_src {
    const netmetrics_snapshot *snap;
    const nm_devlabels *dl;
    const nm_rates *rates; /* NULL when there are no speeds */
} nm_render_src;

/* Writes row i: the samples of the i-th interface for a per-interface
 * section, or everything (i == 0) for a block. arg is the section's. */
typedef void (*nm_render_row_fn)(nm_expfmt *w, const nm_render_src *src, const void *arg,
                                 size_t i);

typedef struct nm_section {
    /* The family the rows' samples belong to, started before row 0; NULL
     * for a block, whose row starts its own families. */
    const char *name;
    nm_metric_type type;
    const char *help;
    nm_render_row_fn row;
    const void *arg;
    int per_iface; /* 1: one row per interface; 0: a block of one row */
} nm_section;

/* A per-interface section. */
static inline void nm_section_set(nm_section *s, const char *name, nm_metric_type type,
                                  const char *help, nm_render_row_fn row, const void *arg)
{
    s->name = name;
    s->type = type;
    s->help = help;
    s->row = row;
    s->arg = arg;
    s->per_iface = 1;
}

/* A block: row(w, src, arg, 0) writes its own families. */
static inline void nm_section_block(nm_section *s, nm_render_row_fn row, const void *arg)
{
    nm_section_set(s, NULL, NM_METRIC_GAUGE, NULL, row, arg);
    s->per_iface = 0;
}

/* Most sections a scrape has (every collector on, with SSID). */
#define NM_SECTIONS_MAX 64

#endif

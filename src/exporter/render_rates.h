/* SPDX-License-Identifier: MIT */
/* The speed families: per-interface bytes/s and packets/s and the totals,
 * computed by the scraper (scrape.c) against its previous snapshot and
 * written here. Kept apart from render.c so the rate rules and their HELP
 * text live next to each other. */
#ifndef NM_RENDER_RATES_H
#define NM_RENDER_RATES_H

#include <stddef.h>

#include "expfmt.h"
#include "netmetrics.h"
#include "rates.h"
#include "render_devices.h"

/* Writes the six speed families for the first n interfaces of snap, with
 * rates[i] for the i-th and its device label from dl. rates NULL (fewer than two snapshots, or a failed
 * collection) writes nothing at all: no family, no HELP. A per-interface
 * series is absent when that interface's rate is not available (new,
 * re-created, or its counters were reset); the totals follow the totals
 * rule of rates.h and are always present when rates is not NULL. */
void nm_render_rates(nm_expfmt *w, const netmetrics_snapshot *snap, size_t n,
                     const nm_devlabels *dl, const nm_rates *rates);

#endif

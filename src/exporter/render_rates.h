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
#include "render_section.h"

/* Appends the sections of the six speed families to out (room for
 * NM_RENDER_RATES_SECTIONS) and returns how many: rates[i] is the i-th
 * interface's. rates NULL (fewer than two snapshots, or a failed
 * collection) adds none: no family, no HELP. A per-interface series is
 * absent when that interface's rate is not available (new, re-created, or
 * its counters were reset); the totals follow the totals rule of rates.h
 * and are always present when rates is not NULL. */
#define NM_RENDER_RATES_SECTIONS 5
size_t nm_render_rates_sections(nm_section *out, const nm_rates *rates);

#endif

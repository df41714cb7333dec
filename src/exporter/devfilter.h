/* SPDX-License-Identifier: MIT */
/* Which interfaces a scrape covers: --collector.device-include,
 * --collector.device-exclude and --collector.type-exclude. The scraper
 * applies the filter to each fresh snapshot right after collection, before
 * speeds are computed, so an interface filtered out costs nothing later and
 * appears in no family at all (totals, info and addresses included).
 *
 * The regular expressions follow node_exporter's device filter: unanchored
 * (a match anywhere in the name counts; anchor with ^ and $), an empty one
 * means no filter, include and exclude are mutually exclusive. Their syntax
 * is POSIX extended (regcomp REG_EXTENDED), matched on the name's bytes. */
#ifndef NM_DEVFILTER_H
#define NM_DEVFILTER_H

#include <stddef.h>

#include "netmetrics.h"

/* Longest pattern accepted, in bytes. */
#define NM_DEVFILTER_PATTERN_MAX 1024
/* Most atoms a pattern may expand to once its counted repetitions ({m,n})
 * are multiplied out. regcomp expands them eagerly: ((a{1000}){1000}){100}
 * made glibc take 20 GB and more than two minutes. Names are 15 bytes. */
#define NM_DEVFILTER_EXPANSION_MAX 4096

typedef struct nm_devfilter nm_devfilter;

typedef struct nm_devfilter_spec {
    const char *include;   /* keep only names it matches; NULL or "": no such filter */
    const char *exclude;   /* drop names it matches; NULL or "": no such filter */
    unsigned type_exclude; /* drop these types: bits 1u << netmetrics_interface_type */
} nm_devfilter_spec;

/* Checks that pattern is a regular expression the filter accepts: at most
 * NM_DEVFILTER_PATTERN_MAX bytes, POSIX extended syntax, no Perl/RE2
 * escape that POSIX lacks (\d would silently match the letter d), counted
 * repetitions within NM_DEVFILTER_EXPANSION_MAX. Returns 0, or -1 with the
 * reason in why (whysize bytes, one line). Pure. */
int nm_devfilter_check_regex(const char *pattern, char *why, size_t whysize);

/* Parses a comma-separated list of interface type names (ethernet, wifi,
 * loopback, virtual, cellular, other; any case, blanks around an item
 * ignored) into *mask (bits 1u << netmetrics_interface_type). "" is the
 * empty set. Returns 0, or -1 with the reason in why (an unknown or empty
 * item). */
int nm_devfilter_parse_types(const char *list, unsigned *mask, char *why, size_t whysize);

/* Compiles spec. *out is NULL when spec filters nothing (no work at all per
 * scrape). Errors: INVALID (a bad pattern, both include and exclude, a type
 * bit out of range) with the reason naming the flag, NO_MEMORY. */
netmetrics_status nm_devfilter_new(const nm_devfilter_spec *spec, nm_devfilter **out,
                                   netmetrics_error *err);
void nm_devfilter_free(nm_devfilter *f);

/* 1 when an interface named name (NUL-terminated) of that type passes the
 * filter, else 0. A NULL filter keeps everything. */
int nm_devfilter_keeps(const nm_devfilter *f, const char *name, netmetrics_interface_type type);

/* Drops from snap, in place and keeping order, every interface the filter
 * does not keep. Returns the number left. A NULL filter changes nothing. */
size_t nm_devfilter_apply(const nm_devfilter *f, netmetrics_snapshot *snap);

#endif

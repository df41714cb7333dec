/* SPDX-License-Identifier: MIT */
/* HTTP content negotiation for the metrics endpoint: which exposition
 * format an Accept header asks for, and whether Accept-Encoding allows
 * gzip. Pure functions over the header bytes (no MHD, no allocation), so
 * every header a scraper, a browser or an attacker may send is unit-tested
 * and fuzzed without a server. */
#ifndef NM_ACCEPT_H
#define NM_ACCEPT_H

#include <stddef.h>

#include "expfmt.h"

/* A q-value in thousandths (0..1000) for "0", "0.5", "1.000", ...; -1 when
 * the text is not a valid RFC 9110 weight (more than three decimals, above
 * 1, signs, spaces). */
int nm_accept_parse_q(const char *s, size_t len);

/* The format to answer an Accept header with: NM_FORMAT_OPENMETRICS when
 * application/openmetrics-text (version 1.0.0 or no version) is offered
 * explicitly with q > 0 and at least the q text/plain gets (wildcards
 * included); NM_FORMAT_TEXT otherwise, including for an absent (NULL),
 * empty or unparsable header. Malformed list elements are ignored. */
nm_format nm_accept_format(const char *hdr, size_t len);

/* 1 when an Accept-Encoding header allows gzip (gzip or x-gzip with q > 0,
 * or, when neither is listed, "*" with q > 0); 0 otherwise, and for NULL. */
int nm_accept_encoding_gzip(const char *hdr, size_t len);

#endif

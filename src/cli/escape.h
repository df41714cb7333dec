/* SPDX-License-Identifier: MIT */
/* Interface names as text and as JSON strings. A Linux interface name is
 * any bytes but NUL, '/' and white space, not necessarily UTF-8, while JSON
 * must be UTF-8 and a terminal must not receive control bytes. Both writers
 * follow the exporter's label convention (README, "Metrics"): a byte that
 * is not part of well-formed UTF-8 becomes the four characters \xNN, and a
 * backslash that would read as such an escape becomes \x5c, so two
 * different names never print the same. */
#ifndef NM_CLI_ESCAPE_H
#define NM_CLI_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

/* Appends s (len bytes) as a JSON string, quotes included: '"' and '\\'
 * escaped, control characters as \u00XX, ill-formed UTF-8 bytes as the
 * text \xNN (written \\xNN in the JSON source). Returns 0 or -1 (out of
 * memory; b->failed is set). */
int nm_cli_json_string(nm_strbuf *b, const char *s, size_t len);

/* Appends s for a terminal: the text a JSON parser would read from
 * nm_cli_json_string, except that control characters are shown as \xNN
 * too. Returns 0 or -1. */
int nm_cli_text_string(nm_strbuf *b, const char *s, size_t len);

#endif

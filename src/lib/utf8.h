/* SPDX-License-Identifier: MIT */
/* UTF-8 well-formedness, shared by every writer that must emit valid UTF-8
 * from names that may hold any bytes (exposition labels, JSON, the CLI's
 * text): one definition, so the three cannot disagree on what is escaped. */
#ifndef NM_UTF8_H
#define NM_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence starting at s (Unicode table
 * 3-7), or 0 when s[0] does not start one or n is too short. Never reads
 * past s[n - 1]; n == 0 gives 0. */
size_t nm_utf8_seq_len(const unsigned char *s, size_t n);

/* 1 for an ASCII hex digit (either case). Used by the \xNN rule: a literal
 * backslash followed by "x" and two of these is written \x5c. */
int nm_is_hex_digit(unsigned char c);

/* Value of an ASCII hex digit (either case), or -1 for any other byte. */
int nm_hex_value(char c);

#endif

/* SPDX-License-Identifier: MIT */
/* Helpers shared by the libFuzzer targets in tests/fuzz/: the checks that
 * turn "did not crash" into "produced something valid". A failed check
 * calls nm_fuzz_fail, which aborts so libFuzzer saves the input as a crash
 * artifact; that is the one place in the tree where aborting is right. */
#ifndef NM_FUZZ_COMMON_H
#define NM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

/* Prints what went wrong and aborts (libFuzzer reports a crash). */
void nm_fuzz_fail(const char *what);

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF), else 0. */
int nm_fuzz_utf8_valid(const unsigned char *s, size_t len);

/* Checks the invariants every backend's snapshot must keep (names
 * NUL-terminated and non-empty, hardware address length in range,
 * interfaces sorted by ifindex without duplicates after finish), then
 * renders it in both exposition formats and checks the text: valid UTF-8,
 * no NUL byte, every line a comment or a sample, ending in a newline. */
void nm_fuzz_check_snapshot(const netmetrics_snapshot *snap);

#endif

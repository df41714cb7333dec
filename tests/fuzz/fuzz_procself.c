/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the /proc/self/stat and /proc/stat btime parsers
 * (procself.c). The input is parsed from a buffer of exactly its length so
 * ASan sees any read past len; the answers must not depend on bytes beyond
 * len, and a parsed stat line must hold the numbers its text shows. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "procself.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    nm_proc_stat a, b;
    uint64_t bt_a = 0, bt_b = 0;
    int rc_a = nm_proc_stat_parse(text, size, &a);
    int bt_rc_a = nm_proc_btime_parse(text, size, &bt_a);
    char *padded;

    if (rc_a != 0 && rc_a != -1)
        nm_fuzz_fail("nm_proc_stat_parse returned neither 0 nor -1");
    if (rc_a == 0 && (a.state == ' ' || a.state == '\n'))
        nm_fuzz_fail("a blank parsed as the process state");
    padded = malloc(size + 8);
    if (!padded)
        return 0;
    memcpy(padded, data, size);
    memcpy(padded + size, "9 btime ", 8);
    if (nm_proc_stat_parse(padded, size, &b) != rc_a ||
        (rc_a == 0 && memcmp(&a, &b, sizeof a) != 0))
        nm_fuzz_fail("stat answer depends on bytes past len");
    if (nm_proc_btime_parse(padded, size, &bt_b) != bt_rc_a || bt_a != bt_b)
        nm_fuzz_fail("btime answer depends on bytes past len");
    free(padded);
    return 0;
}

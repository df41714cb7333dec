/* SPDX-License-Identifier: MIT */
/* libFuzzer target: Accept and Accept-Encoding negotiation (accept.c). The
 * input is any header bytes, parsed from a buffer of exactly their length
 * so ASan sees any read past len. Besides not crashing, the answers must be
 * one of the defined values and must not depend on bytes beyond len. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "accept.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *hdr = (const char *)data;
    nm_format fmt = nm_accept_format(hdr, size);
    int gz = nm_accept_encoding_gzip(hdr, size);
    char *padded;

    if (fmt != NM_FORMAT_TEXT && fmt != NM_FORMAT_OPENMETRICS)
        nm_fuzz_fail("nm_accept_format returned an unknown format");
    if (gz != 0 && gz != 1)
        nm_fuzz_fail("nm_accept_encoding_gzip returned neither 0 nor 1");
    (void)nm_accept_parse_q(hdr, size);
    /* The same bytes followed by more: the answer must not change. */
    padded = malloc(size + 8);
    if (!padded)
        return 0;
    memcpy(padded, data, size);
    memcpy(padded + size, ",*/*gzip", 8);
    if (nm_accept_format(padded, size) != fmt || nm_accept_encoding_gzip(padded, size) != gz)
        nm_fuzz_fail("answer depends on bytes past len");
    free(padded);
    return 0;
}

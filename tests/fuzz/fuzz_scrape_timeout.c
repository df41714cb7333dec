/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the X-Prometheus-Scrape-Timeout-Seconds parser and the
 * budget rule (scrape_timeout.c). The input is any header bytes, parsed
 * from a buffer of exactly their length so ASan sees any read past len.
 * An accepted value is positive and at most the clamp, does not depend on
 * bytes past len, and its budget lies between half of it and all of it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "scrape_timeout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    uint64_t ns = 0, again = 0, budget;
    int rc = nm_scrape_timeout_parse(text, size, &ns);
    char *padded;

    if (rc != 0 && rc != -1)
        nm_fuzz_fail("nm_scrape_timeout_parse returned neither 0 nor -1");
    if (rc == 0 && (ns == 0 || ns > NM_SCRAPE_TIMEOUT_MAX_NS))
        nm_fuzz_fail("accepted timeout out of range");
    if (rc == 0) {
        budget = nm_scrape_budget_ns(ns, size * 1000000ull);
        if (budget > ns || budget < ns / 2)
            nm_fuzz_fail("budget outside [timeout/2, timeout]");
    }
    padded = malloc(size + 4);
    if (!padded)
        return 0;
    memcpy(padded, data, size);
    memcpy(padded + size, "5.5x", 4);
    if (nm_scrape_timeout_parse(padded, size, &again) != rc || (rc == 0 && again != ns))
        nm_fuzz_fail("answer depends on bytes past len");
    free(padded);
    return 0;
}

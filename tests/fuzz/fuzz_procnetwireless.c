/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the /proc/net/wireless parser. Every row it accepts
 * must carry a non-empty, NUL-terminated name and a link quality in 0..1;
 * the summary must count the rows it delivered. */
#include "config.h"

#include <string.h>

#include "fuzz_common.h"
#include "procnetwireless_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static netmetrics_status row_cb(const nm_wext_row *row, void *arg)
{
    unsigned *n = arg;
    size_t len = strnlen(row->name, sizeof row->name);

    if (len == 0 || len == sizeof row->name)
        nm_fuzz_fail("row name empty or not NUL-terminated");
    (*n)++;
    return NETMETRICS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nm_wext_summary sum;
    unsigned n = 0;

    if (nm_procnetwireless_parse((const char *)data, size, row_cb, &n, &sum) == NETMETRICS_OK &&
        sum.rows != n)
        nm_fuzz_fail("summary rows differ from rows delivered");
    return 0;
}

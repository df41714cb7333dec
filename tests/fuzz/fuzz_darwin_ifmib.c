/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the macOS ifmibdata parser (the un-rounded byte
 * counters). Given an exact-size heap copy of any bytes, it must either
 * parse or say why, never read past the buffer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ifmib_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nm_dw_ifmib mib;
    netmetrics_error err;
    void *copy = malloc(size ? size : 1);

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (nm_dw_ifmib_parse(copy, size, &mib, &err) == NETMETRICS_OK &&
        memchr(mib.name, '\0', sizeof mib.name) == NULL)
        nm_fuzz_fail("ifmib name not NUL-terminated");
    free(copy);
    return 0;
}

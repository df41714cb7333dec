/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the uevent and link-detail sysfs parsers (uevent
 * key lookup, speed, duplex). The first byte picks the parser and the
 * output size; the rest is the file's text, in an exact-size heap copy so
 * a read past it is caught. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "uevent_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"DEVTYPE", "INTERFACE", "IFINDEX", "DRIVER"};
    char out[64];
    size_t outsize, len;
    uint32_t mbps;
    char *text;

    if (size < 1)
        return 0;
    len = size - 1;
    text = malloc(len ? len : 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, len);
    switch (data[0] & 3) {
    case 0:
    case 1:
        outsize = 1 + ((size_t)data[0] >> 2) % sizeof out;
        memset(out, 'X', sizeof out);
        nm_uevent_value(text, len, keys[(data[0] >> 1) & 3], out, outsize);
        if (memchr(out, '\0', outsize) == NULL)
            nm_fuzz_fail("uevent value not NUL-terminated within its buffer");
        if (outsize < sizeof out && out[outsize] != 'X')
            nm_fuzz_fail("uevent value written past its buffer");
        break;
    case 2:
        if (nm_sysfs_parse_speed(text, len, &mbps) != NETMETRICS_OK && mbps != 0)
            nm_fuzz_fail("speed failure without the default 0");
        break;
    default:
        nm_sysfs_parse_duplex(text, len);
        break;
    }
    free(text);
    return 0;
}

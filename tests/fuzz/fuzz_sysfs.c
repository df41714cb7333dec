/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the sysfs value parsers. The first input byte picks the
 * parser (and, for numbers, the upper bound); the rest is the attribute's
 * text. The parsers are given an exact-size heap copy, so AddressSanitizer
 * sees any read past the length. Results must respect their contracts:
 * within the bound, a defined operstate, a hardware address that fits. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "snapshot.h"
#include "sysfs_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t bounds[] = {0, 1, 255, 65535, UINT32_MAX, INT64_MAX, UINT64_MAX, 10};
    unsigned char hw[NM_HWADDR_MAX];
    netmetrics_operstate os;
    netmetrics_status st;
    size_t hwlen, hwsize, len;
    uint64_t u, max;
    uint32_t x;
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
        max = bounds[(data[0] >> 2) & 7];
        st = nm_sysfs_parse_uint(text, len, max, &u);
        if (st == NETMETRICS_OK && u > max)
            nm_fuzz_fail("uint above its bound");
        if (st != NETMETRICS_OK && u != 0)
            nm_fuzz_fail("uint failure without the default 0");
        break;
    case 1:
        st = nm_sysfs_parse_hex32(text, len, &x);
        if (st != NETMETRICS_OK && x != 0)
            nm_fuzz_fail("hex32 failure without the default 0");
        break;
    case 2:
        st = nm_sysfs_parse_operstate(text, len, &os);
        if ((unsigned)os > NETMETRICS_OPER_UP)
            nm_fuzz_fail("operstate out of range");
        break;
    default:
        hwsize = ((size_t)data[0] >> 2) % (NM_HWADDR_MAX + 1);
        hwlen = (size_t)-1;
        st = nm_sysfs_parse_hwaddr(text, len, hw, hwsize, &hwlen);
        if (st == NETMETRICS_OK && hwlen > hwsize)
            nm_fuzz_fail("hardware address longer than its buffer");
        if (st != NETMETRICS_OK && hwlen != 0)
            nm_fuzz_fail("hwaddr failure without the default length 0");
        break;
    }
    free(text);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* struct ifmibdata reader (see ifmib_parse.h): checks the length first,
 * then reads the name and the if_data64 at their documented offsets. */
#include "config.h"

#include <string.h>

#include "darwin_layout.h"
#include "ifmib_parse.h"
#include "nmerror.h"

netmetrics_status nm_dw_ifmib_parse(const void *buf, size_t len, nm_dw_ifmib *out,
                                    netmetrics_error *err)
{
    const unsigned char *b = buf;
    const unsigned char *nul;

    memset(out, 0, sizeof *out);
    if (!b || len < NM_DW_IFMD_SIZE)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "ifmibdata of %zu bytes, expected at least %u", b ? len : 0,
                            (unsigned)NM_DW_IFMD_SIZE);
    nul = memchr(b + NM_DW_IFMD_NAME_OFF, '\0', NM_DW_IFMD_NAME_SIZE);
    if (!nul || nul == b + NM_DW_IFMD_NAME_OFF)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "ifmibdata name is empty or not terminated");
    memcpy(out->name, b + NM_DW_IFMD_NAME_OFF, (size_t)(nul - (b + NM_DW_IFMD_NAME_OFF)) + 1);
    memcpy(&out->flags, b + NM_DW_IFMD_FLAGS_OFF, sizeof out->flags);
    memcpy(&out->snd_drops, b + NM_DW_IFMD_SND_DROPS_OFF, sizeof out->snd_drops);
    nm_dw_ifdata_read(b + NM_DW_IFMD_DATA_OFF, &out->data);
    return NETMETRICS_OK;
}

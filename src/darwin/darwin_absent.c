/* SPDX-License-Identifier: MIT */
/* What a macOS build may lack, said honestly: configure looks for the
 * CoreWLAN and SystemConfiguration frameworks, and without one of them
 * these stubs stand in for its file (wifi_corewlan.m, sc_types.c) so the
 * library still links: no Wi-Fi statistics (the wireless part succeeds
 * with nothing added, and the wireless source is ""), or classification
 * without SystemConfiguration's interface types. Compiled on macOS only. */
#include "config.h"

#include <stddef.h>

#include "netmetrics.h"
#include "sc_types.h"
#include "wifi_corewlan.h"

#ifndef NM_HAVE_COREWLAN
netmetrics_status nm_dw_wifi_collect(netmetrics_snapshot *snap, netmetrics_error *err)
{
    (void)snap;
    (void)err;
    return NETMETRICS_OK; /* nothing added */
}

const char *nm_dw_wifi_source(void)
{
    return "";
}
#endif

#ifndef NM_HAVE_SYSTEMCONFIGURATION
nm_dw_sctypes *nm_dw_sctypes_new(void)
{
    return NULL;
}

void nm_dw_sctypes_free(nm_dw_sctypes *t)
{
    (void)t;
}

const char *nm_dw_sctypes_lookup(nm_dw_sctypes *t, const char *bsd_name)
{
    (void)t;
    (void)bsd_name;
    return NULL;
}
#endif

/* ISO C wants at least one declaration in a translation unit. */
typedef int nm_darwin_absent_unit;

/* SPDX-License-Identifier: MIT */
/* The SystemConfiguration type table (see sc_types.h). Compiled on macOS
 * when configure finds SystemConfiguration; CoreFoundation rules: what
 * comes from a Copy function is released here, what comes from a Get
 * function is not ours. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <CoreFoundation/CoreFoundation.h>
#include <SystemConfiguration/SystemConfiguration.h>

#include "sc_types.h"
#include "snapshot.h"

#define NM_SC_REFRESH_NS (60ull * 1000000000ull)
#define NM_SC_TYPE_SIZE 32

typedef struct sc_entry {
    char name[NM_IFNAME_SIZE];
    char type[NM_SC_TYPE_SIZE];
} sc_entry;

struct nm_dw_sctypes {
    sc_entry *e;
    size_t n;
    int loaded;
    uint64_t loaded_ns;
};

/* Replaces the table with SCNetworkInterfaceCopyAll's answer; on any
 * failure the old table stays. */
static void reload(nm_dw_sctypes *t)
{
    CFArrayRef all;
    CFIndex count, i;
    sc_entry *e;
    size_t n = 0;

    t->loaded = 1;
    t->loaded_ns = nm_monotonic_ns();
    all = SCNetworkInterfaceCopyAll();
    if (!all)
        return;
    count = CFArrayGetCount(all);
    e = calloc(count > 0 ? (size_t)count : 1u, sizeof *e);
    if (!e) {
        CFRelease(all);
        return;
    }
    for (i = 0; i < count; i++) {
        SCNetworkInterfaceRef itf = (SCNetworkInterfaceRef)CFArrayGetValueAtIndex(all, i);
        CFStringRef bsd = itf ? SCNetworkInterfaceGetBSDName(itf) : NULL;
        CFStringRef type = itf ? SCNetworkInterfaceGetInterfaceType(itf) : NULL;

        /* a name or type that does not fit is skipped, never cut */
        if (!bsd || !type ||
            !CFStringGetCString(bsd, e[n].name, sizeof e[n].name, kCFStringEncodingUTF8) ||
            !CFStringGetCString(type, e[n].type, sizeof e[n].type, kCFStringEncodingUTF8))
            continue;
        n++;
    }
    CFRelease(all);
    free(t->e);
    t->e = e;
    t->n = n;
}

nm_dw_sctypes *nm_dw_sctypes_new(void)
{
    return calloc(1, sizeof(nm_dw_sctypes));
}

void nm_dw_sctypes_free(nm_dw_sctypes *t)
{
    if (!t)
        return;
    free(t->e);
    free(t);
}

static const char *find(const nm_dw_sctypes *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        if (strcmp(t->e[i].name, name) == 0)
            return t->e[i].type;
    return NULL;
}

const char *nm_dw_sctypes_lookup(nm_dw_sctypes *t, const char *bsd_name)
{
    const char *type;

    if (!t || !bsd_name)
        return NULL;
    if (!t->loaded)
        reload(t);
    type = find(t, bsd_name);
    if (!type && nm_monotonic_ns() - t->loaded_ns >= NM_SC_REFRESH_NS) {
        reload(t); /* a new adapter (USB Ethernet, a phone) since the last read */
        type = find(t, bsd_name);
    }
    return type;
}

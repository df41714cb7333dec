/* SPDX-License-Identifier: MIT */
/* SystemConfiguration's view of the interfaces (macOS only): the type
 * string SCNetworkInterfaceGetInterfaceType gives each BSD name
 * ("IEEE80211", "Ethernet", "WWAN", "Bridge", "Bond", "VLAN", ...), which
 * classify_darwin.c reads when the kernel's functional type does not
 * decide. Building the table walks IOKit (milliseconds), so it is cached:
 * read on first use, and again when a name is missing from it, at most
 * once a minute (virtual interfaces are never in it). Built from
 * sc_types.c when configure finds the framework; otherwise the stubs in
 * darwin_absent.c answer nothing. */
#ifndef NM_SC_TYPES_H
#define NM_SC_TYPES_H

typedef struct nm_dw_sctypes nm_dw_sctypes;

/* NULL without SystemConfiguration or when out of memory (callers then
 * classify without it). */
nm_dw_sctypes *nm_dw_sctypes_new(void);
void nm_dw_sctypes_free(nm_dw_sctypes *t);

/* The type of the interface with that BSD name, NULL when unknown. The
 * string lives until the next lookup or free. */
const char *nm_dw_sctypes_lookup(nm_dw_sctypes *t, const char *bsd_name);

#endif

/* SPDX-License-Identifier: MIT */
/* Addresses from getifaddrs(): the portable path, used by the procfs backend
 * on Linux and by the macOS backend. */
#ifndef NM_ADDRLIST_H
#define NM_ADDRLIST_H

#include <sys/socket.h>

#include "netmetrics.h"

/* Converts one sockaddr + netmask into a netmetrics_address. The scope is
 * derived from the address (loopback -> host, fe80::/10 and 169.254/16 ->
 * link, else global). Returns 0, or -1 when the family is neither IPv4 nor
 * IPv6. */
int nm_sockaddr_to_address(const struct sockaddr *sa, const struct sockaddr *mask,
                           netmetrics_address *out);

/* Appends every IPv4/IPv6 address getifaddrs() reports for an interface
 * already in snap's link table (matched by name; others are skipped). */
netmetrics_status nm_ifaddrs_collect(netmetrics_snapshot *snap, netmetrics_error *err);

#endif

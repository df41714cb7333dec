/* SPDX-License-Identifier: MIT */
/* Pure parsers of single sysfs attribute values (/sys/class/net/X/...):
 * bytes in, a value and a status out. They take a length, never read past
 * it and never need a NUL. Leading and trailing white space (the kernel's
 * trailing '\n') is ignored. On failure they return NETMETRICS_ERR_PARSE and
 * store a harmless default (0, UNKNOWN, no address) in the output. */
#ifndef NM_SYSFS_PARSE_H
#define NM_SYSFS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

/* A decimal number 0..max ("1500\n"); no sign, no other base. */
netmetrics_status nm_sysfs_parse_uint(const char *text, size_t len, uint64_t max,
                                      uint64_t *out);

/* A 32-bit hexadecimal number as printed by "%#x": "0x1003\n", and "0\n"
 * (which is how %#x prints zero). The 0x prefix is optional. */
netmetrics_status nm_sysfs_parse_hex32(const char *text, size_t len, uint32_t *out);

/* An operstate word ("up", "down", "unknown", "dormant", "lowerlayerdown",
 * "notpresent", "testing"). Anything else is a parse error. */
netmetrics_status nm_sysfs_parse_operstate(const char *text, size_t len,
                                           netmetrics_operstate *out);

/* A hardware address "aa:bb:cc:dd:ee:ff\n" of any length up to size bytes
 * (two hex digits per byte, either case), or "" for none (*out_len 0).
 * More than size bytes is a parse error. */
netmetrics_status nm_sysfs_parse_hwaddr(const char *text, size_t len, unsigned char *out,
                                        size_t size, size_t *out_len);

#endif

/* SPDX-License-Identifier: MIT */
/* Pure parsers of the sysfs values the link details need and sysfs_parse.c
 * does not cover: a uevent file's KEY=value lines, the link speed and the
 * duplex word. Bytes in, bounded by len, no NUL needed; they never fail
 * loudly, since each value is optional. */
#ifndef NM_UEVENT_PARSE_H
#define NM_UEVENT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

/* Finds the line "key=value" in a uevent text and copies value into out
 * (size > 0 bytes, cut to fit, NUL-terminated). NETMETRICS_OK when found;
 * NETMETRICS_ERR_NOT_AVAILABLE (out "") when the key is absent. */
netmetrics_status nm_uevent_value(const char *text, size_t len, const char *key, char *out,
                                  size_t size);

/* /sys/class/net/X/speed: a decimal Mb/s value. "-1" (SPEED_UNKNOWN as the
 * kernel prints it), 0 and anything malformed are NETMETRICS_ERR_NOT_AVAILABLE
 * (*mbps 0). */
netmetrics_status nm_sysfs_parse_speed(const char *text, size_t len, uint32_t *mbps);

/* /sys/class/net/X/duplex: "full", "half"; anything else is UNKNOWN. */
netmetrics_duplex nm_sysfs_parse_duplex(const char *text, size_t len);

#endif

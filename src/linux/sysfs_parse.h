/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_SYSFS_PARSE_H
#define NM_SYSFS_PARSE_H
#endif

/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_PROCNETDEV_PARSE_H
#define NM_PROCNETDEV_PARSE_H
#endif

/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_OPTIONS_H
#define NM_OPTIONS_H
#endif

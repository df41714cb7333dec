/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_LOG_H
#define NM_LOG_H
#endif

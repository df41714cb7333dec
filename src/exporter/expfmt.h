/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_EXPFMT_H
#define NM_EXPFMT_H
#endif

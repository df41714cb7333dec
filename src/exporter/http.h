/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_HTTP_H
#define NM_HTTP_H
#endif

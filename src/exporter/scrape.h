/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_SCRAPE_H
#define NM_SCRAPE_H
#endif

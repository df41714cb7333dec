/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "scrape.h"
int nm_stub_scrape(void);
int nm_stub_scrape(void) { return 0; }

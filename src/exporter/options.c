/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "options.h"
int nm_stub_options(void);
int nm_stub_options(void) { return 0; }

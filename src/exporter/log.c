/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "log.h"
int nm_stub_log(void);
int nm_stub_log(void) { return 0; }

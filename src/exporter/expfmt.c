/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "expfmt.h"
int nm_stub_expfmt(void);
int nm_stub_expfmt(void) { return 0; }

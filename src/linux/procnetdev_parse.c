/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "procnetdev_parse.h"
int nm_stub_procnetdev_parse(void);
int nm_stub_procnetdev_parse(void) { return 0; }

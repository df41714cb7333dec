/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "sysfs_parse.h"
int nm_stub_sysfs_parse(void);
int nm_stub_sysfs_parse(void) { return 0; }

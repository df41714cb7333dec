/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "rtnl_parse.h"
int nm_stub_rtnl_parse(void);
int nm_stub_rtnl_parse(void) { return 0; }

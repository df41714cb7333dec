/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "http.h"
int nm_stub_http(void);
int nm_stub_http(void) { return 0; }

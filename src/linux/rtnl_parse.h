/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#ifndef NM_RTNL_PARSE_H
#define NM_RTNL_PARSE_H
#endif

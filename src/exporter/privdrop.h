/* SPDX-License-Identifier: MIT */
/* Dropping root after the listening socket is bound (--runas USER). */
#ifndef NM_PRIVDROP_H
#define NM_PRIVDROP_H

#include <stddef.h>

/* Switches the whole process (every thread) to USER's uid and primary gid,
 * with no supplementary group but that one, and checks that root cannot be
 * regained. When not running as root, succeeds only if USER is who we
 * already are. Returns 0, or -1 with a one-line reason in why (whysize
 * bytes): unknown user, a uid 0 target, or a failed system call. The caller
 * must then not go on: a half-dropped process is worse than none. */
int nm_drop_privileges(const char *user, char *why, size_t whysize);

#endif

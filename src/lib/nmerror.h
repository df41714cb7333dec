/* SPDX-License-Identifier: MIT */
/* Filling a netmetrics_error. Every helper tolerates err == NULL, so callers
 * that do not want a message can pass NULL all the way down. */
#ifndef NM_NMERROR_H
#define NM_NMERROR_H

#include "netmetrics.h"

#if defined(__GNUC__)
#define NM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define NM_PRINTF(a, b)
#endif

/* Sets code, errno (0 when none) and a formatted message; returns code so a
 * caller can write `return nm_error_set(err, ...)`. */
netmetrics_status nm_error_set(netmetrics_error *err, netmetrics_status code, int sys_errno,
                               const char *fmt, ...) NM_PRINTF(4, 5);

/* Like nm_error_set with the code derived from errno (EACCES/EPERM ->
 * PERMISSION, ENOMEM -> NO_MEMORY, ENOENT/ENODEV/EAFNOSUPPORT/
 * EPROTONOSUPPORT -> NOT_AVAILABLE, else SYSTEM); the message ends in
 * ": <strerror>". */
netmetrics_status nm_error_errno(netmetrics_error *err, int sys_errno, const char *fmt, ...)
    NM_PRINTF(3, 4);

/* Prefixes the existing message with "<prefix>: ", keeping the code. */
void nm_error_prefix(netmetrics_error *err, const char *prefix);

void nm_error_clear(netmetrics_error *err);

#endif

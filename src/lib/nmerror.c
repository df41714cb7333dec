/* SPDX-License-Identifier: MIT */
/* Error reporting: codes plus a printable message, never a global. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nmerror.h"

static netmetrics_status code_from_errno(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
        return NETMETRICS_ERR_PERMISSION;
    case ENOMEM:
        return NETMETRICS_ERR_NO_MEMORY;
    case ENOENT:
    case ENODEV:
    case ENXIO:
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
    case EOPNOTSUPP:
        return NETMETRICS_ERR_NOT_AVAILABLE;
    default:
        return NETMETRICS_ERR_SYSTEM;
    }
}

static NM_PRINTF(4, 0) void vset(netmetrics_error *err, netmetrics_status code, int sys_errno, const char *fmt,
                 va_list ap)
{
    err->code = code;
    err->sys_errno = sys_errno;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

netmetrics_status nm_error_set(netmetrics_error *err, netmetrics_status code, int sys_errno,
                               const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    vset(err, code, sys_errno, fmt, ap);
    va_end(ap);
    return code;
}

netmetrics_status nm_error_errno(netmetrics_error *err, int sys_errno, const char *fmt, ...)
{
    netmetrics_status code = code_from_errno(sys_errno);
    size_t n;
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    vset(err, code, sys_errno, fmt, ap);
    va_end(ap);
    n = strlen(err->message);
    if (n < sizeof err->message)
        snprintf(err->message + n, sizeof err->message - n, ": %s", strerror(sys_errno));
    return code;
}

void nm_error_prefix(netmetrics_error *err, const char *prefix)
{
    size_t cap = sizeof err->message - 1, plen, mlen;

    if (!err)
        return;
    /* "<prefix>: <message>", truncated to fit, built in place */
    plen = strlen(prefix) + 2;
    if (plen > cap)
        plen = cap;
    mlen = strlen(err->message);
    if (mlen > cap - plen)
        mlen = cap - plen;
    memmove(err->message + plen, err->message, mlen);
    memcpy(err->message, prefix, plen >= 2 ? plen - 2 : 0);
    if (plen >= 2) {
        err->message[plen - 2] = ':';
        err->message[plen - 1] = ' ';
    }
    err->message[plen + mlen] = '\0';
}

void nm_error_clear(netmetrics_error *err)
{
    if (!err)
        return;
    err->code = NETMETRICS_OK;
    err->sys_errno = 0;
    err->message[0] = '\0';
}

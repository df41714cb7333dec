/* SPDX-License-Identifier: MIT */
/* A test-only LD_PRELOAD shim that makes the kernel's netlink look absent:
 * socket(AF_NETLINK, ...) fails with EPROTONOSUPPORT, as on a kernel built
 * without it or under a seccomp policy that forbids it; every other socket
 * is created as usual. test_faults.sh runs the exporter under it to check
 * the fallback to /proc and /sys. Never installed, never linked into
 * anything but that test. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <sys/socket.h>

typedef int (*socket_fn)(int, int, int);

int socket(int domain, int type, int protocol)
{
    static socket_fn real;

    if (domain == AF_NETLINK) {
        errno = EPROTONOSUPPORT;
        return -1;
    }
    if (!real) {
        /* dlsym hands back a data pointer; POSIX guarantees it converts. */
        *(void **)&real = dlsym(RTLD_NEXT, "socket");
        if (!real) {
            errno = ENOSYS;
            return -1;
        }
    }
    return real(domain, type, protocol);
}

/* SPDX-License-Identifier: MIT */
/* A test-only LD_PRELOAD shim that makes scrapes slow on demand, without
 * guessing at timings: while the file named by $NM_NETLINK_GATE exists,
 * every recvmsg() on a NETLINK_ROUTE socket waits for it to go away (the
 * scrape then sits inside its rtnetlink dump, holding the scrape lock).
 * Before waiting it creates "$NM_NETLINK_GATE.held", so the test knows a
 * scrape is held. A wait ends after 60 s whatever happens, so a failed test
 * cannot hang the exporter. Other sockets (sock_diag, generic netlink, TCP)
 * are untouched. test_selfmetrics.sh uses it; never installed. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef ssize_t (*recvmsg_fn)(int, struct msghdr *, int);

static int is_rtnetlink(int fd)
{
    int v = 0;
    socklen_t len = sizeof v;

    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) != 0 || v != AF_NETLINK)
        return 0;
    len = sizeof v;
    return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 && v == NETLINK_ROUTE;
}

static void wait_at_gate(const char *gate)
{
    const struct timespec tick = {0, 10 * 1000 * 1000};
    char held[4096];
    int i, fd, saved = errno;

    if (access(gate, F_OK) != 0) {
        errno = saved;
        return;
    }
    if (snprintf(held, sizeof held, "%s.held", gate) < (int)sizeof held) {
        fd = open(held, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
    for (i = 0; i < 6000 && access(gate, F_OK) == 0; i++)
        nanosleep(&tick, NULL);
    errno = saved;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    static recvmsg_fn real;
    const char *gate = getenv("NM_NETLINK_GATE");

    if (!real) {
        /* dlsym hands back a data pointer; POSIX guarantees it converts. */
        *(void **)&real = dlsym(RTLD_NEXT, "recvmsg");
        if (!real) {
            errno = ENOSYS;
            return -1;
        }
    }
    if (gate && *gate && is_rtnetlink(fd))
        wait_at_gate(gate);
    return real(fd, msg, flags);
}

/* SPDX-License-Identifier: MIT */
/* A test-only LD_PRELOAD shim that makes the kernel look older than Linux
 * 4.7, which has no RTM_GETSTATS: an RTM_GETSTATS request sent on a
 * NETLINK_ROUTE socket goes out with a message type beyond RTM_MAX, which
 * the kernel refuses with EOPNOTSUPP, as such a kernel refuses type 94.
 * Each rewrite appends a line to the file named by $NM_NOSTATS_LOG, so the
 * test can count how often the exporter asked. Everything else passes
 * through. test_linkcache.sh uses it; never installed, never sanitized. */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#define NM_RTM_GETSTATS 94
/* Far beyond RTM_MAX on any kernel: refused before any handler runs. */
#define NM_TYPE_UNKNOWN 0x7ff0

typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);

static int is_rtnetlink(int fd)
{
    int v = 0;
    socklen_t len = sizeof v;

    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) != 0 || v != AF_NETLINK)
        return 0;
    len = sizeof v;
    return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 && v == NETLINK_ROUTE;
}

static void note(void)
{
    const char *log = getenv("NM_NOSTATS_LOG");
    int fd, saved = errno;

    if (log && *log) {
        fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            (void)!write(fd, "GETSTATS\n", 9);
            close(fd);
        }
    }
    errno = saved;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    static sendto_fn real;
    struct nlmsghdr h;

    if (!real) {
        /* dlsym hands back a data pointer; POSIX guarantees it converts. */
        *(void **)&real = dlsym(RTLD_NEXT, "sendto");
        if (!real) {
            errno = ENOSYS;
            return -1;
        }
    }
    if (buf && len >= sizeof h && len <= 4096 && is_rtnetlink(fd)) {
        memcpy(&h, buf, sizeof h);
        if (h.nlmsg_type == NM_RTM_GETSTATS) {
            unsigned char copy[4096];

            memcpy(copy, buf, len);
            h.nlmsg_type = NM_TYPE_UNKNOWN;
            memcpy(copy, &h, sizeof h);
            note();
            return real(fd, copy, len, flags, to, tolen);
        }
    }
    return real(fd, buf, len, flags, to, tolen);
}

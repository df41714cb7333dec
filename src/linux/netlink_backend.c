/* SPDX-License-Identifier: MIT */
/* The rtnetlink backend: one NETLINK_ROUTE socket per collector, an
 * RTM_GETLINK dump for interfaces and counters and an RTM_GETADDR dump for
 * addresses. This file only moves bytes between the kernel and the pure
 * parsers in rtnl_parse.c; it must not interpret message contents itself.
 * A collector is used by one thread at a time, so the state needs no lock. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "backend.h"
#include "nmerror.h"
#include "rtnl_parse.h"
#include "snapshot.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Dump datagrams are at most 32 KiB unless one message needs more. */
#define NL_BUF_START (32u * 1024u)
/* No sane single datagram is near this; refuse rather than allocate. */
#define NL_BUF_MAX (16u * 1024u * 1024u)
/* A dump fills the queue one datagram per recv(), so this is headroom for
 * a slow reader, not a requirement. */
#define NL_RCVBUF (1024 * 1024)
/* A scrape must not hang forever on a kernel that never answers. */
#define NL_TIMEOUT_SEC 5
/* Dumps interrupted by a concurrent change (NLM_F_DUMP_INTR) or by a full
 * queue (ENOBUFS) are redone this many times in all, then accepted. */
#define NL_ATTEMPTS 4

struct nl_state {
    int fd;              /* -1 when closed */
    uint32_t portid;     /* our address, which the kernel puts in nlmsg_pid */
    uint32_t seq;        /* of the last request */
    int pending;         /* the last answer may not have been read to its end */
    unsigned char *buf;  /* reused across recv() calls and scrapes */
    size_t cap;
    size_t malformed;    /* messages dropped as malformed, over the lifetime */
    size_t retried;      /* dumps redone */
};

typedef netmetrics_status (*nl_feed_fn)(nm_rtnl_walker *w, const void *buf, size_t len,
                                        netmetrics_snapshot *snap, nm_rtnl_tally *t,
                                        netmetrics_error *err);

static void close_socket(struct nl_state *st)
{
    if (st->fd >= 0)
        close(st->fd);
    st->fd = -1;
    st->pending = 0;
}

static netmetrics_status open_socket(struct nl_state *st, netmetrics_error *err)
{
    struct sockaddr_nl sa;
    struct timeval tv;
    socklen_t salen = sizeof sa;
    int fd, one = 1, rcvbuf = NL_RCVBUF, e;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return nm_error_errno(err, errno, "socket(AF_NETLINK, NETLINK_ROUTE)");
    /* FORCE passes rmem_max but needs CAP_NET_ADMIN; either is optional. */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    tv.tv_sec = NL_TIMEOUT_SEC;
    tv.tv_usec = 0;
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    /* Older kernels lack these: strict checking makes the kernel reject a
     * malformed request instead of guessing; extended ACKs say why. */
#ifdef NETLINK_GET_STRICT_CHK
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
#endif
#ifdef NETLINK_EXT_ACK
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
#endif
    (void)one;

    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK; /* nl_pid 0: the kernel picks our port id */
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
        e = errno;
        close(fd);
        return nm_error_errno(err, e, "binding the netlink socket");
    }
    if (salen < sizeof sa || sa.nl_family != AF_NETLINK) {
        close(fd);
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netlink socket has no address");
    }
    st->fd = fd;
    st->portid = sa.nl_pid;
    st->pending = 0;
    return NETMETRICS_OK;
}

/* Sends an RTM_GET* dump request for all families. A socket whose previous
 * answer was abandoned half way is replaced first: the kernel refuses a new
 * dump (EBUSY) while one is running, and old datagrams would be in the way. */
static netmetrics_status send_dump_request(struct nl_state *st, uint16_t type,
                                           netmetrics_error *err)
{
    /* Room for nlmsghdr + the larger of ifinfomsg and ifaddrmsg. */
    unsigned char req[NLMSG_SPACE(sizeof(struct ifinfomsg))];
    struct sockaddr_nl kernel;
    struct nlmsghdr h;
    size_t body;
    netmetrics_status s;
    ssize_t n;

    if (st->pending || st->fd < 0) {
        close_socket(st);
        s = open_socket(st, err);
        if (s != NETMETRICS_OK)
            return s;
    }
    /* All-zero bodies: family AF_UNSPEC, no filters, which strict checking
     * requires. No IFLA_EXT_MASK: without one the kernel leaves out VF
     * info, and the bits it offers would only remove what we want. */
    body = type == RTM_GETLINK ? sizeof(struct ifinfomsg) : sizeof(struct ifaddrmsg);
    memset(req, 0, sizeof req);
    memset(&h, 0, sizeof h);
    h.nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
    h.nlmsg_type = type;
    h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    h.nlmsg_seq = ++st->seq;
    h.nlmsg_pid = st->portid;
    memcpy(req, &h, sizeof h);

    memset(&kernel, 0, sizeof kernel);
    kernel.nl_family = AF_NETLINK;
    do {
        n = sendto(st->fd, req, h.nlmsg_len, 0, (const struct sockaddr *)&kernel, sizeof kernel);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return nm_error_errno(err, errno, "sending the netlink request");
    if ((size_t)n != h.nlmsg_len)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netlink request sent in part");
    st->pending = 1;
    return NETMETRICS_OK;
}

static netmetrics_status recv_error(int e, netmetrics_error *err)
{
    if (e == EAGAIN || e == EWOULDBLOCK)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, e, "netlink: no answer within %d s",
                            NL_TIMEOUT_SEC);
    return nm_error_errno(err, e, "receiving from netlink");
}

/* Receives the next datagram from the kernel into st->buf, growing it to
 * fit first (a peek with MSG_TRUNC tells the size without copying). */
static netmetrics_status recv_datagram(struct nl_state *st, size_t *len, netmetrics_error *err)
{
    for (;;) {
        struct sockaddr_nl from;
        struct iovec iov;
        struct msghdr mh;
        ssize_t n;

        n = recv(st->fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return recv_error(errno, err);
        }
        if ((size_t)n > st->cap) {
            unsigned char *nb;
            size_t ncap = st->cap;

            if ((size_t)n > NL_BUF_MAX)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "netlink: a %zd-byte datagram is beyond any sane size", n);
            while (ncap < (size_t)n)
                ncap *= 2;
            nb = realloc(st->buf, ncap);
            if (!nb)
                return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
            st->buf = nb;
            st->cap = ncap;
        }

        memset(&mh, 0, sizeof mh);
        iov.iov_base = st->buf;
        iov.iov_len = st->cap;
        mh.msg_name = &from;
        mh.msg_namelen = sizeof from;
        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        n = recvmsg(st->fd, &mh, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return recv_error(errno, err);
        }
        if (mh.msg_flags & MSG_TRUNC)
            return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0,
                                "netlink: datagram truncated to %zu bytes", st->cap);
        /* Any process may send to our port id; only the kernel (0) counts. */
        if (mh.msg_namelen < sizeof from || from.nl_pid != 0)
            continue;
        *len = (size_t)n;
        return NETMETRICS_OK;
    }
}

/* One dump, redone when the kernel says it was interrupted or the queue
 * overflowed. Each attempt starts from the snapshot as it was on entry. */
static netmetrics_status dump(struct nl_state *st, uint16_t type, nl_feed_fn feed,
                              netmetrics_snapshot *snap, netmetrics_error *err)
{
    size_t base_ifaces = snap->count, base_addrs = snap->addr_count;
    netmetrics_error e;
    netmetrics_status s;
    int attempt;

    for (attempt = 1;; attempt++) {
        nm_rtnl_walker w;
        nm_rtnl_tally t;
        size_t n = 0;

        snap->count = base_ifaces;
        snap->addr_count = base_addrs;
        nm_error_clear(&e);
        s = send_dump_request(st, type, &e);
        if (s != NETMETRICS_OK)
            break;
        nm_rtnl_walk_init(&w);
        nm_rtnl_walk_expect(&w, st->seq, st->portid);
        nm_rtnl_tally_init(&t);
        while (!nm_rtnl_walk_done(&w)) {
            s = recv_datagram(st, &n, &e);
            if (s != NETMETRICS_OK)
                break;
            s = feed(&w, st->buf, n, snap, &t, &e);
            if (s != NETMETRICS_OK)
                break;
        }
        st->malformed += t.malformed;
        if (s == NETMETRICS_OK)
            st->pending = 0; /* read to NLMSG_DONE */
        if (attempt < NL_ATTEMPTS &&
            ((s == NETMETRICS_OK && w.interrupted) ||
             (s != NETMETRICS_OK && (e.sys_errno == ENOBUFS || e.sys_errno == EBUSY)))) {
            st->retried++;
            continue;
        }
        break;
    }
    if (s != NETMETRICS_OK) {
        snap->count = base_ifaces;
        snap->addr_count = base_addrs;
        if (err)
            *err = e;
    }
    return s;
}

static netmetrics_status nl_open(void **state, const nm_roots *roots, netmetrics_error *err)
{
    struct nl_state *st;
    netmetrics_status s;

    (void)roots;
    *state = NULL;
    st = calloc(1, sizeof *st);
    if (!st)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    st->fd = -1;
    st->cap = NL_BUF_START;
    st->buf = malloc(st->cap);
    if (!st->buf) {
        free(st);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    s = open_socket(st, err);
    if (s != NETMETRICS_OK) {
        free(st->buf);
        free(st);
        return s;
    }
    *state = st;
    return NETMETRICS_OK;
}

static netmetrics_status nl_collect_links(void *state, netmetrics_snapshot *snap,
                                          netmetrics_error *err)
{
    return dump(state, RTM_GETLINK, nm_rtnl_feed_links, snap, err);
}

static netmetrics_status nl_collect_addresses(void *state, netmetrics_snapshot *snap,
                                              netmetrics_error *err)
{
    return dump(state, RTM_GETADDR, nm_rtnl_feed_addrs, snap, err);
}

static void nl_close(void *state)
{
    struct nl_state *st = state;

    if (!st)
        return;
    close_socket(st);
    free(st->buf);
    free(st);
}

const nm_backend_ops nm_backend_netlink = {
    "netlink", nl_open, nl_collect_links, nl_collect_addresses, nl_close,
};

/* SPDX-License-Identifier: MIT */
/* The rtnetlink backend: one NETLINK_ROUTE socket per collector for dumps,
 * and a second one subscribed to the link and address groups that keeps
 * the metadata cache (linkcache.c) current. A collection then asks the
 * kernel only for counters (RTM_GETSTATS) and takes names, flags, MTU,
 * addresses... from the cache; it falls back to the full RTM_GETLINK and
 * RTM_GETADDR dumps whenever the cache may be wrong: before the first
 * collection, after lost notifications (ENOBUFS), when the stats name a
 * link the cache does not know or miss one it does, and once a minute for
 * what the kernel does not announce (see linkcache.h). Without a
 * notification socket or without RTM_GETSTATS (Linux < 4.7) every
 * collection is a full dump, as before the cache existed.
 * This file only moves bytes between the kernel and the pure parsers and
 * the cache; it must not interpret message contents itself. A collector is
 * used by one thread at a time, so the state needs no lock. */
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
#include "linkcache.h"
#include "netlink_backend.h"
#include "nmerror.h"
#include "rtnl_parse.h"
#include "rtnl_stats_parse.h"
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
/* Notifications wait here between collections. A link notification is
 * about 1.5 KB; the kernel doubles this size and charges each about
 * 2.3 KB, so some 900 fit (measured on 6.18; without CAP_NET_ADMIN,
 * net.core.rmem_max caps it, ~180 by default). Past that the kernel drops
 * them and says ENOBUFS, and a full dump follows: cheaper by then than
 * reading that many messages anyway. */
#define NL_NOTIFY_RCVBUF (1024 * 1024)
/* A drain that reads more than this (changes arriving as fast as they are
 * read) stops and resyncs instead of chasing them. */
#define NL_DRAIN_MAX ((size_t)4 * NL_NOTIFY_RCVBUF)
/* The cache is dropped and rebuilt from full dumps this often, which
 * bounds how long a change the kernel does not announce stays unseen. */
#define NL_RESYNC_NS (60ull * 1000000000ull)

struct nl_state {
    int fd;              /* -1 when closed */
    uint32_t portid;     /* our address, which the kernel puts in nlmsg_pid */
    uint32_t seq;        /* of the last request */
    int pending;         /* the last answer may not have been read to its end */
    unsigned char *buf;  /* reused across recv() calls and scrapes */
    size_t cap;
    size_t malformed;    /* messages dropped as malformed, over the lifetime */
    size_t retried;      /* dumps redone */
    /* The cached path: both NULL / -1 when it is off. */
    int nfd;             /* subscribed to RTNLGRP_LINK, IPV4_IFADDR, IPV6_IFADDR */
    nm_linkcache *cache;
    uint64_t links_loaded_ns, addrs_loaded_ns; /* of the last full dumps */
    nm_netlink_counts counts;
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
    /* Room for nlmsghdr + the largest body (ifinfomsg, ifaddrmsg, if_stats_msg). */
    unsigned char req[NLMSG_SPACE(sizeof(struct ifinfomsg) + sizeof(nm_if_stats_msg))];
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
    /* All-zero bodies for links and addresses: family AF_UNSPEC, no
     * filters, which strict checking requires. No IFLA_EXT_MASK: without
     * one the kernel leaves out VF info, and the bits it offers would only
     * remove what we want. */
    body = type == RTM_GETLINK   ? sizeof(struct ifinfomsg)
           : type == RTM_GETSTATS ? sizeof(nm_if_stats_msg)
                                  : sizeof(struct ifaddrmsg);
    memset(req, 0, sizeof req);
    if (type == RTM_GETSTATS) {
        /* Only the 64-bit link counters; the kernel refuses a dump without
         * a filter. Family AF_UNSPEC and ifindex 0: every interface. */
        nm_if_stats_msg ism;

        memset(&ism, 0, sizeof ism);
        ism.filter_mask = NM_IFLA_STATS_FILTER_LINK_64;
        memcpy(req + NLMSG_HDRLEN, &ism, sizeof ism);
    }
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

/* Receives the next datagram from the kernel on fd into st->buf, growing
 * it to fit first (a peek with MSG_TRUNC tells the size without copying).
 * flags: 0, or MSG_DONTWAIT (EAGAIN in err->sys_errno when none is queued). */
static netmetrics_status recv_datagram(struct nl_state *st, int fd, int flags, size_t *len,
                                       netmetrics_error *err)
{
    for (;;) {
        struct sockaddr_nl from;
        struct iovec iov;
        struct msghdr mh;
        ssize_t n;

        n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | flags);
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
        n = recvmsg(fd, &mh, flags);
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
            s = recv_datagram(st, st->fd, 0, &n, &e);
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

/* ------------------------------------------------------ the cached path -- */

/* Turns the cached path off for good: every collection is a full dump. */
static void cache_off(struct nl_state *st)
{
    if (st->nfd >= 0)
        close(st->nfd);
    st->nfd = -1;
    nm_linkcache_free(st->cache);
    st->cache = NULL;
    st->counts.cached = 0;
}

/* Opens the notification socket and the cache. Best effort: without them
 * (a kernel or policy that refuses the subscription, no memory) the
 * backend works as before, with full dumps. Called before the first dump,
 * so no change between that dump and the subscription goes unseen. */
static void cache_on(struct nl_state *st)
{
    static const unsigned groups[] = {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR};
    struct sockaddr_nl sa;
    int fd, rcvbuf = NL_NOTIFY_RCVBUF;
    size_t i;

    st->nfd = -1;
    st->cache = NULL;
#ifdef RTNLGRP_IPV6_IFADDR
    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
    if (fd < 0)
        return;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return;
    }
    for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i], sizeof groups[i]) <
            0) {
            close(fd);
            return;
        }
    }
    st->cache = nm_linkcache_new();
    if (!st->cache) {
        close(fd);
        return;
    }
    st->nfd = fd;
    st->counts.cached = 1;
#else
    (void)groups;
    (void)sa;
    (void)fd;
    (void)rcvbuf;
    (void)i;
#endif
}

/* Applies every queued notification to the cache. Lost notifications
 * (ENOBUFS), an unexpected error or a flood that does not stop invalidate
 * it: the next dumps are full ones. */
static void drain(struct nl_state *st)
{
    size_t total = 0, n = 0;
    int lost = 0;

    for (;;) {
        netmetrics_error e;

        nm_error_clear(&e);
        if (recv_datagram(st, st->nfd, MSG_DONTWAIT, &n, &e) != NETMETRICS_OK) {
            if (e.sys_errno == EAGAIN || e.sys_errno == EWOULDBLOCK)
                break;
            if (e.sys_errno == ENOBUFS) { /* reported once; the queue goes on */
                st->counts.overflows++;
                lost = 1;
                continue;
            }
            lost = 1; /* anything else: doubt */
            break;
        }
        total += n;
        /* Once some were lost the rest only has to be emptied out. */
        if (!lost)
            nm_linkcache_feed_events(st->cache, st->buf, n);
        if (total > NL_DRAIN_MAX) {
            lost = 1;
            break;
        }
    }
    if (lost)
        nm_linkcache_invalidate(st->cache);
}

/* The RTM_GETSTATS dump, merged into the links the cache just emitted.
 * *complete is 1 when every link got its counters and no other link
 * appeared. Errors are the dump's (EOPNOTSUPP / EINVAL: no RTM_GETSTATS). */
static netmetrics_status stats_dump(struct nl_state *st, int *complete, netmetrics_error *err)
{
    nm_rtnl_walker w;
    nm_rtnl_tally t;
    netmetrics_status s;
    size_t n = 0;

    *complete = 0;
    s = send_dump_request(st, RTM_GETSTATS, err);
    if (s == NETMETRICS_OK) {
        nm_rtnl_walk_init(&w);
        nm_rtnl_walk_expect(&w, st->seq, st->portid);
        nm_rtnl_tally_init(&t);
        while (!nm_rtnl_walk_done(&w)) {
            s = recv_datagram(st, st->fd, 0, &n, err);
            if (s != NETMETRICS_OK)
                break;
            s = nm_rtnl_feed_stats(&w, st->buf, n, nm_linkcache_merge_stats, st->cache, &t, err);
            if (s != NETMETRICS_OK)
                break;
        }
        st->malformed += t.malformed;
        if (s == NETMETRICS_OK)
            st->pending = 0;
        /* Interrupted: the link list changed during the dump. */
        if (s == NETMETRICS_OK && w.interrupted)
            s = nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netlink: stats dump interrupted");
    }
    /* Always, so the cache forgets this merge. */
    *complete = nm_linkcache_merge_complete(st->cache) && s == NETMETRICS_OK;
    return s;
}

static netmetrics_status full_links(struct nl_state *st, netmetrics_snapshot *snap,
                                    netmetrics_error *err)
{
    size_t base = snap->count;
    netmetrics_status s;

    st->counts.link_dumps++;
    s = dump(st, RTM_GETLINK, nm_rtnl_feed_links, snap, err);
    if (s == NETMETRICS_OK && st->cache && nm_linkcache_load_links(st->cache, snap, base) == 0)
        st->links_loaded_ns = nm_monotonic_ns();
    return s;
}

/* ---------------------------------------------------------- the backend -- */

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
    st->nfd = -1;
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
    cache_on(st);
    *state = st;
    return NETMETRICS_OK;
}

static netmetrics_status nl_collect_links(void *state, netmetrics_snapshot *snap,
                                          netmetrics_error *err)
{
    struct nl_state *st = state;
    size_t base = snap->count;
    netmetrics_error e;
    netmetrics_status s;
    int complete;

    if (!st->cache)
        return full_links(st, snap, err);
    drain(st);
    if (nm_linkcache_links_valid(st->cache) &&
        nm_monotonic_ns() - st->links_loaded_ns >= NL_RESYNC_NS)
        nm_linkcache_invalidate(st->cache);
    if (!nm_linkcache_links_valid(st->cache))
        return full_links(st, snap, err);

    nm_error_clear(&e);
    s = nm_linkcache_emit_links(st->cache, snap, &e);
    if (s == NETMETRICS_OK) {
        s = stats_dump(st, &complete, &e);
        if (s == NETMETRICS_OK && complete) {
            st->counts.stats_dumps++;
            return NETMETRICS_OK;
        }
        snap->count = base;
        if (s != NETMETRICS_OK && (e.sys_errno == EOPNOTSUPP || e.sys_errno == EINVAL)) {
            cache_off(st); /* a kernel without RTM_GETSTATS */
        } else {
            st->counts.behind++;
        }
    }
    /* The cache is behind the kernel, or the stats dump failed: this
     * collection is a full one, and the cache is rebuilt from it. */
    return full_links(st, snap, err);
}

static netmetrics_status nl_collect_addresses(void *state, netmetrics_snapshot *snap,
                                              netmetrics_error *err)
{
    struct nl_state *st = state;
    size_t base = snap->addr_count;
    netmetrics_status s;

    if (st->cache) {
        drain(st);
        if (nm_linkcache_addrs_valid(st->cache) &&
            nm_monotonic_ns() - st->addrs_loaded_ns < NL_RESYNC_NS) {
            s = nm_linkcache_emit_addrs(st->cache, snap, err);
            if (s == NETMETRICS_OK)
                st->counts.addr_cached++;
            return s;
        }
    }
    st->counts.addr_dumps++;
    s = dump(st, RTM_GETADDR, nm_rtnl_feed_addrs, snap, err);
    if (s == NETMETRICS_OK && st->cache && nm_linkcache_load_addrs(st->cache, snap, base) == 0)
        st->addrs_loaded_ns = nm_monotonic_ns();
    return s;
}

static void nl_close(void *state)
{
    struct nl_state *st = state;

    if (!st)
        return;
    close_socket(st);
    cache_off(st);
    free(st->buf);
    free(st);
}

void nm_netlink_get_counts(const void *state, nm_netlink_counts *out)
{
    const struct nl_state *st = state;

    memset(out, 0, sizeof *out);
    if (st)
        *out = st->counts;
}

const nm_backend_ops nm_backend_netlink = {
    "netlink", nl_open, nl_collect_links, nl_collect_addresses, nl_close,
};

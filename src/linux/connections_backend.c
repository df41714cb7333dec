/* SPDX-License-Identifier: MIT */
/* Socket I/O for connection monitoring on Linux: one NETLINK_SOCK_DIAG
 * socket per collection and a SOCK_DIAG_BY_FAMILY dump for each wanted
 * family x protocol (every state), or the four /proc/net tables. This file
 * moves bytes to the pure parsers (sockdiag_parse.c, proc_net_tcp_parse.c)
 * and never interprets them itself. The socket is opened per collection:
 * it costs microseconds next to a dump of thousands of sockets, and keeps
 * the public call stateless and safe from any thread. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "connlist.h"
#include "fileio.h"
#include "nmerror.h"
#include "proc_net_tcp_parse.h"
#include "sockdiag_parse.h"

/* A dump datagram is a few pages; grown on demand (peek with MSG_TRUNC). */
#define SD_BUF_START (32u * 1024u)
#define SD_BUF_MAX (16u * 1024u * 1024u)
#define SD_RCVBUF (1024 * 1024)
#define SD_TIMEOUT_SEC 5
/* Dumps interrupted by a concurrent change are redone, then accepted. */
#define SD_ATTEMPTS 3
/* /proc/net/tcp is ~150 bytes a socket: this is millions of sockets. */
#define PROC_NET_MAX ((size_t)1 << 30)

typedef struct sd_conn {
    int fd;
    uint32_t portid, seq;
    unsigned char *buf;
    size_t cap;
} sd_conn;

static netmetrics_status sd_open(sd_conn *s, netmetrics_error *err)
{
    struct sockaddr_nl sa;
    socklen_t salen = sizeof sa;
    struct timeval tv;
    int rcvbuf = SD_RCVBUF, e;

    s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (s->fd < 0)
        return nm_error_errno(err, errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
    if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        (void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    tv.tv_sec = SD_TIMEOUT_SEC;
    tv.tv_usec = 0;
    (void)setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK;
    if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0) {
        e = errno;
        close(s->fd);
        s->fd = -1;
        return nm_error_errno(err, e, "binding the sock_diag socket");
    }
    s->portid = sa.nl_pid;
    s->cap = SD_BUF_START;
    s->buf = malloc(s->cap);
    if (!s->buf) {
        close(s->fd);
        s->fd = -1;
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    return NETMETRICS_OK;
}

static void sd_close(sd_conn *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    free(s->buf);
    s->buf = NULL;
}

static netmetrics_status sd_request(sd_conn *s, uint8_t family, uint8_t protocol,
                                    netmetrics_error *err)
{
    struct {
        struct nlmsghdr h;
        struct inet_diag_req_v2 r;
    } req;
    struct sockaddr_nl kernel;
    ssize_t n;

    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = ++s->seq;
    req.h.nlmsg_pid = s->portid;
    req.r.sdiag_family = family;
    req.r.sdiag_protocol = protocol;
    req.r.idiag_states = ~0u; /* every state, request sockets included */
    memset(&kernel, 0, sizeof kernel);
    kernel.nl_family = AF_NETLINK;
    do {
        n = sendto(s->fd, &req, sizeof req, 0, (const struct sockaddr *)&kernel, sizeof kernel);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return nm_error_errno(err, errno, "sending the sock_diag request");
    if ((size_t)n != sizeof req)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "sock_diag request sent in part");
    return NETMETRICS_OK;
}

static netmetrics_status sd_recv(sd_conn *s, size_t *len, netmetrics_error *err)
{
    for (;;) {
        struct sockaddr_nl from;
        struct iovec iov;
        struct msghdr mh;
        ssize_t n;

        n = recv(s->fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return nm_error_set(err, NETMETRICS_ERR_SYSTEM, errno,
                                    "sock_diag: no answer within %d s", SD_TIMEOUT_SEC);
            return nm_error_errno(err, errno, "receiving from sock_diag");
        }
        if ((size_t)n > s->cap) {
            size_t ncap = s->cap;
            unsigned char *nb;

            if ((size_t)n > SD_BUF_MAX)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "sock_diag: a %zd-byte datagram is beyond any sane size", n);
            while (ncap < (size_t)n)
                ncap *= 2;
            nb = realloc(s->buf, ncap);
            if (!nb)
                return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
            s->buf = nb;
            s->cap = ncap;
        }
        memset(&mh, 0, sizeof mh);
        iov.iov_base = s->buf;
        iov.iov_len = s->cap;
        mh.msg_name = &from;
        mh.msg_namelen = sizeof from;
        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        n = recvmsg(s->fd, &mh, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return nm_error_errno(err, errno, "receiving from sock_diag");
        }
        if (mh.msg_flags & MSG_TRUNC)
            return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "sock_diag: datagram truncated");
        if (mh.msg_namelen < sizeof from || from.nl_pid != 0)
            continue; /* only the kernel's answers count */
        *len = (size_t)n;
        return NETMETRICS_OK;
    }
}

/* One family x protocol dump, redone (from the same list length) when the
 * kernel flags it interrupted. A dump that fails leaves the socket with an
 * unread answer, so the caller must not reuse it: every failure here ends
 * the collection. */
static netmetrics_status sd_dump(sd_conn *s, uint8_t family, uint8_t protocol,
                                 netmetrics_conn_protocol proto, netmetrics_connections *l,
                                 netmetrics_error *err)
{
    size_t base = l->count, base_bad = l->malformed;
    netmetrics_status st = NETMETRICS_OK;
    int attempt;

    for (attempt = 1; attempt <= SD_ATTEMPTS; attempt++) {
        nm_rtnl_walker w;
        size_t skipped = 0, n = 0;

        nm_connlist_truncate(l, base);
        l->malformed = base_bad;
        st = sd_request(s, family, protocol, err);
        if (st != NETMETRICS_OK)
            return st;
        nm_rtnl_walk_init(&w);
        nm_rtnl_walk_expect(&w, s->seq, s->portid);
        while (!nm_rtnl_walk_done(&w)) {
            st = sd_recv(s, &n, err);
            if (st != NETMETRICS_OK)
                return st;
            st = nm_sockdiag_feed(&w, s->buf, n, proto, l, &skipped, err);
            if (st != NETMETRICS_OK)
                return st;
        }
        if (!w.interrupted)
            break;
    }
    return st;
}

netmetrics_status nm_conn_collect_netlink(netmetrics_connections *l, unsigned flags,
                                          netmetrics_error *err)
{
    static const struct {
        uint8_t family, protocol;
        unsigned fam_bit, proto_bit;
        netmetrics_conn_protocol proto;
    } dumps[] = {
        {AF_INET, IPPROTO_TCP, NETMETRICS_CONN_INET, NETMETRICS_CONN_TCP,
         NETMETRICS_CONN_PROTO_TCP},
        {AF_INET6, IPPROTO_TCP, NETMETRICS_CONN_INET6, NETMETRICS_CONN_TCP,
         NETMETRICS_CONN_PROTO_TCP},
        {AF_INET, IPPROTO_UDP, NETMETRICS_CONN_INET, NETMETRICS_CONN_UDP,
         NETMETRICS_CONN_PROTO_UDP},
        {AF_INET6, IPPROTO_UDP, NETMETRICS_CONN_INET6, NETMETRICS_CONN_UDP,
         NETMETRICS_CONN_PROTO_UDP},
    };
    sd_conn s;
    netmetrics_status st = NETMETRICS_OK;
    size_t i;

    memset(&s, 0, sizeof s);
    s.fd = -1;
    st = sd_open(&s, err);
    if (st != NETMETRICS_OK)
        return st;
    for (i = 0; i < sizeof dumps / sizeof dumps[0]; i++) {
        if (!NM_CONN_WANT(flags, dumps[i].fam_bit) || !NM_CONN_WANT(flags, dumps[i].proto_bit))
            continue;
        st = sd_dump(&s, dumps[i].family, dumps[i].protocol, dumps[i].proto, l, err);
        if (st != NETMETRICS_OK) {
            nm_error_prefix(err, "sock_diag");
            break;
        }
    }
    sd_close(&s);
    return st;
}

netmetrics_status nm_conn_collect_procfs(netmetrics_connections *l, const char *proc_root,
                                         unsigned flags, netmetrics_error *err)
{
    static const struct {
        const char *rel;
        int family;
        unsigned fam_bit, proto_bit;
        netmetrics_conn_protocol proto;
        int optional; /* absent without IPv6 */
    } files[] = {
        {"net/tcp", NETMETRICS_FAMILY_INET, NETMETRICS_CONN_INET, NETMETRICS_CONN_TCP,
         NETMETRICS_CONN_PROTO_TCP, 0},
        {"net/tcp6", NETMETRICS_FAMILY_INET6, NETMETRICS_CONN_INET6, NETMETRICS_CONN_TCP,
         NETMETRICS_CONN_PROTO_TCP, 1},
        {"net/udp", NETMETRICS_FAMILY_INET, NETMETRICS_CONN_INET, NETMETRICS_CONN_UDP,
         NETMETRICS_CONN_PROTO_UDP, 0},
        {"net/udp6", NETMETRICS_FAMILY_INET6, NETMETRICS_CONN_INET6, NETMETRICS_CONN_UDP,
         NETMETRICS_CONN_PROTO_UDP, 1},
    };
    netmetrics_status st = NETMETRICS_OK;
    nm_strbuf b;
    size_t i;

    nm_strbuf_init(&b);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (!NM_CONN_WANT(flags, files[i].fam_bit) || !NM_CONN_WANT(flags, files[i].proto_bit))
            continue;
        st = nm_read_file(proc_root, files[i].rel, PROC_NET_MAX, &b, err);
        if (st == NETMETRICS_ERR_NOT_AVAILABLE && files[i].optional) {
            st = NETMETRICS_OK;
            continue;
        }
        if (st != NETMETRICS_OK)
            break;
        st = nm_proc_net_parse(b.data, b.len, files[i].family, files[i].proto, l, NULL, err);
        if (st != NETMETRICS_OK) {
            nm_error_prefix(err, files[i].rel);
            break;
        }
    }
    nm_strbuf_free(&b);
    return st;
}

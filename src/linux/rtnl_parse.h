/* SPDX-License-Identifier: MIT */
/* Pure rtnetlink parsers: they take the bytes of one recv() of a dump (or
 * of a notification datagram) and turn them into snapshot entries. Nothing
 * here opens a socket, reads a file or allocates beyond the snapshot's own
 * growth, so every function can be called on arbitrary bytes (unit tests,
 * a libFuzzer target). Every read is bounds-checked against the length
 * given and done with memcpy, so neither a lying length nor an unaligned
 * buffer can make them read out of bounds. */
#ifndef NM_RTNL_PARSE_H
#define NM_RTNL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"
#include "snapshot.h"

/* ------------------------------------------------------------- walker -- */

/* One netlink message as found in a buffer. The payload points into the
 * buffer given to nm_rtnl_walk_buffer (it is not copied). */
typedef struct nm_rtnl_msg {
    uint16_t type;       /* nlmsg_type (RTM_NEWLINK, ...) */
    uint16_t flags;      /* nlmsg_flags */
    uint32_t seq;
    uint32_t pid;
    const unsigned char *payload; /* after the nlmsghdr */
    size_t payload_len;
} nm_rtnl_msg;

/* Where a walk stands. The walker lives across the several recv() buffers
 * of one dump: nm_rtnl_walk_buffer hands it the next one. */
typedef struct nm_rtnl_walker {
    const unsigned char *buf;
    size_t len, off;
    int state;           /* internal: running, done or failed */
    int filter;          /* set by nm_rtnl_walk_expect */
    uint32_t seq, pid;   /* accepted seq and port id when filter is set */
    int interrupted;     /* a message of ours carried NLM_F_DUMP_INTR */
    int events;          /* set by nm_rtnl_walk_events */
    size_t foreign;      /* messages skipped for their seq or port id */
} nm_rtnl_walker;

typedef enum nm_rtnl_step {
    NM_RTNL_STEP_MSG,   /* *msg holds a data message (type >= NLMSG_MIN_TYPE) */
    NM_RTNL_STEP_MORE,  /* buffer used up: the answer goes on in the next recv() */
    NM_RTNL_STEP_DONE,  /* answer complete: NLMSG_DONE, an ACK, or a reply
                         * without NLM_F_MULTI; the rest of the buffer is ignored */
    NM_RTNL_STEP_ERROR  /* err filled: the kernel's NLMSG_ERROR (code and
                         * sys_errno from its errno) or a malformed stream (PARSE) */
} nm_rtnl_step;

/* A fresh walker that accepts every seq and port id, with no buffer yet. */
void nm_rtnl_walk_init(nm_rtnl_walker *w);

/* Accept only messages with this seq and port id; others (left over from an
 * earlier, abandoned request, or not meant for us) are skipped and counted
 * in w->foreign. */
void nm_rtnl_walk_expect(nm_rtnl_walker *w, uint32_t seq, uint32_t pid);

/* Walk a datagram of notifications (a multicast group's messages) rather
 * than an answer: a message without NLM_F_MULTI does not end the walk, the
 * walker just returns NM_RTNL_STEP_MORE at the end of the buffer. */
void nm_rtnl_walk_events(nm_rtnl_walker *w);

/* The next buffer of the answer (replaces the previous one, which must
 * have been walked to NM_RTNL_STEP_MORE). */
void nm_rtnl_walk_buffer(nm_rtnl_walker *w, const void *buf, size_t len);

/* Steps to the next data message. NLMSG_NOOP and other control types are
 * skipped. After DONE or ERROR the walker stays there (ERROR again with a
 * short message) until re-initialised. */
nm_rtnl_step nm_rtnl_walk_next(nm_rtnl_walker *w, nm_rtnl_msg *msg, netmetrics_error *err);

/* 1 when the walker reached DONE. */
int nm_rtnl_walk_done(const nm_rtnl_walker *w);

/* --------------------------------------------------------- attributes -- */

/* An iterator over the rtattr list of one message or nested attribute,
 * shared by the parsers of this directory. */
typedef struct nm_rtnl_attr_iter {
    const unsigned char *p;
    size_t left;
    const char *where; /* for messages: "RTM_NEWLINK", "IFLA_LINKINFO" */
} nm_rtnl_attr_iter;

void nm_rtnl_attr_start(nm_rtnl_attr_iter *it, const unsigned char *p, size_t len,
                        const char *where);

/* 1 with the next attribute (type without the NESTED/BYTEORDER bits; data
 * and dlen its payload, inside the buffer), 0 at the end, -1 with err set
 * when the lengths do not add up. */
int nm_rtnl_attr_next(nm_rtnl_attr_iter *it, unsigned *type, const unsigned char **data,
                      size_t *dlen, netmetrics_error *err);

/* Copies `count` counters of `width` bytes (8 or 4) from data, in the order
 * of struct rtnl_link_stats64 (which enum netmetrics_stat follows), into
 * stats and sets their bits in *valid; counters past the known ones (a
 * newer kernel's) are ignored. data must hold count * width bytes. */
void nm_rtnl_copy_counters(const unsigned char *data, size_t count, size_t width,
                           uint64_t stats[NETMETRICS_STAT_COUNT], uint32_t *valid);

/* ------------------------------------------------------ single messages -- */

/* Parses the payload of one RTM_NEWLINK message (struct ifinfomsg followed
 * by attributes) into *out, which is fully initialised first (carrier -1,
 * link_type from ifi_type, no stats, strings ""). Its text (kind, alias,
 * parent device and bus) is copied into `strings` (the snapshot's, when out
 * is one of its interfaces), which out then points into. The link cache
 * keeps what this fills (lc_link in linkcache.c): a field added here must
 * be added there too. Errors: NETMETRICS_ERR_PARSE with a message naming
 * the problem (truncated ifinfomsg, a bad attribute length, a missing or
 * malformed IFLA_IFNAME, ...); NETMETRICS_ERR_NO_MEMORY when `strings`
 * cannot grow. *out is then unspecified. */
netmetrics_status nm_rtnl_parse_link(const void *payload, size_t len,
                                     struct netmetrics_interface *out, nm_strstore *strings,
                                     netmetrics_error *err);

/* Parses the payload of one RTM_NEWADDR message (struct ifaddrmsg and
 * attributes) into *ifindex and *out. Errors: NETMETRICS_ERR_NOT_AVAILABLE
 * when the family is neither AF_INET nor AF_INET6 (the caller skips it);
 * NETMETRICS_ERR_PARSE for a malformed message (bad lengths, no address,
 * prefix length beyond the family's width, ifindex 0 or too large). */
netmetrics_status nm_rtnl_parse_addr(const void *payload, size_t len, int *ifindex,
                                     netmetrics_address *out, netmetrics_error *err);

/* -------------------------------------------------------- whole buffers -- */

/* What feeding buffers of a dump did. Accumulates across calls; zero it
 * (nm_rtnl_tally_init) before a dump. */
typedef struct nm_rtnl_tally {
    size_t added;     /* interfaces or addresses appended */
    size_t malformed; /* messages dropped because they did not parse */
    size_t skipped;   /* messages of another type, or addresses of another family */
    netmetrics_error first_error; /* why the first malformed message was dropped */
} nm_rtnl_tally;

void nm_rtnl_tally_init(nm_rtnl_tally *t);

/* What a dump feed does with one message of its type: NETMETRICS_OK (it
 * counts as added), NETMETRICS_ERR_NOT_AVAILABLE (skipped: not for this
 * collection), NETMETRICS_ERR_NO_MEMORY (the feed stops), or another error
 * with *perr saying why (the message is dropped as malformed and the dump
 * goes on). */
typedef netmetrics_status (*nm_rtnl_msg_fn)(void *ctx, const nm_rtnl_msg *m,
                                            netmetrics_error *perr);

/* Walks one recv() buffer of a dump with w and hands every message of
 * `type` to fn, counting in t; messages of other types are skipped.
 * Returns NETMETRICS_OK when the buffer was used up or the dump finished
 * (nm_rtnl_walk_done tells which); the walker's error when the stream
 * itself is malformed or the kernel answered NLMSG_ERROR;
 * NETMETRICS_ERR_NO_MEMORY when fn says so. The link, address and stats
 * feeds below are this with their own fn. */
netmetrics_status nm_rtnl_feed(nm_rtnl_walker *w, const void *buf, size_t len, uint16_t type,
                               nm_rtnl_msg_fn fn, void *ctx, nm_rtnl_tally *t,
                               netmetrics_error *err);

/* Walks one recv() buffer of an RTM_GETLINK dump with w and appends every
 * RTM_NEWLINK to snap (nm_snapshot_add_interface, strings into
 * snap->strings). A message that does not parse is dropped again
 * (nm_snapshot_drop_last) and counted in t; the dump goes on. Returns
 * NETMETRICS_OK when the buffer was used up or the dump finished
 * (nm_rtnl_walk_done tells which); the walker's error when the stream
 * itself is malformed or the kernel answered NLMSG_ERROR;
 * NETMETRICS_ERR_NO_MEMORY when the snapshot cannot grow. */
netmetrics_status nm_rtnl_feed_links(nm_rtnl_walker *w, const void *buf, size_t len,
                                     netmetrics_snapshot *snap, nm_rtnl_tally *t,
                                     netmetrics_error *err);

/* The same for an RTM_GETADDR dump: every IPv4/IPv6 RTM_NEWADDR is appended
 * with nm_snapshot_add_address; other families are skipped. */
netmetrics_status nm_rtnl_feed_addrs(nm_rtnl_walker *w, const void *buf, size_t len,
                                     netmetrics_snapshot *snap, nm_rtnl_tally *t,
                                     netmetrics_error *err);

#endif

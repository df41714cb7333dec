/* SPDX-License-Identifier: MIT */
/* Pure parser of RTM_NEWSTATS messages: the answer to an RTM_GETSTATS dump
 * asked with the IFLA_STATS_LINK_64 filter, one message per interface with
 * its struct rtnl_link_stats64. Like rtnl_parse.h it takes bytes, never
 * does I/O, and checks every length before reading. */
#ifndef NM_RTNL_STATS_PARSE_H
#define NM_RTNL_STATS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"
#include "rtnl_parse.h"

/* The ABI of RTM_GETSTATS (Linux 4.7), spelled out so that the parser
 * builds against any kernel headers; the values never change. */
#ifndef RTM_NEWSTATS
#define RTM_NEWSTATS 92
#endif
#ifndef RTM_GETSTATS
#define RTM_GETSTATS 94
#endif
#define NM_IFLA_STATS_LINK_64 1 /* struct rtnl_link_stats64 */
#define NM_IFLA_STATS_FILTER_LINK_64 (1u << (NM_IFLA_STATS_LINK_64 - 1))

/* struct if_stats_msg: the fixed header of an RTM_GETSTATS request and of
 * each RTM_NEWSTATS answer. */
typedef struct nm_if_stats_msg {
    uint8_t family;
    uint8_t pad1;
    uint16_t pad2;
    uint32_t ifindex;
    uint32_t filter_mask;
} nm_if_stats_msg;

/* One interface's counters. */
typedef struct nm_rtnl_stats {
    int32_t ifindex;
    uint32_t valid; /* bit i: counters[i] was given (older kernels send fewer) */
    uint64_t counters[NETMETRICS_STAT_COUNT];
} nm_rtnl_stats;

/* Parses the payload of one RTM_NEWSTATS message (struct if_stats_msg and
 * attributes) into *out. Errors, all NETMETRICS_ERR_PARSE with a message
 * naming the problem: truncated if_stats_msg, ifindex 0 or beyond INT32_MAX,
 * an attribute whose length runs past the message, an IFLA_STATS_LINK_64
 * that is empty or not a whole number of u64 counters, or none at all (it
 * was asked for, so a message without one is not what we asked for). */
netmetrics_status nm_rtnl_parse_stats(const void *payload, size_t len, nm_rtnl_stats *out,
                                      netmetrics_error *err);

/* Called for every RTM_NEWSTATS that parsed. */
typedef void (*nm_rtnl_stats_sink)(void *ctx, const nm_rtnl_stats *stats);

/* Walks one recv() buffer of an RTM_GETSTATS dump with w and hands every
 * RTM_NEWSTATS that parses to sink; one that does not is counted in t
 * (malformed, first_error) and skipped, so the caller sees an interface
 * without counters. Returns as nm_rtnl_feed_links does: NETMETRICS_OK when
 * the buffer was used up or the dump finished (nm_rtnl_walk_done), the
 * walker's error when the stream is malformed or the kernel answered
 * NLMSG_ERROR (sys_errno EOPNOTSUPP or EINVAL: a kernel without
 * RTM_GETSTATS). */
netmetrics_status nm_rtnl_feed_stats(nm_rtnl_walker *w, const void *buf, size_t len,
                                     nm_rtnl_stats_sink sink, void *ctx, nm_rtnl_tally *t,
                                     netmetrics_error *err);

#endif

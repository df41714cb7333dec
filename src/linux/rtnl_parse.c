/* SPDX-License-Identifier: MIT */
/* Pure rtnetlink parsing: a walker over the netlink messages of one recv()
 * buffer, parsers of RTM_NEWLINK and RTM_NEWADDR, and the glue that feeds a
 * dump's buffers into a snapshot. It must never do I/O and never trust a
 * length from the buffer: every header is copied out with memcpy after its
 * bounds were checked, so any bytes at any alignment are safe input (this is
 * what the fuzz target relies on). */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nmerror.h"
#include "rtnl_parse.h"

enum { WALK_RUNNING = 0, WALK_DONE, WALK_FAILED };

/* The IFF_* bits netmetrics.h names (UP .. ECHO). */
#define NM_FLAGS_KNOWN 0x7ffffu

/* Largest errno the kernel puts in NLMSG_ERROR (MAX_ERRNO); anything else is
 * garbage, and negating INT_MIN would be undefined. */
#define NM_MAX_ERRNO 4095

#ifndef NLA_TYPE_MASK
#define NLA_TYPE_MASK 0x3fff
#endif

/* ------------------------------------------------------------- walker -- */

void nm_rtnl_walk_init(nm_rtnl_walker *w)
{
    memset(w, 0, sizeof *w);
    w->state = WALK_RUNNING;
}

void nm_rtnl_walk_expect(nm_rtnl_walker *w, uint32_t seq, uint32_t pid)
{
    w->filter = 1;
    w->seq = seq;
    w->pid = pid;
}

void nm_rtnl_walk_events(nm_rtnl_walker *w)
{
    w->events = 1;
}

void nm_rtnl_walk_buffer(nm_rtnl_walker *w, const void *buf, size_t len)
{
    w->buf = buf;
    w->len = buf ? len : 0;
    w->off = 0;
}

int nm_rtnl_walk_done(const nm_rtnl_walker *w)
{
    return w->state == WALK_DONE;
}

static nm_rtnl_step walk_fail(nm_rtnl_walker *w)
{
    w->state = WALK_FAILED;
    return NM_RTNL_STEP_ERROR;
}

/* Reads the kernel's error code at the start of an NLMSG_ERROR or NLMSG_DONE
 * payload. 0 when the code is 0, 1 when it is a valid -errno (in *e, made
 * positive), -1 when it is neither. */
static int read_errno(const unsigned char *p, int *e)
{
    int32_t v;

    memcpy(&v, p, sizeof v);
    if (v == 0)
        return 0;
    if (v < 0 && v >= -NM_MAX_ERRNO) {
        *e = -v;
        return 1;
    }
    return -1;
}

/* The extended-ACK text (NLMSGERR_ATTR_MSG) of an NLMSG_ERROR, if the kernel
 * sent one, copied into out (size > 0). Best effort: any inconsistency just
 * means no text, since the errno is what matters. */
static void ext_ack_text(const nm_rtnl_msg *m, char *out, size_t size)
{
    out[0] = '\0';
#if defined(NLM_F_ACK_TLVS) && defined(NLM_F_CAPPED)
    {
        struct nlmsghdr orig;
        size_t off, left;

        if (!(m->flags & NLM_F_ACK_TLVS) || m->payload_len < sizeof(int32_t) + sizeof orig)
            return;
        memcpy(&orig, m->payload + sizeof(int32_t), sizeof orig);
        off = sizeof(int32_t) + sizeof orig;
        /* Without CAPPED the whole request is echoed after the header. */
        if (!(m->flags & NLM_F_CAPPED)) {
            if (orig.nlmsg_len < sizeof orig || orig.nlmsg_len - sizeof orig > m->payload_len - off)
                return;
            off += NLMSG_ALIGN(orig.nlmsg_len - sizeof orig);
        }
        while (off + sizeof(struct rtattr) <= m->payload_len) {
            struct rtattr rta;
            size_t dlen, adv;

            left = m->payload_len - off;
            memcpy(&rta, m->payload + off, sizeof rta);
            if (rta.rta_len < sizeof rta || rta.rta_len > left)
                return;
            dlen = rta.rta_len - sizeof rta;
            if ((rta.rta_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
                const unsigned char *s = m->payload + off + sizeof rta;
                const unsigned char *nul = memchr(s, '\0', dlen);
                size_t n = nul ? (size_t)(nul - s) : dlen;

                if (n >= size)
                    n = size - 1;
                memcpy(out, s, n);
                out[n] = '\0';
                return;
            }
            adv = RTA_ALIGN(rta.rta_len);
            if (adv > left)
                break;
            off += adv;
        }
    }
#else
    (void)m;
    (void)size;
#endif
}

nm_rtnl_step nm_rtnl_walk_next(nm_rtnl_walker *w, nm_rtnl_msg *msg, netmetrics_error *err)
{
    for (;;) {
        struct nlmsghdr h;
        size_t left, adv, pad;
        int e = 0, r;

        if (w->state == WALK_DONE)
            return NM_RTNL_STEP_DONE;
        if (w->state == WALK_FAILED) {
            nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "netlink stream already failed");
            return NM_RTNL_STEP_ERROR;
        }
        left = w->len - w->off;
        if (left == 0)
            return NM_RTNL_STEP_MORE;
        /* A recv() returns whole datagrams, so a partial header is a bug
         * or a lie, never "the rest comes later". */
        if (left < sizeof h) {
            nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                         "netlink: %zu trailing bytes, too short for a message header", left);
            return walk_fail(w);
        }
        memcpy(&h, w->buf + w->off, sizeof h);
        if (h.nlmsg_len < sizeof h) {
            nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                         "netlink: nlmsg_len %u is shorter than the %zu-byte header",
                         (unsigned)h.nlmsg_len, sizeof h);
            return walk_fail(w);
        }
        if (h.nlmsg_len > left) {
            nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                         "netlink: nlmsg_len %u runs past the %zu bytes left in the buffer",
                         (unsigned)h.nlmsg_len, left);
            return walk_fail(w);
        }
        msg->type = h.nlmsg_type;
        msg->flags = h.nlmsg_flags;
        msg->seq = h.nlmsg_seq;
        msg->pid = h.nlmsg_pid;
        msg->payload = w->buf + w->off + sizeof h;
        msg->payload_len = h.nlmsg_len - sizeof h;

        /* The next header starts at the aligned end; a misaligned last
         * message may lack its padding, so never step past the buffer. */
        pad = (NLMSG_ALIGNTO - h.nlmsg_len % NLMSG_ALIGNTO) % NLMSG_ALIGNTO;
        adv = (size_t)h.nlmsg_len + (pad <= left - h.nlmsg_len ? pad : left - h.nlmsg_len);
        w->off += adv;

        if (w->filter && (h.nlmsg_seq != w->seq || h.nlmsg_pid != w->pid)) {
            w->foreign++;
            continue;
        }
        if (h.nlmsg_flags & NLM_F_DUMP_INTR)
            w->interrupted = 1;

        switch (h.nlmsg_type) {
        case NLMSG_NOOP:
            continue;
        case NLMSG_DONE:
            /* A dump that failed half way says so in DONE's payload. */
            if (msg->payload_len >= sizeof(int32_t)) {
                r = read_errno(msg->payload, &e);
                if (r > 0) {
                    nm_error_errno(err, e, "netlink: dump ended with an error");
                    return walk_fail(w);
                }
            }
            w->state = WALK_DONE;
            return NM_RTNL_STEP_DONE;
        case NLMSG_ERROR: {
            char text[160];

            if (msg->payload_len < sizeof(int32_t)) {
                nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                             "netlink: NLMSG_ERROR of %zu bytes has no error code",
                             msg->payload_len);
                return walk_fail(w);
            }
            r = read_errno(msg->payload, &e);
            if (r == 0) { /* an ACK: the request is complete */
                w->state = WALK_DONE;
                return NM_RTNL_STEP_DONE;
            }
            if (r < 0) {
                nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                             "netlink: NLMSG_ERROR carries no valid errno");
                return walk_fail(w);
            }
            ext_ack_text(msg, text, sizeof text);
            if (text[0])
                nm_error_errno(err, e, "netlink: kernel refused the request (%s)", text);
            else
                nm_error_errno(err, e, "netlink: kernel refused the request");
            return walk_fail(w);
        }
        case NLMSG_OVERRUN:
            nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netlink: kernel reported an overrun");
            return walk_fail(w);
        default:
            break;
        }
        if (h.nlmsg_type < NLMSG_MIN_TYPE)
            continue; /* reserved control message */
        /* A reply that is not part of a multi-part answer is the whole
         * answer; notifications are never multi-part and never end. */
        if (!(h.nlmsg_flags & NLM_F_MULTI) && !w->events)
            w->state = WALK_DONE;
        return NM_RTNL_STEP_MSG;
    }
}

/* --------------------------------------------------------- attributes -- */

void nm_rtnl_attr_start(nm_rtnl_attr_iter *it, const unsigned char *p, size_t len,
                        const char *where)
{
    it->p = p;
    it->left = len;
    it->where = where;
}

int nm_rtnl_attr_next(nm_rtnl_attr_iter *it, unsigned *type, const unsigned char **data,
                      size_t *dlen, netmetrics_error *err)
{
    struct rtattr rta;
    size_t adv;

    if (it->left == 0)
        return 0;
    if (it->left < sizeof rta) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                     "%s: %zu trailing bytes, too short for an attribute header", it->where,
                     it->left);
        return -1;
    }
    memcpy(&rta, it->p, sizeof rta);
    if (rta.rta_len < sizeof rta) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                     "%s: attribute %u has rta_len %u, shorter than its %zu-byte header",
                     it->where, (unsigned)rta.rta_type, (unsigned)rta.rta_len, sizeof rta);
        return -1;
    }
    if (rta.rta_len > it->left) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                     "%s: attribute %u has rta_len %u, past the %zu bytes left", it->where,
                     (unsigned)rta.rta_type, (unsigned)rta.rta_len, it->left);
        return -1;
    }
    *type = rta.rta_type & NLA_TYPE_MASK;
    *data = it->p + sizeof rta;
    *dlen = rta.rta_len - sizeof rta;
    adv = RTA_ALIGN(rta.rta_len);
    if (adv > it->left)
        adv = it->left; /* last attribute without its padding */
    it->p += adv;
    it->left -= adv;
    return 1;
}

/* An attribute whose payload is shorter than its type needs. */
static netmetrics_status too_short(netmetrics_error *err, const char *name, size_t got,
                                   size_t want)
{
    return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s: payload of %zu bytes, needs %zu", name,
                        got, want);
}

/* Copies a NUL-terminated string attribute into out (size bytes). 0, or -1
 * with err set when it has no NUL or does not fit. */
static int copy_string(const unsigned char *data, size_t dlen, char *out, size_t size,
                       const char *name, netmetrics_error *err)
{
    const unsigned char *nul = memchr(data, '\0', dlen);
    size_t n;

    if (!nul) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s is not NUL-terminated", name);
        return -1;
    }
    n = (size_t)(nul - data);
    if (n >= size) {
        nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s of %zu bytes is too long (at most %zu)",
                     name, n, size - 1);
        return -1;
    }
    memcpy(out, data, n);
    out[n] = '\0';
    return 0;
}

/* ---------------------------------------------------------- RTM_NEWLINK -- */

/* A u32 attribute; -1 with err set when its payload is too short. */
static int parse_u32(const unsigned char *d, size_t n, const char *name, uint32_t *out,
                     netmetrics_error *err)
{
    if (n < sizeof *out) {
        too_short(err, name, n, sizeof *out);
        return -1;
    }
    memcpy(out, d, sizeof *out);
    return 0;
}

/* A string attribute that may be absent or odd: copied into the string
 * store up to its NUL or its end, cut to max bytes; "" when dlen is 0.
 * Fails only when the store cannot grow (-1, err set). */
static int optional_string(const unsigned char *d, size_t dlen, size_t max, nm_strstore *strings,
                           const char **out, netmetrics_error *err)
{
    const unsigned char *nul = memchr(d, '\0', dlen);
    size_t n = nul ? (size_t)(nul - d) : dlen;
    const char *s;

    if (n > max)
        n = max;
    s = nm_strstore_add(strings, (const char *)d, n);
    if (!s) {
        nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        return -1;
    }
    *out = s;
    return 0;
}

/* IFLA_LINKINFO: the kind, copied into the string store. A kind without
 * a NUL, or of NM_KIND_SIZE bytes or more, fails the link as it always has
 * (the kernel's kinds are short). NETMETRICS_OK, NETMETRICS_ERR_PARSE or
 * NETMETRICS_ERR_NO_MEMORY, with err set. */
static netmetrics_status parse_linkinfo(const unsigned char *data, size_t dlen,
                                        struct netmetrics_interface *out, nm_strstore *strings,
                                        netmetrics_error *err)
{
    nm_rtnl_attr_iter it;
    const unsigned char *d, *nul;
    unsigned type;
    size_t n;
    int r;

    nm_rtnl_attr_start(&it, data, dlen, "IFLA_LINKINFO");
    while ((r = nm_rtnl_attr_next(&it, &type, &d, &n, err)) > 0) {
        const char *kind;

        if (type != IFLA_INFO_KIND)
            continue;
        nul = memchr(d, '\0', n);
        if (!nul)
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "IFLA_INFO_KIND is not NUL-terminated");
        n = (size_t)(nul - d);
        if (n >= NM_KIND_SIZE)
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "IFLA_INFO_KIND of %zu bytes is too long (at most %d)", n,
                                NM_KIND_SIZE - 1);
        kind = nm_strstore_add(strings, (const char *)d, n);
        if (!kind)
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        out->kind = kind;
    }
    return r < 0 ? NETMETRICS_ERR_PARSE : NETMETRICS_OK;
}

void nm_rtnl_copy_counters(const unsigned char *data, size_t count, size_t width,
                           uint64_t stats[NETMETRICS_STAT_COUNT], uint32_t *valid)
{
    size_t i;

    if (count > NETMETRICS_STAT_COUNT)
        count = NETMETRICS_STAT_COUNT; /* a newer kernel's extra fields */
    if (width == sizeof(uint64_t)) {
        /* The common case, once per interface per scrape: one copy, not a
         * loop (u64 in host order, like the array). */
        if (count) {
            memcpy(stats, data, count * sizeof(uint64_t));
            *valid |= count >= 32 ? 0xffffffffu : (1u << count) - 1u;
        }
        return;
    }
    for (i = 0; i < count; i++) {
        uint32_t v;

        memcpy(&v, data + i * sizeof v, sizeof v);
        stats[i] = v;
        *valid |= 1u << i;
    }
}

netmetrics_status nm_rtnl_parse_link(const void *payload, size_t len,
                                     struct netmetrics_interface *out, nm_strstore *strings,
                                     netmetrics_error *err)
{
    const unsigned char *p = payload;
    const unsigned char *s64 = NULL, *s32 = NULL, *d;
    size_t s64_len = 0, s32_len = 0, n, hdr;
    struct ifinfomsg ifi;
    nm_rtnl_attr_iter it;
    unsigned type;
    int have_name = 0, r;

    nm_interface_blank(out);
    if (!p || len < sizeof ifi)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWLINK: truncated ifinfomsg (%zu of %zu bytes)", p ? len : 0,
                            sizeof ifi);
    memcpy(&ifi, p, sizeof ifi);
    if (ifi.ifi_index <= 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "RTM_NEWLINK: ifindex %d is not positive",
                            ifi.ifi_index);
    out->ifindex = ifi.ifi_index;
    out->flags = ifi.ifi_flags & NM_FLAGS_KNOWN;
    out->link_type = ifi.ifi_type;

    hdr = NLMSG_ALIGN(sizeof ifi);
    if (hdr > len)
        hdr = len;
    nm_rtnl_attr_start(&it, p + hdr, len - hdr, "RTM_NEWLINK");
    while ((r = nm_rtnl_attr_next(&it, &type, &d, &n, err)) > 0) {
        switch (type) {
        case IFLA_IFNAME:
            if (copy_string(d, n, out->name, sizeof out->name, "IFLA_IFNAME", err) < 0)
                return NETMETRICS_ERR_PARSE;
            if (!out->name[0])
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "IFLA_IFNAME is empty");
            have_name = 1;
            break;
        case IFLA_MTU:
            if (n < sizeof out->mtu)
                return too_short(err, "IFLA_MTU", n, sizeof out->mtu);
            memcpy(&out->mtu, d, sizeof out->mtu);
            break;
        case IFLA_OPERSTATE:
            if (n < 1)
                return too_short(err, "IFLA_OPERSTATE", n, 1);
            /* Out-of-range states would index past name tables downstream. */
            out->operstate = d[0] <= NETMETRICS_OPER_UP ? d[0] : NETMETRICS_OPER_UNKNOWN;
            break;
        case IFLA_CARRIER:
            if (n < 1)
                return too_short(err, "IFLA_CARRIER", n, 1);
            out->carrier = d[0] ? 1 : 0;
            break;
        case IFLA_ADDRESS:
            if (n > sizeof out->hwaddr)
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "IFLA_ADDRESS of %zu bytes is longer than %zu", n,
                                    sizeof out->hwaddr);
            memcpy(out->hwaddr, d, n);
            out->hwaddr_len = (uint8_t)n;
            break;
        case IFLA_LINKINFO: {
            netmetrics_status st = parse_linkinfo(d, n, out, strings, err);

            if (st != NETMETRICS_OK)
                return st;
            break;
        }
        case IFLA_TXQLEN:
            if (parse_u32(d, n, "IFLA_TXQLEN", &out->txqlen, err) < 0)
                return NETMETRICS_ERR_PARSE;
            out->link_valid |= NM_LINK_HAVE_TXQLEN;
            break;
        case IFLA_CARRIER_CHANGES:
            if (parse_u32(d, n, "IFLA_CARRIER_CHANGES", &out->carrier_changes, err) < 0)
                return NETMETRICS_ERR_PARSE;
            out->link_valid |= NM_LINK_HAVE_CARRIER_CHANGES;
            break;
        case IFLA_MASTER: {
            uint32_t m;

            if (parse_u32(d, n, "IFLA_MASTER", &m, err) < 0)
                return NETMETRICS_ERR_PARSE;
            out->master_ifindex = m <= INT32_MAX ? (int32_t)m : 0;
            break;
        }
        /* Optional text: a bad one costs only itself, not the interface. */
        case IFLA_IFALIAS:
            if (optional_string(d, n, NM_IFALIAS_MAX, strings, &out->ifalias, err) < 0)
                return NETMETRICS_ERR_NO_MEMORY;
            break;
        case IFLA_PARENT_DEV_NAME:
            if (optional_string(d, n, NM_PARENT_MAX, strings, &out->parent_dev, err) < 0)
                return NETMETRICS_ERR_NO_MEMORY;
            /* Sent only for a netdev with a parent device: a backing device. */
            out->has_device = 1;
            break;
        case IFLA_PARENT_DEV_BUS_NAME:
            if (optional_string(d, n, NM_PARENT_BUS_MAX, strings, &out->parent_bus, err) < 0)
                return NETMETRICS_ERR_NO_MEMORY;
            break;
        case IFLA_STATS64:
            /* Older kernels send fewer fields; every field is a u64. */
            if (n % sizeof(uint64_t))
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "IFLA_STATS64 of %zu bytes is not a whole number of counters",
                                    n);
            s64 = d;
            s64_len = n;
            break;
        case IFLA_STATS:
            if (n % sizeof(uint32_t))
                return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                    "IFLA_STATS of %zu bytes is not a whole number of counters", n);
            s32 = d;
            s32_len = n;
            break;
        default:
            break; /* not ours */
        }
    }
    if (r < 0)
        return NETMETRICS_ERR_PARSE;
    if (!have_name)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWLINK for ifindex %d has no IFLA_IFNAME", out->ifindex);
    /* The 32-bit counters wrap; use them only when there is nothing better. */
    if (s64)
        nm_rtnl_copy_counters(s64, s64_len / sizeof(uint64_t), sizeof(uint64_t), out->stats,
                              &out->stats_valid);
    else if (s32) {
        nm_rtnl_copy_counters(s32, s32_len / sizeof(uint32_t), sizeof(uint32_t), out->stats,
                              &out->stats_valid);
        out->counters_32bit = 1; /* rates treat a decrease as a wrap */
    }
    return NETMETRICS_OK;
}

/* ---------------------------------------------------------- RTM_NEWADDR -- */

netmetrics_status nm_rtnl_parse_addr(const void *payload, size_t len, int *ifindex,
                                     netmetrics_address *out, netmetrics_error *err)
{
    const unsigned char *p = payload;
    const unsigned char *address = NULL, *local = NULL, *d, *use;
    struct ifaddrmsg ifa;
    size_t width, hdr, n;
    unsigned type, max_prefix;
    nm_rtnl_attr_iter it;
    int r;

    memset(out, 0, sizeof *out);
    *ifindex = 0;
    if (!p || len < sizeof ifa)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWADDR: truncated ifaddrmsg (%zu of %zu bytes)", p ? len : 0,
                            sizeof ifa);
    memcpy(&ifa, p, sizeof ifa);
    if (ifa.ifa_family == AF_INET) {
        out->family = NETMETRICS_FAMILY_INET;
        width = 4;
        max_prefix = 32;
    } else if (ifa.ifa_family == AF_INET6) {
        out->family = NETMETRICS_FAMILY_INET6;
        width = 16;
        max_prefix = 128;
    } else {
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                            "RTM_NEWADDR: address family %u is neither IPv4 nor IPv6",
                            (unsigned)ifa.ifa_family);
    }
    if (ifa.ifa_prefixlen > max_prefix)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWADDR: prefix length %u exceeds %u",
                            (unsigned)ifa.ifa_prefixlen, max_prefix);
    if (ifa.ifa_index == 0 || ifa.ifa_index > INT32_MAX)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "RTM_NEWADDR: bad ifindex %u",
                            (unsigned)ifa.ifa_index);

    hdr = NLMSG_ALIGN(sizeof ifa);
    if (hdr > len)
        hdr = len;
    nm_rtnl_attr_start(&it, p + hdr, len - hdr, "RTM_NEWADDR");
    while ((r = nm_rtnl_attr_next(&it, &type, &d, &n, err)) > 0) {
        if (type != IFA_ADDRESS && type != IFA_LOCAL)
            continue;
        if (n != width)
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "%s of %zu bytes in an IPv%d message (needs %zu)",
                                type == IFA_LOCAL ? "IFA_LOCAL" : "IFA_ADDRESS", n, out->family,
                                width);
        if (type == IFA_LOCAL)
            local = d;
        else
            address = d;
    }
    if (r < 0)
        return NETMETRICS_ERR_PARSE;
    /* On point-to-point links IFA_ADDRESS is the peer and IFA_LOCAL our own
     * address. The kernel does this for IPv6 as well (an address added with
     * "peer"), and sends only IFA_ADDRESS otherwise, so LOCAL first for both. */
    use = local ? local : address;
    if (!use)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_NEWADDR: neither IFA_LOCAL nor IFA_ADDRESS");
    memcpy(out->bytes, use, width);
    out->prefix_length = ifa.ifa_prefixlen;
    out->scope = ifa.ifa_scope;
    *ifindex = (int)ifa.ifa_index;
    return NETMETRICS_OK;
}

/* ------------------------------------------------------- whole buffers -- */

void nm_rtnl_tally_init(nm_rtnl_tally *t)
{
    memset(t, 0, sizeof *t);
}

static void tally_bad(nm_rtnl_tally *t, const netmetrics_error *why)
{
    if (t->malformed++ == 0)
        t->first_error = *why;
}

netmetrics_status nm_rtnl_feed(nm_rtnl_walker *w, const void *buf, size_t len, uint16_t type,
                               nm_rtnl_msg_fn fn, void *ctx, nm_rtnl_tally *t,
                               netmetrics_error *err)
{
    netmetrics_error perr, werr;
    netmetrics_status st;
    nm_rtnl_msg m;

    nm_error_clear(&werr);
    nm_rtnl_walk_buffer(w, buf, len);
    for (;;) {
        switch (nm_rtnl_walk_next(w, &m, &werr)) {
        case NM_RTNL_STEP_MORE:
        case NM_RTNL_STEP_DONE:
            return NETMETRICS_OK;
        case NM_RTNL_STEP_ERROR:
            if (err)
                *err = werr;
            return werr.code;
        case NM_RTNL_STEP_MSG:
            break;
        }
        if (m.type != type) {
            t->skipped++;
            continue;
        }
        nm_error_clear(&perr);
        st = fn(ctx, &m, &perr);
        if (st == NETMETRICS_OK)
            t->added++;
        else if (st == NETMETRICS_ERR_NOT_AVAILABLE)
            t->skipped++;
        else if (st == NETMETRICS_ERR_NO_MEMORY)
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        else
            tally_bad(t, &perr);
    }
}

/* One RTM_NEWLINK into the snapshot: a message that does not parse is
 * dropped again. */
static netmetrics_status feed_link(void *ctx, const nm_rtnl_msg *m, netmetrics_error *perr)
{
    netmetrics_snapshot *snap = ctx;
    struct netmetrics_interface *it = nm_snapshot_add_interface(snap);
    netmetrics_status st;

    if (!it)
        return NETMETRICS_ERR_NO_MEMORY;
    st = nm_rtnl_parse_link(m->payload, m->payload_len, it, &snap->strings, perr);
    if (st != NETMETRICS_OK)
        nm_snapshot_drop_last(snap);
    return st;
}

netmetrics_status nm_rtnl_feed_links(nm_rtnl_walker *w, const void *buf, size_t len,
                                     netmetrics_snapshot *snap, nm_rtnl_tally *t,
                                     netmetrics_error *err)
{
    return nm_rtnl_feed(w, buf, len, RTM_NEWLINK, feed_link, snap, t, err);
}

/* One RTM_NEWADDR: an address of another family is skipped
 * (NOT_AVAILABLE from the parser). */
static netmetrics_status feed_addr(void *ctx, const nm_rtnl_msg *m, netmetrics_error *perr)
{
    netmetrics_address a;
    netmetrics_status st;
    int ifindex;

    st = nm_rtnl_parse_addr(m->payload, m->payload_len, &ifindex, &a, perr);
    if (st != NETMETRICS_OK)
        return st;
    if (nm_snapshot_add_address(ctx, ifindex, &a) < 0)
        return NETMETRICS_ERR_NO_MEMORY;
    return NETMETRICS_OK;
}

netmetrics_status nm_rtnl_feed_addrs(nm_rtnl_walker *w, const void *buf, size_t len,
                                     netmetrics_snapshot *snap, nm_rtnl_tally *t,
                                     netmetrics_error *err)
{
    return nm_rtnl_feed(w, buf, len, RTM_NEWADDR, feed_addr, snap, t, err);
}

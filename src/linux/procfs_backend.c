/* SPDX-License-Identifier: MIT */
/* The fallback Linux backend: counters from <proc>/net/dev, metadata from
 * <sys>/class/net/<name>/, addresses from getifaddrs(). Both roots come from
 * the collector options so tests can point them at a fixture tree. This file
 * only reads files and stitches results: the parsing is in
 * procnetdev_parse.c and sysfs_parse.c. Interfaces come and go between the
 * reads; one that vanishes is skipped, never an error. sysfs has no link
 * kind (that lives in IFLA_LINKINFO), so kind stays "". */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "addrlist.h"
#include "fileio.h"
#include "nmerror.h"
#include "procnetdev_parse.h"
#include "snapshot.h"
#include "strbuf.h"
#include "sysfs_parse.h"

/* /proc/net/dev is ~130 bytes per interface: room for 100,000 of them. */
#define NM_PROC_NET_DEV_MAX (16u * 1024u * 1024u)
/* A sysfs attribute is at most one page. */
#define NM_SYSFS_ATTR_MAX 4096u

typedef struct nm_procfs {
    nm_roots roots;
    nm_strbuf dev;  /* /proc/net/dev text, its capacity kept across scrapes */
    nm_strbuf attr; /* one sysfs attribute at a time */
} nm_procfs;

typedef struct nm_procfs_collect {
    nm_procfs *s;
    netmetrics_snapshot *snap;
    netmetrics_error *err;
    size_t kept;
} nm_procfs_collect;

/* Reads <sys>/class/net/<name>/<attr> into s->attr. */
static netmetrics_status read_attr(nm_procfs *s, const char *name, const char *attr,
                                   netmetrics_error *err)
{
    char rel[64];
    int n = snprintf(rel, sizeof rel, "class/net/%s/%s", name, attr);

    if (n < 0 || (size_t)n >= sizeof rel)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "attribute path too long");
    return nm_read_file(s->roots.sys, rel, NM_SYSFS_ATTR_MAX, &s->attr, err);
}

/* Reads a decimal attribute; 0 and the value, or -1 when it is missing or
 * malformed (the caller keeps its "unknown" default). */
static int read_uint(nm_procfs *s, const char *name, const char *attr, uint64_t max,
                     uint64_t *out)
{
    if (read_attr(s, name, attr, NULL) != NETMETRICS_OK)
        return -1;
    return nm_sysfs_parse_uint(s->attr.data, s->attr.len, max, out) == NETMETRICS_OK ? 0 : -1;
}

/* errno values with which reading ifindex says "this interface is gone":
 * the directory went away, or the device is being unregistered (sysfs
 * attributes of a dying netdev answer EINVAL). */
static int vanished(int e)
{
    return e == ENOENT || e == ENODEV || e == ENXIO || e == EINVAL;
}

/* Fills iface from sysfs. *gone is set when the interface has no sysfs
 * directory (any more). Fails only when ifindex cannot be read for another
 * reason or is malformed: without it the interface cannot be placed. */
static netmetrics_status fill_from_sysfs(nm_procfs *s, struct netmetrics_interface *iface,
                                         int *gone, netmetrics_error *err)
{
    netmetrics_error aerr;
    netmetrics_status st;
    netmetrics_operstate oper = NETMETRICS_OPER_UNKNOWN;
    uint64_t v;
    uint32_t flags = 0;
    int have_flags = 0, have_oper = 0;

    *gone = 0;
    nm_error_clear(&aerr);
    st = read_attr(s, iface->name, "ifindex", &aerr);
    if (st != NETMETRICS_OK) {
        if (vanished(aerr.sys_errno)) {
            *gone = 1;
            return NETMETRICS_OK;
        }
        if (err)
            *err = aerr;
        return st;
    }
    if (nm_sysfs_parse_uint(s->attr.data, s->attr.len, INT32_MAX, &v) != NETMETRICS_OK || v == 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "%s/class/net/%s/ifindex: not an interface index", s->roots.sys,
                            iface->name);
    iface->ifindex = (int32_t)v;

    /* The rest is best effort: a missing attribute leaves "unknown". */
    if (read_attr(s, iface->name, "flags", NULL) == NETMETRICS_OK &&
        nm_sysfs_parse_hex32(s->attr.data, s->attr.len, &flags) == NETMETRICS_OK)
        have_flags = 1;
    if (read_uint(s, iface->name, "mtu", UINT32_MAX, &v) == 0)
        iface->mtu = (uint32_t)v;
    if (read_attr(s, iface->name, "operstate", NULL) == NETMETRICS_OK &&
        nm_sysfs_parse_operstate(s->attr.data, s->attr.len, &oper) == NETMETRICS_OK)
        have_oper = 1;
    iface->operstate = (uint8_t)oper;
    /* carrier answers EINVAL while the interface is down: unknown (-1). */
    if (read_uint(s, iface->name, "carrier", 1, &v) == 0)
        iface->carrier = (int8_t)v;
    if (read_uint(s, iface->name, "type", 0xffff, &v) == 0)
        iface->link_type = (int32_t)v;
    if (read_uint(s, iface->name, "addr_len", 255, &v) == 0 && v > 0 &&
        read_attr(s, iface->name, "address", NULL) == NETMETRICS_OK) {
        size_t n;

        if (nm_sysfs_parse_hwaddr(s->attr.data, s->attr.len, iface->hwaddr, sizeof iface->hwaddr,
                                  &n) == NETMETRICS_OK &&
            n == v)
            iface->hwaddr_len = (uint8_t)n;
    }

    if (have_flags) {
        /* sysfs "flags" is dev->flags. Netlink and SIOCGIFFLAGS report
         * dev_get_flags(), which adds RUNNING, LOWER_UP and DORMANT from the
         * operational state while the interface is up; derive them the same
         * way so both backends agree. (PROMISC still differs: sysfs counts
         * packet sockets' promiscuity, netlink only what was set by hand.) */
        flags &= ~(NETMETRICS_FLAG_RUNNING | NETMETRICS_FLAG_LOWER_UP | NETMETRICS_FLAG_DORMANT);
        if (flags & NETMETRICS_FLAG_UP) {
            if (have_oper && (oper == NETMETRICS_OPER_UP || oper == NETMETRICS_OPER_UNKNOWN))
                flags |= NETMETRICS_FLAG_RUNNING;
            if (iface->carrier == 1)
                flags |= NETMETRICS_FLAG_LOWER_UP;
            if (have_oper && oper == NETMETRICS_OPER_DORMANT)
                flags |= NETMETRICS_FLAG_DORMANT;
        }
        iface->flags = flags;
    }
    return NETMETRICS_OK;
}

static netmetrics_status add_row(const nm_procnetdev_row *row, void *arg)
{
    nm_procfs_collect *c = arg;
    struct netmetrics_interface *iface;
    netmetrics_status st;
    int gone;

    iface = nm_snapshot_add_interface(c->snap);
    if (!iface)
        return nm_error_set(c->err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    nm_procnetdev_fill(row, iface);
    st = fill_from_sysfs(c->s, iface, &gone, c->err);
    if (st != NETMETRICS_OK || gone) {
        nm_snapshot_drop_last(c->snap);
        return st;
    }
    c->kept++;
    return NETMETRICS_OK;
}

static void procfs_free(nm_procfs *s)
{
    if (!s)
        return;
    nm_strbuf_free(&s->dev);
    nm_strbuf_free(&s->attr);
    free(s);
}

static netmetrics_status procfs_open(void **state, const nm_roots *roots, netmetrics_error *err)
{
    nm_procfs *s;
    netmetrics_status st;

    *state = NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    s->roots = *roots;
    nm_strbuf_init(&s->dev);
    nm_strbuf_init(&s->attr);
    /* A real read, not access(): root passes access() for anything, and
     * the read also warms the buffer for the first scrape. */
    st = nm_read_file(s->roots.proc, "net/dev", NM_PROC_NET_DEV_MAX, &s->dev, err);
    if (st != NETMETRICS_OK) {
        procfs_free(s);
        return st;
    }
    *state = s;
    return NETMETRICS_OK;
}

static netmetrics_status procfs_collect_links(void *state, netmetrics_snapshot *snap,
                                              netmetrics_error *err)
{
    nm_procfs *s = state;
    nm_procfs_collect c;
    nm_procnetdev_summary sum;
    netmetrics_status st;

    st = nm_read_file(s->roots.proc, "net/dev", NM_PROC_NET_DEV_MAX, &s->dev, err);
    if (st != NETMETRICS_OK)
        return st;
    if (s->dev.len == 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s/net/dev is empty", s->roots.proc);
    c.s = s;
    c.snap = snap;
    c.err = err;
    c.kept = 0;
    st = nm_procnetdev_parse(s->dev.data, s->dev.len, add_row, &c, &sum);
    if (st != NETMETRICS_OK)
        return st;
    /* Some bad lines cost only their interfaces; all bad is a format we
     * do not understand. */
    if (sum.rows == 0 && sum.rejected > 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "%s/net/dev line %u: %s",
                            s->roots.proc, sum.first_rejected_line, sum.first_rejected_why);
    /* Every interface vanishing at once is not churn (lo cannot go): sysfs
     * is missing or is not the one that matches this /proc. */
    if (sum.rows > 0 && c.kept == 0)
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                            "no interface of %s/net/dev has a directory in %s/class/net",
                            s->roots.proc, s->roots.sys);
    return NETMETRICS_OK;
}

/* getifaddrs() asks the live kernel whatever the roots say. */
static netmetrics_status procfs_collect_addresses(void *state, netmetrics_snapshot *snap,
                                                  netmetrics_error *err)
{
    (void)state;
    return nm_ifaddrs_collect(snap, err);
}

static void procfs_close(void *state)
{
    procfs_free(state);
}

const nm_backend_ops nm_backend_procfs = {
    "procfs",
    procfs_open,
    procfs_collect_links,
    procfs_collect_addresses,
    procfs_close,
};

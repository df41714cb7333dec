/* SPDX-License-Identifier: MIT */
/* socket_fdinfo decoding and the de-duplicating socket table (see
 * sockinfo_parse.h). Fields are read with memcpy at the offsets of
 * darwin_layout.h after one length check against the whole structure, so
 * any bytes at any alignment are safe input. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "darwin_layout.h"
#include "nmerror.h"
#include "sockinfo_parse.h"

netmetrics_conn_state nm_dw_tcp_state(int s)
{
    /* Indexed by TSI_S_*: BSD counts differently from Linux. */
    static const netmetrics_conn_state map[] = {
        [NM_DW_TSI_S_CLOSED] = NETMETRICS_CONN_STATE_CLOSE,
        [NM_DW_TSI_S_LISTEN] = NETMETRICS_CONN_STATE_LISTEN,
        [NM_DW_TSI_S_SYN_SENT] = NETMETRICS_CONN_STATE_SYN_SENT,
        [NM_DW_TSI_S_SYN_RECEIVED] = NETMETRICS_CONN_STATE_SYN_RECV,
        [NM_DW_TSI_S_ESTABLISHED] = NETMETRICS_CONN_STATE_ESTABLISHED,
        [NM_DW_TSI_S_CLOSE_WAIT] = NETMETRICS_CONN_STATE_CLOSE_WAIT,
        [NM_DW_TSI_S_FIN_WAIT_1] = NETMETRICS_CONN_STATE_FIN_WAIT1,
        [NM_DW_TSI_S_CLOSING] = NETMETRICS_CONN_STATE_CLOSING,
        [NM_DW_TSI_S_LAST_ACK] = NETMETRICS_CONN_STATE_LAST_ACK,
        [NM_DW_TSI_S_FIN_WAIT_2] = NETMETRICS_CONN_STATE_FIN_WAIT2,
        [NM_DW_TSI_S_TIME_WAIT] = NETMETRICS_CONN_STATE_TIME_WAIT,
    };

    if (s < 0 || (size_t)s >= sizeof map / sizeof map[0])
        return NETMETRICS_CONN_STATE_UNKNOWN;
    return map[s];
}

/* insi_lport / insi_fport: an int holding the u_short port as the kernel
 * stores it, in network byte order. */
static uint16_t port_at(const unsigned char *p)
{
    return ntohs((uint16_t)nm_dw_rd32(p));
}

/* One address of the in_sockinfo: `v6` says which member of the union is
 * meant; an AF_INET6 socket reading the IPv4 member gets ::ffff:a.b.c.d. */
static void addr_at(const unsigned char *p, int family, int v6, netmetrics_address *a)
{
    memset(a, 0, sizeof *a);
    a->family = family;
    if (family == NETMETRICS_FAMILY_INET) {
        a->prefix_length = 32;
        memcpy(a->bytes, p + NM_DW_IN46_ADDR4_OFF, 4);
        return;
    }
    a->prefix_length = 128;
    if (v6) {
        memcpy(a->bytes, p, 16);
    } else {
        a->bytes[10] = 0xff;
        a->bytes[11] = 0xff;
        memcpy(a->bytes + 12, p + NM_DW_IN46_ADDR4_OFF, 4);
    }
}

static uint32_t nonneg(int16_t v)
{
    return v < 0 ? 0u : (uint32_t)v;
}

netmetrics_status nm_dw_sockinfo_parse(const void *buf, size_t len, nm_dw_sock *out,
                                       netmetrics_error *err)
{
    const unsigned char *b = buf;
    netmetrics_connection *c = &out->conn;
    int32_t kind, family, protocol;
    uint8_t vflag;
    int v6;

    memset(out, 0, sizeof *out);
    c->pid = -1;
    c->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;
    if (!b || len < NM_DW_SFI_SIZE)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "socket_fdinfo of %zu bytes, expected %u", b ? len : 0,
                            (unsigned)NM_DW_SFI_SIZE);
    kind = nm_dw_rd32s(b + NM_DW_SFI_KIND_OFF);
    family = nm_dw_rd32s(b + NM_DW_SFI_FAMILY_OFF);
    protocol = nm_dw_rd32s(b + NM_DW_SFI_PROTOCOL_OFF);
    if (family == NM_DW_AF_INET)
        c->family = NETMETRICS_FAMILY_INET;
    else if (family == NM_DW_AF_INET6)
        c->family = NETMETRICS_FAMILY_INET6;
    else
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "socket family %d",
                            (int)family);
    if (kind == NM_DW_SOCKINFO_TCP) {
        c->protocol = NETMETRICS_CONN_PROTO_TCP;
        c->state = nm_dw_tcp_state(nm_dw_rd32s(b + NM_DW_SFI_TCP_STATE_OFF));
    } else if (kind == NM_DW_SOCKINFO_IN && protocol == NM_DW_IPPROTO_TCP) {
        c->protocol = NETMETRICS_CONN_PROTO_TCP; /* its TCP block is gone */
        c->state = NETMETRICS_CONN_STATE_UNKNOWN;
    } else if (kind == NM_DW_SOCKINFO_IN && protocol == NM_DW_IPPROTO_UDP) {
        c->protocol = NETMETRICS_CONN_PROTO_UDP;
        c->state = (nm_dw_rd16s(b + NM_DW_SFI_STATE_OFF) & NM_DW_SOI_S_ISCONNECTED)
                       ? NETMETRICS_CONN_STATE_ESTABLISHED
                       : NETMETRICS_CONN_STATE_UNCONN;
    } else {
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                            "socket kind %d, protocol %d", (int)kind, (int)protocol);
    }
    out->handle = nm_dw_rd64(b + NM_DW_SFI_SO_OFF);
    vflag = b[NM_DW_SFI_VFLAG_OFF];
    /* An AF_INET6 socket reads the IPv6 member unless the kernel marked it
     * IPv4-only (connected or bound to a mapped address); no flag at all
     * means nothing was bound yet: the family's own member. */
    v6 = c->family == NETMETRICS_FAMILY_INET6 &&
         ((vflag & NM_DW_INI_IPV6) || !(vflag & NM_DW_INI_IPV4));
    addr_at(b + NM_DW_SFI_LADDR_OFF, c->family, v6, &c->local_addr);
    addr_at(b + NM_DW_SFI_FADDR_OFF, c->family, v6, &c->remote_addr);
    c->local_port = port_at(b + NM_DW_SFI_LPORT_OFF);
    c->remote_port = port_at(b + NM_DW_SFI_FPORT_OFF);
    if (c->state == NETMETRICS_CONN_STATE_LISTEN) {
        c->receive_queue = nonneg(nm_dw_rd16s(b + NM_DW_SFI_QLEN_OFF));
        c->send_queue = nonneg(nm_dw_rd16s(b + NM_DW_SFI_QLIMIT_OFF));
    } else {
        c->receive_queue = nm_dw_rd32(b + NM_DW_SFI_RCV_CC_OFF);
        c->send_queue = nm_dw_rd32(b + NM_DW_SFI_SND_CC_OFF);
    }
    return NETMETRICS_OK;
}

/* ------------------------------------------------------------- table -- */

void nm_dw_socktab_init(nm_dw_socktab *t)
{
    memset(t, 0, sizeof *t);
}

void nm_dw_socktab_free(nm_dw_socktab *t)
{
    free(t->keys);
    free(t->index);
    free(t->pid);
    memset(t, 0, sizeof *t);
}

static size_t hash64(uint64_t v)
{
    /* The handles are hashed kernel addresses already; mix anyway, so a
     * kernel that hands out plain pointers does not cluster. */
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdull;
    v ^= v >> 33;
    return (size_t)v;
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t slot_of(const nm_dw_socktab *t, uint64_t key)
{
    size_t h;

    for (h = hash64(key) & (t->cap - 1); t->keys[h] != 0 && t->keys[h] != key;
         h = (h + 1) & (t->cap - 1))
        ;
    return h;
}

/* Keeps the load at most one half. 0, or -1 when out of memory. */
static int grow(nm_dw_socktab *t)
{
    nm_dw_socktab n;
    size_t i;

    if (t->cap && (t->used + 1) * 2 <= t->cap)
        return 0;
    memset(&n, 0, sizeof n);
    n.cap = t->cap ? t->cap * 2 : 64;
    if (n.cap > SIZE_MAX / 2 / sizeof *n.index)
        return -1;
    n.keys = calloc(n.cap, sizeof *n.keys);
    n.index = malloc(n.cap * sizeof *n.index);
    n.pid = malloc(n.cap * sizeof *n.pid);
    if (!n.keys || !n.index || !n.pid) {
        free(n.keys);
        free(n.index);
        free(n.pid);
        return -1;
    }
    for (i = 0; i < t->cap; i++) {
        if (t->keys[i] != 0) {
            size_t h = slot_of(&n, t->keys[i]);

            n.keys[h] = t->keys[i];
            n.index[h] = t->index[i];
            n.pid[h] = t->pid[i];
        }
    }
    /* field by field: the old arrays are freed and replaced, never reused */
    free(t->keys);
    free(t->index);
    free(t->pid);
    t->keys = n.keys;
    t->index = n.index;
    t->pid = n.pid;
    t->cap = n.cap;
    return 0;
}

static int wanted(const netmetrics_connection *c, unsigned flags)
{
    unsigned proto = c->protocol == NETMETRICS_CONN_PROTO_TCP ? NETMETRICS_CONN_TCP
                                                              : NETMETRICS_CONN_UDP;
    unsigned fam = c->family == NETMETRICS_FAMILY_INET ? NETMETRICS_CONN_INET
                                                       : NETMETRICS_CONN_INET6;

    return NM_CONN_WANT(flags, proto) && NM_CONN_WANT(flags, fam);
}

static void set_owner(netmetrics_connection *c, unsigned flags, const nm_dw_owner *o)
{
    size_t n = 0;

    c->uid = o->uid;
    if (!(flags & NETMETRICS_CONN_PROCESSES))
        return;
    c->pid = o->pid;
    memset(c->process_name, 0, sizeof c->process_name);
    if (o->name)
        for (n = 0; n < sizeof c->process_name - 1 && o->name[n]; n++)
            c->process_name[n] = o->name[n];
    c->owner_status = NETMETRICS_OK;
}

netmetrics_status nm_dw_socktab_add(nm_dw_socktab *t, netmetrics_connections *l,
                                    const nm_dw_sock *s, unsigned flags, const nm_dw_owner *owner,
                                    netmetrics_error *err)
{
    netmetrics_connection *c;
    size_t h = 0;

    if (!wanted(&s->conn, flags))
        return NETMETRICS_OK;
    if (s->handle != 0) {
        if (grow(t) < 0)
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        h = slot_of(t, s->handle);
        if (t->keys[h] == s->handle) {
            /* Held by another process too: the lowest pid owns it, so the
             * answer does not depend on the order of the walk. */
            if (owner->pid < t->pid[h]) {
                set_owner(&l->items[t->index[h]], flags, owner);
                t->pid[h] = owner->pid;
            }
            return NETMETRICS_OK;
        }
    }
    c = nm_connlist_add(l);
    if (!c)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    *c = s->conn;
    c->pid = -1;
    c->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;
    set_owner(c, flags, owner);
    if (s->handle != 0) {
        t->keys[h] = s->handle;
        t->index[h] = l->count - 1;
        t->pid[h] = owner->pid;
        t->used++;
    }
    return NETMETRICS_OK;
}

/* SPDX-License-Identifier: MIT */
/* Tests of connection monitoring, one suite per module: the /proc/net/tcp
 * parser on the fixtures in tests/fixtures/proc_net_tcp/ (copied into
 * buffers of exactly their length, and every prefix of them, so a read
 * past the end is an ASan error); the sock_diag parser on message buffers
 * built here (valid, truncated, lying lengths, foreign families, kernel
 * errors); the owner walk and the whole procfs pipeline on a fake /proc
 * tree made at test time (fd links are plain symlinks to "socket:[N]");
 * the JSON writer; and the exporter's connection families. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "connjson.h"
#include "connlist.h"
#include "expfmt.h"
#include "fileio.h"
#include "netmetrics.h"
#include "proc_net_tcp_parse.h"
#include "render_connections.h"
#include "sockdiag_parse.h"
#include "strbuf.h"

/* ------------------------------------------------------------- helpers -- */

static netmetrics_connections *new_list(void)
{
    netmetrics_connections *l = calloc(1, sizeof *l);

    ck_assert_ptr_nonnull(l);
    l->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;
    return l;
}

static char *read_fixture(const char *name, size_t *len)
{
    nm_strbuf b;
    netmetrics_error err;
    char rel[256];
    char *data;

    nm_strbuf_init(&b);
    snprintf(rel, sizeof rel, "proc_net_tcp/%s", name);
    ck_assert_int_eq(nm_read_file(NM_FIXTURES_DIR, rel, 1 << 20, &b, &err), NETMETRICS_OK);
    *len = b.len;
    data = malloc(b.len ? b.len : 1);
    ck_assert_ptr_nonnull(data);
    memcpy(data, b.data, b.len); /* exactly len bytes, no NUL */
    nm_strbuf_free(&b);
    return data;
}

static netmetrics_status parse_fixture(const char *name, int family, netmetrics_conn_protocol p,
                                       netmetrics_connections *l)
{
    size_t len;
    char *text = read_fixture(name, &len);
    netmetrics_error err;
    netmetrics_status st = nm_proc_net_parse(text, len, family, p, l, NULL, &err);

    free(text);
    return st;
}

static void addr_text(const netmetrics_address *a, char *buf, size_t size)
{
    ck_assert_int_eq(netmetrics_address_format(a, buf, size), NETMETRICS_OK);
}

static void check_endpoint(const netmetrics_connection *c, const char *laddr, unsigned lport,
                           const char *raddr, unsigned rport)
{
    char buf[64];

    addr_text(&c->local_addr, buf, sizeof buf);
    ck_assert_str_eq(buf, laddr);
    ck_assert_uint_eq(c->local_port, lport);
    addr_text(&c->remote_addr, buf, sizeof buf);
    ck_assert_str_eq(buf, raddr);
    ck_assert_uint_eq(c->remote_port, rport);
}

static int little_endian(void)
{
    const uint32_t one = 1;
    unsigned char b;

    memcpy(&b, &one, 1);
    return b == 1;
}

/* --------------------------------------------------- /proc/net parser -- */

START_TEST(test_proc_ipv4)
{
    netmetrics_connections *l = new_list();
    const netmetrics_connection *c;

    if (!little_endian()) {
        netmetrics_connections_free(l);
        return; /* the fixtures were written by a little-endian kernel */
    }
    ck_assert_int_eq(parse_fixture("ipv4.txt", NETMETRICS_FAMILY_INET,
                                   NETMETRICS_CONN_PROTO_TCP, l), NETMETRICS_OK);
    ck_assert_uint_eq(l->count, 3);
    ck_assert_uint_eq(l->malformed, 0);
    c = &l->items[0];
    check_endpoint(c, "127.0.0.1", 8080, "0.0.0.0", 0);
    ck_assert_int_eq(c->state, NETMETRICS_CONN_STATE_LISTEN);
    ck_assert_uint_eq(c->inode, 23456);
    ck_assert_uint_eq(c->receive_queue, 2);
    ck_assert_int_eq(c->family, NETMETRICS_FAMILY_INET);
    ck_assert_int_eq(c->protocol, NETMETRICS_CONN_PROTO_TCP);
    ck_assert_int_eq(c->pid, -1);
    c = &l->items[1];
    check_endpoint(c, "127.0.0.1", 50000, "127.0.0.1", 8080);
    ck_assert_int_eq(c->state, NETMETRICS_CONN_STATE_ESTABLISHED);
    ck_assert_uint_eq(c->send_queue, 10);
    ck_assert_uint_eq(c->receive_queue, 20);
    ck_assert_uint_eq(c->uid, 1000);
    ck_assert_uint_eq(c->inode, 777);
    c = &l->items[2];
    check_endpoint(c, "198.18.18.1", 22, "198.18.18.2", 58097);
    ck_assert_int_eq(c->state, NETMETRICS_CONN_STATE_TIME_WAIT);
    ck_assert_uint_eq(c->inode, 0);
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_proc_ipv6_mapped)
{
    netmetrics_connections *l = new_list();

    if (!little_endian()) {
        netmetrics_connections_free(l);
        return;
    }
    ck_assert_int_eq(parse_fixture("ipv6_mapped.txt", NETMETRICS_FAMILY_INET6,
                                   NETMETRICS_CONN_PROTO_TCP, l), NETMETRICS_OK);
    ck_assert_uint_eq(l->count, 3);
    check_endpoint(&l->items[0], "::1", 443, "::", 0);
    ck_assert_int_eq(l->items[0].state, NETMETRICS_CONN_STATE_LISTEN);
    /* An IPv6 socket talking IPv4 keeps its family and mapped address. */
    check_endpoint(&l->items[1], "::ffff:198.18.0.1", 8080, "::ffff:198.18.0.2", 40000);
    ck_assert_int_eq(l->items[1].family, NETMETRICS_FAMILY_INET6);
    ck_assert_uint_eq(l->items[1].uid, 33);
    check_endpoint(&l->items[2], "fd00::1", 80, "fd00::2", 54321);
    ck_assert_int_eq(l->items[2].state, NETMETRICS_CONN_STATE_CLOSE_WAIT);
    ck_assert_uint_eq(l->items[2].send_queue, 1);
    ck_assert_uint_eq(l->items[2].uid, 65534);
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_proc_all_states)
{
    static const netmetrics_conn_state want[] = {
        NETMETRICS_CONN_STATE_ESTABLISHED, NETMETRICS_CONN_STATE_SYN_SENT,
        NETMETRICS_CONN_STATE_SYN_RECV,    NETMETRICS_CONN_STATE_FIN_WAIT1,
        NETMETRICS_CONN_STATE_FIN_WAIT2,   NETMETRICS_CONN_STATE_TIME_WAIT,
        NETMETRICS_CONN_STATE_CLOSE,       NETMETRICS_CONN_STATE_CLOSE_WAIT,
        NETMETRICS_CONN_STATE_LAST_ACK,    NETMETRICS_CONN_STATE_LISTEN,
        NETMETRICS_CONN_STATE_CLOSING,
        NETMETRICS_CONN_STATE_SYN_RECV, /* 0C: TCP_NEW_SYN_RECV */
        NETMETRICS_CONN_STATE_UNKNOWN,  /* 0D: no such state */
    };
    netmetrics_connections *l = new_list();
    size_t i;

    ck_assert_int_eq(parse_fixture("all_states.txt", NETMETRICS_FAMILY_INET,
                                   NETMETRICS_CONN_PROTO_TCP, l), NETMETRICS_OK);
    ck_assert_uint_eq(l->count, sizeof want / sizeof want[0]);
    for (i = 0; i < l->count; i++) {
        ck_assert_int_eq(l->items[i].state, want[i]);
        ck_assert_uint_eq(l->items[i].local_port, 1000 + i);
        ck_assert_uint_eq(l->items[i].inode, 500 + i);
    }
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_proc_udp)
{
    netmetrics_connections *l = new_list();

    if (!little_endian()) {
        netmetrics_connections_free(l);
        return;
    }
    ck_assert_int_eq(parse_fixture("udp.txt", NETMETRICS_FAMILY_INET,
                                   NETMETRICS_CONN_PROTO_UDP, l), NETMETRICS_OK);
    ck_assert_int_eq(parse_fixture("udp6.txt", NETMETRICS_FAMILY_INET6,
                                   NETMETRICS_CONN_PROTO_UDP, l), NETMETRICS_OK);
    ck_assert_uint_eq(l->count, 3);
    check_endpoint(&l->items[0], "0.0.0.0", 68, "0.0.0.0", 0);
    ck_assert_int_eq(l->items[0].state, NETMETRICS_CONN_STATE_UNCONN);
    check_endpoint(&l->items[1], "127.0.0.1", 42001, "127.0.0.1", 53);
    ck_assert_int_eq(l->items[1].state, NETMETRICS_CONN_STATE_ESTABLISHED);
    ck_assert_uint_eq(l->items[1].receive_queue, 0x300);
    check_endpoint(&l->items[2], "::", 5353, "::", 0);
    ck_assert_int_eq(l->items[2].protocol, NETMETRICS_CONN_PROTO_UDP);
    ck_assert_uint_eq(l->items[2].inode, 17171);
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_proc_malformed)
{
    netmetrics_connections *l = new_list();
    netmetrics_error why, err;
    size_t len;
    char *text = read_fixture("malformed.txt", &len);

    memset(&why, 0, sizeof why);
    ck_assert_int_eq(nm_proc_net_parse(text, len, NETMETRICS_FAMILY_INET,
                                       NETMETRICS_CONN_PROTO_TCP, l, &why, &err),
                     NETMETRICS_OK);
    /* Good: line 0, the CRLF line 9, the unterminated last line 10. */
    ck_assert_uint_eq(l->count, 3);
    ck_assert_uint_eq(l->items[0].inode, 1001);
    ck_assert_uint_eq(l->items[1].inode, 1009);
    ck_assert_uint_eq(l->items[2].inode, 1010);
    ck_assert_uint_eq(l->malformed, 9);
    ck_assert_ptr_nonnull(strstr(why.message, "line 3"));
    free(text);
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_proc_no_header)
{
    netmetrics_connections *l = new_list();
    netmetrics_error err;

    ck_assert_int_eq(parse_fixture("no_header.txt", NETMETRICS_FAMILY_INET,
                                   NETMETRICS_CONN_PROTO_TCP, l), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_proc_net_parse("", 0, NETMETRICS_FAMILY_INET, NETMETRICS_CONN_PROTO_TCP,
                                       l, NULL, &err), NETMETRICS_ERR_PARSE);
    ck_assert_int_eq(nm_proc_net_parse("x", 1, 5, NETMETRICS_CONN_PROTO_TCP, l, NULL, &err),
                     NETMETRICS_ERR_INVALID);
    ck_assert_uint_eq(l->count, 0);
    netmetrics_connections_free(l);
}
END_TEST

/* Every prefix of every fixture: never a crash or a read past the end. */
START_TEST(test_proc_prefixes)
{
    static const char *const names[] = {"ipv4.txt", "ipv6_mapped.txt", "all_states.txt",
                                        "udp.txt", "malformed.txt"};
    size_t f, n;

    for (f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t len;
        char *text = read_fixture(names[f], &len);
        int fam = strstr(names[f], "6") ? NETMETRICS_FAMILY_INET6 : NETMETRICS_FAMILY_INET;

        for (n = 0; n <= len; n++) {
            netmetrics_connections *l = new_list();
            char *copy = malloc(n ? n : 1);

            ck_assert_ptr_nonnull(copy);
            memcpy(copy, text, n);
            (void)nm_proc_net_parse(copy, n, fam, NETMETRICS_CONN_PROTO_TCP, l, NULL, NULL);
            free(copy);
            netmetrics_connections_free(l);
        }
        free(text);
    }
}
END_TEST

/* ------------------------------------------------------ sock_diag parser -- */

typedef struct msgbuf {
    unsigned char data[4096];
    size_t len;
} msgbuf;

static void put_msg(msgbuf *b, uint16_t type, uint16_t flags, const void *payload, size_t plen)
{
    struct nlmsghdr h;

    memset(&h, 0, sizeof h);
    h.nlmsg_len = (uint32_t)(sizeof h + plen);
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    h.nlmsg_seq = 7;
    h.nlmsg_pid = 99;
    ck_assert_uint_le(b->len + NLMSG_ALIGN(h.nlmsg_len), sizeof b->data);
    memcpy(b->data + b->len, &h, sizeof h);
    if (plen)
        memcpy(b->data + b->len + sizeof h, payload, plen);
    b->len += NLMSG_ALIGN(h.nlmsg_len);
}

static struct inet_diag_msg diag_msg(uint8_t family, uint8_t state, const char *src,
                                     uint16_t sport, uint32_t inode)
{
    struct inet_diag_msg m;
    unsigned char port[2];

    memset(&m, 0, sizeof m);
    m.idiag_family = family;
    m.idiag_state = state;
    /* ports in network order, whatever the host's */
    port[0] = (unsigned char)(sport >> 8);
    port[1] = (unsigned char)(sport & 0xff);
    memcpy(&m.id.idiag_sport, port, 2);
    port[0] = 0x1f;
    port[1] = 0x90; /* 8080 */
    memcpy(&m.id.idiag_dport, port, 2);
    /* src holds 16 bytes for AF_INET6, 4 for any other family */
    memcpy(m.id.idiag_src, src, family == AF_INET6 ? 16 : 4);
    m.idiag_rqueue = 3;
    m.idiag_wqueue = 4;
    m.idiag_uid = 1000;
    m.idiag_inode = inode;
    return m;
}

static void put_done(msgbuf *b)
{
    int32_t zero = 0;

    put_msg(b, NLMSG_DONE, NLM_F_MULTI, &zero, sizeof zero);
}

START_TEST(test_diag_valid)
{
    netmetrics_connections *l = new_list();
    msgbuf b;
    nm_rtnl_walker w;
    netmetrics_error err;
    struct inet_diag_msg m;
    size_t skipped = 0;
    static const char v4[4] = {127, 0, 0, 1};
    static const char v6[16] = {(char)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    char text[64];

    memset(&b, 0, sizeof b);
    m = diag_msg(AF_INET, 10, v4, 443, 11);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    m = diag_msg(AF_INET6, 1, v6, 50000, 12);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    m = diag_msg(AF_UNIX, 1, v4, 1, 13); /* not ours: skipped */
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    put_msg(&b, 77, NLM_F_MULTI, &m, sizeof m); /* another type: skipped */
    put_done(&b);

    nm_rtnl_walk_init(&w);
    ck_assert_int_eq(nm_sockdiag_feed(&w, b.data, b.len, NETMETRICS_CONN_PROTO_TCP, l,
                                      &skipped, &err), NETMETRICS_OK);
    ck_assert(nm_rtnl_walk_done(&w));
    ck_assert_uint_eq(l->count, 2);
    ck_assert_uint_eq(skipped, 2);
    ck_assert_uint_eq(l->malformed, 0);
    ck_assert_int_eq(l->items[0].state, NETMETRICS_CONN_STATE_LISTEN);
    ck_assert_uint_eq(l->items[0].local_port, 443);
    ck_assert_uint_eq(l->items[0].remote_port, 8080);
    addr_text(&l->items[0].local_addr, text, sizeof text);
    ck_assert_str_eq(text, "127.0.0.1");
    ck_assert_uint_eq(l->items[0].receive_queue, 3);
    ck_assert_uint_eq(l->items[0].send_queue, 4);
    ck_assert_uint_eq(l->items[0].uid, 1000);
    ck_assert_uint_eq(l->items[0].inode, 11);
    ck_assert_int_eq(l->items[1].family, NETMETRICS_FAMILY_INET6);
    addr_text(&l->items[1].local_addr, text, sizeof text);
    ck_assert_str_eq(text, "fd00::1");
    ck_assert_uint_eq(l->items[1].local_port, 50000);
    ck_assert_int_eq(l->items[1].state, NETMETRICS_CONN_STATE_ESTABLISHED);
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_diag_udp_states)
{
    netmetrics_connections *l = new_list();
    msgbuf b;
    nm_rtnl_walker w;
    struct inet_diag_msg m;
    size_t skipped = 0;
    static const char v4[4] = {0, 0, 0, 0};

    memset(&b, 0, sizeof b);
    m = diag_msg(AF_INET, 7, v4, 53, 1);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    m = diag_msg(AF_INET, 1, v4, 54, 2);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    put_done(&b);
    nm_rtnl_walk_init(&w);
    ck_assert_int_eq(nm_sockdiag_feed(&w, b.data, b.len, NETMETRICS_CONN_PROTO_UDP, l,
                                      &skipped, NULL), NETMETRICS_OK);
    ck_assert_uint_eq(l->count, 2);
    ck_assert_int_eq(l->items[0].state, NETMETRICS_CONN_STATE_UNCONN);
    ck_assert_int_eq(l->items[1].state, NETMETRICS_CONN_STATE_ESTABLISHED);
    ck_assert_int_eq(l->items[1].protocol, NETMETRICS_CONN_PROTO_UDP);
    netmetrics_connections_free(l);
}
END_TEST

/* A reply shorter than inet_diag_msg is dropped and counted; the dump goes on. */
START_TEST(test_diag_truncated_msg)
{
    netmetrics_connections *l = new_list();
    msgbuf b;
    nm_rtnl_walker w;
    struct inet_diag_msg m;
    size_t skipped = 0;
    static const char v4[4] = {10, 0, 0, 1};

    memset(&b, 0, sizeof b);
    m = diag_msg(AF_INET, 1, v4, 1, 1);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m - 1);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, 0);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    put_done(&b);
    nm_rtnl_walk_init(&w);
    ck_assert_int_eq(nm_sockdiag_feed(&w, b.data, b.len, NETMETRICS_CONN_PROTO_TCP, l,
                                      &skipped, NULL), NETMETRICS_OK);
    ck_assert_uint_eq(l->count, 1);
    ck_assert_uint_eq(l->malformed, 2);
    ck_assert_int_eq(nm_sockdiag_parse_msg(&m, 10, NETMETRICS_CONN_PROTO_TCP, &l->items[0],
                                           NULL), NETMETRICS_ERR_PARSE);
    netmetrics_connections_free(l);
}
END_TEST

/* An nlmsg_len running past the buffer, or below the header, is a broken
 * stream: an error, no read beyond the bytes given. */
START_TEST(test_diag_lying_lengths)
{
    static const uint32_t lies[] = {8, 15, 4096, 0xffffffffu, sizeof(struct nlmsghdr) + 200};
    struct inet_diag_msg m;
    static const char v4[4] = {10, 0, 0, 1};
    size_t i;

    m = diag_msg(AF_INET, 1, v4, 1, 1);
    for (i = 0; i < sizeof lies / sizeof lies[0]; i++) {
        netmetrics_connections *l = new_list();
        msgbuf b;
        nm_rtnl_walker w;
        struct nlmsghdr h;
        netmetrics_error err;
        size_t skipped = 0;
        unsigned char *exact;

        memset(&b, 0, sizeof b);
        put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
        memcpy(&h, b.data, sizeof h);
        h.nlmsg_len = lies[i];
        memcpy(b.data, &h, sizeof h);
        exact = malloc(b.len);
        ck_assert_ptr_nonnull(exact);
        memcpy(exact, b.data, b.len);
        nm_rtnl_walk_init(&w);
        ck_assert_int_ne(nm_sockdiag_feed(&w, exact, b.len, NETMETRICS_CONN_PROTO_TCP, l,
                                          &skipped, &err), NETMETRICS_OK);
        ck_assert_int_eq(err.code, NETMETRICS_ERR_PARSE);
        ck_assert_uint_eq(l->count, 0);
        free(exact);
        netmetrics_connections_free(l);
    }
}
END_TEST

/* A buffer cut anywhere: never a crash, never more entries than whole messages. */
START_TEST(test_diag_cut_buffers)
{
    msgbuf b;
    struct inet_diag_msg m;
    static const char v4[4] = {10, 0, 0, 1};
    size_t n;

    memset(&b, 0, sizeof b);
    m = diag_msg(AF_INET, 1, v4, 1, 1);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    put_msg(&b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &m, sizeof m);
    put_done(&b);
    for (n = 0; n <= b.len; n++) {
        netmetrics_connections *l = new_list();
        nm_rtnl_walker w;
        size_t skipped = 0;
        unsigned char *exact = malloc(n ? n : 1);

        ck_assert_ptr_nonnull(exact);
        memcpy(exact, b.data, n);
        nm_rtnl_walk_init(&w);
        (void)nm_sockdiag_feed(&w, exact, n, NETMETRICS_CONN_PROTO_TCP, l, &skipped, NULL);
        ck_assert_uint_le(l->count, 2);
        free(exact);
        netmetrics_connections_free(l);
    }
}
END_TEST

START_TEST(test_diag_kernel_error)
{
    netmetrics_connections *l = new_list();
    msgbuf b;
    nm_rtnl_walker w;
    netmetrics_error err;
    struct nlmsgerr e;
    size_t skipped = 0;

    memset(&b, 0, sizeof b);
    memset(&e, 0, sizeof e);
    e.error = -ENOENT;
    put_msg(&b, NLMSG_ERROR, 0, &e, sizeof e);
    nm_rtnl_walk_init(&w);
    ck_assert_int_eq(nm_sockdiag_feed(&w, b.data, b.len, NETMETRICS_CONN_PROTO_UDP, l,
                                      &skipped, &err), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(err.sys_errno, ENOENT);
    netmetrics_connections_free(l);
}
END_TEST

/* ------------------------------------------------------------ owners -- */

static char tree[256];

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_text(const char *rel, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tree, rel);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void mk(const char *rel)
{
    char path[512];

    snprintf(path, sizeof path, "%s/%s", tree, rel);
    ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void link_to(const char *rel, const char *target)
{
    char path[512];

    snprintf(path, sizeof path, "%s/%s", tree, rel);
    ck_assert_int_eq(symlink(target, path), 0);
}

/* A fake /proc: net/tcp and net/udp from the fixtures (no tcp6/udp6: a
 * kernel without IPv6), pid 300 and 100 sharing socket 777 (the lower pid
 * wins), pid 100 also holding 23456 and unrelated files, pid 55 with a
 * non-UTF-8 comm holding a UDP socket, and "self" and junk entries. */
static void make_tree(void)
{
    size_t len;
    char *text;
    char path[512];
    FILE *f;

    snprintf(tree, sizeof tree, "%s/nm-conn-XXXXXX", P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(tree));
    mk("net");
    text = read_fixture("ipv4.txt", &len);
    snprintf(path, sizeof path, "%s/net/tcp", tree);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    free(text);
    text = read_fixture("udp.txt", &len);
    snprintf(path, sizeof path, "%s/net/udp", tree);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    free(text);

    mk("300");
    mk("300/fd");
    write_text("300/comm", "worker\n");
    link_to("300/fd/5", "socket:[777]");
    mk("100");
    mk("100/fd");
    write_text("100/comm", "server\n");
    link_to("100/fd/0", "/dev/null");
    link_to("100/fd/3", "socket:[777]");
    link_to("100/fd/4", "socket:[23456]");
    link_to("100/fd/6", "socket:[99999]"); /* a socket not in the table */
    link_to("100/fd/7", "pipe:[777]");
    mk("55");
    mk("55/fd");
    write_text("55/comm", "we\"ird\xff\n");
    link_to("55/fd/9", "socket:[16161]");
    mk("self");
    mk("12x");
    mk("77"); /* a process that exited: no fd directory */
}

static void remove_tree(void)
{
    nftw(tree, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The entry with that inode; fails the test when there is none. */
static const netmetrics_connection *by_inode(const netmetrics_connections *l, uint64_t inode)
{
    static const netmetrics_connection none;
    size_t i;

    for (i = 0; i < netmetrics_connections_count(l); i++) {
        if (netmetrics_connections_get(l, i)->inode == inode)
            return netmetrics_connections_get(l, i);
    }
    ck_abort_msg("no socket with inode %llu", (unsigned long long)inode);
    return &none;
}

START_TEST(test_owners_procfs_pipeline)
{
    netmetrics_collector_options opts;
    netmetrics_connections *l = NULL;
    netmetrics_error err;
    const netmetrics_connection *c;

    make_tree();
    netmetrics_collector_options_init(&opts);
    opts.backend = NETMETRICS_BACKEND_PROCFS;
    opts.proc_root = tree;
    ck_assert_int_eq(netmetrics_connections_collect(&opts, NETMETRICS_CONN_PROCESSES, &l, &err),
                     NETMETRICS_OK);
    ck_assert_str_eq(netmetrics_connections_backend(l), "procfs");
    ck_assert_uint_eq(netmetrics_connections_count(l), 5); /* 3 TCP + 2 UDP */
    ck_assert_int_eq(netmetrics_connections_owner_status(l), NETMETRICS_OK);
    c = by_inode(l, 777);
    ck_assert_int_eq(c->pid, 100);
    ck_assert_str_eq(c->process_name, "server");
    ck_assert_int_eq(c->owner_status, NETMETRICS_OK);
    c = by_inode(l, 23456);
    ck_assert_int_eq(c->pid, 100);
    c = by_inode(l, 16161);
    ck_assert_int_eq(c->pid, 55);
    ck_assert_str_eq(c->process_name, "we\"ird\xff");
    c = by_inode(l, 15151);
    ck_assert_int_eq(c->pid, -1);
    ck_assert_str_eq(c->process_name, "");
    ck_assert_int_eq(c->owner_status, NETMETRICS_ERR_NOT_AVAILABLE);
    c = by_inode(l, 0); /* TIME_WAIT */
    ck_assert_int_eq(c->pid, -1);
    netmetrics_connections_free(l);

    /* Without the flag: no walk, no owners. */
    ck_assert_int_eq(netmetrics_connections_collect(&opts, NETMETRICS_CONN_UDP, &l, &err),
                     NETMETRICS_OK);
    ck_assert_uint_eq(netmetrics_connections_count(l), 2);
    ck_assert_int_eq(netmetrics_connections_get(l, 1)->pid, -1);
    ck_assert_int_eq(netmetrics_connections_owner_status(l), NETMETRICS_ERR_NOT_AVAILABLE);
    netmetrics_connections_free(l);

    /* Families filter: IPv6 only finds nothing (no tcp6/udp6 here). */
    ck_assert_int_eq(netmetrics_connections_collect(&opts, NETMETRICS_CONN_INET6, &l, &err),
                     NETMETRICS_OK);
    ck_assert_uint_eq(netmetrics_connections_count(l), 0);
    ck_assert_ptr_null(netmetrics_connections_get(l, 0));
    netmetrics_connections_free(l);
    remove_tree();
}
END_TEST

START_TEST(test_collect_errors)
{
    netmetrics_collector_options opts;
    netmetrics_connections *l = (netmetrics_connections *)&opts;
    netmetrics_error err;

    netmetrics_collector_options_init(&opts);
    ck_assert_int_eq(netmetrics_connections_collect(&opts, 0x8000u, &l, &err),
                     NETMETRICS_ERR_INVALID);
    ck_assert_ptr_null(l);
    ck_assert_int_eq(netmetrics_connections_collect(&opts, 0, NULL, &err),
                     NETMETRICS_ERR_INVALID);
    opts.backend = NETMETRICS_BACKEND_PROCFS;
    opts.proc_root = "/nonexistent-nm-root";
    ck_assert_int_eq(netmetrics_connections_collect(&opts, 0, &l, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(err.message, "net/tcp"));
    /* NULL-safe accessors */
    ck_assert_uint_eq(netmetrics_connections_count(NULL), 0);
    netmetrics_connections_free(NULL);
}
END_TEST

/* The live kernel: this process's own listening socket must be found,
 * by both backends, with our pid. */
START_TEST(test_live_self)
{
    static const netmetrics_backend backends[] = {NETMETRICS_BACKEND_NETLINK,
                                                  NETMETRICS_BACKEND_PROCFS};
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    int fd, one = 1;
    size_t b, i;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(0x7f000001);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    ck_assert_int_eq(listen(fd, 4), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &salen), 0);
    for (b = 0; b < sizeof backends / sizeof backends[0]; b++) {
        netmetrics_collector_options opts;
        netmetrics_connections *l = NULL;
        netmetrics_error err;
        int found = 0;

        netmetrics_collector_options_init(&opts);
        opts.backend = backends[b];
        if (netmetrics_connections_collect(&opts, NETMETRICS_CONN_TCP | NETMETRICS_CONN_PROCESSES,
                                           &l, &err) != NETMETRICS_OK) {
            /* sock_diag may be missing in a container; procfs must work */
            ck_assert_int_eq(backends[b], NETMETRICS_BACKEND_NETLINK);
            continue;
        }
        for (i = 0; i < netmetrics_connections_count(l); i++) {
            const netmetrics_connection *c = netmetrics_connections_get(l, i);

            if (c->local_port == ntohs(sa.sin_port) && c->family == NETMETRICS_FAMILY_INET &&
                c->state == NETMETRICS_CONN_STATE_LISTEN) {
                found = 1;
                ck_assert_int_eq(c->pid, (int32_t)getpid());
                ck_assert_int_eq(c->protocol, NETMETRICS_CONN_PROTO_TCP);
            }
        }
        ck_assert_msg(found, "own listener not found by backend %s",
                      netmetrics_backend_name(backends[b]));
        netmetrics_connections_free(l);
    }
    close(fd);
}
END_TEST

/* --------------------------------------------------------------- names -- */

START_TEST(test_names)
{
    ck_assert_str_eq(netmetrics_conn_state_string(NETMETRICS_CONN_STATE_ESTABLISHED),
                     "established");
    ck_assert_str_eq(netmetrics_conn_state_string(NETMETRICS_CONN_STATE_TIME_WAIT), "time_wait");
    ck_assert_str_eq(netmetrics_conn_state_string(NETMETRICS_CONN_STATE_UNCONN), "unconn");
    ck_assert_str_eq(netmetrics_conn_state_string(NETMETRICS_CONN_STATE_CLOSING), "closing");
    ck_assert_str_eq(netmetrics_conn_state_string((netmetrics_conn_state)99), "unknown");
    ck_assert_str_eq(netmetrics_conn_protocol_string(NETMETRICS_CONN_PROTO_TCP), "tcp");
    ck_assert_str_eq(netmetrics_conn_protocol_string(NETMETRICS_CONN_PROTO_UDP), "udp");
    ck_assert_str_eq(netmetrics_conn_protocol_string((netmetrics_conn_protocol)9), "other");
    ck_assert_int_eq(nm_conn_state_from_linux(NETMETRICS_CONN_PROTO_UDP, 10),
                     NETMETRICS_CONN_STATE_UNKNOWN);
    ck_assert_int_eq(nm_conn_state_from_linux(NETMETRICS_CONN_PROTO_TCP, 7),
                     NETMETRICS_CONN_STATE_CLOSE);
}
END_TEST

/* ---------------------------------------------------------------- JSON -- */

START_TEST(test_json_string)
{
    nm_strbuf b;

    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_json_put_string(&b, "a\"b\\c\n\x01\xff\xc3\xa9", 10), 0);
    ck_assert_str_eq(b.data, "\"a\\\"b\\\\c\\u000a\\u0001\\\\xff\xc3\xa9\"");
    nm_strbuf_reset(&b);
    /* a literal backslash-x-hex-hex must not read as an escape */
    ck_assert_int_eq(nm_json_put_string(&b, "\\x41", 4), 0);
    ck_assert_str_eq(b.data, "\"\\\\x5cx41\"");
    nm_strbuf_reset(&b);
    /* overlong, surrogate, cut sequences are bytes, not characters */
    ck_assert_int_eq(nm_json_put_string(&b, "\xc0\xaf\xed\xa0\x80\xe2\x82", 7), 0);
    ck_assert_str_eq(b.data, "\"\\\\xc0\\\\xaf\\\\xed\\\\xa0\\\\x80\\\\xe2\\\\x82\"");
    nm_strbuf_free(&b);
}
END_TEST

START_TEST(test_json_list)
{
    netmetrics_connections *l = new_list();
    netmetrics_connection *c;
    nm_strbuf b;

    l->backend = "netlink";
    l->owner_status = NETMETRICS_ERR_PERMISSION;
    c = nm_connlist_add(l);
    c->protocol = NETMETRICS_CONN_PROTO_TCP;
    c->family = NETMETRICS_FAMILY_INET;
    c->local_addr.family = NETMETRICS_FAMILY_INET;
    c->local_addr.bytes[0] = 127;
    c->local_addr.bytes[3] = 1;
    c->remote_addr.family = NETMETRICS_FAMILY_INET;
    c->local_port = 80;
    c->state = NETMETRICS_CONN_STATE_LISTEN;
    c->pid = 42;
    memcpy(c->process_name, "nginx", 6);
    c->owner_status = NETMETRICS_OK;
    c = nm_connlist_add(l);
    c->protocol = NETMETRICS_CONN_PROTO_UDP;
    c->family = NETMETRICS_FAMILY_INET6;
    c->local_addr.family = NETMETRICS_FAMILY_INET6;
    c->remote_addr.family = NETMETRICS_FAMILY_INET6;
    c->state = NETMETRICS_CONN_STATE_UNCONN;
    c->owner_status = NETMETRICS_ERR_PERMISSION;
    nm_strbuf_init(&b);
    ck_assert_int_eq(nm_conn_json(&b, l), 0);
    ck_assert_str_eq(b.data,
                     "{\"backend\":\"netlink\",\"owner_lookup\":\"permission denied\","
                     "\"malformed\":0,\"connections\":[\n"
                     "{\"protocol\":\"tcp\",\"family\":\"inet\",\"state\":\"listen\","
                     "\"local_address\":\"127.0.0.1\",\"local_port\":80,"
                     "\"remote_address\":\"0.0.0.0\",\"remote_port\":0,\"receive_queue\":0,"
                     "\"send_queue\":0,\"uid\":0,\"inode\":0,\"pid\":42,\"process\":\"nginx\","
                     "\"owner_status\":\"ok\"},\n"
                     "{\"protocol\":\"udp\",\"family\":\"inet6\",\"state\":\"unconn\","
                     "\"local_address\":\"::\",\"local_port\":0,\"remote_address\":\"::\","
                     "\"remote_port\":0,\"receive_queue\":0,\"send_queue\":0,\"uid\":0,"
                     "\"inode\":0,\"pid\":null,\"process\":null,"
                     "\"owner_status\":\"permission denied\"}]}\n");
    nm_strbuf_free(&b);
    netmetrics_connections_free(l);
}
END_TEST

/* ------------------------------------------------------------ renderer -- */

static netmetrics_connection *add_conn(netmetrics_connections *l, netmetrics_conn_protocol p,
                                       int family, netmetrics_conn_state st, int32_t pid,
                                       const char *comm)
{
    netmetrics_connection *c = nm_connlist_add(l);

    ck_assert_ptr_nonnull(c);
    c->protocol = p;
    c->family = family;
    c->state = st;
    c->pid = pid;
    if (comm)
        snprintf(c->process_name, sizeof c->process_name, "%s", comm);
    return c;
}

static const char *render_conns(nm_strbuf *b, const nm_conn_render *r)
{
    nm_expfmt w;

    nm_strbuf_reset(b);
    nm_expfmt_init(&w, b, NM_FORMAT_TEXT);
    ck_assert_int_eq(nm_render_connections(&w, r), 0);
    nm_expfmt_family(&w, "netmetrics_scrape_collector_success", NM_METRIC_GAUGE, "x");
    nm_render_connections_self(&w, r, 1);
    ck_assert_int_eq(nm_expfmt_finish(&w), 0);
    return b->data ? b->data : "";
}

static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0, plen = strlen(prefix);
    const char *p = text;

    while (*p) {
        if (strncmp(p, prefix, plen) == 0)
            n++;
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
    }
    return n;
}

START_TEST(test_render_counts)
{
    netmetrics_connections *l = new_list();
    nm_conn_render r;
    nm_strbuf b;
    const char *t;
    int i;

    add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
             NETMETRICS_CONN_STATE_LISTEN, -1, NULL);
    for (i = 0; i < 3; i++)
        add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET6,
                 NETMETRICS_CONN_STATE_ESTABLISHED, -1, NULL);
    add_conn(l, NETMETRICS_CONN_PROTO_UDP, NETMETRICS_FAMILY_INET,
             NETMETRICS_CONN_STATE_UNCONN, -1, NULL);
    add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
             NETMETRICS_CONN_STATE_UNKNOWN, -1, NULL);
    memset(&r, 0, sizeof r);
    r.list = l;
    nm_strbuf_init(&b);
    t = render_conns(&b, &r);
    /* 11 TCP + 2 UDP states, both families, plus the one unknown */
    ck_assert_uint_eq(count_lines(t, "netmetrics_connections{"), 27);
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_connections{protocol=\"tcp\",family=\"inet\","
                                    "state=\"listen\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_connections{protocol=\"tcp\",family=\"inet6\","
                                    "state=\"established\"} 3\n"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_connections{protocol=\"udp\",family=\"inet\","
                                    "state=\"unconn\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_connections{protocol=\"udp\",family=\"inet6\","
                                    "state=\"established\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_connections{protocol=\"tcp\",family=\"inet\","
                                    "state=\"unknown\"} 1\n"));
    ck_assert_ptr_null(strstr(t, "netmetrics_process_connections"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_scrape_collector_success{collector="
                                    "\"connections\"} 1\n"));

    /* A failed collection: no families, success 0. */
    r.list = NULL;
    r.status = NETMETRICS_ERR_NOT_AVAILABLE;
    t = render_conns(&b, &r);
    ck_assert_ptr_null(strstr(t, "netmetrics_connections{"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_scrape_collector_success{collector="
                                    "\"connections\"} 0\n"));
    /* Disabled: nothing at all. */
    t = render_conns(&b, NULL);
    ck_assert_ptr_null(strstr(t, "connections"));
    nm_strbuf_free(&b);
    netmetrics_connections_free(l);
}
END_TEST

START_TEST(test_render_processes_top_n)
{
    netmetrics_connections *l = new_list();
    nm_conn_render r;
    nm_strbuf b;
    const char *t;
    int i;

    /* pid 10: 5 sockets; pid 20: 3; pid 30: 3; pid 40: 1 (with a bad byte) */
    for (i = 0; i < 4; i++)
        add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
                 NETMETRICS_CONN_STATE_ESTABLISHED, 10, "big");
    add_conn(l, NETMETRICS_CONN_PROTO_UDP, NETMETRICS_FAMILY_INET6,
             NETMETRICS_CONN_STATE_UNCONN, 10, "big");
    for (i = 0; i < 3; i++) {
        add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
                 NETMETRICS_CONN_STATE_LISTEN, 30, "thirty");
        add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
                 NETMETRICS_CONN_STATE_LISTEN, 20, "twenty");
    }
    add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
             NETMETRICS_CONN_STATE_LISTEN, 40, "x\xff");
    add_conn(l, NETMETRICS_CONN_PROTO_TCP, NETMETRICS_FAMILY_INET,
             NETMETRICS_CONN_STATE_TIME_WAIT, -1, NULL);
    memset(&r, 0, sizeof r);
    r.list = l;
    r.processes = 1;
    r.processes_limit = 2;
    nm_strbuf_init(&b);
    t = render_conns(&b, &r);
    ck_assert_uint_eq(count_lines(t, "netmetrics_process_connections{"), 3);
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_process_connections{pid=\"10\",comm=\"big\","
                                    "protocol=\"tcp\",state=\"established\"} 4\n"));
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_process_connections{pid=\"10\",comm=\"big\","
                                    "protocol=\"udp\",state=\"unconn\"} 1\n"));
    /* a tie (20 and 30 with 3 each) goes to the lower pid */
    ck_assert_ptr_nonnull(strstr(t, "netmetrics_process_connections{pid=\"20\",comm=\"twenty\","
                                    "protocol=\"tcp\",state=\"listen\"} 3\n"));
    ck_assert_ptr_null(strstr(t, "pid=\"30\""));
    r.processes_limit = 100;
    t = render_conns(&b, &r);
    ck_assert_uint_eq(count_lines(t, "netmetrics_process_connections{"), 5);
    ck_assert_ptr_nonnull(strstr(t, "comm=\"x\\\\xff\""));
    nm_strbuf_free(&b);
    netmetrics_connections_free(l);
}
END_TEST

/* ---------------------------------------------------------------- main -- */

static Suite *proc_suite(void)
{
    Suite *s = suite_create("proc_net_tcp_parse");
    TCase *tc = tcase_create("fixtures");

    tcase_add_test(tc, test_proc_ipv4);
    tcase_add_test(tc, test_proc_ipv6_mapped);
    tcase_add_test(tc, test_proc_all_states);
    tcase_add_test(tc, test_proc_udp);
    tcase_add_test(tc, test_proc_malformed);
    tcase_add_test(tc, test_proc_no_header);
    tcase_add_test(tc, test_proc_prefixes);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *diag_suite(void)
{
    Suite *s = suite_create("sockdiag_parse");
    TCase *tc = tcase_create("buffers");

    tcase_add_test(tc, test_diag_valid);
    tcase_add_test(tc, test_diag_udp_states);
    tcase_add_test(tc, test_diag_truncated_msg);
    tcase_add_test(tc, test_diag_lying_lengths);
    tcase_add_test(tc, test_diag_cut_buffers);
    tcase_add_test(tc, test_diag_kernel_error);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *lib_suite(void)
{
    Suite *s = suite_create("connections");
    TCase *tc = tcase_create("library");

    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_owners_procfs_pipeline);
    tcase_add_test(tc, test_collect_errors);
    tcase_add_test(tc, test_live_self);
    tcase_add_test(tc, test_json_string);
    tcase_add_test(tc, test_json_list);
    suite_add_tcase(s, tc);
    return s;
}

static Suite *render_suite(void)
{
    Suite *s = suite_create("render_connections");
    TCase *tc = tcase_create("families");

    tcase_add_test(tc, test_render_counts);
    tcase_add_test(tc, test_render_processes_top_n);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(proc_suite());
    int failed;

    srunner_add_suite(sr, diag_suite());
    srunner_add_suite(sr, lib_suite());
    srunner_add_suite(sr, render_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

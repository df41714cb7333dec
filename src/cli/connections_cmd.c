/* SPDX-License-Identifier: MIT */
/* `netmetrics connections`: options as users of ss and netstat type them
 * (-t -u -l -a -n -p, combinable as -tunap), a table with ss's columns and
 * state names, or --json with the exporter's /connections document. It
 * never resolves names: addresses and ports are always numeric (-n is
 * accepted for habit). Bad usage is one line on stderr and status 2. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connections_cmd.h"
#include "connjson.h"
#include "connlist.h"
#include "netmetrics.h"
#include "nmerror.h"
#include "strbuf.h"

#define CMD "netmetrics connections"

typedef struct conn_opts {
    int json, tcp, udp, listening, all, processes, help;
    netmetrics_backend backend;
} conn_opts;

static const char usage[] =
    "usage: " CMD " [-tulanp] [--json] [--backend=auto|netlink|procfs]\n"
    "\n"
    "Every TCP and UDP socket of this network namespace, like ss -tunap.\n"
    "\n"
    "  -t, --tcp         TCP sockets\n"
    "  -u, --udp         UDP sockets (neither -t nor -u: both)\n"
    "  -l, --listening   only listening sockets (TCP LISTEN, unconnected UDP)\n"
    "  -a, --all         listening and non-listening sockets\n"
    "                    (default: non-listening only, as ss)\n"
    "  -n, --numeric     numeric addresses and ports (always; names are never resolved)\n"
    "  -p, --processes   owning process (other users' need root or CAP_SYS_PTRACE)\n"
    "      --json        the table as JSON (every selected socket and its owner)\n"
    "      --backend=B   auto (sock_diag, falling back to /proc/net), netlink, procfs\n"
    "  -h, --help        this help\n";

/* One line: "<head><what><tail> (see ... --help)". */
static int bad_usage(const char *head, const char *what, const char *tail)
{
    fprintf(stderr, CMD ": %s%s%s (see " CMD " --help)\n", head, what, tail);
    return 2;
}

static int parse_short(conn_opts *o, const char *arg)
{
    size_t i;

    for (i = 1; arg[i]; i++) {
        switch (arg[i]) {
        case 't': o->tcp = 1; break;
        case 'u': o->udp = 1; break;
        case 'l': o->listening = 1; break;
        case 'a': o->all = 1; break;
        case 'n': break;
        case 'p': o->processes = 1; break;
        case 'h': o->help = 1; break;
        default: {
            char c[2];

            c[0] = arg[i];
            c[1] = '\0';
            if ((unsigned char)c[0] < 0x20 || (unsigned char)c[0] >= 0x7f)
                c[0] = '?';
            return bad_usage("unknown option -", c, "");
        }
        }
    }
    return 0;
}

static int parse_args(conn_opts *o, int argc, char **argv)
{
    int i;

    memset(o, 0, sizeof *o);
    o->backend = NETMETRICS_BACKEND_AUTO;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--tcp") == 0) {
            o->tcp = 1;
        } else if (strcmp(a, "--udp") == 0) {
            o->udp = 1;
        } else if (strcmp(a, "--listening") == 0) {
            o->listening = 1;
        } else if (strcmp(a, "--all") == 0) {
            o->all = 1;
        } else if (strcmp(a, "--numeric") == 0) {
            continue;
        } else if (strcmp(a, "--processes") == 0) {
            o->processes = 1;
        } else if (strcmp(a, "--help") == 0) {
            o->help = 1;
        } else if (strncmp(a, "--backend", 9) == 0 && (a[9] == '=' || a[9] == '\0')) {
            const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);

            if (!v)
                return bad_usage("missing value for ", "--backend", "");
            if (netmetrics_backend_parse(v, &o->backend) != NETMETRICS_OK)
                return bad_usage("invalid backend \"", v, "\" (auto, netlink or procfs)");
        } else if (a[0] == '-' && a[1] != '-' && a[1] != '\0') {
            if (parse_short(o, a) != 0)
                return 2;
        } else if (a[0] == '-') {
            return bad_usage("unknown option ", a, "");
        } else {
            return bad_usage("unexpected argument \"", a, "\"");
        }
    }
    return 0;
}

/* ss's state names. */
static const char *ss_state(netmetrics_conn_state st)
{
    switch (st) {
    case NETMETRICS_CONN_STATE_ESTABLISHED: return "ESTAB";
    case NETMETRICS_CONN_STATE_SYN_SENT: return "SYN-SENT";
    case NETMETRICS_CONN_STATE_SYN_RECV: return "SYN-RECV";
    case NETMETRICS_CONN_STATE_FIN_WAIT1: return "FIN-WAIT-1";
    case NETMETRICS_CONN_STATE_FIN_WAIT2: return "FIN-WAIT-2";
    case NETMETRICS_CONN_STATE_TIME_WAIT: return "TIME-WAIT";
    case NETMETRICS_CONN_STATE_CLOSE: return "CLOSE";
    case NETMETRICS_CONN_STATE_CLOSE_WAIT: return "CLOSE-WAIT";
    case NETMETRICS_CONN_STATE_LAST_ACK: return "LAST-ACK";
    case NETMETRICS_CONN_STATE_LISTEN: return "LISTEN";
    case NETMETRICS_CONN_STATE_CLOSING: return "CLOSING";
    case NETMETRICS_CONN_STATE_UNCONN: return "UNCONN";
    default: return "UNKNOWN";
    }
}

static int is_listening(const netmetrics_connection *c)
{
    return c->state == NETMETRICS_CONN_STATE_LISTEN || c->state == NETMETRICS_CONN_STATE_UNCONN;
}

static int selected(const conn_opts *o, const netmetrics_connection *c)
{
    if (o->all)
        return 1;
    return o->listening ? is_listening(c) : !is_listening(c);
}

/* "addr:port", IPv6 in brackets, port 0 of a peer as "*". */
static void endpoint(char *out, size_t size, const netmetrics_address *a, unsigned port,
                     int peer)
{
    char text[64];

    if (netmetrics_address_format(a, text, sizeof text) != NETMETRICS_OK)
        snprintf(text, sizeof text, "?");
    if (peer && port == 0)
        snprintf(out, size, a->family == NETMETRICS_FAMILY_INET6 ? "[%s]:*" : "%s:*", text);
    else
        snprintf(out, size, a->family == NETMETRICS_FAMILY_INET6 ? "[%s]:%u" : "%s:%u", text,
                 port);
}

/* A comm for the terminal: printable ASCII and valid UTF-8 as they are,
 * '"' and '\\' escaped, anything else as \xNN. */
static void put_comm(nm_strbuf *b, const char *s, size_t len)
{
    nm_strbuf tmp;
    size_t i;

    /* Reuse the JSON writer's UTF-8 rule, then turn its JSON escapes of
     * control characters (\u00XX) into \xNN for the terminal. */
    nm_strbuf_init(&tmp);
    nm_json_put_string(&tmp, s, len);
    for (i = 1; tmp.data && i + 1 < tmp.len; i++) {
        if (tmp.data[i] == '\\' && tmp.data[i + 1] == 'u' && i + 5 < tmp.len) {
            nm_strbuf_puts(b, "\\x");
            nm_strbuf_append(b, tmp.data + i + 4, 2);
            i += 5;
        } else if (tmp.data[i] == '\\') {
            nm_strbuf_putc(b, '\\');
            nm_strbuf_putc(b, tmp.data[i + 1]);
            i++;
        } else {
            nm_strbuf_putc(b, tmp.data[i]);
        }
    }
    nm_strbuf_free(&tmp);
}

typedef struct row {
    const netmetrics_connection *c;
    char local[64], peer[64], rq[12], sq[12];
} row;

static void pad(nm_strbuf *b, const char *s, size_t width, int right)
{
    size_t n = strlen(s);

    if (right)
        while (n++ < width)
            nm_strbuf_putc(b, ' ');
    nm_strbuf_puts(b, s);
    if (!right)
        while (n++ < width)
            nm_strbuf_putc(b, ' ');
}

static void print_table(nm_strbuf *b, const conn_opts *o, const netmetrics_connections *l)
{
    size_t n = netmetrics_connections_count(l), i, k = 0;
    size_t wl = strlen("Local Address:Port"), wp = strlen("Peer Address:Port");
    row *rows = calloc(n ? n : 1, sizeof *rows);

    if (!rows) {
        b->failed = 1;
        return;
    }
    for (i = 0; i < n; i++) {
        const netmetrics_connection *c = netmetrics_connections_get(l, i);
        row *r = &rows[k];

        if (!selected(o, c))
            continue;
        r->c = c;
        endpoint(r->local, sizeof r->local, &c->local_addr, c->local_port, 0);
        endpoint(r->peer, sizeof r->peer, &c->remote_addr, c->remote_port, 1);
        snprintf(r->rq, sizeof r->rq, "%u", (unsigned)c->receive_queue);
        snprintf(r->sq, sizeof r->sq, "%u", (unsigned)c->send_queue);
        if (strlen(r->local) > wl)
            wl = strlen(r->local);
        if (strlen(r->peer) > wp)
            wp = strlen(r->peer);
        k++;
    }
    pad(b, "Netid", 6, 0);
    pad(b, "State", 11, 0);
    pad(b, "Recv-Q", 7, 1);
    pad(b, "Send-Q", 7, 1);
    nm_strbuf_puts(b, " ");
    pad(b, "Local Address:Port", wl, 0);
    nm_strbuf_puts(b, " ");
    pad(b, "Peer Address:Port", o->processes ? wp : 0, 0);
    if (o->processes)
        nm_strbuf_puts(b, " Process");
    nm_strbuf_putc(b, '\n');
    for (i = 0; i < k; i++) {
        const row *r = &rows[i];

        pad(b, netmetrics_conn_protocol_string(r->c->protocol), 6, 0);
        pad(b, ss_state(r->c->state), 11, 0);
        pad(b, r->rq, 7, 1);
        pad(b, r->sq, 7, 1);
        nm_strbuf_puts(b, " ");
        pad(b, r->local, wl, 0);
        nm_strbuf_puts(b, " ");
        pad(b, r->peer, o->processes ? wp : 0, 0);
        if (o->processes && r->c->pid > 0) {
            nm_strbuf_puts(b, " users:((\"");
            put_comm(b, r->c->process_name, strnlen(r->c->process_name, NETMETRICS_COMM_SIZE));
            nm_strbuf_printf(b, "\",pid=%ld))", (long)r->c->pid);
        }
        nm_strbuf_putc(b, '\n');
    }
    free(rows);
}

/* The selected sockets as a list of their own, for the JSON writer. */
static netmetrics_connections *filtered(const conn_opts *o, const netmetrics_connections *l)
{
    netmetrics_connections *f = calloc(1, sizeof *f);
    size_t i;

    if (!f)
        return NULL;
    f->backend = l->backend;
    f->malformed = l->malformed;
    f->owner_status = l->owner_status;
    for (i = 0; i < l->count; i++) {
        netmetrics_connection *c;

        if (!selected(o, &l->items[i]))
            continue;
        c = nm_connlist_add(f);
        if (!c) {
            netmetrics_connections_free(f);
            return NULL;
        }
        *c = l->items[i];
    }
    return f;
}

int nm_cli_connections_main(int argc, char **argv)
{
    netmetrics_collector_options copts;
    netmetrics_connections *l = NULL, *f;
    netmetrics_error err;
    conn_opts o;
    unsigned flags = 0;
    nm_strbuf b;
    int rc = 0;

    if (parse_args(&o, argc, argv) != 0)
        return 2;
    if (o.help) {
        fputs(usage, stdout);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    if (o.tcp)
        flags |= NETMETRICS_CONN_TCP;
    if (o.udp)
        flags |= NETMETRICS_CONN_UDP;
    if (o.processes)
        flags |= NETMETRICS_CONN_PROCESSES;
    netmetrics_collector_options_init(&copts);
    copts.backend = o.backend;
    nm_error_clear(&err);
    if (netmetrics_connections_collect(&copts, flags, &l, &err) != NETMETRICS_OK) {
        fprintf(stderr, CMD ": cannot read the socket table: %s\n", err.message);
        return 1;
    }
    if (o.processes && netmetrics_connections_owner_status(l) == NETMETRICS_ERR_PERMISSION)
        fprintf(stderr, CMD ": some processes could not be inspected (permission denied); "
                        "their sockets show no process. Run as root to see them.\n");
    nm_strbuf_init(&b);
    if (o.json) {
        f = filtered(&o, l);
        if (!f || nm_conn_json(&b, f) < 0)
            b.failed = 1;
        netmetrics_connections_free(f);
    } else {
        print_table(&b, &o, l);
    }
    if (b.failed) {
        fprintf(stderr, CMD ": out of memory\n");
        rc = 1;
    } else if ((b.len && fwrite(b.data, 1, b.len, stdout) != b.len) || fflush(stdout) != 0) {
        rc = 1;
    }
    nm_strbuf_free(&b);
    netmetrics_connections_free(l);
    return rc;
}

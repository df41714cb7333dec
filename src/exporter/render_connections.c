/* SPDX-License-Identifier: MIT */
/* Rendering connection metrics. The per-state counts come from one pass
 * over the list into a fixed table, so their cost is linear in sockets and
 * their cardinality fixed (26 series). The per-process family is bounded
 * by the process limit: owners are grouped by sorting (pid, protocol,
 * state) keys once, then the largest processes are chosen. That sort
 * allocates, once per scrape and only when the family is enabled. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render_connections.h"

#define NPROTO 2 /* tcp, udp */
#define NFAM 2   /* inet, inet6 */

static void label_set(nm_label *l, const char *name, const char *value)
{
    l->name = name;
    l->value = value;
    l->value_len = strlen(value);
}

/* States exported for each protocol, zeros included. */
static const netmetrics_conn_state tcp_states[] = {
    NETMETRICS_CONN_STATE_ESTABLISHED, NETMETRICS_CONN_STATE_SYN_SENT,
    NETMETRICS_CONN_STATE_SYN_RECV,    NETMETRICS_CONN_STATE_FIN_WAIT1,
    NETMETRICS_CONN_STATE_FIN_WAIT2,   NETMETRICS_CONN_STATE_TIME_WAIT,
    NETMETRICS_CONN_STATE_CLOSE,       NETMETRICS_CONN_STATE_CLOSE_WAIT,
    NETMETRICS_CONN_STATE_LAST_ACK,    NETMETRICS_CONN_STATE_LISTEN,
    NETMETRICS_CONN_STATE_CLOSING,
};
static const netmetrics_conn_state udp_states[] = {
    NETMETRICS_CONN_STATE_ESTABLISHED,
    NETMETRICS_CONN_STATE_UNCONN,
};

static int proto_index(netmetrics_conn_protocol p)
{
    if (p == NETMETRICS_CONN_PROTO_TCP)
        return 0;
    if (p == NETMETRICS_CONN_PROTO_UDP)
        return 1;
    return -1;
}

static void render_counts(nm_expfmt *w, const netmetrics_connections *list)
{
    static const char *const protos[NPROTO] = {"tcp", "udp"};
    static const char *const fams[NFAM] = {"inet", "inet6"};
    uint64_t counts[NPROTO][NFAM][NETMETRICS_CONN_STATE_COUNT];
    size_t i, n = netmetrics_connections_count(list);
    int p, f;
    unsigned s;

    memset(counts, 0, sizeof counts);
    for (i = 0; i < n; i++) {
        const netmetrics_connection *c = netmetrics_connections_get(list, i);
        int pi = proto_index(c->protocol);
        unsigned st = (unsigned)c->state;

        if (pi < 0)
            continue;
        if (st >= NETMETRICS_CONN_STATE_COUNT)
            st = NETMETRICS_CONN_STATE_UNKNOWN;
        counts[pi][c->family == NETMETRICS_FAMILY_INET6 ? 1 : 0][st]++;
    }
    nm_expfmt_family(w, "netmetrics_connections", NM_METRIC_GAUGE,
                     "Sockets by protocol, address family and state (TCP states and UDP "
                     "established/unconn are always present, zeros included).");
    for (p = 0; p < NPROTO; p++) {
        const netmetrics_conn_state *states = p == 0 ? tcp_states : udp_states;
        size_t ns = p == 0 ? sizeof tcp_states / sizeof tcp_states[0]
                           : sizeof udp_states / sizeof udp_states[0];

        for (f = 0; f < NFAM; f++) {
            nm_label l[3];

            label_set(&l[0], "protocol", protos[p]);
            label_set(&l[1], "family", fams[f]);
            for (s = 0; s < ns; s++) {
                label_set(&l[2], "state", netmetrics_conn_state_string(states[s]));
                nm_expfmt_sample_u64(w, l, 3, counts[p][f][states[s]]);
            }
            /* A state outside the fixed set (unknown, or TCP's on UDP):
             * shown only when present. */
            for (s = 0; s < NETMETRICS_CONN_STATE_COUNT; s++) {
                size_t k;
                int listed = 0;

                for (k = 0; k < ns; k++)
                    listed |= states[k] == (netmetrics_conn_state)s;
                if (listed || counts[p][f][s] == 0)
                    continue;
                label_set(&l[2], "state", netmetrics_conn_state_string((netmetrics_conn_state)s));
                nm_expfmt_sample_u64(w, l, 3, counts[p][f][s]);
            }
        }
    }
}

/* ------------------------------------------------------- per process -- */

typedef struct owner_key {
    int32_t pid;
    int proto;
    unsigned state;
    const char *comm;
} owner_key;

typedef struct proc_total {
    int32_t pid;
    size_t first, end; /* its keys, in the sorted key array */
    uint64_t total;
} proc_total;

static int cmp_key(const void *a, const void *b)
{
    const owner_key *x = a, *y = b;

    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    if (x->proto != y->proto)
        return x->proto < y->proto ? -1 : 1;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    return 0;
}

/* Most sockets first; equal counts by pid, so the cut is deterministic. */
static int cmp_total(const void *a, const void *b)
{
    const proc_total *x = a, *y = b;

    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return 0;
}

static int render_processes(nm_expfmt *w, const netmetrics_connections *list, unsigned limit)
{
    static const char *const protos[NPROTO] = {"tcp", "udp"};
    size_t i, n = netmetrics_connections_count(list), nk = 0, np = 0, shown;
    owner_key *keys;
    proc_total *procs;

    nm_expfmt_family(w, "netmetrics_process_connections", NM_METRIC_GAUGE,
                     "Sockets owned by a process, by protocol and state; only the processes "
                     "owning the most sockets (--collector.connections.processes.limit).");
    if (n == 0 || limit == 0)
        return 0;
    keys = malloc(n * sizeof *keys);
    procs = malloc(n * sizeof *procs);
    if (!keys || !procs) {
        free(keys);
        free(procs);
        return -1;
    }
    for (i = 0; i < n; i++) {
        const netmetrics_connection *c = netmetrics_connections_get(list, i);
        int pi = proto_index(c->protocol);

        if (c->pid <= 0 || pi < 0)
            continue;
        keys[nk].pid = c->pid;
        keys[nk].proto = pi;
        keys[nk].state = (unsigned)c->state < NETMETRICS_CONN_STATE_COUNT ? (unsigned)c->state : 0;
        keys[nk].comm = c->process_name;
        nk++;
    }
    qsort(keys, nk, sizeof *keys, cmp_key);
    for (i = 0; i < nk; i++) {
        if (np == 0 || procs[np - 1].pid != keys[i].pid) {
            procs[np].pid = keys[i].pid;
            procs[np].first = i;
            procs[np].total = 0;
            np++;
        }
        procs[np - 1].end = i + 1;
        procs[np - 1].total++;
    }
    qsort(procs, np, sizeof *procs, cmp_total);
    shown = np < limit ? np : limit;
    for (i = 0; i < shown; i++) {
        size_t k = procs[i].first;
        char pid[NM_EXPFMT_INT_SIZE];

        nm_expfmt_int_text(pid, procs[i].pid);
        while (k < procs[i].end) {
            size_t j = k;
            nm_label l[4];

            while (j < procs[i].end && keys[j].proto == keys[k].proto &&
                   keys[j].state == keys[k].state)
                j++;
            label_set(&l[0], "pid", pid);
            l[1].name = "comm";
            l[1].value = keys[k].comm;
            l[1].value_len = strnlen(keys[k].comm, NETMETRICS_COMM_SIZE);
            label_set(&l[2], "protocol", protos[keys[k].proto]);
            label_set(&l[3], "state",
                      netmetrics_conn_state_string((netmetrics_conn_state)keys[k].state));
            nm_expfmt_sample_u64(w, l, 4, (uint64_t)(j - k));
            k = j;
        }
    }
    free(keys);
    free(procs);
    return 0;
}

int nm_render_connections(nm_expfmt *w, const nm_conn_render *c)
{
    if (!c || !c->list)
        return 0;
    render_counts(w, c->list);
    if (c->processes)
        return render_processes(w, c->list, c->processes_limit);
    return 0;
}

void nm_render_connections_self(nm_expfmt *w, const nm_conn_render *c, int success)
{
    nm_label l;

    if (!c)
        return;
    label_set(&l, "collector", "connections");
    if (success)
        nm_expfmt_sample_u64(w, &l, 1, c->status == NETMETRICS_OK && c->list ? 1 : 0);
    else
        nm_expfmt_sample_double(w, &l, 1, c->seconds);
}

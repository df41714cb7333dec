/* SPDX-License-Identifier: MIT */
/* The fallback macOS backend: runs /usr/sbin/netstat -ibdn with
 * posix_spawn (no shell, a fixed argv, LC_ALL=C so numbers are not
 * localized, stderr to /dev/null), reads its output through a pipe with a
 * deadline, reaps it, and hands the text to netstat_parse.c. netstat is
 * signed by Apple, so its byte counters are not rounded. The real name of
 * each interface comes from its <Link#N> index (netstat cuts long names);
 * flags, MAC and link type from getifaddrs(). Compiled on macOS only. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "addrlist.h"
#include "backend.h"
#include "classify_darwin.h"
#include "darwin_util.h"
#include "ifmsg_parse.h"
#include "netstat_parse.h"
#include "nmerror.h"
#include "snapshot.h"
#include "strbuf.h"

#define NM_NETSTAT_PATH "/usr/sbin/netstat"
#define NM_NETSTAT_MAX (16u * 1024u * 1024u)
#define NM_NETSTAT_TIMEOUT_MS 5000

typedef struct nm_netstat {
    nm_strbuf out;
    nm_dw_classifier *cls; /* functional type, SystemConfiguration */
} nm_netstat;

typedef struct nm_netstat_collect {
    nm_netstat *s;
    netmetrics_snapshot *snap;
    netmetrics_error *err;
    const nm_dw_ifa *ifa;
    size_t nifa;
} nm_netstat_collect;

static uint64_t now_ms(void)
{
    return nm_monotonic_ns() / 1000000u;
}

/* Runs netstat -ibdn into s->out. SYSTEM when it cannot run, exits
 * non-zero, or outlives the deadline (it is then killed). */
static netmetrics_status run_netstat(nm_netstat *s, netmetrics_error *err)
{
    char *const argv[] = {(char *)"netstat", (char *)"-ibdn", NULL};
    char *const envp[] = {(char *)"LC_ALL=C", (char *)"PATH=/usr/bin:/bin:/usr/sbin:/sbin", NULL};
    posix_spawn_file_actions_t fa;
    int pipefd[2], rc, status, killed = 0;
    pid_t pid;
    uint64_t deadline;
    netmetrics_status st = NETMETRICS_OK;

    nm_strbuf_reset(&s->out);
    if (pipe(pipefd) < 0)
        return nm_error_errno(err, errno, "pipe");
    (void)fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    if (posix_spawn_file_actions_init(&fa) != 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    }
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    rc = posix_spawn(&pid, NM_NETSTAT_PATH, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        return nm_error_errno(err, rc, "posix_spawn %s", NM_NETSTAT_PATH);
    }

    deadline = now_ms() + NM_NETSTAT_TIMEOUT_MS;
    for (;;) {
        struct pollfd p;
        char chunk[16384];
        ssize_t n;
        uint64_t t = now_ms();

        if (t >= deadline) {
            kill(pid, SIGKILL);
            killed = 1;
            break;
        }
        p.fd = pipefd[0];
        p.events = POLLIN;
        p.revents = 0;
        rc = poll(&p, 1, (int)(deadline - t));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            continue; /* timeout: the deadline check kills it */
        n = read(pipefd[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (s->out.len + (size_t)n > NM_NETSTAT_MAX) {
            kill(pid, SIGKILL);
            st = nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netstat wrote more than %u bytes",
                              NM_NETSTAT_MAX);
            break;
        }
        if (nm_strbuf_append(&s->out, chunk, (size_t)n) < 0) {
            kill(pid, SIGKILL);
            st = nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
            break;
        }
    }
    close(pipefd[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return st != NETMETRICS_OK ? st : nm_error_errno(err, errno, "waitpid netstat");
    }
    if (st != NETMETRICS_OK)
        return st;
    if (killed)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netstat took over %d ms; killed",
                            NM_NETSTAT_TIMEOUT_MS);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "netstat -ibdn failed (status %d)",
                            status);
    return NETMETRICS_OK;
}

static netmetrics_status add_row(const nm_netstat_row *row, void *arg)
{
    nm_netstat_collect *c = arg;
    struct netmetrics_interface *iface;
    const nm_dw_ifa *ifa;
    char real[IF_NAMESIZE];
    uint32_t bsd_flags;

    iface = nm_snapshot_add_interface(c->snap);
    if (!iface)
        return nm_error_set(c->err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    nm_netstat_fill(row, iface);
    /* the index names the interface; the printed name may be cut */
    if (if_indextoname(row->ifindex, real) && strlen(real) < sizeof iface->name) {
        memcpy(iface->name, real, strlen(real) + 1);
    } else if (row->maybe_truncated) {
        nm_snapshot_drop_last(c->snap); /* gone, and we cannot name it */
        return NETMETRICS_OK;
    }
    bsd_flags = row->down ? 0 : 0x1u;
    ifa = nm_dw_ifa_find(c->ifa, c->nifa, iface->name);
    if (ifa) {
        bsd_flags = ifa->bsd_flags;
        iface->flags = nm_dw_flags(bsd_flags);
        iface->operstate =
            (uint8_t)(((iface->flags & (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING)) ==
                       (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING))
                          ? NETMETRICS_OPER_UP
                          : NETMETRICS_OPER_DOWN);
        if (iface->hwaddr_len == 0 && ifa->hwaddr_len) {
            memcpy(iface->hwaddr, ifa->hwaddr, ifa->hwaddr_len);
            iface->hwaddr_len = ifa->hwaddr_len;
        }
    }
    iface->link_type = ifa ? nm_dw_ift_to_arphrd(ifa->ift) : -1;
    if (nm_dw_classify_iface(c->s->cls, iface, bsd_flags, ifa ? ifa->ift : -1,
                             &c->snap->strings) < 0)
        return nm_error_set(c->err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    return NETMETRICS_OK;
}

static void netstat_free(nm_netstat *s)
{
    if (!s)
        return;
    nm_dw_classifier_free(s->cls);
    nm_strbuf_free(&s->out);
    free(s);
}

static netmetrics_status netstat_open(void **state, const nm_roots *roots, netmetrics_error *err)
{
    nm_netstat *s;
    netmetrics_status st;

    (void)roots;
    *state = NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    nm_strbuf_init(&s->out);
    s->cls = nm_dw_classifier_new();
    if (!s->cls) {
        netstat_free(s);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    }
    st = run_netstat(s, err); /* a real run: the binary exists and works */
    if (st == NETMETRICS_OK)
        st = nm_netstat_parse(s->out.data, s->out.len, NULL, NULL, NULL, err);
    if (st != NETMETRICS_OK) {
        netstat_free(s);
        return st;
    }
    *state = s;
    return NETMETRICS_OK;
}

static netmetrics_status netstat_collect_links(void *state, netmetrics_snapshot *snap,
                                               netmetrics_error *err)
{
    nm_netstat *s = state;
    nm_netstat_collect c;
    nm_netstat_summary sum;
    nm_dw_ifa *ifa = NULL;
    size_t nifa = 0;
    netmetrics_status st;

    st = run_netstat(s, err);
    if (st != NETMETRICS_OK)
        return st;
    /* without getifaddrs the rows still give names, counters and "down" */
    if (nm_dw_ifa_list(&ifa, &nifa, NULL) != NETMETRICS_OK) {
        ifa = NULL;
        nifa = 0;
    }
    c.s = s;
    c.snap = snap;
    c.err = err;
    c.ifa = ifa;
    c.nifa = nifa;
    st = nm_netstat_parse(s->out.data, s->out.len, add_row, &c, &sum, err);
    free(ifa);
    if (st != NETMETRICS_OK)
        return st;
    if (sum.rows == 0 && sum.rejected > 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "netstat line %u: %s",
                            sum.first_rejected_line, sum.first_rejected_why);
    if (sum.rows == 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0, "netstat listed no interface");
    return NETMETRICS_OK;
}

static netmetrics_status netstat_collect_addresses(void *state, netmetrics_snapshot *snap,
                                                   netmetrics_error *err)
{
    (void)state;
    return nm_ifaddrs_collect(snap, err);
}

static void netstat_close(void *state)
{
    netstat_free(state);
}

const nm_backend_ops nm_backend_netstat = {
    "netstat",
    netstat_open,
    netstat_collect_links,
    netstat_collect_addresses,
    netstat_close,
};

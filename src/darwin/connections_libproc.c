/* SPDX-License-Identifier: MIT */
/* Connections on macOS, from libproc: every process (proc_listpids), its
 * descriptors (proc_pidinfo PROC_PIDLISTFDS), and for each socket
 * proc_pidfdinfo(PROC_PIDFDSOCKETINFO), whose bytes sockinfo_parse.c
 * decodes and de-duplicates. The owner comes with the socket, so this one
 * walk is both the table and the owner lookup. macOS lets a process list
 * another user's descriptors only as root: such a process (EPERM) is
 * skipped, its sockets are missing from the table, and the list says
 * NETMETRICS_ERR_PERMISSION, with or without NETMETRICS_CONN_PROCESSES.
 * Processes come and go during the walk: one that vanished is simply not
 * there. This file does I/O only; it never interprets a byte itself.
 *
 * macOS has one socket table, so both seams of connlist.h (the native and
 * the fallback one, chosen by the interface backend) read it, and the
 * list names it "libproc". Compiled on macOS only. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/param.h>
#include <libproc.h>
#include <sys/proc_info.h>

#include "connlist.h"
#include "nmerror.h"
#include "sockinfo_parse.h"

/* proc_listpids is sized, then read; processes started in between are
 * why the second call may fill the buffer: then it is asked again. */
#define NM_LP_TRIES 4
/* Descriptors of one process worth listing (a sane ceiling). */
#define NM_LP_MAX_FDS (1u << 20)

typedef struct lp_walk {
    netmetrics_connections *l;
    unsigned flags;
    nm_dw_socktab tab;
    struct proc_fdinfo *fds;
    size_t fds_cap;          /* entries */
    int denied;              /* some process could not be inspected */
} lp_walk;

static int is_denied(int e)
{
    return e == EPERM || e == EACCES;
}

/* Every pid, into a malloc'd array. */
static netmetrics_status list_pids(pid_t **out, size_t *count, netmetrics_error *err)
{
    int tries;

    *out = NULL;
    *count = 0;
    for (tries = 0; tries < NM_LP_TRIES; tries++) {
        size_t cap;
        pid_t *pids;
        int need, got, e;

        errno = 0;
        need = proc_listpids(PROC_ALL_PIDS, 0, NULL, 0);
        if (need <= 0)
            return nm_error_errno(err, errno ? errno : EIO, "proc_listpids (size)");
        cap = (size_t)need / sizeof(pid_t) + 64u + 256u * (size_t)tries;
        pids = calloc(cap, sizeof *pids);
        if (!pids)
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
        errno = 0;
        got = proc_listpids(PROC_ALL_PIDS, 0, pids, (int)(cap * sizeof *pids));
        e = errno;
        if (got <= 0) {
            free(pids);
            return nm_error_errno(err, e ? e : EIO, "proc_listpids");
        }
        if ((size_t)got < cap * sizeof *pids) {
            *out = pids;
            *count = (size_t)got / sizeof *pids;
            return NETMETRICS_OK;
        }
        free(pids); /* filled to the brim: maybe cut short */
    }
    return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0,
                        "proc_listpids: the process table kept growing (%d tries)", tries);
}

/* The descriptors of pid into w->fds. Returns how many; 0 when it has
 * none or is gone; -1 when we may not look (w->denied is set); -2 when
 * out of memory. */
static long list_fds(lp_walk *w, pid_t pid)
{
    int tries;

    for (tries = 0; tries < NM_LP_TRIES; tries++) {
        size_t want;
        int need, got;

        errno = 0;
        need = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, NULL, 0);
        if (need <= 0)
            goto failed;
        want = (size_t)need / PROC_PIDLISTFD_SIZE + 16u * (size_t)(tries + 1);
        if (want > NM_LP_MAX_FDS)
            want = NM_LP_MAX_FDS;
        if (want > w->fds_cap) {
            struct proc_fdinfo *n = realloc(w->fds, want * sizeof *n);

            if (!n)
                return -2;
            w->fds = n;
            w->fds_cap = want;
        }
        errno = 0;
        got = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, w->fds,
                           (int)(w->fds_cap * PROC_PIDLISTFD_SIZE));
        if (got <= 0)
            goto failed;
        /* A full buffer may be cut short: it opened files meanwhile. */
        if ((size_t)got < w->fds_cap * PROC_PIDLISTFD_SIZE || w->fds_cap >= NM_LP_MAX_FDS)
            return (long)((size_t)got / PROC_PIDLISTFD_SIZE);
    }
    return (long)w->fds_cap; /* still growing: take what we have */
failed:
    if (is_denied(errno)) {
        w->denied = 1;
        return -1;
    }
    return 0; /* gone (ESRCH), a zombie, or no descriptors */
}

/* Who pid is: its uid and, when owners are wanted, its name. 0, or -1 when
 * it is gone (its sockets went with it). */
static int owner_of(pid_t pid, unsigned flags, nm_dw_owner *o, char *name, size_t name_size)
{
    struct proc_bsdshortinfo sb;

    memset(&sb, 0, sizeof sb);
    if (proc_pidinfo(pid, PROC_PIDT_SHORTBSDINFO, 0, &sb, (int)PROC_PIDT_SHORTBSDINFO_SIZE) !=
        (int)PROC_PIDT_SHORTBSDINFO_SIZE)
        return -1;
    o->pid = (int32_t)pid;
    /* The socket's own uid (soi_stat) is left blank by the kernel: the
     * process's effective uid is the best answer there is. */
    o->uid = (uint32_t)sb.pbsi_uid;
    o->name = name;
    memset(name, 0, name_size);
    /* proc_name wants room for pbi_name (2 * MAXCOMLEN) and may fill it
     * without a NUL: one spare zero byte stays at the end. */
    if ((flags & NETMETRICS_CONN_PROCESSES) &&
        proc_name(pid, name, (uint32_t)(name_size - 1)) <= 0)
        memcpy(name, sb.pbsi_comm, strnlen(sb.pbsi_comm, sizeof sb.pbsi_comm));
    return 0;
}

static netmetrics_status walk_process(lp_walk *w, pid_t pid, netmetrics_error *err)
{
    char name[2 * MAXCOMLEN + 1];
    nm_dw_owner owner;
    int have_owner = 0;
    long n, i;

    memset(&owner, 0, sizeof owner);
    n = list_fds(w, pid);
    if (n == -2)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        struct socket_fdinfo si;
        nm_dw_sock s;
        netmetrics_status st;
        int got;

        if (w->fds[i].proc_fdtype != PROX_FDTYPE_SOCKET)
            continue;
        got = proc_pidfdinfo(pid, w->fds[i].proc_fd, PROC_PIDFDSOCKETINFO, &si,
                             (int)PROC_PIDFDSOCKETINFO_SIZE);
        if (got <= 0)
            continue; /* closed meanwhile */
        st = nm_dw_sockinfo_parse(&si, (size_t)got, &s, NULL);
        if (st == NETMETRICS_ERR_NOT_AVAILABLE)
            continue; /* a Unix, route or system socket */
        if (st != NETMETRICS_OK) {
            w->l->malformed++;
            continue;
        }
        if (!have_owner) {
            if (owner_of(pid, w->flags, &owner, name, sizeof name) < 0)
                return NETMETRICS_OK; /* exited during the walk */
            have_owner = 1;
        }
        st = nm_dw_socktab_add(&w->tab, w->l, &s, w->flags, &owner, err);
        if (st != NETMETRICS_OK)
            return st;
    }
    return NETMETRICS_OK;
}

static netmetrics_status collect_libproc(netmetrics_connections *l, unsigned flags,
                                         netmetrics_error *err)
{
    lp_walk w;
    pid_t *pids;
    size_t npids, i;
    netmetrics_status st;

    l->backend = "libproc";
    memset(&w, 0, sizeof w);
    w.l = l;
    w.flags = flags;
    nm_dw_socktab_init(&w.tab);
    st = list_pids(&pids, &npids, err);
    for (i = 0; st == NETMETRICS_OK && i < npids; i++)
        if (pids[i] > 0) /* 0 is the kernel: no descriptor table */
            st = walk_process(&w, pids[i], err);
    free(pids);
    free(w.fds);
    nm_dw_socktab_free(&w.tab);
    if (st != NETMETRICS_OK)
        return st;
    /* The table itself lacks the sockets of processes we could not see,
     * so say so even when owners were not asked for. */
    if (w.denied)
        l->owner_status = NETMETRICS_ERR_PERMISSION;
    else
        l->owner_status = (flags & NETMETRICS_CONN_PROCESSES) ? NETMETRICS_OK
                                                              : NETMETRICS_ERR_NOT_AVAILABLE;
    return NETMETRICS_OK;
}

netmetrics_status nm_conn_collect_netlink(netmetrics_connections *l, unsigned flags,
                                          netmetrics_error *err)
{
    return collect_libproc(l, flags, err);
}

netmetrics_status nm_conn_collect_procfs(netmetrics_connections *l, const char *proc_root,
                                         unsigned flags, netmetrics_error *err)
{
    (void)proc_root;
    return collect_libproc(l, flags, err);
}

netmetrics_status nm_conn_find_owners(netmetrics_connections *l, const char *proc_root,
                                      netmetrics_error *err)
{
    /* The walk above found every owner it could see already. */
    (void)l;
    (void)proc_root;
    (void)err;
    return NETMETRICS_OK;
}

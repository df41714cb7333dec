/* SPDX-License-Identifier: MIT */
/* Finding which process owns each socket: one pass over /proc/<pid>/fd,
 * reading every link and matching "socket:[INODE]" against a hash table of
 * the list's inodes, so the cost is linear in the number of open files.
 * Processes come and go during the walk: one that vanished (ENOENT, ESRCH)
 * is simply not there; one we may not inspect (EACCES, EPERM: another
 * user's, without root or CAP_SYS_PTRACE) is remembered, so its sockets
 * are reported as "permission denied" rather than "no owner". A socket
 * shared by several processes gets the lowest pid, so the answer does not
 * depend on the order of readdir(). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "connlist.h"
#include "nmerror.h"

typedef struct inode_map {
    uint64_t *keys;  /* 0: empty slot (inode 0 is never looked up) */
    size_t *index;   /* list index of the entry with that inode */
    size_t mask;
} inode_map;

static size_t hash_inode(uint64_t v)
{
    /* A 64-bit mix: inodes are sequential, so spread the low bits. */
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdull;
    v ^= v >> 33;
    return (size_t)v;
}

static int map_build(inode_map *m, const netmetrics_connections *l)
{
    size_t cap = 16, i;

    while (cap < 2 * l->count + 1) {
        if (cap > SIZE_MAX / 4 / sizeof(uint64_t))
            return -1;
        cap *= 2;
    }
    m->keys = calloc(cap, sizeof *m->keys);
    m->index = malloc(cap * sizeof *m->index);
    if (!m->keys || !m->index)
        return -1;
    m->mask = cap - 1;
    for (i = 0; i < l->count; i++) {
        uint64_t k = l->items[i].inode;
        size_t h;

        if (k == 0)
            continue;
        for (h = hash_inode(k) & m->mask; m->keys[h] != 0 && m->keys[h] != k;
             h = (h + 1) & m->mask)
            ;
        if (m->keys[h] == 0) { /* a duplicate inode keeps its first entry */
            m->keys[h] = k;
            m->index[h] = i;
        }
    }
    return 0;
}

static int map_find(const inode_map *m, uint64_t k, size_t *idx)
{
    size_t h;

    for (h = hash_inode(k) & m->mask; m->keys[h] != 0; h = (h + 1) & m->mask) {
        if (m->keys[h] == k) {
            *idx = m->index[h];
            return 1;
        }
    }
    return 0;
}

static void map_free(inode_map *m)
{
    free(m->keys);
    free(m->index);
}

/* "socket:[12345]" -> 12345; 0 for any other link. */
static uint64_t socket_inode(const char *link, size_t len)
{
    static const char prefix[] = "socket:[";
    uint64_t v = 0;
    size_t i = sizeof prefix - 1;

    if (len < sizeof prefix + 1 || memcmp(link, prefix, sizeof prefix - 1) != 0 ||
        link[len - 1] != ']')
        return 0;
    for (; i < len - 1; i++) {
        if (link[i] < '0' || link[i] > '9' || v > (UINT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (uint64_t)(link[i] - '0');
    }
    return v;
}

static int parse_pid(const char *name, int32_t *pid)
{
    long v = 0;
    size_t i;

    for (i = 0; name[i]; i++) {
        if (name[i] < '0' || name[i] > '9' || i >= 9)
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    if (i == 0 || v <= 0)
        return -1;
    *pid = (int32_t)v;
    return 0;
}

/* The process's comm, without its newline; "" when it is gone. */
static void read_comm(int procfd, const char *pidname, char *out)
{
    char path[32];
    char buf[NETMETRICS_COMM_SIZE + 1];
    ssize_t n;
    int fd;

    out[0] = '\0';
    if ((size_t)snprintf(path, sizeof path, "%s/comm", pidname) >= sizeof path)
        return;
    fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    do {
        n = read(fd, buf, sizeof buf - 1);
    } while (n < 0 && errno == EINTR);
    close(fd);
    if (n <= 0)
        return;
    if (buf[n - 1] == '\n')
        n--;
    if (n > NETMETRICS_COMM_SIZE - 1)
        n = NETMETRICS_COMM_SIZE - 1;
    memcpy(out, buf, (size_t)n);
    out[n] = '\0';
}

/* Walks one process's fd directory. Returns 1 when it could not be read
 * for lack of permission, else 0. */
static int walk_process(int procfd, const char *pidname, int32_t pid, const inode_map *m,
                        netmetrics_connections *l)
{
    char path[32], link[64];
    char comm[NETMETRICS_COMM_SIZE];
    int have_comm = 0;
    struct dirent *de;
    DIR *d;
    int fd;

    if ((size_t)snprintf(path, sizeof path, "%s/fd", pidname) >= sizeof path)
        return 0;
    fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return (errno == EACCES || errno == EPERM) ? 1 : 0;
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        netmetrics_connection *c;
        uint64_t inode;
        size_t idx;
        ssize_t n;

        if (de->d_name[0] == '.')
            continue;
        n = readlinkat(dirfd(d), de->d_name, link, sizeof link);
        if (n <= 0 || (size_t)n >= sizeof link)
            continue; /* closed meanwhile, or not a socket (too long) */
        inode = socket_inode(link, (size_t)n);
        if (inode == 0 || !map_find(m, inode, &idx))
            continue;
        c = &l->items[idx];
        if (c->pid > 0 && c->pid <= pid)
            continue;
        if (!have_comm) {
            read_comm(procfd, pidname, comm);
            have_comm = 1;
        }
        c->pid = pid;
        memcpy(c->process_name, comm, sizeof comm);
        c->owner_status = NETMETRICS_OK;
    }
    closedir(d);
    return 0;
}

netmetrics_status nm_conn_find_owners(netmetrics_connections *l, const char *proc_root,
                                      netmetrics_error *err)
{
    inode_map m;
    struct dirent *de;
    DIR *d;
    int procfd, dfd, denied = 0;
    size_t i;

    l->owner_status = NETMETRICS_ERR_NOT_AVAILABLE;
    memset(&m, 0, sizeof m);
    if (map_build(&m, l) < 0) {
        map_free(&m);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procfd < 0) {
        int e = errno;

        map_free(&m);
        return nm_error_errno(err, e, "cannot open %s", proc_root);
    }
    dfd = dup(procfd);
    d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        int e = errno;

        if (dfd >= 0)
            close(dfd);
        close(procfd);
        map_free(&m);
        return nm_error_errno(err, e, "cannot list %s", proc_root);
    }
    while ((de = readdir(d)) != NULL) {
        int32_t pid;

        if (parse_pid(de->d_name, &pid) < 0)
            continue;
        denied |= walk_process(procfd, de->d_name, pid, &m, l);
    }
    closedir(d);
    close(procfd);
    map_free(&m);
    for (i = 0; i < l->count; i++) {
        netmetrics_connection *c = &l->items[i];

        if (c->pid > 0)
            continue;
        /* A socket without a file (TIME_WAIT, an orphan) has no owner to
         * find, whatever our permissions. */
        c->owner_status = (denied && c->inode != 0) ? NETMETRICS_ERR_PERMISSION
                                                     : NETMETRICS_ERR_NOT_AVAILABLE;
    }
    l->owner_status = denied ? NETMETRICS_ERR_PERMISSION : NETMETRICS_OK;
    return NETMETRICS_OK;
}

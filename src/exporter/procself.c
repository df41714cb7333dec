/* SPDX-License-Identifier: MIT */
/* The process_* metrics of the exporter itself. The parsers read only the
 * bytes they are given; the reader is thin: one small file per scrape
 * (/proc/self/stat), one directory listing (/proc/self/fd) and one
 * getrlimit. /proc/stat, which can be large on machines with many CPUs, is
 * read once, for the start time. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "fileio.h"
#include "nmerror.h"
#include "procself.h"
#include "strbuf.h"

/* /proc/self/stat is a line of numbers and a 16-byte name. */
#define STAT_MAX_SIZE ((size_t)64 * 1024)
/* /proc/stat grows with CPUs and interrupts; read once. */
#define PROC_STAT_MAX_SIZE ((size_t)16 * 1024 * 1024)

/* Fields after the command name, counted from 0 (field 3, the state). */
#define F_STATE 0
#define F_UTIME 11
#define F_STIME 12
#define F_STARTTIME 19
#define F_VSIZE 20
#define F_RSS 21

struct nm_procself {
    char *root;
    nm_strbuf buf; /* reused from scrape to scrape */
    long ticks;    /* clock ticks per second */
    long page_size;
    int have_start_time;
    double start_time_seconds;
};

/* ----------------------------------------------------------------- parsers -- */

static int parse_u64(const char *f, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (n == 0)
        return -1;
    for (i = 0; i < n; i++) {
        unsigned d;

        if (f[i] < '0' || f[i] > '9')
            return -1;
        d = (unsigned)(f[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int nm_proc_stat_parse(const char *s, size_t len, nm_proc_stat *out)
{
    const char *open, *close = NULL;
    size_t i, pos, field = 0;
    uint64_t pid;

    if (!s || len == 0)
        return -1;
    /* "PID (COMM) S ...": the name is whatever lies between the first '('
     * and the last ')', parentheses and blanks included. */
    open = memchr(s, '(', len);
    if (!open || open - s < 2 || open[-1] != ' ' ||
        parse_u64(s, (size_t)(open - s) - 1, &pid) < 0)
        return -1;
    for (i = len; i > (size_t)(open - s); i--) {
        if (s[i - 1] == ')') {
            close = s + i - 1;
            break;
        }
    }
    if (!close)
        return -1;
    pos = (size_t)(close - s) + 1;
    memset(out, 0, sizeof *out);
    while (field <= F_RSS) {
        size_t start;
        uint64_t v = 0;

        if (pos >= len || s[pos] != ' ')
            return -1;
        while (pos < len && s[pos] == ' ')
            pos++;
        start = pos;
        while (pos < len && s[pos] != ' ' && s[pos] != '\n')
            pos++;
        if (pos == start)
            return -1;
        switch (field) {
        case F_STATE:
            if (pos - start != 1)
                return -1;
            out->state = s[start];
            break;
        case F_UTIME:
        case F_STIME:
        case F_STARTTIME:
        case F_VSIZE:
        case F_RSS:
            if (parse_u64(s + start, pos - start, &v) < 0)
                return -1;
            break;
        default:
            break;
        }
        if (field == F_UTIME)
            out->utime = v;
        else if (field == F_STIME)
            out->stime = v;
        else if (field == F_STARTTIME)
            out->starttime = v;
        else if (field == F_VSIZE)
            out->vsize = v;
        else if (field == F_RSS)
            out->rss = v;
        field++;
    }
    /* More fields follow rss in every kernel: text ending here was cut,
     * and its last number may be too. */
    if (pos >= len)
        return -1;
    return 0;
}

int nm_proc_btime_parse(const char *s, size_t len, uint64_t *btime)
{
    static const char key[] = "btime";
    size_t pos = 0;

    if (!s)
        return -1;
    while (pos < len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len;

        if (end - pos > sizeof key && memcmp(s + pos, key, sizeof key - 1) == 0 &&
            s[pos + sizeof key - 1] == ' ') {
            size_t v = pos + sizeof key - 1;

            while (v < end && s[v] == ' ')
                v++;
            return parse_u64(s + v, end - v, btime);
        }
        pos = end + 1;
    }
    return -1;
}

/* ------------------------------------------------------------------ reader -- */

/* Entries of root/self/fd, less the descriptor the listing itself holds
 * open. -1 when the directory cannot be read (no /proc). */
static long count_fds(const char *root)
{
    char path[4096];
    struct dirent *e;
    long n = 0;
    DIR *d;
    int own;

    if (nm_path_join(path, sizeof path, root, "self/fd") < 0)
        return -1;
    d = opendir(path);
    if (!d)
        return -1;
    own = dirfd(d);
    while ((e = readdir(d)) != NULL) {
        char *end;
        long fd;

        if (e->d_name[0] == '.')
            continue;
        fd = strtol(e->d_name, &end, 10);
        if (*end == '\0' && fd == own)
            continue;
        n++;
    }
    closedir(d);
    return n;
}

static int read_stat(nm_procself *p, nm_proc_stat *st)
{
    if (nm_read_file(p->root, "self/stat", STAT_MAX_SIZE, &p->buf, NULL) != NETMETRICS_OK)
        return -1;
    return nm_proc_stat_parse(p->buf.data, p->buf.len, st);
}

/* btime + starttime / ticks, as ps computes a start time. */
static void find_start_time(nm_procself *p)
{
    nm_proc_stat st;
    nm_strbuf all;
    uint64_t btime;

    if (p->ticks <= 0 || read_stat(p, &st) < 0)
        return;
    /* its own buffer, freed at once: the scrape buffer stays small */
    nm_strbuf_init(&all);
    if (nm_read_file(p->root, "stat", PROC_STAT_MAX_SIZE, &all, NULL) == NETMETRICS_OK &&
        nm_proc_btime_parse(all.data, all.len, &btime) == 0) {
        p->start_time_seconds = (double)btime + (double)st.starttime / (double)p->ticks;
        p->have_start_time = 1;
    }
    nm_strbuf_free(&all);
}

netmetrics_status nm_procself_new(const char *proc_root, nm_procself **out,
                                  netmetrics_error *err)
{
    nm_procself *p;
    char probe[4096];

    *out = NULL;
    if (!proc_root || nm_path_join(probe, sizeof probe, proc_root, "self/stat") < 0)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "process metrics: bad procfs root");
    p = calloc(1, sizeof *p);
    if (!p || !(p->root = strdup(proc_root))) {
        free(p);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    nm_strbuf_init(&p->buf);
    p->ticks = sysconf(_SC_CLK_TCK);
    p->page_size = sysconf(_SC_PAGESIZE);
    find_start_time(p);
    *out = p;
    return NETMETRICS_OK;
}

void nm_procself_free(nm_procself *p)
{
    if (!p)
        return;
    nm_strbuf_free(&p->buf);
    free(p->root);
    free(p);
}

void nm_procself_read(nm_procself *p, nm_process_metrics *m)
{
    nm_proc_stat st;
    struct rlimit rl;
    long fds;

    memset(m, 0, sizeof *m);
    if (read_stat(p, &st) == 0) {
        if (p->ticks > 0) {
            m->have_cpu = 1;
            m->cpu_seconds = (double)(st.utime + st.stime) / (double)p->ticks;
        }
        if (p->page_size > 0) {
            m->have_memory = 1;
            m->resident_bytes = st.rss * (uint64_t)p->page_size;
            m->virtual_bytes = st.vsize;
        }
    }
    if (!m->have_cpu) {
        /* No /proc (macOS): the kernel's own accounting of this process. */
        struct rusage ru;

        if (getrusage(RUSAGE_SELF, &ru) == 0) {
            m->have_cpu = 1;
            m->cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                             ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
        }
    }
    fds = count_fds(p->root);
    if (fds >= 0) {
        m->have_open_fds = 1;
        m->open_fds = (uint64_t)fds;
    }
    /* An unlimited soft limit has no number worth exporting. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        m->have_max_fds = 1;
        m->max_fds = (uint64_t)rl.rlim_cur;
    }
    m->have_start_time = p->have_start_time;
    m->start_time_seconds = p->start_time_seconds;
}

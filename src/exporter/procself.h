/* SPDX-License-Identifier: MIT */
/* The exporter's own process: CPU time, memory, file descriptors and start
 * time, with the meaning the Prometheus client libraries give the
 * process_* metrics. On Linux they come from /proc/self/stat, /proc/stat
 * (btime), /proc/self/fd and getrlimit; elsewhere (no /proc) only CPU time
 * (getrusage) and the descriptor limit are known, and the rest is left
 * out rather than guessed. The parsers take bytes and are pure. */
#ifndef NM_PROCSELF_H
#define NM_PROCSELF_H

#include <stddef.h>
#include <stdint.h>

#include "netmetrics.h"

/* The fields of /proc/PID/stat the process metrics use. */
typedef struct nm_proc_stat {
    char state;         /* field 3: R, S, D, Z, ... */
    uint64_t utime;     /* field 14: user time, clock ticks */
    uint64_t stime;     /* field 15: system time, clock ticks */
    uint64_t starttime; /* field 22: start, clock ticks after boot */
    uint64_t vsize;     /* field 23: virtual memory, bytes */
    uint64_t rss;       /* field 24: resident set, pages */
} nm_proc_stat;

/* Parses /proc/PID/stat text s[0..len) (not NUL-terminated). The command
 * name (field 2) may hold blanks and parentheses, so fields are counted
 * from the last ')'. Returns 0, or -1 when the text is truncated or a field
 * used is not a decimal number (out is then unspecified). */
int nm_proc_stat_parse(const char *s, size_t len, nm_proc_stat *out);

/* The "btime SECONDS" line of /proc/stat text s[0..len): boot time, in
 * seconds since the epoch. Returns 0, or -1 when there is no such line or
 * it is malformed. */
int nm_proc_btime_parse(const char *s, size_t len, uint64_t *btime);

/* What one scrape reports. A have_* flag of 0 leaves its families out. */
typedef struct nm_process_metrics {
    int have_cpu;
    double cpu_seconds;         /* user + system */
    int have_memory;
    uint64_t resident_bytes;
    uint64_t virtual_bytes;
    int have_open_fds;
    uint64_t open_fds;
    int have_max_fds;
    uint64_t max_fds;           /* RLIMIT_NOFILE, soft */
    int have_start_time;
    double start_time_seconds;  /* since the epoch */
} nm_process_metrics;

typedef struct nm_procself nm_procself;

/* A reader of the calling process's metrics under proc_root ("/proc", or a
 * fixture tree holding self/stat, self/fd/ and stat). The start time is
 * worked out once, here: it never changes. Fails only with NO_MEMORY or
 * INVALID (a root too long); a missing /proc is not an error, the metrics
 * read from it are then absent. Not thread-safe: one caller at a time (the
 * scraper calls it under its lock). */
netmetrics_status nm_procself_new(const char *proc_root, nm_procself **out,
                                  netmetrics_error *err);
void nm_procself_free(nm_procself *p);

/* Fills *m with what can be read now. Never fails as a whole. */
void nm_procself_read(nm_procself *p, nm_process_metrics *m);

#endif

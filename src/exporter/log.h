/* SPDX-License-Identifier: MIT */
/* The exporter's leveled logger: one line per event on a file descriptor
 * (stderr), in logfmt or JSON, like the Prometheus exporters written in Go,
 * so the same log pipelines parse both. A logger is a small value owned by
 * main and passed down; there is no global one. Logging never allocates and
 * never fails loudly: each line is built on the stack and written with a
 * single write(), which keeps lines from different threads whole. */
#ifndef NM_LOG_H
#define NM_LOG_H

#include <stdarg.h>
#include <stddef.h>

typedef enum nm_log_level {
    NM_LOG_DEBUG = 0,
    NM_LOG_INFO,
    NM_LOG_WARN,
    NM_LOG_ERROR
} nm_log_level;

typedef enum nm_log_format {
    NM_LOG_LOGFMT = 0,
    NM_LOG_JSON
} nm_log_format;

/* Read-only once set up, so any number of threads may log through it. */
typedef struct nm_logger {
    nm_log_level level;   /* lines below this level are dropped */
    nm_log_format format;
    int fd;               /* usually STDERR_FILENO */
} nm_logger;

/* Longest line written; longer values are cut (and marked with "...") so a
 * line stays within PIPE_BUF and is never interleaved with another. */
#define NM_LOG_LINE_MAX 4096

void nm_log_init(nm_logger *lg, nm_log_level level, nm_log_format format, int fd);

/* "debug", "info", "warn", "error" / "logfmt", "json" <-> enum. The parse
 * functions return 0, or -1 for an unknown name. */
const char *nm_log_level_name(nm_log_level level);
int nm_log_level_parse(const char *name, nm_log_level *out);
const char *nm_log_format_name(nm_log_format format);
int nm_log_format_parse(const char *name, nm_log_format *out);

/* Nonzero when a line at `level` would be written; lets callers skip the
 * work of preparing debug values. */
int nm_log_enabled(const nm_logger *lg, nm_log_level level);

/* Writes one line: ts, level, msg, then the key/value pairs that follow
 * msg (const char *key, const char *value, ..., NULL). A NULL value is
 * written as an empty string. lg may be NULL (nothing is written). */
#if defined(__GNUC__)
__attribute__((sentinel))
#endif
void nm_log(const nm_logger *lg, nm_log_level level, const char *msg, ...);
void nm_log_v(const nm_logger *lg, nm_log_level level, const char *msg, va_list kv);

/* Formats one line into buf (size bytes, at least 64) without writing it
 * and returns its length, newline included; `ts_ms` is the wall time in
 * milliseconds since the epoch. Exposed so tests can check the encoding. */
size_t nm_log_format_line(char *buf, size_t size, nm_log_format format, long long ts_ms,
                          nm_log_level level, const char *msg, va_list kv);

/* An MHD_LogCallback: routes libmicrohttpd's own messages (printf format,
 * usually ending in a newline) into the logger given as cls, at warn level
 * with source=libmicrohttpd. Its type matches MHD_LogCallback without
 * including microhttpd.h here. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
void nm_log_mhd(void *cls, const char *fmt, va_list ap);

#endif

/* SPDX-License-Identifier: MIT */
/* Leveled logging in logfmt or JSON. Each line is assembled in a stack
 * buffer and handed to the kernel with one write(), so concurrent threads
 * (MHD's workers, main) never interleave partial lines and logging works
 * even when memory is exhausted. Values are escaped here, never trusted:
 * they carry interface names, paths and client-supplied URLs, which may hold
 * quotes, newlines or bytes that are not UTF-8 (JSON must be valid UTF-8,
 * and a raw newline would forge a log line). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};
static const char *const format_names[] = {"logfmt", "json"};

void nm_log_init(nm_logger *lg, nm_log_level level, nm_log_format format, int fd)
{
    lg->level = level;
    lg->format = format;
    lg->fd = fd;
}

const char *nm_log_level_name(nm_log_level level)
{
    if ((unsigned)level < sizeof level_names / sizeof level_names[0])
        return level_names[level];
    return "unknown";
}

int nm_log_level_parse(const char *name, nm_log_level *out)
{
    unsigned i;

    for (i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (nm_log_level)i;
            return 0;
        }
    }
    return -1;
}

const char *nm_log_format_name(nm_log_format format)
{
    if ((unsigned)format < sizeof format_names / sizeof format_names[0])
        return format_names[format];
    return "unknown";
}

int nm_log_format_parse(const char *name, nm_log_format *out)
{
    unsigned i;

    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (nm_log_format)i;
            return 0;
        }
    }
    return -1;
}

int nm_log_enabled(const nm_logger *lg, nm_log_level level)
{
    return lg && level >= lg->level;
}

/* ------------------------------------------------------------ line writer -- */

/* Bytes kept back from the content so that a cut line can still be closed:
 * "..." + closing quote + "}" + "\n" + NUL. */
#define LW_RESERVE 8

typedef struct line_writer {
    char *buf;
    size_t len;
    size_t limit; /* content stops here; the reserve follows */
    int full;     /* a piece did not fit; everything after it is dropped */
} line_writer;

static void lw_raw(line_writer *w, const char *s, size_t n)
{
    if (w->full)
        return;
    if (n > w->limit - w->len) {
        w->full = 1;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void lw_str(line_writer *w, const char *s)
{
    lw_raw(w, s, strlen(s));
}

/* Closing text written from the reserve, past the limit. */
static void lw_close(line_writer *w, const char *s)
{
    size_t n = strlen(s);

    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* Length (1..4) of the well-formed UTF-8 sequence at s, or 0 when the bytes
 * there are not one (stray continuation, overlong form, surrogate, beyond
 * U+10FFFF, or cut short by the end of the string). */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n, i;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* The escaped form of the character at s (of `avail` bytes) into out (at
 * least 7 bytes); returns its length and sets *consumed. Both formats share
 * the JSON escapes; bytes that are not UTF-8 become U+FFFD, as the JSON
 * spelling "\ufffd" or, in logfmt, the character itself. */
static size_t escape_char(const unsigned char *s, size_t avail, nm_log_format fmt, char *out,
                          size_t *consumed)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = s[0];
    size_t n;

    *consumed = 1;
    switch (c) {
    case '"':
        memcpy(out, "\\\"", 2);
        return 2;
    case '\\':
        memcpy(out, "\\\\", 2);
        return 2;
    case '\n':
        memcpy(out, "\\n", 2);
        return 2;
    case '\r':
        memcpy(out, "\\r", 2);
        return 2;
    case '\t':
        memcpy(out, "\\t", 2);
        return 2;
    default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
        memcpy(out, "\\u00", 4);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 0xf];
        return 6;
    }
    n = utf8_seq_len(s, avail);
    if (n == 0) {
        if (fmt == NM_LOG_JSON) {
            memcpy(out, "\\ufffd", 6);
            return 6;
        }
        memcpy(out, "\xef\xbf\xbd", 3);
        return 3;
    }
    memcpy(out, s, n);
    *consumed = n;
    return n;
}

/* logfmt leaves a value bare unless it is empty or holds a space, '=', '"',
 * a control character or a byte that is not UTF-8 (the go-logfmt rule,
 * which log parsers expect). */
static int logfmt_needs_quotes(const char *v)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t avail = strlen(v), n;

    if (avail == 0)
        return 1;
    while (avail) {
        if (*s <= ' ' || *s == '=' || *s == '"' || *s == 0x7f)
            return 1;
        n = utf8_seq_len(s, avail);
        if (n == 0)
            return 1;
        s += n;
        avail -= n;
    }
    return 0;
}

/* Writes a value quoted and escaped, or bare: logfmt leaves a value bare
 * only when it needs no escaping at all (so a bare backslash stays one
 * backslash for the reader). When the value does not fit, it is cut on a
 * character boundary, "..." marks the cut and the line is closed after it. */
static void lw_value(line_writer *w, const char *v, nm_log_format fmt, int quote)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t avail = strlen(v), n, used;
    char tmp[8];

    if (w->full)
        return;
    if (quote)
        lw_raw(w, "\"", 1);
    while (avail && !w->full) {
        if (quote) {
            n = escape_char(s, avail, fmt, tmp, &used);
        } else {
            tmp[0] = (char)*s;
            n = used = 1;
        }
        if (n > w->limit - w->len) {
            w->full = 1;
            lw_close(w, "...");
            break;
        }
        memcpy(w->buf + w->len, tmp, n);
        w->len += n;
        s += used;
        avail -= used;
    }
    if (quote)
        lw_close(w, "\"");
}

static void lw_timestamp(line_writer *w, long long ts_ms)
{
    char tmp[96]; /* room for any int the compiler imagines in tm */
    struct tm tm;
    time_t secs = (time_t)(ts_ms / 1000);
    int ms = (int)(ts_ms % 1000);

    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    if (!gmtime_r(&secs, &tm))
        memset(&tm, 0, sizeof tm);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    lw_str(w, tmp);
}

size_t nm_log_format_line(char *buf, size_t size, nm_log_format format, long long ts_ms,
                          nm_log_level level, const char *msg, va_list kv)
{
    line_writer w;
    const char *key, *value;
    int json = format == NM_LOG_JSON;

    if (size < 64)
        return 0;
    w.buf = buf;
    w.len = 0;
    w.limit = size - LW_RESERVE;
    w.full = 0;

    if (json) {
        lw_str(&w, "{\"ts\":\"");
        lw_timestamp(&w, ts_ms);
        lw_str(&w, "\",\"level\":\"");
        lw_str(&w, nm_log_level_name(level));
        lw_str(&w, "\",\"msg\":");
    } else {
        lw_str(&w, "ts=");
        lw_timestamp(&w, ts_ms);
        lw_str(&w, " level=");
        lw_str(&w, nm_log_level_name(level));
        lw_str(&w, " msg=");
    }
    /* msg is always quoted, so "msg=\"listening\"" reads the same whatever
     * the message holds. */
    lw_value(&w, msg ? msg : "", format, 1);

    while (!w.full && (key = va_arg(kv, const char *)) != NULL) {
        value = va_arg(kv, const char *);
        if (!value)
            value = "";
        /* A key is never cut: only a value may be, and the line stays
         * well formed (closed quotes, closed JSON object). */
        if (strlen(key) + 8 > w.limit - w.len) {
            w.full = 1;
            break;
        }
        if (json) {
            lw_str(&w, ",");
            lw_value(&w, key, format, 1);
            lw_str(&w, ":");
            lw_value(&w, value, format, 1);
        } else {
            lw_str(&w, " ");
            lw_value(&w, key, format, 0);
            lw_str(&w, "=");
            lw_value(&w, value, format, logfmt_needs_quotes(value));
        }
    }
    if (json)
        lw_close(&w, "}");
    lw_close(&w, "\n");
    buf[w.len] = '\0';
    return w.len;
}

/* --------------------------------------------------------------- logging -- */

static long long wall_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void nm_log_v(const nm_logger *lg, nm_log_level level, const char *msg, va_list kv)
{
    char line[NM_LOG_LINE_MAX];
    size_t len, off = 0;
    ssize_t n;
    int saved_errno = errno; /* callers log between a failure and its errno */

    if (!nm_log_enabled(lg, level))
        return;
    len = nm_log_format_line(line, sizeof line, lg->format, wall_ms(), level, msg, kv);
    while (off < len) {
        n = write(lg->fd, line + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* nowhere left to report a failing log */
        off += (size_t)n;
    }
    errno = saved_errno;
}

void nm_log(const nm_logger *lg, nm_log_level level, const char *msg, ...)
{
    va_list kv;

    va_start(kv, msg);
    nm_log_v(lg, level, msg, kv);
    va_end(kv);
}

void nm_log_mhd(void *cls, const char *fmt, va_list ap)
{
    char text[1024];
    size_t n;
    int r;

    r = vsnprintf(text, sizeof text, fmt, ap);
    if (r < 0)
        return;
    /* MHD ends its messages with a newline; the line adds its own. */
    n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    nm_log((const nm_logger *)cls, NM_LOG_WARN, text, "source", "libmicrohttpd", (char *)NULL);
}

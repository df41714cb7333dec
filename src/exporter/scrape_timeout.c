/* SPDX-License-Identifier: MIT */
/* X-Prometheus-Scrape-Timeout-Seconds and the budget rule. The header is
 * advice from the client: anything malformed is ignored (no deadline), it
 * is never an error answered to the client. Reads only s[0..len). */
#include "config.h"

#include <time.h>

#include "scrape_timeout.h"
#include "snapshot.h"

#define NS_PER_SEC 1000000000ull

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int nm_scrape_timeout_parse(const char *s, size_t len, uint64_t *ns)
{
    const uint64_t max_secs = NM_SCRAPE_TIMEOUT_MAX_NS / NS_PER_SEC;
    uint64_t secs = 0, frac = 0, scale = NS_PER_SEC, total;
    size_t i = 0, start;
    int clamped = 0;

    if (!s)
        return -1;
    while (i < len && is_blank(s[i]))
        i++;
    start = i;
    for (; i < len && is_digit(s[i]); i++) {
        if (secs >= max_secs) {
            clamped = 1; /* keep reading: the rest must still be digits */
            continue;
        }
        secs = secs * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == start)
        return -1;
    if (i < len && s[i] == '.') {
        size_t fstart = ++i;

        for (; i < len && is_digit(s[i]); i++) {
            if (scale > 1) {
                scale /= 10;
                frac += (uint64_t)(s[i] - '0') * scale;
            }
        }
        if (i == fstart)
            return -1;
    }
    while (i < len && is_blank(s[i]))
        i++;
    if (i != len)
        return -1;
    if (clamped || secs >= max_secs)
        total = NM_SCRAPE_TIMEOUT_MAX_NS;
    else
        total = secs * NS_PER_SEC + frac;
    if (total == 0)
        return -1;
    *ns = total;
    return 0;
}

uint64_t nm_scrape_budget_ns(uint64_t timeout_ns, uint64_t offset_ns)
{
    uint64_t half = timeout_ns / 2;

    if (offset_ns >= timeout_ns || timeout_ns - offset_ns < half)
        return half;
    return timeout_ns - offset_ns;
}

void nm_deadline_realtime(uint64_t deadline_ns, struct timespec *at)
{
    uint64_t now = nm_monotonic_ns();
    uint64_t left = deadline_ns > now ? deadline_ns - now : 0;

    clock_gettime(CLOCK_REALTIME, at);
    at->tv_sec += (time_t)(left / 1000000000u);
    at->tv_nsec += (long)(left % 1000000000u);
    if (at->tv_nsec >= 1000000000L) {
        at->tv_sec++;
        at->tv_nsec -= 1000000000L;
    }
}

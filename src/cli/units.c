/* SPDX-License-Identifier: MIT */
/* Unit scaling for people. Whole bytes stay whole ("512 B") so small
 * numbers are not dressed up as fractions; from 1 KB on, two decimals. A
 * value that would round up to 1024.00 of a unit is shown in the next unit
 * instead, so "1024.00 KB" never appears. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "units.h"

static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
#define UNIT_COUNT (sizeof units / sizeof units[0])

/* Scales v (>= 1024) into [1, 1024) of the largest fitting unit; *u gets
 * its index (>= 1). Two-decimal rounding that reaches 1024 moves up. */
static double scale(double v, size_t *u)
{
    *u = 0;
    while (*u + 1 < UNIT_COUNT && v >= 1024.0) {
        v /= 1024.0;
        (*u)++;
    }
    if (*u + 1 < UNIT_COUNT && v >= 1023.995) {
        v /= 1024.0;
        (*u)++;
    }
    return v;
}

char *nm_cli_human_bytes(uint64_t bytes, char *buf, size_t size)
{
    size_t u;
    double v;

    if (bytes < 1024) {
        snprintf(buf, size, "%u B", (unsigned)bytes);
        return buf;
    }
    v = scale((double)bytes, &u);
    snprintf(buf, size, "%.2f %s", v, units[u]);
    return buf;
}

char *nm_cli_human_speed(double bytes_per_second, char *buf, size_t size)
{
    size_t u;
    double v;

    if (!isfinite(bytes_per_second) || bytes_per_second < 0) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    if (bytes_per_second < 1023.5) {
        snprintf(buf, size, "%.0f B/s", bytes_per_second);
        return buf;
    }
    if (bytes_per_second < 1024.0) { /* would print as "1024 B/s" */
        snprintf(buf, size, "1.00 KB/s");
        return buf;
    }
    v = scale(bytes_per_second, &u);
    snprintf(buf, size, "%.2f %s/s", v, units[u]);
    return buf;
}

/* SPDX-License-Identifier: MIT */
/* Human units for the `netmetrics` report: byte counts as B, KB, MB, GB, TB
 * and speeds as B/s, KB/s, MB/s, GB/s, in steps of 1024 as the seed library
 * prints them (its "KB/s" is bytes / 1024). Pure formatting into a caller's
 * buffer: no locale, no allocation. */
#ifndef NM_CLI_UNITS_H
#define NM_CLI_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Large enough for any value either function writes. */
#define NM_CLI_UNIT_SIZE 32

/* "0 B", "1023 B", "1.00 KB", "1.50 MB", "2.00 GB", "3.25 TB"; at least
 * 1024 of a unit moves to the next one (TB is the largest). Returns buf. */
char *nm_cli_human_bytes(uint64_t bytes, char *buf, size_t size);

/* "0 B/s", "512 B/s", "1.00 KB/s", "2.50 MB/s", "1.20 GB/s"; negative,
 * NaN or infinite input (never produced by the library) prints "n/a".
 * Returns buf. */
char *nm_cli_human_speed(double bytes_per_second, char *buf, size_t size);

#endif

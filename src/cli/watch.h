/* SPDX-License-Identifier: MIT */
/* The terminal and the clock for `netmetrics`: stop requests from SIGINT
 * and SIGTERM, sleeping until a monotonic deadline (cut short by those
 * signals), and the top-like screen of --watch (cursor hidden, screen
 * redrawn in place, terminal restored on every way out). */
#ifndef NM_CLI_WATCH_H
#define NM_CLI_WATCH_H

#include <stddef.h>
#include <stdint.h>

/* Installs the SIGINT/SIGTERM handlers (without SA_RESTART, so a sleep
 * ends at once). Returns 0 or -1. */
int nm_cli_signals_install(void);

/* The signal that asked us to stop, or 0. */
int nm_cli_stop_requested(void);

/* Sleeps until CLOCK_MONOTONIC reaches deadline_ns or a stop is
 * requested. Returns 0 at the deadline, -1 when stopped. */
int nm_cli_sleep_until(uint64_t deadline_ns);

/* Screen mode for --watch when fd is a terminal: hides the cursor and
 * arranges for nm_cli_screen_end to run at exit. Returns 1 when screen mode
 * is on, 0 when fd is not a terminal (frames are then written one after
 * the other, without escape sequences). */
int nm_cli_screen_begin(int fd);

/* Writes one frame: in screen mode home + frame + clear-to-end, so the
 * screen is redrawn in place without flashing; otherwise the frame as is.
 * Returns 0 or -1 (write error). */
int nm_cli_screen_frame(int fd, const char *frame, size_t len);

/* Shows the cursor again; idempotent, safe to call at any point. */
void nm_cli_screen_end(void);

/* write(2) all of buf, retrying on EINTR and short writes. 0 or -1. */
int nm_cli_write_all(int fd, const char *buf, size_t len);

#endif

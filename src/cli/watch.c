/* SPDX-License-Identifier: MIT */
/* Signals, sleeping and the --watch screen. The handlers only store the
 * signal number: everything else (restoring the terminal, printing) happens
 * on the main path after the sleep returns, where it is safe. The screen is
 * restored from nm_cli_screen_end, which main calls on every exit path and
 * atexit covers for the rest; a crash cannot be covered, which is why the
 * only state changed is the cursor's visibility (no alternate screen, no
 * termios changes). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watch.h"

#define HIDE_CURSOR "\033[?25l"
#define SHOW_CURSOR "\033[?25h"
#define CLEAR_SCREEN "\033[H\033[2J"
#define HOME "\033[H"
#define CLEAR_TO_END "\033[J"
#define CLEAR_TO_EOL "\033[K"

static volatile sig_atomic_t stop_signal;
static int screen_fd = -1;

static void on_signal(int sig)
{
    stop_signal = sig;
}

int nm_cli_signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: interrupt the sleep */
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
        return -1;
    return 0;
}

int nm_cli_stop_requested(void)
{
    return stop_signal;
}

int nm_cli_sleep_until(uint64_t deadline_ns)
{
    struct timespec ts;

    ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
    ts.tv_nsec = (long)(deadline_ns % 1000000000u);
    while (!stop_signal) {
        int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

        if (rc == 0)
            return 0;
        if (rc != EINTR)
            return -1;
    }
    return -1;
}

int nm_cli_write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

void nm_cli_screen_end(void)
{
    if (screen_fd < 0)
        return;
    nm_cli_write_all(screen_fd, SHOW_CURSOR, strlen(SHOW_CURSOR));
    screen_fd = -1;
}

static void screen_end_at_exit(void)
{
    nm_cli_screen_end();
}

int nm_cli_screen_begin(int fd)
{
    static int registered;

    if (!isatty(fd))
        return 0;
    if (!registered && atexit(screen_end_at_exit) == 0)
        registered = 1;
    screen_fd = fd;
    /* clear once; later frames overwrite in place */
    nm_cli_write_all(fd, HIDE_CURSOR CLEAR_SCREEN, strlen(HIDE_CURSOR CLEAR_SCREEN));
    return 1;
}

int nm_cli_screen_frame(int fd, const char *frame, size_t len)
{
    const char *p = frame, *end = frame + len;

    if (screen_fd != fd)
        return nm_cli_write_all(fd, frame, len);
    if (nm_cli_write_all(fd, HOME, strlen(HOME)) < 0)
        return -1;
    /* each line clears its own tail, left over from a longer line of the
     * previous frame */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

        if (nm_cli_write_all(fd, p, n) < 0)
            return -1;
        if (nl && nm_cli_write_all(fd, CLEAR_TO_EOL "\n", strlen(CLEAR_TO_EOL "\n")) < 0)
            return -1;
        p += n + (nl ? 1 : 0);
    }
    if (screen_fd == fd && nm_cli_write_all(fd, CLEAR_TO_END, strlen(CLEAR_TO_END)) < 0)
        return -1;
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* `netmetrics connections`: the socket table as `ss -tunap` shows it, or
 * as JSON. Self-contained, so the CLI's dispatcher needs one line. */
#ifndef NM_CLI_CONNECTIONS_CMD_H
#define NM_CLI_CONNECTIONS_CMD_H

/* argv[0] is "connections" (or the program name); the options follow.
 * Prints to stdout; returns the exit status: 0, 1 when the socket table
 * cannot be read (a message on stderr), 2 for bad usage (one line on
 * stderr). */
int nm_cli_connections_main(int argc, char **argv);

#endif

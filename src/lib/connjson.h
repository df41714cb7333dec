/* SPDX-License-Identifier: MIT */
/* A connection list as JSON, for the exporter's /connections endpoint and
 * the CLI's --json: one writer, so both print the same document. */
#ifndef NM_CONNJSON_H
#define NM_CONNJSON_H

#include <stddef.h>

#include "netmetrics.h"
#include "strbuf.h"

/* Appends a JSON string (with its quotes) holding the bytes s[0..len).
 * Text that is not UTF-8 is kept readable and one-to-one with the same
 * rule as the exporter's label values: a byte that is not part of
 * well-formed UTF-8 becomes the four characters \xNN, and a backslash that
 * would read as such an escape becomes \x5c. Returns 0 or -1 (out of
 * memory). */
int nm_json_put_string(nm_strbuf *b, const char *s, size_t len);

/* Appends {"backend":..., "owner_lookup":..., "malformed":N,
 * "connections":[{...}, ...]} followed by a newline. Every connection
 * carries protocol, family, state, local_address, local_port,
 * remote_address, remote_port, receive_queue, send_queue, uid, inode, pid
 * and process (null when unknown) and owner_status. Returns 0 or -1. */
int nm_conn_json(nm_strbuf *b, const netmetrics_connections *l);

/* "ok", "permission denied", "not available", ... for owner fields. */
const char *nm_conn_owner_word(netmetrics_status st);

#endif

/* SPDX-License-Identifier: MIT */
/* HTTP basic authentication against the bcrypt hashes of basic_auth_users,
 * with the system's crypt (libxcrypt). A user that does not exist is checked
 * against a dummy hash of the same cost, so the answer takes as long as for
 * a real user with a wrong password. bcrypt is slow on purpose (tens of ms)
 * and Prometheus sends the same credentials on every scrape, so successful
 * checks are remembered in a small bounded cache that holds no password:
 * only a keyed digest (HMAC-SHA-256 under a random per-process key) of the
 * user and password. Thread-safe: MHD's threads share one instance. */
#ifndef NM_BASICAUTH_H
#define NM_BASICAUTH_H

#include <stddef.h>

#include "webconfig.h"

typedef struct nm_basicauth nm_basicauth;

/* Entries of the cache of successful checks. */
#define NM_BASICAUTH_CACHE_SLOTS 64

/* The realm sent in WWW-Authenticate. */
#define NM_BASICAUTH_CHALLENGE "Basic realm=\"netmetrics_exporter\", charset=\"UTF-8\""

/* An authenticator for the users of cfg (copied; cfg may be freed after).
 * Returns 0 and *out, or -1 with why set (no users, out of memory, no
 * random bytes). */
int nm_basicauth_new(const nm_webconfig *cfg, nm_basicauth **out, char *why, size_t whysize);

void nm_basicauth_free(nm_basicauth *a);

/* Decodes an Authorization header value "Basic <base64 of user:password>"
 * (scheme case-insensitive, padding required) from value[0..len). Returns
 * a malloc'd buffer holding "user\0password\0" with *user and *pass pointing
 * into it (free it with nm_basicauth_wipe_free), or NULL when the value is
 * not such a header, the credentials hold a NUL byte, or memory runs out. */
char *nm_basicauth_decode(const char *value, size_t len, const char **user, const char **pass);

/* Wipes and frees a buffer from nm_basicauth_decode. NULL is ignored. */
void nm_basicauth_wipe_free(char *buf);

/* 1 when the Authorization header value (NULL: absent) names a configured
 * user and the right password, else 0. */
int nm_basicauth_check(nm_basicauth *a, const char *authorization);

/* Counters for tests and logs: bcrypt computations run, and cache hits. */
void nm_basicauth_stats(nm_basicauth *a, unsigned long *bcrypt_runs, unsigned long *cache_hits);

#endif

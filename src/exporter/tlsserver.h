/* SPDX-License-Identifier: MIT */
/* The GnuTLS side of HTTPS: checking a certificate, key and CA before the
 * server starts (so a bad file is an error naming it, not a daemon that
 * fails to start), and enforcing client_auth_type on each connection's
 * session. libmicrohttpd only asks for a client certificate when given a
 * trust store, and never checks it; these functions make each policy real:
 * a required certificate that is absent or does not verify fails the
 * handshake. */
#ifndef NM_TLSSERVER_H
#define NM_TLSSERVER_H

#include <stddef.h>

#include "webconfig.h"

/* Checks that cert_pem (a certificate, optionally followed by its chain) and
 * key_pem (an unencrypted private key) form a pair GnuTLS can serve with.
 * Returns 0, or -1 with GnuTLS's reason in why. */
int nm_tls_check_keypair(const char *cert_pem, const char *key_pem, char *why, size_t whysize);

/* Number of CA certificates in ca_pem (at least 1), or -1 with why set. */
int nm_tls_check_ca(const char *ca_pem, char *why, size_t whysize);

/* Checks a GnuTLS priority string. Returns 0, or -1 with why set. */
int nm_tls_check_priorities(const char *priorities, char *why, size_t whysize);

/* Applies the client-certificate policy to a new server session (a
 * gnutls_session_t, before its handshake): asks for a certificate when the
 * policy wants one and installs the check that runs during the handshake.
 * NM_CLIENT_AUTH_NONE leaves the session as it is. */
void nm_tls_session_policy(void *session, nm_client_auth policy);

/* Version of the GnuTLS in use, for --version. */
const char *nm_tls_library_version(void);

#endif

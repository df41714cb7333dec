/* SPDX-License-Identifier: MIT */
/* GnuTLS checks for the web configuration and the per-connection client
 * certificate policy. The checks build throwaway credentials exactly as
 * libmicrohttpd will (PEM in memory), so what passes here also starts. The
 * policy callbacks hold no state: one function per client_auth_type, each
 * verifying against the trust store libmicrohttpd loaded from client_ca. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tlsserver.h"

static int why_gnutls(char *why, size_t whysize, const char *what, int rc)
{
    snprintf(why, whysize, "%s: %s", what, gnutls_strerror(rc));
    return -1;
}

static gnutls_datum_t datum(const char *pem)
{
    gnutls_datum_t d;

    /* GnuTLS takes a non-const pointer but only reads it. */
    d.data = (unsigned char *)(uintptr_t)pem;
    d.size = (unsigned int)strlen(pem);
    return d;
}

int nm_tls_check_keypair(const char *cert_pem, const char *key_pem, char *why, size_t whysize)
{
    gnutls_certificate_credentials_t cred;
    gnutls_datum_t cert = datum(cert_pem), key = datum(key_pem);
    int rc;

    rc = gnutls_certificate_allocate_credentials(&cred);
    if (rc < 0)
        return why_gnutls(why, whysize, "cannot allocate credentials", rc);
    /* The same call libmicrohttpd makes; it also checks that the key
     * matches the first certificate. */
    rc = gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
    gnutls_certificate_free_credentials(cred);
    if (rc < 0)
        return why_gnutls(why, whysize, "not a usable certificate and key", rc);
    return 0;
}

int nm_tls_check_ca(const char *ca_pem, char *why, size_t whysize)
{
    gnutls_certificate_credentials_t cred;
    gnutls_datum_t ca = datum(ca_pem);
    int rc;

    rc = gnutls_certificate_allocate_credentials(&cred);
    if (rc < 0)
        return why_gnutls(why, whysize, "cannot allocate credentials", rc);
    rc = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(cred);
    if (rc < 0)
        return why_gnutls(why, whysize, "not usable CA certificates", rc);
    if (rc == 0) {
        snprintf(why, whysize, "holds no PEM certificate");
        return -1;
    }
    return rc;
}

int nm_tls_check_priorities(const char *priorities, char *why, size_t whysize)
{
    gnutls_priority_t prio;
    const char *at = NULL;
    int rc;

    rc = gnutls_priority_init(&prio, priorities, &at);
    if (rc < 0) {
        snprintf(why, whysize, "GnuTLS rejects the TLS settings (\"%s\" at \"%s\"): %s",
                 priorities, at ? at : "?", gnutls_strerror(rc));
        return -1;
    }
    gnutls_priority_deinit(prio);
    return 0;
}

/* --------------------------------------------------------- client policy -- */

static unsigned peer_certificates(gnutls_session_t session)
{
    unsigned n = 0;

    return gnutls_certificate_get_peers(session, &n) ? n : 0;
}

/* Chain to a CA of client_ca, in validity, usable for client auth (a
 * certificate without an extended key usage is usable for anything, as in
 * Go). */
static int verify_chain(gnutls_session_t session)
{
    gnutls_typed_vdata_st purpose;
    unsigned status = 0;

    memset(&purpose, 0, sizeof purpose);
    purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
    purpose.data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT;
    if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) < 0 || status != 0)
        return GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;
    return 0;
}

/* RequestClientCert: whatever is sent is accepted unchecked. */
static int accept_any(gnutls_session_t session)
{
    (void)session;
    return 0;
}

static int require_any(gnutls_session_t session)
{
    return peer_certificates(session) > 0 ? 0 : GNUTLS_E_CERTIFICATE_REQUIRED;
}

static int verify_if_given(gnutls_session_t session)
{
    return peer_certificates(session) == 0 ? 0 : verify_chain(session);
}

static int require_and_verify(gnutls_session_t session)
{
    return peer_certificates(session) == 0 ? GNUTLS_E_CERTIFICATE_REQUIRED
                                           : verify_chain(session);
}

void nm_tls_session_policy(void *session, nm_client_auth policy)
{
    gnutls_session_t s = session;

    switch (policy) {
    case NM_CLIENT_AUTH_NONE:
        return;
    case NM_CLIENT_AUTH_REQUEST:
        gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
        gnutls_session_set_verify_function(s, accept_any);
        return;
    case NM_CLIENT_AUTH_REQUIRE_ANY:
        gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
        gnutls_session_set_verify_function(s, require_any);
        return;
    case NM_CLIENT_AUTH_VERIFY_IF_GIVEN:
        gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
        gnutls_session_set_verify_function(s, verify_if_given);
        return;
    case NM_CLIENT_AUTH_REQUIRE_VERIFY:
        gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
        gnutls_session_set_verify_function(s, require_and_verify);
        return;
    }
}

const char *nm_tls_library_version(void)
{
    return gnutls_check_version(NULL);
}

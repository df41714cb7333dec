/* SPDX-License-Identifier: MIT */
/* --web.config.file: the exporter-toolkit web configuration (YAML) that
 * Prometheus exporters share: tls_server_config, http_server_config and
 * basic_auth_users. The parser takes bytes and touches nothing else, so it is
 * unit-tested and fuzzed; the loader reads the file, resolves relative paths
 * against the file's directory and reads and checks the certificate, key and
 * CA files. Every error names the line it is about. */
#ifndef NM_WEBCONFIG_H
#define NM_WEBCONFIG_H

#include <stddef.h>

typedef struct nm_webconfig nm_webconfig;

/* tls_server_config.client_auth_type, with Go's crypto/tls meanings. */
typedef enum nm_client_auth {
    NM_CLIENT_AUTH_NONE = 0,        /* NoClientCert: none asked for */
    NM_CLIENT_AUTH_REQUEST,         /* RequestClientCert: asked, not checked */
    NM_CLIENT_AUTH_REQUIRE_ANY,     /* RequireAnyClientCert: required, not checked */
    NM_CLIENT_AUTH_VERIFY_IF_GIVEN, /* VerifyClientCertIfGiven: checked when sent */
    NM_CLIENT_AUTH_REQUIRE_VERIFY   /* RequireAndVerifyClientCert */
} nm_client_auth;

typedef enum nm_tls_version {
    NM_TLS10 = 0,
    NM_TLS11,
    NM_TLS12,
    NM_TLS13
} nm_tls_version;

/* Space for an error message; longer ones are cut. */
#define NM_WEBCONFIG_ERROR_MAX 512

/* Largest configuration, certificate, key or CA file read (1 MiB). */
#define NM_WEBCONFIG_FILE_MAX ((size_t)1 << 20)

/* Parses data[0..len) (need not be NUL-terminated). Returns 0 and *out (free
 * with nm_webconfig_free), or -1 with a message in err (errsize bytes)
 * starting with the line: "line 7: unknown key \"foo\" in tls_server_config".
 * Checks everything that can be checked without files: keys, types,
 * duplicates, enumerations, header names and values, bcrypt hash syntax,
 * that TLS has both a certificate and a key. Paths are kept as written. An
 * empty document is a valid configuration that changes nothing. */
int nm_webconfig_parse(const char *data, size_t len, nm_webconfig **out, char *err,
                       size_t errsize);

/* Reads and parses the file at path, then resolves relative cert_file,
 * key_file and client_ca_file against the file's directory, reads them and
 * checks that the certificate and key form a pair and that the CA file holds
 * certificates. Errors start with "web config PATH:LINE: ". Returns 0 and
 * *out, or -1 with err set. */
int nm_webconfig_load(const char *path, nm_webconfig **out, char *err, size_t errsize);

/* Frees cfg, wiping the key material first. NULL is ignored. */
void nm_webconfig_free(nm_webconfig *cfg);

/* --- what the server needs ---------------------------------------------- */

/* 1 when any TLS setting is present (then a certificate and key are too):
 * serve HTTPS; 0: plain HTTP. */
int nm_webconfig_tls(const nm_webconfig *cfg);

/* PEM text, NUL-terminated, once loaded (the inline cert/key/client_ca, or
 * the files' contents after nm_webconfig_load); NULL when absent. */
const char *nm_webconfig_cert_pem(const nm_webconfig *cfg);
const char *nm_webconfig_key_pem(const nm_webconfig *cfg);
const char *nm_webconfig_client_ca_pem(const nm_webconfig *cfg);

/* File paths as resolved (as written before nm_webconfig_load); NULL when
 * not given. */
const char *nm_webconfig_cert_file(const nm_webconfig *cfg);
const char *nm_webconfig_key_file(const nm_webconfig *cfg);
const char *nm_webconfig_client_ca_file(const nm_webconfig *cfg);

nm_client_auth nm_webconfig_client_auth(const nm_webconfig *cfg);
nm_tls_version nm_webconfig_min_version(const nm_webconfig *cfg);
nm_tls_version nm_webconfig_max_version(const nm_webconfig *cfg);

/* GnuTLS priority string for the versions and curves configured:
 * "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" by default. */
const char *nm_webconfig_priorities(const nm_webconfig *cfg);

/* http_server_config.http2 (default true). netmetrics serves HTTP/1.1 only;
 * the value is kept for the log line. */
int nm_webconfig_http2(const nm_webconfig *cfg);

/* Extra response headers (http_server_config.headers), blanks left out. */
size_t nm_webconfig_header_count(const nm_webconfig *cfg);
void nm_webconfig_header(const nm_webconfig *cfg, size_t i, const char **name,
                         const char **value);

/* basic_auth_users, in file order: user name and bcrypt hash. None: no
 * authentication. */
size_t nm_webconfig_user_count(const nm_webconfig *cfg);
void nm_webconfig_user(const nm_webconfig *cfg, size_t i, const char **name, const char **hash);

/* Name of a version or client_auth_type as written in the file. */
const char *nm_tls_version_name(nm_tls_version v);
const char *nm_client_auth_name(nm_client_auth a);

#endif

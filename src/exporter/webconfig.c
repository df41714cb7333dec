/* SPDX-License-Identifier: MIT */
/* The exporter-toolkit web configuration, read with libyaml's document
 * loader and checked against a fixed schema, strictly (like Go's
 * yaml.UnmarshalStrict): an unknown key, a wrong type, a key given twice or
 * a bad enumeration value is an error naming its line, never a setting
 * silently ignored. The walk over the document has a fixed depth (top
 * level, section, list item), so aliases and anchors cannot make it loop
 * or blow up. Nothing here reads a file except nm_webconfig_load, which
 * also hands the TLS material to tlsserver.c to be checked. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "nmerror.h"
#include "tlsserver.h"
#include "webconfig.h"

/* The response headers exporter-toolkit lets a user set, and the values it
 * accepts where they are an enumeration (NULL: any value). */
#define HEADER_COUNT 5
static const char *const NOSNIFF[] = {"nosniff", NULL};
static const char *const FRAME_OPTIONS[] = {"deny", "sameorigin", NULL};
static const struct {
    const char *name;
    const char *const *values;
} header_defs[HEADER_COUNT] = {
    {"Content-Security-Policy", NULL},
    {"Strict-Transport-Security", NULL},
    {"X-Content-Type-Options", NOSNIFF},
    {"X-Frame-Options", FRAME_OPTIONS},
    {"X-XSS-Protection", NULL},
};

/* curve_preferences: Go's names and GnuTLS's groups. */
#define CURVE_COUNT 4
static const struct {
    const char *name;
    const char *group;
} curve_defs[CURVE_COUNT] = {
    {"CurveP256", "GROUP-SECP256R1"},
    {"CurveP384", "GROUP-SECP384R1"},
    {"CurveP521", "GROUP-SECP521R1"},
    {"X25519", "GROUP-X25519"},
};

static const char *const VERSION_NAMES[] = {"TLS10", "TLS11", "TLS12", "TLS13"};
static const char *const VERSION_GNUTLS[] = {"VERS-TLS1.0", "VERS-TLS1.1", "VERS-TLS1.2",
                                             "VERS-TLS1.3"};
static const char *const CLIENT_AUTH_NAMES[] = {"NoClientCert", "RequestClientCert",
                                                "RequireAnyClientCert",
                                                "VerifyClientCertIfGiven",
                                                "RequireAndVerifyClientCert"};

/* A PEM source: inline text (cert, key, client_ca) or a file. */
typedef struct pem_item {
    char *file;    /* as written; resolved by nm_webconfig_load */
    char *pem;     /* the inline text, or the file's contents once loaded */
    unsigned line; /* of the key that set it, for messages */
} pem_item;

typedef struct user_entry {
    char *name;
    char *hash;
    unsigned line;
} user_entry;

struct nm_webconfig {
    int tls;
    unsigned tls_line;
    pem_item cert, key, ca;
    nm_client_auth client_auth;
    nm_tls_version min_version, max_version;
    size_t curves[CURVE_COUNT]; /* indexes into curve_defs, in preference order */
    size_t ncurves;
    char *priorities;
    int http2;
    const char *header_name[HEADER_COUNT];
    char *header_value[HEADER_COUNT];
    size_t nheaders;
    user_entry *users;
    size_t nusers;
};

typedef struct parser {
    yaml_document_t *doc;
    const char *file; /* for messages; NULL from nm_webconfig_parse */
    char *err;
    size_t errsize;
    nm_webconfig *cfg;
} parser;

/* ------------------------------------------------------------- messages -- */

/* Text from the file as it may appear in a one-line message: printable
 * ASCII only, cut after 60 bytes. */
static void shown(const char *s, size_t len, char *out, size_t size)
{
    size_t i, n = 0;

    for (i = 0; i < len && n + 4 < size; i++) {
        unsigned char c = (unsigned char)s[i];

        if (i == 60) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        out[n++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    out[n] = '\0';
}

static void vmessage(char *err, size_t errsize, const char *file, unsigned line,
                     const char *fmt, va_list ap) NM_PRINTF(5, 0);

static void vmessage(char *err, size_t errsize, const char *file, unsigned line,
                     const char *fmt, va_list ap)
{
    char msg[NM_WEBCONFIG_ERROR_MAX];

    if (errsize == 0)
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (file && line)
        snprintf(err, errsize, "web config %s:%u: %s", file, line, msg);
    else if (file)
        snprintf(err, errsize, "web config %s: %s", file, msg);
    else if (line)
        snprintf(err, errsize, "line %u: %s", line, msg);
    else
        snprintf(err, errsize, "%s", msg);
}

static int fail_at(parser *p, unsigned line, const char *fmt, ...) NM_PRINTF(3, 4);

static int fail_at(parser *p, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmessage(p->err, p->errsize, p->file, line, fmt, ap);
    va_end(ap);
    return -1;
}

static unsigned line_of(const yaml_node_t *n)
{
    return (unsigned)n->start_mark.line + 1;
}

/* ---------------------------------------------------------------- values -- */

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a string";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

/* An explicit tag other than the default for the node's kind (!!int,
 * !!binary, !custom) is refused: values are strings, lists and mappings. */
static int check_tag(parser *p, const yaml_node_t *n, const char *what)
{
    const char *want = n->type == YAML_SCALAR_NODE     ? YAML_STR_TAG
                       : n->type == YAML_SEQUENCE_NODE ? YAML_SEQ_TAG
                                                       : YAML_MAP_TAG;

    if (n->tag && strcmp((const char *)n->tag, want) != 0) {
        char t[80];

        shown((const char *)n->tag, strlen((const char *)n->tag), t, sizeof t);
        return fail_at(p, line_of(n), "%s: unsupported YAML tag \"%s\"", what, t);
    }
    return 0;
}

/* YAML 1.1's null: an empty plain value, "~" or "null". */
static int is_null(const yaml_node_t *n)
{
    const char *v;

    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    v = (const char *)n->data.scalar.value;
    return n->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* A string value: *out is a copy, or NULL when the value is null or empty
 * (unset, as in Go). Double-quoted YAML can hold "\0": refused, as every
 * use of these strings is a C string. */
static int get_string(parser *p, const yaml_node_t *n, const char *what, char **out)
{
    size_t len;

    *out = NULL;
    if (check_tag(p, n, what) < 0)
        return -1;
    if (n->type != YAML_SCALAR_NODE)
        return fail_at(p, line_of(n), "%s must be a string, not %s", what, kind_name(n));
    if (is_null(n))
        return 0;
    len = n->data.scalar.length;
    if (memchr(n->data.scalar.value, '\0', len))
        return fail_at(p, line_of(n), "%s holds a NUL character", what);
    if (len == 0)
        return 0;
    *out = strdup((const char *)n->data.scalar.value);
    if (!*out)
        return fail_at(p, line_of(n), "out of memory");
    return 0;
}

static int get_bool(parser *p, const yaml_node_t *n, const char *what, int *out)
{
    const char *v;

    if (check_tag(p, n, what) < 0)
        return -1;
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        v = (const char *)n->data.scalar.value;
        if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0) {
            *out = 0;
            return 0;
        }
    }
    return fail_at(p, line_of(n), "%s must be true or false", what);
}

/* A mapping, or null (an empty section). Returns 1 for a mapping, 0 for
 * null, -1 on error. */
static int want_mapping(parser *p, const yaml_node_t *n, const char *what)
{
    if (is_null(n))
        return 0;
    if (check_tag(p, n, what) < 0)
        return -1;
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(p, line_of(n), "%s must be a mapping, not %s", what, kind_name(n));
    return 1;
}

/* Same for a list. */
static int want_list(parser *p, const yaml_node_t *n, const char *what)
{
    if (is_null(n))
        return 0;
    if (check_tag(p, n, what) < 0)
        return -1;
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(p, line_of(n), "%s must be a list, not %s", what, kind_name(n));
    return 1;
}

/* The key of a mapping pair: a scalar, as a C string. */
static const char *key_of(parser *p, const yaml_node_t *k, const char *where)
{
    if (k->type != YAML_SCALAR_NODE) {
        fail_at(p, line_of(k), "a key in %s must be a string, not %s", where, kind_name(k));
        return NULL;
    }
    if (check_tag(p, k, "a key") < 0)
        return NULL;
    if (memchr(k->data.scalar.value, '\0', k->data.scalar.length)) {
        fail_at(p, line_of(k), "a key in %s holds a NUL character", where);
        return NULL;
    }
    return (const char *)k->data.scalar.value;
}

static int unknown_key(parser *p, const yaml_node_t *k, const char *where)
{
    char s[80];

    shown((const char *)k->data.scalar.value, k->data.scalar.length, s, sizeof s);
    if (where)
        return fail_at(p, line_of(k), "unknown key \"%s\" in %s", s, where);
    return fail_at(p, line_of(k), "unknown key \"%s\"", s);
}

/* Records key number bit as seen; a second time is an error. */
static int once(parser *p, unsigned *seen, unsigned bit, const yaml_node_t *k, const char *where)
{
    if (*seen & (1u << bit)) {
        char s[80];

        shown((const char *)k->data.scalar.value, k->data.scalar.length, s, sizeof s);
        if (where)
            return fail_at(p, line_of(k), "duplicate key \"%s\" in %s", s, where);
        return fail_at(p, line_of(k), "duplicate key \"%s\"", s);
    }
    *seen |= 1u << bit;
    return 0;
}

static int lookup(const char *const *names, size_t n, const char *v)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], v) == 0)
            return (int)i;
    }
    return -1;
}

/* 1 when v is one of the NULL-terminated names. */
static int listed(const char *const *names, const char *v)
{
    for (; *names; names++) {
        if (strcmp(*names, v) == 0)
            return 1;
    }
    return 0;
}

/* ----------------------------------------------------- tls_server_config -- */

enum tls_key {
    TK_CERT,
    TK_KEY,
    TK_CLIENT_CA,
    TK_CERT_FILE,
    TK_KEY_FILE,
    TK_CLIENT_AUTH_TYPE,
    TK_CLIENT_CA_FILE,
    TK_MIN_VERSION,
    TK_MAX_VERSION,
    TK_CIPHER_SUITES,
    TK_PREFER_SERVER_CIPHER_SUITES,
    TK_CURVE_PREFERENCES,
    TK_CLIENT_ALLOWED_SANS,
    TK_COUNT
};

static const char *const TLS_KEYS[TK_COUNT] = {
    "cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type", "client_ca_file",
    "min_version", "max_version", "cipher_suites", "prefer_server_cipher_suites",
    "curve_preferences", "client_allowed_sans",
};

/* Sets an inline or file source; both for one item is an error. */
static int set_pem(parser *p, pem_item *item, int is_file, const yaml_node_t *k,
                   const yaml_node_t *v, const char *key, const char *other)
{
    char *s;

    if (get_string(p, v, key, &s) < 0)
        return -1;
    if (!s)
        return 0;
    if ((is_file && item->pem) || (!is_file && item->file)) {
        free(s);
        return fail_at(p, line_of(k), "%s and %s are both set; give one", key, other);
    }
    if (is_file)
        item->file = s;
    else
        item->pem = s;
    item->line = line_of(k);
    return 0;
}

static int parse_version(parser *p, const yaml_node_t *v, const char *key, nm_tls_version *out)
{
    char *s;
    int i;

    if (get_string(p, v, key, &s) < 0)
        return -1;
    if (!s)
        return 0; /* unset: the default */
    i = lookup(VERSION_NAMES, 4, s);
    if (i < 0) {
        char q[80];

        shown(s, strlen(s), q, sizeof q);
        free(s);
        return fail_at(p, line_of(v), "%s \"%s\" is not one of TLS10, TLS11, TLS12, TLS13", key,
                       q);
    }
    free(s);
    *out = (nm_tls_version)i;
    return 0;
}

static int parse_curves(parser *p, const yaml_node_t *v)
{
    yaml_node_item_t *it;
    int r = want_list(p, v, "curve_preferences");

    if (r <= 0)
        return r;
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = yaml_document_get_node(p->doc, *it);
        char *s, q[80];
        size_t i, j;

        if (get_string(p, item, "a curve_preferences item", &s) < 0)
            return -1;
        if (!s)
            return fail_at(p, line_of(item), "empty curve_preferences item");
        for (i = 0; i < CURVE_COUNT && strcmp(curve_defs[i].name, s) != 0; i++)
            ;
        shown(s, strlen(s), q, sizeof q);
        free(s);
        if (i == CURVE_COUNT)
            return fail_at(p, line_of(item),
                           "unknown curve \"%s\" (one of CurveP256, CurveP384, CurveP521, "
                           "X25519)",
                           q);
        for (j = 0; j < p->cfg->ncurves; j++) {
            if (p->cfg->curves[j] == i)
                return fail_at(p, line_of(item), "curve \"%s\" is listed twice", q);
        }
        p->cfg->curves[p->cfg->ncurves++] = i;
    }
    return 0;
}

/* Keys of Go's TLS config that GnuTLS cannot follow: an empty list is
 * accepted (it means "the defaults"), anything else is an error rather than
 * a setting silently ignored. */
static int unsupported_list(parser *p, const yaml_node_t *v, const char *key, const char *why)
{
    int r = want_list(p, v, key);

    if (r <= 0)
        return r;
    if (v->data.sequence.items.top == v->data.sequence.items.start)
        return 0;
    return fail_at(p, line_of(v), "%s is not supported by netmetrics: %s", key, why);
}

static int parse_tls(parser *p, const yaml_node_t *section, const yaml_node_t *n)
{
    nm_webconfig *c = p->cfg;
    yaml_node_pair_t *pair;
    unsigned seen = 0;
    char *auth = NULL;
    unsigned auth_line = 0, version_line = 0;
    int r = want_mapping(p, n, "tls_server_config");

    c->tls_line = line_of(section);
    if (r <= 0)
        return r;
    for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
        const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
        const char *name = key_of(p, k, "tls_server_config");
        int which;

        if (!name)
            goto fail;
        which = lookup(TLS_KEYS, TK_COUNT, name);
        if (which < 0) {
            unknown_key(p, k, "tls_server_config");
            goto fail;
        }
        if (once(p, &seen, (unsigned)which, k, "tls_server_config") < 0)
            goto fail;
        switch ((enum tls_key)which) {
        case TK_CERT:
            r = set_pem(p, &c->cert, 0, k, v, "cert", "cert_file");
            break;
        case TK_CERT_FILE:
            r = set_pem(p, &c->cert, 1, k, v, "cert_file", "cert");
            break;
        case TK_KEY:
            r = set_pem(p, &c->key, 0, k, v, "key", "key_file");
            break;
        case TK_KEY_FILE:
            r = set_pem(p, &c->key, 1, k, v, "key_file", "key");
            break;
        case TK_CLIENT_CA:
            r = set_pem(p, &c->ca, 0, k, v, "client_ca", "client_ca_file");
            break;
        case TK_CLIENT_CA_FILE:
            r = set_pem(p, &c->ca, 1, k, v, "client_ca_file", "client_ca");
            break;
        case TK_CLIENT_AUTH_TYPE:
            r = get_string(p, v, "client_auth_type", &auth);
            auth_line = line_of(v);
            break;
        case TK_MIN_VERSION:
            r = parse_version(p, v, "min_version", &c->min_version);
            version_line = line_of(v);
            break;
        case TK_MAX_VERSION:
            r = parse_version(p, v, "max_version", &c->max_version);
            if (!version_line)
                version_line = line_of(v);
            break;
        case TK_CIPHER_SUITES:
            r = unsupported_list(p, v, "cipher_suites",
                                 "GnuTLS picks among its own secure suites; remove the key");
            break;
        case TK_PREFER_SERVER_CIPHER_SUITES: {
            int ignored; /* Go itself ignores it since 1.18 */

            r = get_bool(p, v, "prefer_server_cipher_suites", &ignored);
            break;
        }
        case TK_CURVE_PREFERENCES:
            r = parse_curves(p, v);
            break;
        case TK_CLIENT_ALLOWED_SANS:
            r = unsupported_list(p, v, "client_allowed_sans",
                                 "restrict clients with client_ca_file instead");
            break;
        case TK_COUNT:
            break;
        }
        if (r < 0)
            goto fail;
    }

    /* Go's rule: any of these present means TLS, even NoClientCert. */
    c->tls = c->cert.file || c->cert.pem || c->key.file || c->key.pem || c->ca.file ||
             c->ca.pem || auth;
    if (auth) {
        int a = lookup(CLIENT_AUTH_NAMES, 5, auth);

        if (a < 0 && strcmp(auth, "RequireClientCert") == 0)
            a = NM_CLIENT_AUTH_REQUIRE_ANY; /* Go's old name, still accepted there */
        if (a < 0) {
            char q[80];

            shown(auth, strlen(auth), q, sizeof q);
            fail_at(p, auth_line,
                    "client_auth_type \"%s\" is not one of NoClientCert, RequestClientCert, "
                    "RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert",
                    q);
            goto fail;
        }
        c->client_auth = (nm_client_auth)a;
    }
    free(auth);
    auth = NULL;
    if (!c->tls)
        return 0;
    if (!c->cert.file && !c->cert.pem)
        return fail_at(p, c->tls_line, "tls_server_config needs cert_file (or cert)");
    if (!c->key.file && !c->key.pem)
        return fail_at(p, c->tls_line, "tls_server_config needs key_file (or key)");
    if ((c->ca.file || c->ca.pem) && c->client_auth == NM_CLIENT_AUTH_NONE)
        return fail_at(p, c->ca.line,
                       "client_ca_file is set but client_auth_type is NoClientCert "
                       "(client certificates would never be asked for)");
    if ((c->client_auth == NM_CLIENT_AUTH_VERIFY_IF_GIVEN ||
         c->client_auth == NM_CLIENT_AUTH_REQUIRE_VERIFY) &&
        !c->ca.file && !c->ca.pem)
        return fail_at(p, auth_line, "client_auth_type %s needs client_ca_file (or client_ca)",
                       CLIENT_AUTH_NAMES[c->client_auth]);
    if (c->min_version > c->max_version)
        return fail_at(p, version_line, "min_version %s is above max_version %s",
                       VERSION_NAMES[c->min_version], VERSION_NAMES[c->max_version]);
    return 0;
fail:
    free(auth);
    return -1;
}

/* ---------------------------------------------------- http_server_config -- */

/* A header value that cannot split or end the response: no control
 * characters but tab. */
static int header_value_ok(const char *v)
{
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;

        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return 0;
    }
    return 1;
}

static int parse_headers(parser *p, const yaml_node_t *n)
{
    nm_webconfig *c = p->cfg;
    yaml_node_pair_t *pair;
    unsigned seen = 0;
    int r = want_mapping(p, n, "headers");

    if (r <= 0)
        return r;
    for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
        const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
        const char *name = key_of(p, k, "headers");
        char *value, q[80];
        size_t i;

        if (!name)
            return -1;
        for (i = 0; i < HEADER_COUNT && strcmp(header_defs[i].name, name) != 0; i++)
            ;
        if (i == HEADER_COUNT) {
            shown(name, k->data.scalar.length, q, sizeof q);
            return fail_at(p, line_of(k),
                           "header \"%s\" cannot be configured (allowed: "
                           "Content-Security-Policy, Strict-Transport-Security, "
                           "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection)",
                           q);
        }
        if (once(p, &seen, (unsigned)i, k, "headers") < 0)
            return -1;
        if (get_string(p, v, header_defs[i].name, &value) < 0)
            return -1;
        if (!value)
            continue; /* blank: not sent */
        shown(value, strlen(value), q, sizeof q);
        if (!header_value_ok(value)) {
            free(value);
            return fail_at(p, line_of(v), "header %s: value holds a control character",
                           header_defs[i].name);
        }
        if (header_defs[i].values && !listed(header_defs[i].values, value)) {
            free(value);
            return fail_at(p, line_of(v), "header %s: \"%s\" is not one of %s",
                           header_defs[i].name, q,
                           header_defs[i].values[1] ? "deny, sameorigin" : "nosniff");
        }
        c->header_name[c->nheaders] = header_defs[i].name;
        c->header_value[c->nheaders++] = value;
    }
    return 0;
}

static int parse_http(parser *p, const yaml_node_t *n)
{
    yaml_node_pair_t *pair;
    unsigned seen = 0;
    int r = want_mapping(p, n, "http_server_config");

    if (r <= 0)
        return r;
    for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
        const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
        const char *name = key_of(p, k, "http_server_config");

        if (!name)
            return -1;
        if (strcmp(name, "http2") == 0) {
            if (once(p, &seen, 0, k, "http_server_config") < 0 ||
                get_bool(p, v, "http2", &p->cfg->http2) < 0)
                return -1;
        } else if (strcmp(name, "headers") == 0) {
            if (once(p, &seen, 1, k, "http_server_config") < 0 || parse_headers(p, v) < 0)
                return -1;
        } else {
            return unknown_key(p, k, "http_server_config");
        }
    }
    return 0;
}

/* ------------------------------------------------------ basic_auth_users -- */

static int bcrypt_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '/';
}

/* "$2a$", "$2b$" or "$2y$", a cost of 04 to 31, "$", then 22 characters of
 * salt and 31 of hash in bcrypt's base64: what htpasswd -B, Python's
 * bcrypt and Go's bcrypt write. */
static int is_bcrypt(const char *h)
{
    int cost;
    size_t i;

    if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$')
        return 0;
    if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y')
        return 0;
    if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9')
        return 0;
    cost = (h[4] - '0') * 10 + (h[5] - '0');
    if (cost < 4 || cost > 31)
        return 0;
    for (i = 7; i < 60; i++) {
        if (!bcrypt_char(h[i]))
            return 0;
    }
    return 1;
}

static int cmp_user(const void *a, const void *b)
{
    const user_entry *x = *(const user_entry *const *)a, *y = *(const user_entry *const *)b;
    int r = strcmp(x->name, y->name);

    if (r != 0)
        return r;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* A name given twice: sorted, so a large file costs n log n, not n^2. */
static int check_duplicate_users(parser *p)
{
    nm_webconfig *c = p->cfg;
    user_entry **v;
    size_t i;
    int rc = 0;

    if (c->nusers < 2)
        return 0;
    v = calloc(c->nusers, sizeof *v);
    if (!v)
        return fail_at(p, 0, "out of memory");
    for (i = 0; i < c->nusers; i++)
        v[i] = &c->users[i];
    qsort(v, c->nusers, sizeof *v, cmp_user);
    for (i = 1; i < c->nusers; i++) {
        if (strcmp(v[i - 1]->name, v[i]->name) == 0) {
            char q[80];

            shown(v[i]->name, strlen(v[i]->name), q, sizeof q);
            rc = fail_at(p, v[i]->line, "duplicate user \"%s\" in basic_auth_users", q);
            break;
        }
    }
    free(v);
    return rc;
}

static int parse_users(parser *p, const yaml_node_t *n)
{
    nm_webconfig *c = p->cfg;
    yaml_node_pair_t *pair;
    size_t count;
    int r = want_mapping(p, n, "basic_auth_users");

    if (r <= 0)
        return r;
    count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (count == 0)
        return 0;
    c->users = calloc(count, sizeof *c->users);
    if (!c->users)
        return fail_at(p, line_of(n), "out of memory");
    for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
        const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
        const char *name = key_of(p, k, "basic_auth_users");
        user_entry *u = &c->users[c->nusers];
        char q[80];
        size_t i;

        if (!name)
            return -1;
        shown(name, k->data.scalar.length, q, sizeof q);
        /* RFC 7617: the user-id ends at the first colon, so such a name
         * could never log in. */
        for (i = 0; name[i]; i++) {
            if (name[i] == ':' || (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
                return fail_at(p, line_of(k),
                               "user name \"%s\" holds a colon or a control character", q);
        }
        u->name = strdup(name);
        u->line = line_of(k);
        if (!u->name)
            return fail_at(p, line_of(k), "out of memory");
        c->nusers++;
        if (get_string(p, v, "a basic_auth_users password", &u->hash) < 0)
            return -1;
        if (!u->hash)
            return fail_at(p, line_of(v), "user \"%s\" has no password hash", q);
        if (!is_bcrypt(u->hash))
            return fail_at(p, line_of(v),
                           "password of user \"%s\" is not a bcrypt hash "
                           "($2a$, $2b$ or $2y$, a cost of 04 to 31, 53 characters)",
                           q);
    }
    return check_duplicate_users(p);
}

/* ------------------------------------------------------------- top level -- */

static int build_priorities(parser *p)
{
    nm_webconfig *c = p->cfg;
    char buf[256];
    size_t n, i;
    int v;

    n = (size_t)snprintf(buf, sizeof buf, "NORMAL:-VERS-ALL");
    for (v = (int)c->max_version; v >= (int)c->min_version; v--)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ":+%s", VERSION_GNUTLS[v]);
    if (c->ncurves > 0) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, ":-GROUP-ALL");
        for (i = 0; i < c->ncurves; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ":+%s", curve_defs[c->curves[i]].group);
    }
    /* at most 16 + 4 * 13 + 11 + 4 * 17 bytes: always fits */
    c->priorities = strdup(buf);
    if (!c->priorities)
        return fail_at(p, 0, "out of memory");
    return 0;
}

static int parse_root(parser *p, const yaml_node_t *root)
{
    yaml_node_pair_t *pair;
    unsigned seen = 0;

    if (!root || is_null(root))
        return 0; /* empty: plain HTTP, no authentication */
    if (check_tag(p, root, "the document") < 0)
        return -1;
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(p, line_of(root), "the top level must be a mapping, not %s",
                       kind_name(root));
    for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
        const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
        const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
        const char *name = key_of(p, k, "the top level");
        int r;

        if (!name)
            return -1;
        if (strcmp(name, "tls_server_config") == 0)
            r = once(p, &seen, 0, k, NULL) < 0 ? -1 : parse_tls(p, k, v);
        else if (strcmp(name, "http_server_config") == 0)
            r = once(p, &seen, 1, k, NULL) < 0 ? -1 : parse_http(p, v);
        else if (strcmp(name, "basic_auth_users") == 0)
            r = once(p, &seen, 2, k, NULL) < 0 ? -1 : parse_users(p, v);
        else if (strcmp(name, "rate_limit") == 0)
            r = fail_at(p, line_of(k),
                        "rate_limit is not supported by netmetrics "
                        "(see --web.max-connections and --web.max-connections-per-ip)");
        else
            r = unknown_key(p, k, NULL);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* The line of a libyaml error: where the scanner began the token it could
 * not finish ("while scanning a simple key" points at the key), else where
 * the problem was found. */
static int yaml_error(parser *p, const yaml_parser_t *yp)
{
    const yaml_mark_t *m = yp->error == YAML_SCANNER_ERROR && yp->context ? &yp->context_mark
                                                                         : &yp->problem_mark;
    const char *what = yp->problem ? yp->problem : "cannot be read";

    if (yp->error == YAML_MEMORY_ERROR)
        return fail_at(p, 0, "out of memory");
    if (yp->context)
        return fail_at(p, (unsigned)m->line + 1, "invalid YAML: %s %s", yp->context, what);
    return fail_at(p, (unsigned)m->line + 1, "invalid YAML: %s", what);
}

/* libyaml's scanner costs time in the square of the flow nesting depth
 * ("[[[[..." of 20000 levels takes seconds), so a first pass over the
 * events refuses anything nested deeper than the schema could ever be,
 * before the document is loaded. */
#define MAX_DEPTH 16

static int check_depth(parser *p, const char *data, size_t len)
{
    yaml_parser_t yp;
    yaml_event_t ev;
    int depth = 0, rc = 0, done = 0;

    if (!yaml_parser_initialize(&yp))
        return fail_at(p, 0, "out of memory");
    yaml_parser_set_input_string(&yp, (const unsigned char *)data, len);
    while (!done) {
        if (!yaml_parser_parse(&yp, &ev)) {
            rc = yaml_error(p, &yp);
            break;
        }
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            if (++depth > MAX_DEPTH)
                rc = fail_at(p, (unsigned)ev.start_mark.line + 1,
                             "nested deeper than %d levels", MAX_DEPTH);
        } else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        done = rc < 0 || ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&yp);
    return rc;
}

static int parse_named(const char *data, size_t len, const char *file, nm_webconfig **out,
                       char *err, size_t errsize)
{
    yaml_parser_t yp;
    yaml_document_t doc, extra;
    parser p;
    int rc = -1;

    *out = NULL;
    if (errsize)
        err[0] = '\0';
    memset(&p, 0, sizeof p);
    p.file = file;
    p.err = err;
    p.errsize = errsize;
    p.cfg = calloc(1, sizeof *p.cfg);
    if (!p.cfg)
        return fail_at(&p, 0, "out of memory");
    p.cfg->min_version = NM_TLS12;
    p.cfg->max_version = NM_TLS13;
    p.cfg->http2 = 1;
    if (check_depth(&p, data, len) < 0) {
        free(p.cfg);
        return -1;
    }
    if (!yaml_parser_initialize(&yp)) {
        free(p.cfg);
        return fail_at(&p, 0, "out of memory");
    }
    yaml_parser_set_input_string(&yp, (const unsigned char *)data, len);
    if (!yaml_parser_load(&yp, &doc)) {
        yaml_error(&p, &yp);
        goto out_parser;
    }
    p.doc = &doc;
    if (parse_root(&p, yaml_document_get_root_node(&doc)) < 0 || build_priorities(&p) < 0)
        goto out_doc;
    /* A second document would be ignored by Go; say so instead. */
    if (yaml_document_get_root_node(&doc)) {
        if (!yaml_parser_load(&yp, &extra)) {
            yaml_error(&p, &yp);
            goto out_doc;
        }
        if (yaml_document_get_root_node(&extra)) {
            fail_at(&p, line_of(yaml_document_get_root_node(&extra)),
                    "a second YAML document; the web config is one document");
            yaml_document_delete(&extra);
            goto out_doc;
        }
        yaml_document_delete(&extra);
    }
    *out = p.cfg;
    p.cfg = NULL;
    rc = 0;
out_doc:
    yaml_document_delete(&doc);
out_parser:
    yaml_parser_delete(&yp);
    nm_webconfig_free(p.cfg);
    return rc;
}

int nm_webconfig_parse(const char *data, size_t len, nm_webconfig **out, char *err,
                       size_t errsize)
{
    return parse_named(data, len, NULL, out, err, errsize);
}

/* ---------------------------------------------------------------- loader -- */

/* Reads a regular file of at most NM_WEBCONFIG_FILE_MAX bytes into a
 * NUL-terminated buffer. Returns 0, or an errno value (EFBIG when too
 * large, EINVAL when not a regular file). */
static int read_file(const char *path, char **out, size_t *len)
{
    struct stat st;
    char *buf;
    size_t n = 0;
    int fd, e;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return errno;
    if (fstat(fd, &st) < 0) {
        e = errno;
        close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    }
    if ((unsigned long long)st.st_size > NM_WEBCONFIG_FILE_MAX) {
        close(fd);
        return EFBIG;
    }
    buf = malloc(NM_WEBCONFIG_FILE_MAX + 1);
    if (!buf) {
        close(fd);
        return ENOMEM;
    }
    /* Read to the end, whatever st_size said: the file may grow. */
    for (;;) {
        ssize_t r = read(fd, buf + n, NM_WEBCONFIG_FILE_MAX + 1 - n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            e = errno;
            free(buf);
            close(fd);
            return e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > NM_WEBCONFIG_FILE_MAX) {
            free(buf);
            close(fd);
            return EFBIG;
        }
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

static const char *file_error(int e)
{
    if (e == EFBIG)
        return "larger than 1 MiB";
    if (e == EINVAL)
        return "not a regular file";
    return strerror(e);
}

/* Wipes memory the compiler may not skip (the store is volatile). */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    while (n--)
        *v++ = 0;
}

static void free_secret(char *s)
{
    if (s) {
        wipe(s, strlen(s));
        free(s);
    }
}

/* "DIR/file" for a relative file, the config file's DIR being everything up
 * to its last slash (none: the working directory, as for the file itself). */
static int resolve(pem_item *item, const char *config_path)
{
    const char *slash = strrchr(config_path, '/');
    size_t dirlen, flen;
    char *joined;

    if (!item->file || item->file[0] == '/' || !slash)
        return 0;
    dirlen = (size_t)(slash - config_path) + 1;
    flen = strlen(item->file);
    joined = malloc(dirlen + flen + 1);
    if (!joined)
        return -1;
    memcpy(joined, config_path, dirlen);
    memcpy(joined + dirlen, item->file, flen + 1);
    free(item->file);
    item->file = joined;
    return 0;
}

static int load_item(parser *p, pem_item *item, const char *key)
{
    size_t len = 0;
    char q[80];
    int e;

    if (!item->file)
        return 0;
    shown(item->file, strlen(item->file), q, sizeof q);
    e = read_file(item->file, &item->pem, &len);
    if (e != 0 || !item->pem)
        return fail_at(p, item->line, "cannot read %s \"%s\": %s", key, q, file_error(e));
    if (memchr(item->pem, '\0', len))
        return fail_at(p, item->line, "%s \"%s\" is not PEM text (it holds a NUL byte)", key, q);
    return 0;
}

int nm_webconfig_load(const char *path, nm_webconfig **out, char *err, size_t errsize)
{
    nm_webconfig *c = NULL;
    parser p;
    char why[NM_WEBCONFIG_ERROR_MAX];
    char *data = NULL;
    size_t len = 0;
    int e;

    *out = NULL;
    memset(&p, 0, sizeof p);
    p.file = path;
    p.err = err;
    p.errsize = errsize;
    e = read_file(path, &data, &len);
    if (e != 0 || !data)
        return fail_at(&p, 0, "cannot read: %s", file_error(e ? e : EIO));
    e = parse_named(data, len, path, &c, err, errsize);
    free(data);
    if (e < 0 || !c)
        return -1;
    p.cfg = c;
    if (!c->tls) {
        *out = c;
        return 0;
    }
    if (resolve(&c->cert, path) < 0 || resolve(&c->key, path) < 0 || resolve(&c->ca, path) < 0) {
        fail_at(&p, 0, "out of memory");
        goto fail;
    }
    if (load_item(&p, &c->cert, "cert_file") < 0 || load_item(&p, &c->key, "key_file") < 0 ||
        load_item(&p, &c->ca, "client_ca_file") < 0)
        goto fail;
    if (nm_tls_check_keypair(c->cert.pem, c->key.pem, why, sizeof why) < 0) {
        fail_at(&p, c->cert.line, "%s and %s: %s", c->cert.file ? "cert_file" : "cert",
                c->key.file ? "key_file" : "key", why);
        goto fail;
    }
    if (c->ca.pem && nm_tls_check_ca(c->ca.pem, why, sizeof why) < 0) {
        fail_at(&p, c->ca.line, "%s: %s", c->ca.file ? "client_ca_file" : "client_ca", why);
        goto fail;
    }
    if (nm_tls_check_priorities(c->priorities, why, sizeof why) < 0) {
        fail_at(&p, c->tls_line, "%s", why);
        goto fail;
    }
    *out = c;
    return 0;
fail:
    nm_webconfig_free(c);
    return -1;
}

void nm_webconfig_free(nm_webconfig *cfg)
{
    size_t i;

    if (!cfg)
        return;
    free(cfg->cert.file);
    free(cfg->cert.pem);
    free(cfg->key.file);
    free_secret(cfg->key.pem);
    free(cfg->ca.file);
    free(cfg->ca.pem);
    free(cfg->priorities);
    for (i = 0; i < cfg->nheaders; i++)
        free(cfg->header_value[i]);
    for (i = 0; i < cfg->nusers; i++) {
        free(cfg->users[i].name);
        free_secret(cfg->users[i].hash);
    }
    free(cfg->users);
    free(cfg);
}

/* -------------------------------------------------------------- accessors -- */

int nm_webconfig_tls(const nm_webconfig *cfg)
{
    return cfg->tls;
}

const char *nm_webconfig_cert_pem(const nm_webconfig *cfg)
{
    return cfg->cert.pem;
}

const char *nm_webconfig_key_pem(const nm_webconfig *cfg)
{
    return cfg->key.pem;
}

const char *nm_webconfig_client_ca_pem(const nm_webconfig *cfg)
{
    return cfg->ca.pem;
}

const char *nm_webconfig_cert_file(const nm_webconfig *cfg)
{
    return cfg->cert.file;
}

const char *nm_webconfig_key_file(const nm_webconfig *cfg)
{
    return cfg->key.file;
}

const char *nm_webconfig_client_ca_file(const nm_webconfig *cfg)
{
    return cfg->ca.file;
}

nm_client_auth nm_webconfig_client_auth(const nm_webconfig *cfg)
{
    return cfg->client_auth;
}

nm_tls_version nm_webconfig_min_version(const nm_webconfig *cfg)
{
    return cfg->min_version;
}

nm_tls_version nm_webconfig_max_version(const nm_webconfig *cfg)
{
    return cfg->max_version;
}

const char *nm_webconfig_priorities(const nm_webconfig *cfg)
{
    return cfg->priorities;
}

int nm_webconfig_http2(const nm_webconfig *cfg)
{
    return cfg->http2;
}

size_t nm_webconfig_header_count(const nm_webconfig *cfg)
{
    return cfg->nheaders;
}

void nm_webconfig_header(const nm_webconfig *cfg, size_t i, const char **name,
                         const char **value)
{
    *name = cfg->header_name[i];
    *value = cfg->header_value[i];
}

size_t nm_webconfig_user_count(const nm_webconfig *cfg)
{
    return cfg->nusers;
}

void nm_webconfig_user(const nm_webconfig *cfg, size_t i, const char **name, const char **hash)
{
    *name = cfg->users[i].name;
    *hash = cfg->users[i].hash;
}

const char *nm_tls_version_name(nm_tls_version v)
{
    return (unsigned)v < 4 ? VERSION_NAMES[v] : "?";
}

const char *nm_client_auth_name(nm_client_auth a)
{
    return (unsigned)a < 5 ? CLIENT_AUTH_NAMES[a] : "?";
}

/* SPDX-License-Identifier: MIT */
/* Accept and Accept-Encoding parsing (RFC 9110 section 12.5). One cursor
 * walks the header bytes element by element; an element that does not
 * parse (a bad token, an unterminated quoted string, a weight with four
 * decimals) is skipped up to the next top-level comma, so a broken element
 * never spoils the good ones and nothing reads past len. Each format takes
 * its weight from the most specific range that matches it, as the RFC
 * says (text/plain;q=0 beats the full wildcard), and ties between formats go to
 * OpenMetrics, the richer one, but only when it was named explicitly: curl
 * and browsers send a bare wildcard and expect the classic text. */
#include "config.h"

#include <string.h>

#include "accept.h"

/* Long enough for any version or charset we accept; a longer value is
 * remembered as "too long" and so never matches. */
#define VALUE_MAX 16

struct cursor {
    const char *p;
    const char *end;
};

/* One list element: "type/sub" (or a bare token for Accept-Encoding) with
 * the parameters we look at. */
struct element {
    const char *type, *sub;
    size_t type_len, sub_len;
    int q; /* thousandths; 1000 when absent */
    int has_version, has_charset;
    char version[VALUE_MAX + 1], charset[VALUE_MAX + 1];
};

static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int token_is(const char *s, size_t len, const char *want)
{
    size_t i;

    if (len != strlen(want))
        return 0;
    for (i = 0; i < len; i++) {
        if (lower((unsigned char)s[i]) != want[i])
            return 0;
    }
    return 1;
}

static void skip_ows(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

static size_t read_token(struct cursor *c, const char **start)
{
    *start = c->p;
    while (c->p < c->end && is_tchar((unsigned char)*c->p))
        c->p++;
    return (size_t)(c->p - *start);
}

/* Skips past the next top-level comma (or to the end), stepping over
 * quoted strings so a comma inside quotes does not end the element. */
static void skip_element(struct cursor *c)
{
    int quoted = 0;

    while (c->p < c->end) {
        char ch = *c->p++;

        if (quoted && ch == '\\' && c->p < c->end)
            c->p++;
        else if (ch == '"')
            quoted = !quoted;
        else if (!quoted && ch == ',')
            return;
    }
}

/* A parameter value, token or quoted string, copied (unescaped) into out.
 * Returns 0, 1 when it did not fit (out then holds a prefix), -1 when
 * malformed. */
static int read_value(struct cursor *c, char *out)
{
    size_t n = 0;
    int toolong = 0;

    if (c->p < c->end && *c->p == '"') {
        c->p++;
        for (;;) {
            char ch;

            if (c->p >= c->end)
                return -1; /* unterminated */
            ch = *c->p++;
            if (ch == '"')
                break;
            if (ch == '\\') {
                if (c->p >= c->end)
                    return -1;
                ch = *c->p++;
            }
            if (n < VALUE_MAX)
                out[n++] = ch;
            else
                toolong = 1;
        }
    } else {
        const char *s;
        size_t len = read_token(c, &s);

        if (len == 0)
            return -1;
        toolong = len > VALUE_MAX;
        n = toolong ? VALUE_MAX : len;
        memcpy(out, s, n);
    }
    out[n] = '\0';
    return toolong;
}

int nm_accept_parse_q(const char *s, size_t len)
{
    int q, scale = 100;
    size_t i;

    if (len == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    q = (s[0] - '0') * 1000;
    if (len == 1)
        return q;
    if (s[1] != '.' || len > 5)
        return -1;
    for (i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        q += (s[i] - '0') * scale;
        scale /= 10;
    }
    return q > 1000 ? -1 : q;
}

/* Parses the element at c into e. Returns 1 for an element, 0 for a
 * malformed one (skipped), -1 at the end of the header. media: "type/sub"
 * ranges (Accept) rather than bare tokens (Accept-Encoding). */
static int next_element(struct cursor *c, struct element *e, int media)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == ','))
        c->p++;
    if (c->p >= c->end)
        return -1;
    memset(e, 0, sizeof *e);
    e->q = 1000;
    e->type_len = read_token(c, &e->type);
    if (e->type_len == 0)
        goto bad;
    if (media) {
        if (c->p >= c->end || *c->p != '/')
            goto bad;
        c->p++;
        e->sub_len = read_token(c, &e->sub);
        if (e->sub_len == 0)
            goto bad;
        /* a wildcard type needs a wildcard subtype */
        if (token_is(e->type, e->type_len, "*") && !token_is(e->sub, e->sub_len, "*"))
            goto bad;
    }
    for (;;) {
        const char *name;
        size_t name_len;
        char value[VALUE_MAX + 1];
        int vr;

        skip_ows(c);
        if (c->p >= c->end)
            return 1;
        if (*c->p == ',') {
            c->p++;
            return 1;
        }
        if (*c->p != ';')
            goto bad;
        c->p++;
        skip_ows(c);
        name_len = read_token(c, &name);
        if (name_len == 0)
            goto bad;
        skip_ows(c);
        if (c->p >= c->end || *c->p != '=')
            goto bad;
        c->p++;
        skip_ows(c);
        vr = read_value(c, value);
        if (vr < 0)
            goto bad;
        if (token_is(name, name_len, "q")) {
            e->q = vr ? -1 : nm_accept_parse_q(value, strlen(value));
            if (e->q < 0)
                goto bad;
        } else if (token_is(name, name_len, "version")) {
            /* 2: too long, so it never compares equal */
            e->has_version = vr ? 2 : 1;
            memcpy(e->version, value, strlen(value) + 1);
        } else if (token_is(name, name_len, "charset")) {
            e->has_charset = vr ? 2 : 1;
            memcpy(e->charset, value, strlen(value) + 1);
        }
        /* other parameters (escaping=, encoding=, ...) do not change
         * whether a range matches what we produce */
    }
bad:
    skip_element(c);
    return 0;
}

/* The charset parameter allows what we send (UTF-8) or is absent. */
static int charset_ok(const struct element *e)
{
    return !e->has_charset ||
           (e->has_charset == 1 && (token_is(e->charset, strlen(e->charset), "utf-8") ||
                                    token_is(e->charset, strlen(e->charset), "utf8")));
}

/* How specifically e names the format (type, sub, version wanted): -1 not
 * at all, 0 the full wildcard, 1 a "type/" wildcard, 2 the type, 3 the
 * type and its version. */
static int specificity(const struct element *e, const char *type, const char *sub,
                       const char *version)
{
    if (token_is(e->type, e->type_len, "*"))
        return 0;
    if (!token_is(e->type, e->type_len, type))
        return -1;
    if (token_is(e->sub, e->sub_len, "*"))
        return 1;
    if (!token_is(e->sub, e->sub_len, sub) || !charset_ok(e))
        return -1;
    if (!e->has_version)
        return 2;
    return e->has_version == 1 && strcmp(e->version, version) == 0 ? 3 : -1;
}

/* Keeps the weight of the most specific match (the highest weight among
 * equally specific ones). */
static void consider(int spec, int q, int *best_spec, int *best_q)
{
    if (spec < 0)
        return;
    if (spec > *best_spec || (spec == *best_spec && q > *best_q)) {
        *best_spec = spec;
        *best_q = q;
    }
}

nm_format nm_accept_format(const char *hdr, size_t len)
{
    struct cursor c;
    struct element e;
    int r, om_spec = -1, om_q = 0, text_spec = -1, text_q = 0;

    if (!hdr)
        return NM_FORMAT_TEXT;
    c.p = hdr;
    c.end = hdr + len;
    while ((r = next_element(&c, &e, 1)) >= 0) {
        if (r == 0)
            continue;
        consider(specificity(&e, "application", "openmetrics-text", "1.0.0"), e.q, &om_spec,
                 &om_q);
        consider(specificity(&e, "text", "plain", "0.0.4"), e.q, &text_spec, &text_q);
    }
    if (om_spec >= 2 && om_q > 0 && om_q >= text_q)
        return NM_FORMAT_OPENMETRICS;
    return NM_FORMAT_TEXT;
}

int nm_accept_encoding_gzip(const char *hdr, size_t len)
{
    struct cursor c;
    struct element e;
    int r, gzip_q = -1, any_q = -1;

    if (!hdr)
        return 0;
    c.p = hdr;
    c.end = hdr + len;
    while ((r = next_element(&c, &e, 0)) >= 0) {
        if (r == 0)
            continue;
        if (token_is(e.type, e.type_len, "gzip") || token_is(e.type, e.type_len, "x-gzip")) {
            if (e.q > gzip_q)
                gzip_q = e.q;
        } else if (token_is(e.type, e.type_len, "*")) {
            if (e.q > any_q)
                any_q = e.q;
        }
    }
    if (gzip_q >= 0)
        return gzip_q > 0;
    return any_q > 0;
}

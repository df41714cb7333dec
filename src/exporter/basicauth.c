/* SPDX-License-Identifier: MIT */
/* Basic authentication for the exporter. The order of work hides which
 * users exist: a request naming an unknown user runs one bcrypt against a
 * dummy hash of the configured cost, exactly as a known user with a wrong
 * password does; only a correct password can be fast (a cache hit). bcrypt
 * runs one at a time (it is CPU-bound and would only queue the scrapes
 * behind it otherwise), as exporter-toolkit does. Passwords are wiped from
 * every buffer we own once checked; the cache keeps keyed digests only. */
#include "config.h"

#include <crypt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "basicauth.h"

#define DIGEST_SIZE 32 /* HMAC-SHA-256 */
#define KEY_SIZE 32

typedef struct auth_user {
    char *name;
    char *hash;
} auth_user;

typedef struct cache_slot {
    unsigned char mac[DIGEST_SIZE];
    unsigned long long used; /* tick of the last hit; 0: empty */
} cache_slot;

struct nm_basicauth {
    auth_user *users;
    size_t nusers;
    /* bcrypt setting of the most common cost among the users, random salt:
     * what an unknown user is checked against. */
    char dummy[CRYPT_OUTPUT_SIZE];
    unsigned char key[KEY_SIZE];
    pthread_mutex_t crypt_lock; /* one bcrypt at a time; guards cd */
    struct crypt_data *cd;
    pthread_mutex_t lock; /* the cache and the counters */
    cache_slot cache[NM_BASICAUTH_CACHE_SLOTS];
    unsigned long long tick;
    unsigned long bcrypt_runs, cache_hits;
};

/* Wipes memory the compiler may not skip (the store is volatile). */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    while (n--)
        *v++ = 0;
}

static void wipe_free(char *s)
{
    if (s) {
        wipe(s, strlen(s));
        free(s);
    }
}

/* Equal strings, in time that depends only on their lengths. */
static int equal_ct(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i;
    unsigned char d = 0;

    if (la != lb)
        return 0;
    for (i = 0; i < la; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

/* ----------------------------------------------------------------- decode -- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64 with padding (what RFC 7617 and Go's r.BasicAuth use).
 * out must hold len / 4 * 3 bytes. Returns the decoded length or -1. */
static long b64_decode(const char *in, size_t len, unsigned char *out)
{
    size_t i, n = 0, pad = 0;

    if (len == 0 || len % 4 != 0)
        return -1;
    if (in[len - 1] == '=')
        pad++;
    if (in[len - 2] == '=')
        pad++;
    for (i = 0; i < len; i += 4) {
        int v[4], k;
        int last = i + 4 == len;

        for (k = 0; k < 4; k++) {
            if (last && k >= 4 - (int)pad) {
                v[k] = 0;
                continue;
            }
            v[k] = b64_value((unsigned char)in[i + (size_t)k]);
            if (v[k] < 0)
                return -1;
        }
        out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (!last || pad < 2)
            out[n++] = (unsigned char)((v[1] & 0xf) << 4 | v[2] >> 2);
        if (!last || pad < 1)
            out[n++] = (unsigned char)((v[2] & 0x3) << 6 | v[3]);
    }
    return (long)n;
}

char *nm_basicauth_decode(const char *value, size_t len, const char **user, const char **pass)
{
    unsigned char *buf;
    char *colon;
    size_t i = 0;
    long n;

    *user = *pass = NULL;
    if (len < 6 || strncasecmp(value, "Basic", 5) != 0 || (value[5] != ' ' && value[5] != '\t'))
        return NULL;
    for (i = 5; i < len && (value[i] == ' ' || value[i] == '\t'); i++)
        ;
    while (len > i && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    /* One more byte than base64 yields: the NUL after the password (the
     * colon becomes the user's). */
    buf = malloc((len - i) / 4 * 3 + 1);
    if (!buf)
        return NULL;
    n = b64_decode(value + i, len - i, buf);
    if (n < 0 || memchr(buf, '\0', (size_t)n) || !(colon = memchr(buf, ':', (size_t)n))) {
        if (n > 0)
            wipe(buf, (size_t)n);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *colon = '\0';
    *user = (const char *)buf;
    *pass = colon + 1;
    return (char *)buf;
}

void nm_basicauth_wipe_free(char *buf)
{
    size_t n;

    if (!buf)
        return;
    /* "user\0password\0" */
    n = strlen(buf) + 1;
    n += strlen(buf + n);
    wipe(buf, n);
    free(buf);
}

/* ------------------------------------------------------------------ cache -- */

/* HMAC-SHA-256 under the process key of the user's index and password:
 * useless without the key, and the key never leaves this process. */
static int digest(const nm_basicauth *a, size_t user, const char *pass,
                  unsigned char mac[DIGEST_SIZE])
{
    size_t plen = strlen(pass);
    unsigned char *text = malloc(sizeof user + plen);
    int rc;

    if (!text)
        return -1;
    memcpy(text, &user, sizeof user);
    memcpy(text + sizeof user, pass, plen);
    rc = gnutls_hmac_fast(GNUTLS_MAC_SHA256, a->key, KEY_SIZE, text, sizeof user + plen, mac);
    wipe(text, sizeof user + plen);
    free(text);
    return rc < 0 ? -1 : 0;
}

/* Every slot compared, in full, whether or not one matched. */
static int cache_lookup(nm_basicauth *a, const unsigned char mac[DIGEST_SIZE])
{
    size_t i, k;
    int hit = -1;

    pthread_mutex_lock(&a->lock);
    for (i = 0; i < NM_BASICAUTH_CACHE_SLOTS; i++) {
        unsigned char d = 0;

        for (k = 0; k < DIGEST_SIZE; k++)
            d |= (unsigned char)(a->cache[i].mac[k] ^ mac[k]);
        if (d == 0 && a->cache[i].used)
            hit = (int)i;
    }
    if (hit >= 0) {
        a->cache[hit].used = ++a->tick;
        a->cache_hits++;
    }
    pthread_mutex_unlock(&a->lock);
    return hit >= 0;
}

/* Into an empty slot, else over the least recently used one. */
static void cache_insert(nm_basicauth *a, const unsigned char mac[DIGEST_SIZE])
{
    size_t i, victim = 0;

    pthread_mutex_lock(&a->lock);
    for (i = 0; i < NM_BASICAUTH_CACHE_SLOTS; i++) {
        if (a->cache[i].used && memcmp(a->cache[i].mac, mac, DIGEST_SIZE) == 0) {
            victim = i; /* another thread got here first */
            break;
        }
        if (a->cache[i].used < a->cache[victim].used)
            victim = i;
    }
    memcpy(a->cache[victim].mac, mac, DIGEST_SIZE);
    a->cache[victim].used = ++a->tick;
    pthread_mutex_unlock(&a->lock);
}

/* ------------------------------------------------------------------ check -- */

/* bcrypt of pass with the salt and cost of hash, compared with hash. */
static int bcrypt_matches(nm_basicauth *a, const char *pass, const char *hash)
{
    const char *out;
    int ok;

    pthread_mutex_lock(&a->crypt_lock);
    out = crypt_rn(pass, hash, a->cd, (int)sizeof *a->cd);
    ok = out != NULL && equal_ct(out, hash);
    /* crypt's scratch space held key material derived from the password */
    wipe(a->cd, sizeof *a->cd);
    pthread_mutex_unlock(&a->crypt_lock);
    pthread_mutex_lock(&a->lock);
    a->bcrypt_runs++;
    pthread_mutex_unlock(&a->lock);
    return ok;
}

int nm_basicauth_check(nm_basicauth *a, const char *authorization)
{
    unsigned char mac[DIGEST_SIZE];
    const char *user, *pass, *hash;
    char *buf;
    size_t i, found = (size_t)-1;
    int ok = 0, have_mac = 0;

    if (!authorization)
        return 0;
    buf = nm_basicauth_decode(authorization, strlen(authorization), &user, &pass);
    if (!buf)
        return 0;
    for (i = 0; i < a->nusers; i++) {
        if (strcmp(a->users[i].name, user) == 0)
            found = i;
    }
    if (found != (size_t)-1) {
        have_mac = digest(a, found, pass, mac) == 0;
        if (have_mac && cache_lookup(a, mac)) {
            ok = 1;
            goto out;
        }
    }
    hash = found != (size_t)-1 ? a->users[found].hash : a->dummy;
    ok = bcrypt_matches(a, pass, hash) && found != (size_t)-1;
    if (ok && have_mac)
        cache_insert(a, mac);
out:
    wipe(mac, sizeof mac);
    nm_basicauth_wipe_free(buf);
    return ok;
}

/* -------------------------------------------------------------- lifetime -- */

/* The cost most users have (ties: the higher), read from "$2b$10$...". */
static unsigned long common_cost(const nm_webconfig *cfg)
{
    unsigned counts[32] = {0};
    unsigned long best = 10;
    size_t i;

    for (i = 0; i < nm_webconfig_user_count(cfg); i++) {
        const char *name, *hash;
        unsigned cost;

        nm_webconfig_user(cfg, i, &name, &hash);
        cost = (unsigned)(hash[4] - '0') * 10u + (unsigned)(hash[5] - '0');
        if (cost < 32)
            counts[cost]++;
    }
    for (i = 4; i < 32; i++) {
        if (counts[i] && counts[i] >= counts[best])
            best = i;
    }
    return best;
}

int nm_basicauth_new(const nm_webconfig *cfg, nm_basicauth **out, char *why, size_t whysize)
{
    nm_basicauth *a;
    size_t i, n = nm_webconfig_user_count(cfg), len;

    *out = NULL;
    if (n == 0) {
        snprintf(why, whysize, "no basic_auth_users");
        return -1;
    }
    a = calloc(1, sizeof *a);
    if (!a)
        goto oom;
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&a->crypt_lock, NULL);
    a->users = calloc(n, sizeof *a->users);
    a->cd = calloc(1, sizeof *a->cd);
    if (!a->users || !a->cd)
        goto oom;
    for (i = 0; i < n; i++) {
        const char *name, *hash;

        nm_webconfig_user(cfg, i, &name, &hash);
        a->users[i].name = strdup(name);
        a->users[i].hash = strdup(hash);
        a->nusers++;
        if (!a->users[i].name || !a->users[i].hash)
            goto oom;
    }
    if (gnutls_rnd(GNUTLS_RND_KEY, a->key, sizeof a->key) < 0) {
        snprintf(why, whysize, "no random bytes for the credential cache key");
        nm_basicauth_free(a);
        return -1;
    }
    /* A setting with a random salt, and 31 characters where the hash goes:
     * crypt reads only the setting, and nothing can equal the result. */
    if (!crypt_gensalt_rn("$2b$", common_cost(cfg), NULL, 0, a->dummy, (int)sizeof a->dummy) ||
        (len = strlen(a->dummy)) + 32 > sizeof a->dummy) {
        snprintf(why, whysize, "crypt cannot make a bcrypt salt (is libxcrypt's bcrypt enabled?)");
        nm_basicauth_free(a);
        return -1;
    }
    memset(a->dummy + len, '.', 31);
    a->dummy[len + 31] = '\0';
    *out = a;
    return 0;
oom:
    snprintf(why, whysize, "out of memory");
    nm_basicauth_free(a);
    return -1;
}

void nm_basicauth_free(nm_basicauth *a)
{
    size_t i;

    if (!a)
        return;
    for (i = 0; a->users && i < a->nusers; i++) {
        free(a->users[i].name);
        wipe_free(a->users[i].hash);
    }
    free(a->users);
    free(a->cd);
    wipe(a->key, sizeof a->key);
    wipe(a->cache, sizeof a->cache);
    pthread_mutex_destroy(&a->lock);
    pthread_mutex_destroy(&a->crypt_lock);
    free(a);
}

void nm_basicauth_stats(nm_basicauth *a, unsigned long *bcrypt_runs, unsigned long *cache_hits)
{
    pthread_mutex_lock(&a->lock);
    *bcrypt_runs = a->bcrypt_runs;
    *cache_hits = a->cache_hits;
    pthread_mutex_unlock(&a->lock);
}

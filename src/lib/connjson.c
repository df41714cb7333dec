/* SPDX-License-Identifier: MIT */
/* JSON for connection lists. Process names are the kernel's comm, which a
 * process may set to any bytes: the string writer validates UTF-8 itself
 * and never emits a byte sequence a JSON parser would reject. Numbers are
 * written without printf's locale, by the strbuf helpers. */
#include "config.h"

#include <string.h>

#include "connjson.h"
#include "utf8.h"

static const char hexdig[] = "0123456789abcdef";

int nm_json_put_string(nm_strbuf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, k;

    nm_strbuf_putc(b, '"');
    while (i < len) {
        unsigned char c = s[i];
        char esc[8];

        if (c == '\\') {
            /* JSON "\\" decodes to one backslash; add "x5c" when the
             * text after it would read as our own \xNN escape. */
            nm_strbuf_puts(b, "\\\\");
            if (len - i > 3 && s[i + 1] == 'x' && nm_is_hex_digit(s[i + 2]) &&
                nm_is_hex_digit(s[i + 3]))
                nm_strbuf_puts(b, "x5c");
            i++;
            continue;
        }
        if (c == '"') {
            nm_strbuf_puts(b, "\\\"");
            i++;
            continue;
        }
        if (c < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hexdig[c >> 4];
            esc[5] = hexdig[c & 15];
            nm_strbuf_append(b, esc, 6);
            i++;
            continue;
        }
        k = nm_utf8_seq_len(s + i, len - i);
        if (k == 0) {
            memcpy(esc, "\\\\x", 3);
            esc[3] = hexdig[c >> 4];
            esc[4] = hexdig[c & 15];
            nm_strbuf_append(b, esc, 5);
            i++;
            continue;
        }
        nm_strbuf_append(b, s + i, k);
        i += k;
    }
    nm_strbuf_putc(b, '"');
    return b->failed ? -1 : 0;
}

const char *nm_conn_owner_word(netmetrics_status st)
{
    return netmetrics_status_string(st);
}

static void put_key(nm_strbuf *b, const char *key, int first)
{
    if (!first)
        nm_strbuf_putc(b, ',');
    nm_strbuf_putc(b, '"');
    nm_strbuf_puts(b, key);
    nm_strbuf_puts(b, "\":");
}

static void put_str_field(nm_strbuf *b, const char *key, const char *v)
{
    put_key(b, key, 0);
    nm_json_put_string(b, v, strlen(v));
}

static void put_u64_field(nm_strbuf *b, const char *key, uint64_t v)
{
    put_key(b, key, 0);
    nm_strbuf_put_u64(b, v);
}

static void put_conn(nm_strbuf *b, const netmetrics_connection *c)
{
    char addr[64];

    put_key(b, "protocol", 1);
    nm_json_put_string(b, netmetrics_conn_protocol_string(c->protocol),
                       strlen(netmetrics_conn_protocol_string(c->protocol)));
    put_str_field(b, "family", c->family == NETMETRICS_FAMILY_INET6 ? "inet6" : "inet");
    put_str_field(b, "state", netmetrics_conn_state_string(c->state));
    if (netmetrics_address_format(&c->local_addr, addr, sizeof addr) != NETMETRICS_OK)
        addr[0] = '\0';
    put_str_field(b, "local_address", addr);
    put_u64_field(b, "local_port", c->local_port);
    if (netmetrics_address_format(&c->remote_addr, addr, sizeof addr) != NETMETRICS_OK)
        addr[0] = '\0';
    put_str_field(b, "remote_address", addr);
    put_u64_field(b, "remote_port", c->remote_port);
    put_u64_field(b, "receive_queue", c->receive_queue);
    put_u64_field(b, "send_queue", c->send_queue);
    put_u64_field(b, "uid", c->uid);
    put_u64_field(b, "inode", c->inode);
    put_key(b, "pid", 0);
    if (c->pid > 0) {
        nm_strbuf_put_i64(b, c->pid);
        put_key(b, "process", 0);
        nm_json_put_string(b, c->process_name,
                           strnlen(c->process_name, sizeof c->process_name));
    } else {
        nm_strbuf_puts(b, "null");
        put_key(b, "process", 0);
        nm_strbuf_puts(b, "null");
    }
    put_str_field(b, "owner_status", nm_conn_owner_word(c->owner_status));
}

int nm_conn_json(nm_strbuf *b, const netmetrics_connections *l)
{
    size_t i, n = netmetrics_connections_count(l);

    nm_strbuf_putc(b, '{');
    put_key(b, "backend", 1);
    nm_json_put_string(b, netmetrics_connections_backend(l),
                       strlen(netmetrics_connections_backend(l)));
    put_str_field(b, "owner_lookup",
                  nm_conn_owner_word(netmetrics_connections_owner_status(l)));
    put_u64_field(b, "malformed", netmetrics_connections_malformed(l));
    put_key(b, "connections", 0);
    nm_strbuf_putc(b, '[');
    for (i = 0; i < n; i++) {
        if (i)
            nm_strbuf_putc(b, ',');
        nm_strbuf_puts(b, "\n{");
        put_conn(b, netmetrics_connections_get(l, i));
        nm_strbuf_putc(b, '}');
    }
    nm_strbuf_puts(b, "]}\n");
    return b->failed ? -1 : 0;
}

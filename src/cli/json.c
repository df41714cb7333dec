/* SPDX-License-Identifier: MIT */
/* JSON writer for the CLI. Only three kinds of values appear: integers
 * (64-bit counters, written exactly, which JSON allows though some parsers
 * read them as doubles), decimals with three places, and strings that went
 * through nm_cli_json_string. No NaN or infinity can reach the output. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "escape.h"
#include "json.h"

void nm_cli_json_number(nm_strbuf *out, double v)
{
    if (!isfinite(v)) {
        nm_strbuf_puts(out, "null");
        return;
    }
    nm_strbuf_printf(out, "%.3f", v);
}

static void key(nm_strbuf *out, const char *k, int *first)
{
    if (!*first)
        nm_strbuf_putc(out, ',');
    *first = 0;
    nm_strbuf_putc(out, '"');
    nm_strbuf_puts(out, k);
    nm_strbuf_puts(out, "\":");
}

static void field_u64(nm_strbuf *out, const char *k, uint64_t v, int *first)
{
    key(out, k, first);
    nm_strbuf_put_u64(out, v);
}

static void field_bool(nm_strbuf *out, const char *k, int v, int *first)
{
    key(out, k, first);
    nm_strbuf_puts(out, v ? "true" : "false");
}

static void field_rate(nm_strbuf *out, const char *k, netmetrics_status st, double v, int *first)
{
    key(out, k, first);
    if (st == NETMETRICS_OK)
        nm_cli_json_number(out, v);
    else
        nm_strbuf_puts(out, "null");
}

static void json_interface(nm_strbuf *out, const netmetrics_iface *it)
{
    const char *name = netmetrics_iface_name(it), *mac = netmetrics_iface_mac_address(it);
    size_t a, naddr = netmetrics_iface_address_count(it);
    netmetrics_status st;
    int dbm = 0;
    double v;
    int first = 1, afirst = 1;

    nm_strbuf_putc(out, '{');
    key(out, "name", &first);
    nm_cli_json_string(out, name, strlen(name));
    field_u64(out, "index", (uint64_t)netmetrics_iface_index(it), &first);
    key(out, "type", &first);
    nm_cli_json_string(out, netmetrics_interface_type_string(netmetrics_iface_type(it)),
                       strlen(netmetrics_interface_type_string(netmetrics_iface_type(it))));
    field_bool(out, "active", netmetrics_iface_is_active(it), &first);
    key(out, "mac_address", &first);
    if (mac)
        nm_cli_json_string(out, mac, strlen(mac));
    else
        nm_strbuf_puts(out, "null");
    field_u64(out, "bytes_received", netmetrics_iface_bytes_received(it), &first);
    field_u64(out, "bytes_sent", netmetrics_iface_bytes_sent(it), &first);
    field_u64(out, "packets_received", netmetrics_iface_packets_received(it), &first);
    field_u64(out, "packets_sent", netmetrics_iface_packets_sent(it), &first);
    field_u64(out, "receive_errors", netmetrics_iface_receive_errors(it), &first);
    field_u64(out, "send_errors", netmetrics_iface_send_errors(it), &first);
    field_u64(out, "collisions", netmetrics_iface_collisions(it), &first);
    field_u64(out, "receive_drops", netmetrics_iface_receive_drops(it), &first);
    field_u64(out, "send_drops", netmetrics_iface_send_drops(it), &first);
    st = netmetrics_iface_download_speed(it, &v);
    field_rate(out, "download_speed", st, v, &first);
    st = netmetrics_iface_upload_speed(it, &v);
    field_rate(out, "upload_speed", st, v, &first);
    st = netmetrics_iface_packet_receive_rate(it, &v);
    field_rate(out, "packet_receive_rate", st, v, &first);
    st = netmetrics_iface_packet_send_rate(it, &v);
    field_rate(out, "packet_send_rate", st, v, &first);
    key(out, "addresses", &first);
    nm_strbuf_putc(out, '[');
    for (a = 0; a < naddr; a++) {
        const netmetrics_address *addr = netmetrics_iface_address(it, a);
        char text[46];

        if (netmetrics_address_format(addr, text, sizeof text) != NETMETRICS_OK)
            continue;
        if (!afirst)
            nm_strbuf_putc(out, ',');
        afirst = 0;
        nm_strbuf_printf(out, "\"%s/%u\"", text, addr->prefix_length);
    }
    nm_strbuf_putc(out, ']');
    field_bool(out, "loopback", netmetrics_iface_is_loopback(it), &first);
    field_bool(out, "wireless", netmetrics_iface_is_wireless(it), &first);
    field_bool(out, "multicast", netmetrics_iface_supports_multicast(it), &first);
    field_bool(out, "broadcast", netmetrics_iface_supports_broadcast(it), &first);
    field_bool(out, "point_to_point", netmetrics_iface_is_point_to_point(it), &first);
    key(out, "signal_dbm", &first);
    if (netmetrics_iface_signal_strength(it, &dbm) == NETMETRICS_OK)
        nm_strbuf_printf(out, "%d", dbm);
    else
        nm_strbuf_puts(out, "null");
    nm_strbuf_putc(out, '}');
}

int nm_cli_json(nm_strbuf *out, const netmetrics_view *v, const nm_cli_options *opts)
{
    const netmetrics_snapshot *snap = netmetrics_view_snapshot(v);
    size_t i, n = netmetrics_view_interface_count(v);
    const char *backend = netmetrics_snapshot_backend(snap);
    double interval, down, up;
    netmetrics_status st;
    int first = 1, ifirst = 1;

    nm_strbuf_putc(out, '{');
    key(out, "backend", &first);
    if (backend)
        nm_cli_json_string(out, backend, strlen(backend));
    else
        nm_strbuf_puts(out, "null");
    st = netmetrics_view_interval(v, &interval);
    field_rate(out, "interval_seconds", st, interval, &first);
    key(out, "interfaces", &first);
    nm_strbuf_putc(out, '[');
    for (i = 0; i < n; i++) {
        const netmetrics_iface *it = netmetrics_view_interface(v, i);

        if (!nm_cli_options_wants(opts, netmetrics_iface_name(it)))
            continue;
        if (!ifirst)
            nm_strbuf_putc(out, ',');
        ifirst = 0;
        json_interface(out, it);
    }
    nm_strbuf_putc(out, ']');
    st = netmetrics_view_throughput(v, &down, &up);
    field_rate(out, "total_download_speed", st, down, &first);
    field_rate(out, "total_upload_speed", st, up, &first);
    nm_strbuf_puts(out, "}\n");
    return out->failed ? -1 : 0;
}

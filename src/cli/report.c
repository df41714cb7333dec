/* SPDX-License-Identifier: MIT */
/* Text report. Speeds that the library cannot give (an interface seen for
 * the first time, or whose counters were reset) print "n/a", never a made-up
 * 0. Interface names go through the terminal-safe escaping of escape.c: a
 * name is kernel data and may hold bytes a terminal would act on. */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "report.h"
#include "units.h"

static const char *yes_no(int b)
{
    return b ? "true" : "false";
}

static void put_speed(nm_strbuf *out, netmetrics_status st, double v)
{
    char buf[NM_CLI_UNIT_SIZE];

    nm_strbuf_puts(out, st == NETMETRICS_OK ? nm_cli_human_speed(v, buf, sizeof buf) : "n/a");
}

static void put_traffic(nm_strbuf *out, const char *label, uint64_t bytes, netmetrics_status st,
                        double speed)
{
    char buf[NM_CLI_UNIT_SIZE];

    nm_strbuf_printf(out, "  %s: %s (", label, nm_cli_human_bytes(bytes, buf, sizeof buf));
    put_speed(out, st, speed);
    nm_strbuf_puts(out, ")\n");
}

static void report_interface(nm_strbuf *out, const netmetrics_iface *it)
{
    const char *name = netmetrics_iface_name(it), *mac = netmetrics_iface_mac_address(it);
    uint64_t rx_err = netmetrics_iface_receive_errors(it), tx_err = netmetrics_iface_send_errors(it);
    uint64_t coll = netmetrics_iface_collisions(it);
    size_t a, naddr = netmetrics_iface_address_count(it);
    netmetrics_status st;
    int dbm = 0;
    double speed;

    nm_strbuf_puts(out, "Interface: ");
    nm_cli_text_string(out, name, strlen(name));
    nm_strbuf_printf(out, " (%s)\n", netmetrics_interface_type_string(netmetrics_iface_type(it)));
    nm_strbuf_printf(out, "  Status: %s\n", netmetrics_iface_is_active(it) ? "Active" : "Inactive");
    if (mac)
        nm_strbuf_printf(out, "  MAC address: %s\n", mac);
    st = netmetrics_iface_download_speed(it, &speed);
    put_traffic(out, "Download", netmetrics_iface_bytes_received(it), st, speed);
    st = netmetrics_iface_upload_speed(it, &speed);
    put_traffic(out, "Upload", netmetrics_iface_bytes_sent(it), st, speed);
    nm_strbuf_puts(out, "  Packets: ");
    nm_strbuf_put_u64(out, netmetrics_iface_packets_received(it));
    nm_strbuf_puts(out, " received, ");
    nm_strbuf_put_u64(out, netmetrics_iface_packets_sent(it));
    nm_strbuf_puts(out, " sent\n");
    if (rx_err || tx_err) {
        nm_strbuf_puts(out, "  Errors: ");
        nm_strbuf_put_u64(out, rx_err);
        nm_strbuf_puts(out, " receive, ");
        nm_strbuf_put_u64(out, tx_err);
        nm_strbuf_puts(out, " send\n");
    }
    if (coll) {
        nm_strbuf_puts(out, "  Collisions: ");
        nm_strbuf_put_u64(out, coll);
        nm_strbuf_putc(out, '\n');
    }
    if (naddr) {
        nm_strbuf_puts(out, "  IP Addresses:\n");
        for (a = 0; a < naddr; a++) {
            const netmetrics_address *addr = netmetrics_iface_address(it, a);
            char text[46];

            if (netmetrics_address_format(addr, text, sizeof text) != NETMETRICS_OK)
                continue;
            nm_strbuf_printf(out, "    %s/%u\n", text, addr->prefix_length);
        }
    }
    nm_strbuf_puts(out, "  Properties:\n");
    nm_strbuf_printf(out, "    Loopback: %s\n", yes_no(netmetrics_iface_is_loopback(it)));
    nm_strbuf_printf(out, "    Wireless: %s\n", yes_no(netmetrics_iface_is_wireless(it)));
    nm_strbuf_printf(out, "    Multicast: %s\n", yes_no(netmetrics_iface_supports_multicast(it)));
    nm_strbuf_printf(out, "    Broadcast: %s\n", yes_no(netmetrics_iface_supports_broadcast(it)));
    nm_strbuf_printf(out, "    Point-to-point: %s\n",
                     yes_no(netmetrics_iface_is_point_to_point(it)));
    /* the seed prints the signal of wireless interfaces when it is known */
    if (netmetrics_iface_is_wireless(it) &&
        netmetrics_iface_signal_strength(it, &dbm) == NETMETRICS_OK)
        nm_strbuf_printf(out, "  Signal strength: %d dBm\n", dbm);
    nm_strbuf_putc(out, '\n');
}

int nm_cli_report(nm_strbuf *out, const netmetrics_view *v, const nm_cli_options *opts)
{
    size_t i, n = netmetrics_view_interface_count(v);
    double down, up;
    netmetrics_status st;

    for (i = 0; i < n; i++) {
        const netmetrics_iface *it = netmetrics_view_interface(v, i);

        if (nm_cli_options_wants(opts, netmetrics_iface_name(it)))
            report_interface(out, it);
    }
    st = netmetrics_view_throughput(v, &down, &up);
    nm_strbuf_puts(out, "Total network usage:\n  Download speed: ");
    put_speed(out, st, down);
    nm_strbuf_puts(out, "\n  Upload speed: ");
    put_speed(out, st, up);
    nm_strbuf_putc(out, '\n');
    return out->failed ? -1 : 0;
}

/* SPDX-License-Identifier: MIT */
/* The seed's usage example ("Usage Example" in network-monitoring.md)
 * rewritten line for line in C: create a manager, sample, print every
 * interface, wait, sample again and print the speeds and totals. It uses
 * only the installed header, as a user's program would. The wait is 1 s
 * (the seed waits 5) so that `make check` stays quick; argv[1] overrides it
 * in milliseconds. Speeds are "n/a" where the library says they are not
 * available (first sample), instead of a misleading 0. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <netmetrics.h>

/* "12.34 KB/s", or "n/a" when the library has no speed yet. */
static const char *kbps(netmetrics_status st, double bytes_per_second, char *buf, size_t size)
{
    if (st != NETMETRICS_OK)
        return "n/a";
    snprintf(buf, size, "%.2f KB/s", bytes_per_second / 1024.0);
    return buf;
}

static const char *yes_no(int value)
{
    return value ? "true" : "false";
}

static void print_network_stats(netmetrics_manager *manager)
{
    size_t i, j, n = netmetrics_manager_interface_count(manager);
    char down_buf[32], up_buf[32], addr[64];
    double down, up;
    netmetrics_status down_st, up_st;

    for (i = 0; i < n; i++) {
        const netmetrics_iface *interface = netmetrics_manager_interface(manager, i);
        const char *mac;

        printf("Interface: %s (%s)\n", netmetrics_iface_name(interface),
               netmetrics_interface_type_string(netmetrics_iface_type(interface)));
        printf("  Status: %s\n", netmetrics_iface_is_active(interface) ? "Active" : "Inactive");

        /* Display MAC address if available */
        mac = netmetrics_iface_mac_address(interface);
        if (mac)
            printf("  MAC address: %s\n", mac);

        /* Traffic statistics */
        down_st = netmetrics_iface_download_speed(interface, &down);
        up_st = netmetrics_iface_upload_speed(interface, &up);
        printf("  Download: %" PRIu64 " bytes (%s)\n", netmetrics_iface_bytes_received(interface),
               kbps(down_st, down, down_buf, sizeof down_buf));
        printf("  Upload: %" PRIu64 " bytes (%s)\n", netmetrics_iface_bytes_sent(interface),
               kbps(up_st, up, up_buf, sizeof up_buf));
        printf("  Packets: %" PRIu64 " received, %" PRIu64 " sent\n",
               netmetrics_iface_packets_received(interface),
               netmetrics_iface_packets_sent(interface));

        /* Error statistics */
        if (netmetrics_iface_receive_errors(interface) > 0 ||
            netmetrics_iface_send_errors(interface) > 0) {
            printf("  Errors: %" PRIu64 " receive, %" PRIu64 " send\n",
                   netmetrics_iface_receive_errors(interface),
                   netmetrics_iface_send_errors(interface));
            printf("  Collisions: %" PRIu64 "\n", netmetrics_iface_collisions(interface));
        }

        /* Print IP addresses if available */
        if (netmetrics_iface_address_count(interface) > 0) {
            printf("  IP Addresses:\n");
            for (j = 0; j < netmetrics_iface_address_count(interface); j++) {
                if (netmetrics_address_format(netmetrics_iface_address(interface, j), addr,
                                              sizeof addr) == NETMETRICS_OK)
                    printf("    %s\n", addr);
            }
        }

        /* Interface properties */
        printf("  Properties:\n");
        printf("    Loopback: %s\n", yes_no(netmetrics_iface_is_loopback(interface)));
        printf("    Wireless: %s\n", yes_no(netmetrics_iface_is_wireless(interface)));
        printf("    Multicast: %s\n", yes_no(netmetrics_iface_supports_multicast(interface)));
        printf("    Broadcast: %s\n", yes_no(netmetrics_iface_supports_broadcast(interface)));

        printf("\n");
    }

    /* Print total network usage */
    printf("Total network usage:\n");
    down_st = netmetrics_manager_total_download_speed(manager, &down);
    up_st = netmetrics_manager_total_upload_speed(manager, &up);
    printf("  Download speed: %s\n", kbps(down_st, down, down_buf, sizeof down_buf));
    printf("  Upload speed: %s\n", kbps(up_st, up, up_buf, sizeof up_buf));
}

static void sleep_ms(unsigned long ms)
{
    struct timespec ts;

    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    netmetrics_manager *manager;
    netmetrics_error err;
    unsigned long wait_ms = 1000;
    char *end;

    if (argc > 1) {
        errno = 0;
        wait_ms = strtoul(argv[1], &end, 10);
        if (errno || end == argv[1] || *end != '\0' || wait_ms > 3600000ul) {
            fprintf(stderr, "usage: %s [WAIT_MS]  (0 to 3600000, default 1000)\n", argv[0]);
            return 2;
        }
    }

    /* Create a new network manager */
    if (netmetrics_manager_new(NULL, &manager, &err) != NETMETRICS_OK) {
        fprintf(stderr, "network_stats: %s\n", err.message);
        return 1;
    }

    /* Initial stats */
    printf("Initial network statistics:\n");
    if (netmetrics_manager_update(manager, &err) != NETMETRICS_OK)
        goto fail;
    print_network_stats(manager);

    /* Sleep for a while to allow traffic to occur */
    sleep_ms(wait_ms);

    /* Update stats */
    if (netmetrics_manager_update(manager, &err) != NETMETRICS_OK)
        goto fail;

    /* Print updated stats with speeds */
    printf("\nUpdated network statistics:\n");
    print_network_stats(manager);

    netmetrics_manager_free(manager);
    return 0;

fail:
    fprintf(stderr, "network_stats: %s (%s)\n", err.message, netmetrics_status_string(err.code));
    netmetrics_manager_free(manager);
    return 1;
}

/* SPDX-License-Identifier: MIT */
/* Names of enums and flags, and address formatting. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addrtext.h"
#include "netmetrics.h"

const char *netmetrics_version(void)
{
    return PACKAGE_VERSION;
}

const char *netmetrics_status_string(netmetrics_status status)
{
    switch (status) {
    case NETMETRICS_OK: return "ok";
    case NETMETRICS_ERR_NETWORK: return "network error";
    case NETMETRICS_ERR_NOT_AVAILABLE: return "not available";
    case NETMETRICS_ERR_SYSTEM: return "system error";
    case NETMETRICS_ERR_PERMISSION: return "permission denied";
    case NETMETRICS_ERR_INVALID: return "invalid argument";
    case NETMETRICS_ERR_PARSE: return "malformed data";
    case NETMETRICS_ERR_NO_MEMORY: return "out of memory";
    }
    return "unknown error";
}

const char *netmetrics_flag_name(uint32_t flag)
{
    switch (flag) {
    case NETMETRICS_FLAG_UP: return "up";
    case NETMETRICS_FLAG_BROADCAST: return "broadcast";
    case NETMETRICS_FLAG_DEBUG: return "debug";
    case NETMETRICS_FLAG_LOOPBACK: return "loopback";
    case NETMETRICS_FLAG_POINTOPOINT: return "pointopoint";
    case NETMETRICS_FLAG_NOTRAILERS: return "notrailers";
    case NETMETRICS_FLAG_RUNNING: return "running";
    case NETMETRICS_FLAG_NOARP: return "noarp";
    case NETMETRICS_FLAG_PROMISC: return "promisc";
    case NETMETRICS_FLAG_ALLMULTI: return "allmulti";
    case NETMETRICS_FLAG_MASTER: return "master";
    case NETMETRICS_FLAG_SLAVE: return "slave";
    case NETMETRICS_FLAG_MULTICAST: return "multicast";
    case NETMETRICS_FLAG_PORTSEL: return "portsel";
    case NETMETRICS_FLAG_AUTOMEDIA: return "automedia";
    case NETMETRICS_FLAG_DYNAMIC: return "dynamic";
    case NETMETRICS_FLAG_LOWER_UP: return "lower_up";
    case NETMETRICS_FLAG_DORMANT: return "dormant";
    case NETMETRICS_FLAG_ECHO: return "echo";
    default: return NULL;
    }
}

const char *netmetrics_operstate_string(netmetrics_operstate state)
{
    static const char *const names[] = {"unknown", "notpresent", "down", "lowerlayerdown",
                                        "testing", "dormant",    "up"};

    if ((unsigned)state >= sizeof names / sizeof names[0])
        return "unknown";
    return names[state];
}

const char *netmetrics_backend_name(netmetrics_backend backend)
{
    switch (backend) {
    case NETMETRICS_BACKEND_AUTO: return "auto";
    case NETMETRICS_BACKEND_NETLINK: return "netlink";
    case NETMETRICS_BACKEND_PROCFS: return "procfs";
    case NETMETRICS_BACKEND_SYSCTL: return "sysctl";
    case NETMETRICS_BACKEND_NETSTAT: return "netstat";
    }
    return "unknown";
}

netmetrics_status netmetrics_backend_parse(const char *name, netmetrics_backend *out)
{
    static const netmetrics_backend all[] = {NETMETRICS_BACKEND_AUTO, NETMETRICS_BACKEND_NETLINK,
                                             NETMETRICS_BACKEND_PROCFS, NETMETRICS_BACKEND_SYSCTL,
                                             NETMETRICS_BACKEND_NETSTAT};
    size_t i;

    for (i = 0; name && i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, netmetrics_backend_name(all[i])) == 0) {
            *out = all[i];
            return NETMETRICS_OK;
        }
    }
    return NETMETRICS_ERR_INVALID;
}

const char *netmetrics_part_name(netmetrics_part part)
{
    switch (part) {
    case NETMETRICS_PART_LINKS: return "links";
    case NETMETRICS_PART_ADDRESSES: return "addresses";
    case NETMETRICS_PART_WIRELESS: return "wireless";
    case NETMETRICS_PART_COUNT: break;
    }
    return "unknown";
}

netmetrics_status netmetrics_address_format(const netmetrics_address *addr, char *buf, size_t size)
{
    char text[NM_ADDR_TEXT_SIZE];
    size_t n;

    if (!addr || !buf)
        return NETMETRICS_ERR_INVALID;
    /* addrtext.c spells what inet_ntop would, without its sprintf per
     * IPv6 group; too small a buffer is refused, as inet_ntop does */
    if (addr->family == NETMETRICS_FAMILY_INET)
        n = nm_addr_text4(addr->bytes, text);
    else if (addr->family == NETMETRICS_FAMILY_INET6)
        n = nm_addr_text6(addr->bytes, text);
    else
        return NETMETRICS_ERR_INVALID;
    if (n >= size)
        return NETMETRICS_ERR_INVALID;
    memcpy(buf, text, n + 1);
    return NETMETRICS_OK;
}

const char *netmetrics_scope_string(unsigned scope, char buf[4])
{
    switch (scope) {
    case 0: return "global";
    case 200: return "site";
    case 253: return "link";
    case 254: return "host";
    case 255: return "nowhere";
    default:
        snprintf(buf, 4, "%u", scope & 0xffu);
        return buf;
    }
}

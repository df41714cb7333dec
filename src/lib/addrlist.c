/* SPDX-License-Identifier: MIT */
/* getifaddrs() -> snapshot addresses. The conversion is split from the
 * system call so it can be tested on hand-made sockaddrs. */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

#include "nmerror.h"
#include "addrlist.h"
#include "snapshot.h"

static unsigned prefix_from_mask(const unsigned char *m, size_t n)
{
    unsigned bits = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char b = m[i];

        while (b & 0x80) {
            bits++;
            b = (unsigned char)(b << 1);
        }
        if (m[i] != 0xff)
            break;
    }
    return bits;
}

int nm_sockaddr_to_address(const struct sockaddr *sa, const struct sockaddr *mask,
                           netmetrics_address *out)
{
    memset(out, 0, sizeof *out);
    if (!sa)
        return -1;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        uint32_t host;

        out->family = NETMETRICS_FAMILY_INET;
        memcpy(out->bytes, &in->sin_addr, 4);
        out->prefix_length = 32;
        if (mask && mask->sa_family == AF_INET)
            out->prefix_length = prefix_from_mask(
                (const unsigned char *)&((const struct sockaddr_in *)(const void *)mask)->sin_addr,
                4);
        host = ntohl(in->sin_addr.s_addr);
        if ((host >> 24) == 127)
            out->scope = 254;
        else if ((host >> 16) == 0xa9fe)
            out->scope = 253;
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        const unsigned char *b = in6->sin6_addr.s6_addr;

        out->family = NETMETRICS_FAMILY_INET6;
        memcpy(out->bytes, b, 16);
        out->prefix_length = 128;
        if (mask)
            out->prefix_length = prefix_from_mask(
                ((const struct sockaddr_in6 *)(const void *)mask)->sin6_addr.s6_addr, 16);
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            out->scope = 254;
        else if (IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) {
            out->scope = 253;
#if defined(__APPLE__)
            /* KAME stores the scope id in bytes 2-3 of link-local addresses */
            out->bytes[2] = out->bytes[3] = 0;
#endif
        }
        return 0;
    }
    return -1;
}

netmetrics_status nm_ifaddrs_collect(netmetrics_snapshot *snap, netmetrics_error *err)
{
    struct ifaddrs *list, *it;

    if (getifaddrs(&list) < 0)
        return nm_error_errno(err, errno, "getifaddrs");
    for (it = list; it; it = it->ifa_next) {
        netmetrics_address a;
        unsigned idx;

        if (!it->ifa_name || nm_sockaddr_to_address(it->ifa_addr, it->ifa_netmask, &a) < 0)
            continue;
        idx = if_nametoindex(it->ifa_name);
        if (idx == 0)
            continue; /* vanished since the list was taken */
        if (nm_snapshot_add_address(snap, (int)idx, &a) < 0) {
            freeifaddrs(list);
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
        }
    }
    freeifaddrs(list);
    return NETMETRICS_OK;
}

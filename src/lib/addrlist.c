/* SPDX-License-Identifier: MIT */
/* getifaddrs() -> snapshot addresses. The conversion is split from the
 * system call so it can be tested on hand-made sockaddrs. */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
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

/* Name -> ifindex table of the interfaces already in the snapshot, sorted
 * by name so each address costs a binary search, not a scan or a syscall. */
typedef struct name_index {
    const char *name;
    int32_t ifindex;
} name_index;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const name_index *)a)->name, ((const name_index *)b)->name);
}

netmetrics_status nm_ifaddrs_collect(netmetrics_snapshot *snap, netmetrics_error *err)
{
    struct ifaddrs *list, *it;
    name_index *names;
    size_t i, n = snap->count;

    names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        names[i].name = snap->ifaces[i].name;
        names[i].ifindex = snap->ifaces[i].ifindex;
    }
    qsort(names, n, sizeof *names, cmp_name);

    if (getifaddrs(&list) < 0) {
        free(names);
        return nm_error_errno(err, errno, "getifaddrs");
    }
    for (it = list; it; it = it->ifa_next) {
        netmetrics_address a;
        name_index key, *hit;

        if (!it->ifa_name || nm_sockaddr_to_address(it->ifa_addr, it->ifa_netmask, &a) < 0)
            continue;
        key.name = it->ifa_name;
        hit = bsearch(&key, names, n, sizeof *names, cmp_name);
        if (!hit)
            continue; /* not in this link table: appeared since, or another root */
        if (nm_snapshot_add_address(snap, hit->ifindex, &a) < 0) {
            freeifaddrs(list);
            free(names);
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
        }
    }
    freeifaddrs(list);
    free(names);
    return NETMETRICS_OK;
}

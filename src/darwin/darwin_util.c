/* SPDX-License-Identifier: MIT */
/* macOS helpers (see darwin_util.h). Thin wrappers around ioctl and
 * getifaddrs; all decisions are in the portable classify_darwin.c. */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/if_dl.h>

#include "classify_darwin.h"
#include "darwin_util.h"
#include "nmerror.h"
#include "sc_types.h"

struct nm_dw_classifier {
    int sock;              /* for SIOCGIFFUNCTIONALTYPE; -1 when none */
    nm_dw_sctypes *sc;     /* NULL without SystemConfiguration */
};

int nm_dw_functional_type(int sock, const char *name)
{
#ifdef SIOCGIFFUNCTIONALTYPE
    struct ifreq ifr;

    if (sock < 0)
        return -1;
    memset(&ifr, 0, sizeof ifr);
    strlcpy(ifr.ifr_name, name, sizeof ifr.ifr_name);
    if (ioctl(sock, SIOCGIFFUNCTIONALTYPE, &ifr) < 0)
        return -1;
    return (int)ifr.ifr_ifru.ifru_functional_type;
#else
    (void)sock;
    (void)name;
    return -1;
#endif
}

nm_dw_classifier *nm_dw_classifier_new(void)
{
    nm_dw_classifier *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->sock = socket(AF_INET, SOCK_DGRAM, 0);
    c->sc = nm_dw_sctypes_new();
    return c;
}

void nm_dw_classifier_free(nm_dw_classifier *c)
{
    if (!c)
        return;
    if (c->sock >= 0)
        close(c->sock);
    nm_dw_sctypes_free(c->sc);
    free(c);
}

int nm_dw_classify_iface(nm_dw_classifier *c, struct netmetrics_interface *iface,
                         uint32_t bsd_flags, int ift, nm_strstore *strings)
{
    nm_dw_class_input in;

    in.name = iface->name;
    in.bsd_flags = bsd_flags;
    in.functional_type = nm_dw_functional_type(c ? c->sock : -1, iface->name);
    in.ift_type = ift;
    /* Asked only when the kernel had no answer: the table costs an IOKit
     * walk to build (cached, see sc_types.h). */
    in.sc_type = NULL;
    if (c && c->sc && !nm_dw_functional_decides(in.functional_type))
        in.sc_type = nm_dw_sctypes_lookup(c->sc, iface->name);
    return nm_dw_apply_type(iface, nm_dw_classify(&in), strings);
}

static int cmp_ifa(const void *a, const void *b)
{
    return strcmp(((const nm_dw_ifa *)a)->name, ((const nm_dw_ifa *)b)->name);
}

netmetrics_status nm_dw_ifa_list(nm_dw_ifa **out, size_t *count, netmetrics_error *err)
{
    struct ifaddrs *list, *it;
    nm_dw_ifa *arr = NULL;
    size_t n = 0, cap = 0, i;

    *out = NULL;
    *count = 0;
    if (getifaddrs(&list) < 0)
        return nm_error_errno(err, errno, "getifaddrs");
    for (it = list; it; it = it->ifa_next) {
        nm_dw_ifa *e = NULL;

        if (!it->ifa_name || strlen(it->ifa_name) >= NM_IFNAME_SIZE)
            continue;
        for (i = 0; i < n; i++)
            if (strcmp(arr[i].name, it->ifa_name) == 0)
                e = &arr[i];
        if (!e) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                nm_dw_ifa *na = realloc(arr, ncap * sizeof *na);

                if (!na) {
                    free(arr);
                    freeifaddrs(list);
                    return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, ENOMEM, "out of memory");
                }
                arr = na;
                cap = ncap;
            }
            e = &arr[n++];
            memset(e, 0, sizeof *e);
            strlcpy(e->name, it->ifa_name, sizeof e->name);
            e->ift = -1;
        }
        e->bsd_flags = it->ifa_flags;
        if (it->ifa_addr && it->ifa_addr->sa_family == AF_LINK) {
            const struct sockaddr_dl *sdl = (const struct sockaddr_dl *)(const void *)it->ifa_addr;

            e->ift = sdl->sdl_type;
            if (sdl->sdl_alen > 0 && sdl->sdl_alen <= NM_HWADDR_MAX) {
                memcpy(e->hwaddr, LLADDR(sdl), sdl->sdl_alen);
                e->hwaddr_len = sdl->sdl_alen;
            }
        }
    }
    freeifaddrs(list);
    if (n > 1)
        qsort(arr, n, sizeof *arr, cmp_ifa);
    *out = arr;
    *count = n;
    return NETMETRICS_OK;
}

const nm_dw_ifa *nm_dw_ifa_find(const nm_dw_ifa *list, size_t count, const char *name)
{
    nm_dw_ifa key;

    if (!list || count == 0 || strlen(name) >= sizeof key.name)
        return NULL;
    memset(&key, 0, sizeof key);
    strlcpy(key.name, name, sizeof key.name);
    return bsearch(&key, list, count, sizeof *list, cmp_ifa);
}

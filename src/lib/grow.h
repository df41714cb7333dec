/* SPDX-License-Identifier: MIT */
/* Growing a malloc'd array by doubling: the one helper the snapshot, the
 * link cache and other tables share. */
#ifndef NM_GROW_H
#define NM_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Makes *p (an array of *cap elements of size sz, or NULL with *cap 0) hold
 * at least need elements, doubling from 16. 0, or -1 when out of memory or
 * the size would overflow (*p and *cap unchanged). */
static inline int nm_grow(void **p, size_t *cap, size_t need, size_t sz)
{
    size_t ncap;
    void *np;

    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / sz)
            return -1;
        ncap *= 2;
    }
    np = realloc(*p, ncap * sz);
    if (!np)
        return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

#endif

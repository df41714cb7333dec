/* SPDX-License-Identifier: MIT */
/* The device label of every interface, escaped once per scrape. About fifty
 * families carry `device="NAME"` for each interface, so escaping the name
 * per sample was a quarter of a scrape's instructions at a thousand
 * interfaces; the renderer builds this table at the start of a render call
 * and hands each sample its interface's ready-made fragment. */
#ifndef NM_RENDER_DEVICES_H
#define NM_RENDER_DEVICES_H

#include <stddef.h>

#include "expfmt.h"
#include "netmetrics.h"
#include "strbuf.h"

typedef struct nm_devlabels {
    nm_strbuf text;     /* every fragment, one after another */
    nm_label_pre *pre;  /* pre[i]: the i-th interface's fragment, into text */
    size_t count;
} nm_devlabels;

void nm_devlabels_init(nm_devlabels *d);
/* Fills d with `device="..."` for the first n interfaces of snap (the same
 * bytes nm_expfmt_sample_u64 writes for a "device" label). Returns 0, or -1
 * when out of memory (d is then empty, and still to be freed). */
int nm_devlabels_build(nm_devlabels *d, const netmetrics_snapshot *snap, size_t n);
void nm_devlabels_free(nm_devlabels *d);

/* The fragment of interface i, which must be below the count built. */
static inline const nm_label_pre *nm_devlabels_get(const nm_devlabels *d, size_t i)
{
    return &d->pre[i];
}

#endif

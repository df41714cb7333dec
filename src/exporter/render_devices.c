/* SPDX-License-Identifier: MIT */
/* Builds the per-scrape table of escaped device labels (render_devices.h).
 * Offsets are kept while the text grows, since each append may move it,
 * and turned into pointers once the text is complete. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render_devices.h"

void nm_devlabels_init(nm_devlabels *d)
{
    nm_strbuf_init(&d->text);
    d->pre = NULL;
    d->count = 0;
}

void nm_devlabels_free(nm_devlabels *d)
{
    nm_strbuf_free(&d->text);
    free(d->pre);
    nm_devlabels_init(d);
}

int nm_devlabels_build(nm_devlabels *d, const netmetrics_snapshot *snap, size_t n)
{
    size_t i, start;

    nm_strbuf_reset(&d->text);
    d->count = 0;
    if (n == 0)
        return 0;
    free(d->pre);
    d->pre = calloc(n, sizeof *d->pre);
    if (!d->pre)
        return -1;
    /* names are at most IFNAMSIZ bytes, nearly always plain: a guess that
     * spares most regrowth */
    if (n < SIZE_MAX / 32 && nm_strbuf_reserve(&d->text, n * 24) < 0)
        goto fail;
    for (i = 0; i < n; i++) {
        const char *name = netmetrics_interface_name(netmetrics_snapshot_interface(snap, i));

        start = d->text.len;
        if (nm_expfmt_put_label_pre(&d->text, "device", name, strlen(name)) < 0)
            goto fail;
        /* the offset, for now; made a pointer below */
        d->pre[i].text = NULL;
        d->pre[i].len = d->text.len - start;
    }
    start = 0;
    for (i = 0; i < n; i++) {
        d->pre[i].text = d->text.data + start;
        start += d->pre[i].len;
    }
    d->count = n;
    return 0;

fail:
    free(d->pre);
    d->pre = NULL;
    nm_strbuf_reset(&d->text);
    return -1;
}

/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "render.h"
int nm_render_metrics(nm_strbuf *out, nm_format fmt, const netmetrics_snapshot *snap,
                      const nm_scrape_info *info)
{
    (void)fmt; (void)snap; (void)info;
    return nm_strbuf_puts(out, "");
}
const char *nm_format_content_type(nm_format fmt)
{
    (void)fmt;
    return "text/plain; version=0.0.4; charset=utf-8";
}

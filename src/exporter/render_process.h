/* SPDX-License-Identifier: MIT */
/* The process_* families: the exporter's own CPU time, memory, file
 * descriptors and start time, named and meant as the Prometheus client
 * libraries' process collector does, so existing dashboards and alerts on
 * them work unchanged. */
#ifndef NM_RENDER_PROCESS_H
#define NM_RENDER_PROCESS_H

#include "expfmt.h"
#include "procself.h"

/* Writes each family m has a value for; nothing when m is NULL. */
void nm_render_process(nm_expfmt *w, const nm_process_metrics *m);

#endif

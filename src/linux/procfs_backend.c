/* SPDX-License-Identifier: MIT */
/* STUB: to be written. */
#include "config.h"
#include "backend.h"
#include "nmerror.h"

static netmetrics_status stub_open(void **state, const nm_roots *roots, netmetrics_error *err)
{
    (void)state; (void)roots;
    return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "not implemented");
}
static netmetrics_status stub_collect(void *state, netmetrics_snapshot *snap, netmetrics_error *err)
{
    (void)state; (void)snap;
    return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "not implemented");
}
static void stub_close(void *state) { (void)state; }
const nm_backend_ops nm_backend_procfs = {"procfs", stub_open, stub_collect, stub_collect, stub_close};

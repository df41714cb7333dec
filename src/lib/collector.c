/* SPDX-License-Identifier: MIT */
/* The collector: picks a backend, times each part of a collection and
 * turns the backend's raw appends into a finished snapshot. It knows no
 * platform: backends are reached only through nm_backend_ops. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "nmerror.h"
#include "snapshot.h"

struct netmetrics_collector {
    netmetrics_backend requested;
    nm_roots roots;
    const nm_backend_ops *ops;   /* the backend in use */
    void *state;
    const nm_backend_ops *fallback; /* AUTO: procfs, opened on first need */
    void *fallback_state;
    int fallback_open;
    nm_extras *extras; /* link details and wireless, whichever backend ran */
    unsigned skip_parts; /* netmetrics_collector_options.skip_parts */
};

void netmetrics_collector_options_init(netmetrics_collector_options *opts)
{
    opts->backend = NETMETRICS_BACKEND_AUTO;
    opts->proc_root = NULL;
    opts->sys_root = NULL;
    opts->skip_parts = 0;
}

static netmetrics_status set_root(char *dst, size_t size, const char *value, const char *dflt,
                                  const char *what, netmetrics_error *err)
{
    const char *v = value && *value ? value : dflt;

    if (strlen(v) >= size)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "%s root is too long", what);
    strcpy(dst, v);
    return NETMETRICS_OK;
}

/* The platform's backend with that id, or NULL when it is not built here. */
static const nm_backend_ops *platform_backend(netmetrics_backend id)
{
    const nm_platform_backend *p;

    for (p = nm_platform_backends; p->ops; p++)
        if (p->id == id)
            return p->ops;
    return NULL;
}

static netmetrics_status open_backend(const nm_backend_ops *ops, void **state, const nm_roots *roots,
                                      netmetrics_error *err)
{
    netmetrics_status st;

    *state = NULL;
    st = ops->open(state, roots, err);
    if (st != NETMETRICS_OK)
        nm_error_prefix(err, ops->name);
    return st;
}

netmetrics_status netmetrics_collector_new(const netmetrics_collector_options *opts,
                                           netmetrics_collector **out, netmetrics_error *err)
{
    netmetrics_collector_options dflt;
    netmetrics_collector *c;
    netmetrics_status st;

    if (!out)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no place for the collector");
    *out = NULL;
    if (!opts) {
        netmetrics_collector_options_init(&dflt);
        opts = &dflt;
    }
    c = calloc(1, sizeof *c);
    if (!c)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    c->requested = opts->backend;
    c->skip_parts = opts->skip_parts;
    st = set_root(c->roots.proc, sizeof c->roots.proc, opts->proc_root, "/proc", "proc", err);
    if (st == NETMETRICS_OK)
        st = set_root(c->roots.sys, sizeof c->roots.sys, opts->sys_root, "/sys", "sys", err);
    if (st != NETMETRICS_OK) {
        free(c);
        return st;
    }

    if (opts->backend == NETMETRICS_BACKEND_AUTO) {
        /* the platform's native backend, else its fallback */
        const nm_backend_ops *native = nm_platform_backends[0].ops;
        const nm_backend_ops *fallback = native ? nm_platform_backends[1].ops : NULL;
        netmetrics_error nerr;

        c->ops = native;
        st = native ? open_backend(c->ops, &c->state, &c->roots, &nerr)
                    : nm_error_set(&nerr, NETMETRICS_ERR_NOT_AVAILABLE, 0, "no backend built");
        if (st != NETMETRICS_OK && fallback) {
            c->ops = fallback;
            st = open_backend(c->ops, &c->state, &c->roots, err);
            if (st != NETMETRICS_OK && err) /* say why both failed */
                nm_error_prefix(err, nerr.message);
        } else if (st != NETMETRICS_OK) {
            if (err)
                *err = nerr;
        } else {
            c->fallback = fallback;
        }
    } else {
        c->ops = platform_backend(opts->backend);
        if (c->ops)
            st = open_backend(c->ops, &c->state, &c->roots, err);
        else if (strcmp(netmetrics_backend_name(opts->backend), "unknown") != 0)
            st = nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0,
                              "backend %s is not available on this platform (%s)",
                              netmetrics_backend_name(opts->backend), NM_OS);
        else
            st = nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "unknown backend %d",
                              (int)opts->backend);
    }
    if (st == NETMETRICS_OK) {
        c->extras = nm_extras_new(&c->roots);
        if (!c->extras) {
            netmetrics_collector_free(c);
            return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        }
    }
    if (st != NETMETRICS_OK) {
        free(c);
        return st;
    }
    *out = c;
    return NETMETRICS_OK;
}

void netmetrics_collector_free(netmetrics_collector *c)
{
    if (!c)
        return;
    if (c->ops && c->ops->close)
        c->ops->close(c->state);
    if (c->fallback_open && c->fallback && c->fallback->close)
        c->fallback->close(c->fallback_state);
    nm_extras_free(c->extras);
    free(c);
}

const char *netmetrics_collector_wireless_source(const netmetrics_collector *c)
{
    return c && c->extras ? nm_extras_wireless_source(c->extras) : "";
}

const char *netmetrics_collector_backend(const netmetrics_collector *c)
{
    return c && c->ops ? c->ops->name : "";
}

/* Records a part the caller asked not to collect. */
static void skip_part(netmetrics_snapshot *snap, netmetrics_part part)
{
    snap->part_status[part] = NETMETRICS_ERR_NOT_AVAILABLE;
    snap->part_seconds[part] = 0.0;
    strcpy(snap->part_error[part], "not collected");
}

/* One full collection through one backend. Each part's error message is
 * kept in the snapshot, so a caller that passed no error still can log it.
 * Parts in skip (bits 1u << netmetrics_part) are not collected. */
static netmetrics_status collect_with(const nm_backend_ops *ops, void *state, nm_extras *extras,
                                      unsigned skip, netmetrics_snapshot *snap,
                                      netmetrics_error *err)
{
    netmetrics_error lerr, aerr, werr;
    netmetrics_status st;
    uint64_t t0, t1, t2, t3;

    nm_snapshot_reset(snap);
    snap->backend = ops->name;
    nm_error_clear(&lerr);
    t0 = nm_monotonic_ns();
    st = ops->collect_links(state, snap, &lerr);
    /* Link details belong to the links part; they never fail it. */
    if (st == NETMETRICS_OK && extras)
        nm_extras_links(extras, snap);
    t1 = nm_monotonic_ns();
    snap->part_status[NETMETRICS_PART_LINKS] = st;
    snap->part_seconds[NETMETRICS_PART_LINKS] = (double)(t1 - t0) / 1e9;
    snap->time_ns = t1;
    if (st != NETMETRICS_OK) {
        nm_error_prefix(&lerr, ops->name);
        memcpy(snap->part_error[NETMETRICS_PART_LINKS], lerr.message, sizeof lerr.message);
        if (err)
            *err = lerr;
        snap->count = 0;
        return st;
    }
    /* The address table failing costs its series, not the scrape. */
    nm_error_clear(&aerr);
    st = NETMETRICS_OK;
    if (!(skip & (1u << NETMETRICS_PART_ADDRESSES)))
        st = ops->collect_addresses(state, snap, &aerr);
    t2 = nm_monotonic_ns();
    snap->part_status[NETMETRICS_PART_ADDRESSES] = st;
    snap->part_seconds[NETMETRICS_PART_ADDRESSES] = (double)(t2 - t1) / 1e9;
    if (skip & (1u << NETMETRICS_PART_ADDRESSES)) {
        skip_part(snap, NETMETRICS_PART_ADDRESSES);
    } else if (st != NETMETRICS_OK) {
        nm_error_prefix(&aerr, ops->name);
        memcpy(snap->part_error[NETMETRICS_PART_ADDRESSES], aerr.message, sizeof aerr.message);
        snap->addr_count = 0;
    }
    /* Wireless, like addresses, costs only its own series when it fails. */
    nm_error_clear(&werr);
    st = extras && !(skip & (1u << NETMETRICS_PART_WIRELESS))
             ? nm_extras_wireless(extras, snap, &werr)
             : NETMETRICS_OK;
    t3 = nm_monotonic_ns();
    snap->part_status[NETMETRICS_PART_WIRELESS] = st;
    snap->part_seconds[NETMETRICS_PART_WIRELESS] = (double)(t3 - t2) / 1e9;
    if (skip & (1u << NETMETRICS_PART_WIRELESS))
        skip_part(snap, NETMETRICS_PART_WIRELESS);
    else if (st != NETMETRICS_OK)
        memcpy(snap->part_error[NETMETRICS_PART_WIRELESS], werr.message, sizeof werr.message);
    if (nm_snapshot_finish(snap) < 0) {
        snap->count = 0;
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    return NETMETRICS_OK;
}

netmetrics_status netmetrics_collector_collect(netmetrics_collector *c, netmetrics_snapshot *snap,
                                               netmetrics_error *err)
{
    netmetrics_error ferr;
    netmetrics_status st;

    if (!c || !snap)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "collector or snapshot missing");
    st = collect_with(c->ops, c->state, c->extras, c->skip_parts, snap, err);
    if (st == NETMETRICS_OK || !c->fallback || st == NETMETRICS_ERR_NO_MEMORY)
        return st;

    /* AUTO: netlink opened but this dump failed; try procfs for this one. */
    if (!c->fallback_open) {
        if (open_backend(c->fallback, &c->fallback_state, &c->roots, &ferr) != NETMETRICS_OK)
            return st;
        c->fallback_open = 1;
    }
    if (collect_with(c->fallback, c->fallback_state, c->extras, c->skip_parts, snap, &ferr) !=
        NETMETRICS_OK)
        return st;
    nm_error_clear(err);
    return NETMETRICS_OK;
}

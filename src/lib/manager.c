/* SPDX-License-Identifier: MIT */
/* The manager (the seed's NetworkManager), its immutable views and the
 * monitor thread. An update collects into a fresh snapshot with only the
 * update mutex held, builds a complete view beside the published one, and
 * publishes it with a pointer swap under a second, short-held mutex; so a
 * reader either sees the whole old view or the whole new one and never
 * waits for the kernel. Views are reference-counted and never modified once
 * published. Nothing here may touch a view after publishing it, except its
 * reference count. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmerror.h"
#include "rates.h"
#include "snapshot.h"

_Static_assert(NETMETRICS_IFNAME_SIZE == NM_IFNAME_SIZE, "public and internal name sizes differ");


struct netmetrics_iface {
    const struct netmetrics_view *view;
    const struct netmetrics_interface *raw; /* in view->snap */
    const nm_rates *rates;                  /* in view->rates */
    netmetrics_interface_type type;
    int is_active;
    char mac[NM_HWADDR_MAX * 3]; /* "" when there is none */
};

struct netmetrics_view {
    atomic_size_t refs;
    netmetrics_snapshot *snap;
    struct netmetrics_iface *ifaces; /* snap->count of them */
    nm_rates *rates;
    size_t cap;                      /* of ifaces and rates */
    uint64_t interval_ns;            /* 0: no previous sample to compare with */
    double total_down, total_up;     /* meaningful when interval_ns != 0 */
};

struct netmetrics_manager {
    /* Serializes updates: the collector, `spare` and the baseline (the
     * current view's snapshot) are only touched with it held. */
    pthread_mutex_t update_lock;
    /* Guards the `current` pointer only; held for a few instructions. */
    pthread_mutex_t view_lock;
    netmetrics_collector *collector;
    nm_snapshot_source source; /* tests: used when collector is NULL */
    void *source_ctx;
    netmetrics_view *current;  /* NULL before the first update */
    netmetrics_view *spare;    /* an unreferenced view kept for reuse */
};

struct netmetrics_monitor {
    netmetrics_manager *m;
    uint64_t interval_ns;
    netmetrics_monitor_callback callback;
    void *user;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
};

/* ------------------------------------------------------------- naming -- */

const char *netmetrics_interface_type_string(netmetrics_interface_type type)
{
    switch (type) {
    case NETMETRICS_IFTYPE_ETHERNET: return "Ethernet";
    case NETMETRICS_IFTYPE_WIFI: return "WiFi";
    case NETMETRICS_IFTYPE_LOOPBACK: return "Loopback";
    case NETMETRICS_IFTYPE_VIRTUAL: return "Virtual";
    case NETMETRICS_IFTYPE_CELLULAR: return "Cellular";
    case NETMETRICS_IFTYPE_OTHER: return "Other";
    }
    return "Other";
}

/* The one classification entry point: the totals rule in rates.c (shared
 * with the exporter) classifies through it too. The type itself was set
 * when the snapshot was finished (classify.c), so the manager, the
 * exporter and the CLI all report the same value. */
netmetrics_interface_type nm_interface_type(const struct netmetrics_interface *raw)
{
    return netmetrics_interface_type_get(raw);
}

/* -------------------------------------------------------------- views -- */

static netmetrics_view *view_new(void)
{
    netmetrics_view *v = calloc(1, sizeof *v);

    if (!v)
        return NULL;
    v->snap = netmetrics_snapshot_new();
    if (!v->snap) {
        free(v);
        return NULL;
    }
    atomic_init(&v->refs, 0);
    return v;
}

static void view_free(netmetrics_view *v)
{
    if (!v)
        return;
    netmetrics_snapshot_free(v->snap);
    free(v->ifaces);
    free(v->rates);
    free(v);
}

/* Drops one reference; 1 when it was the last (the caller owns v then). */
static int view_unref(netmetrics_view *v)
{
    return atomic_fetch_sub_explicit(&v->refs, 1, memory_order_acq_rel) == 1;
}

netmetrics_view *netmetrics_view_retain(netmetrics_view *v)
{
    if (v)
        atomic_fetch_add_explicit(&v->refs, 1, memory_order_relaxed);
    return v;
}

void netmetrics_view_release(netmetrics_view *v)
{
    if (v && view_unref(v))
        view_free(v);
}

static int all_zero(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Fills v's interfaces, rates and totals from v->snap against prev (NULL
 * for the first sample). Fails only when out of memory. */
static int view_build(netmetrics_view *v, const netmetrics_snapshot *prev)
{
    const netmetrics_snapshot *cur = v->snap;
    size_t i, n = cur->count;

    if (n > v->cap) {
        struct netmetrics_iface *ni;
        nm_rates *nr;

        /* two arrays, grown one after the other: keep whichever succeeded */
        ni = realloc(v->ifaces, n * sizeof *ni);
        if (!ni)
            return -1;
        v->ifaces = ni;
        nr = realloc(v->rates, n * sizeof *nr);
        if (!nr)
            return -1;
        v->rates = nr;
        v->cap = n;
    }
    nm_snapshot_rates(prev, cur, v->rates);
    v->interval_ns = prev && cur->time_ns > prev->time_ns ? cur->time_ns - prev->time_ns : 0;
    /* the totals rule lives in rates.c, shared with the exporter */
    nm_rates_totals(cur, v->rates, &v->total_down, &v->total_up);
    for (i = 0; i < n; i++) {
        struct netmetrics_iface *it = &v->ifaces[i];
        const struct netmetrics_interface *raw = &cur->ifaces[i];

        it->view = v;
        it->raw = raw;
        it->rates = &v->rates[i];
        it->type = nm_interface_type(raw);
        it->is_active = (raw->flags & (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING)) ==
                        (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING);
        it->mac[0] = '\0';
        if (raw->hwaddr_len && !all_zero(raw->hwaddr, raw->hwaddr_len))
            netmetrics_interface_hwaddr_string(raw, it->mac, sizeof it->mac);
    }
    return 0;
}

const netmetrics_snapshot *netmetrics_view_snapshot(const netmetrics_view *v)
{
    return v ? v->snap : NULL;
}

netmetrics_status netmetrics_view_interval(const netmetrics_view *v, double *seconds)
{
    if (seconds)
        *seconds = 0.0;
    if (!v || !v->interval_ns)
        return NETMETRICS_ERR_NOT_AVAILABLE;
    if (seconds)
        *seconds = (double)v->interval_ns / 1e9;
    return NETMETRICS_OK;
}

size_t netmetrics_view_interface_count(const netmetrics_view *v)
{
    return v ? v->snap->count : 0;
}

const netmetrics_iface *netmetrics_view_interface(const netmetrics_view *v, size_t i)
{
    if (!v || i >= v->snap->count)
        return NULL;
    return &v->ifaces[i];
}

const netmetrics_iface *netmetrics_view_get_interface(const netmetrics_view *v, const char *name)
{
    const netmetrics_interface *raw;

    if (!v)
        return NULL;
    raw = netmetrics_snapshot_find(v->snap, name);
    return raw ? &v->ifaces[raw - v->snap->ifaces] : NULL;
}

size_t netmetrics_view_active_interfaces(const netmetrics_view *v, const netmetrics_iface **out,
                                         size_t max)
{
    size_t i, found = 0;

    if (!v)
        return 0;
    for (i = 0; i < v->snap->count; i++) {
        if (!v->ifaces[i].is_active)
            continue;
        if (out && found < max)
            out[found] = &v->ifaces[i];
        found++;
    }
    return found;
}

netmetrics_status netmetrics_view_throughput(const netmetrics_view *v, double *download,
                                             double *upload)
{
    int ok = v && v->interval_ns;

    if (download)
        *download = ok ? v->total_down : 0.0;
    if (upload)
        *upload = ok ? v->total_up : 0.0;
    return ok ? NETMETRICS_OK : NETMETRICS_ERR_NOT_AVAILABLE;
}

netmetrics_status netmetrics_view_total_download_speed(const netmetrics_view *v, double *out)
{
    return netmetrics_view_throughput(v, out, NULL);
}

netmetrics_status netmetrics_view_total_upload_speed(const netmetrics_view *v, double *out)
{
    return netmetrics_view_throughput(v, NULL, out);
}

/* ------------------------------------------------------------ manager -- */

static netmetrics_status manager_alloc(netmetrics_manager **out, netmetrics_error *err)
{
    netmetrics_manager *m;

    /* Failures return their code as a constant, not nm_error_set's result,
     * so it is plain (to readers and to the static analyzer) that
     * NETMETRICS_OK comes only with *out set. */
    m = calloc(1, sizeof *m);
    if (!m) {
        nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
        return NETMETRICS_ERR_NO_MEMORY;
    }
    if (pthread_mutex_init(&m->update_lock, NULL) != 0) {
        free(m);
        nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "cannot create a mutex");
        return NETMETRICS_ERR_SYSTEM;
    }
    if (pthread_mutex_init(&m->view_lock, NULL) != 0) {
        pthread_mutex_destroy(&m->update_lock);
        free(m);
        nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "cannot create a mutex");
        return NETMETRICS_ERR_SYSTEM;
    }
    *out = m;
    return NETMETRICS_OK;
}

netmetrics_status netmetrics_manager_new(const netmetrics_collector_options *opts,
                                         netmetrics_manager **out, netmetrics_error *err)
{
    netmetrics_collector *c;
    netmetrics_status st;

    if (!out)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no place for the manager");
    *out = NULL;
    st = netmetrics_collector_new(opts, &c, err);
    if (st != NETMETRICS_OK)
        return st;
    st = manager_alloc(out, err);
    if (st != NETMETRICS_OK) {
        netmetrics_collector_free(c);
        return st;
    }
    (*out)->collector = c;
    return NETMETRICS_OK;
}

netmetrics_status nm_manager_new_with_source(nm_snapshot_source source, void *ctx,
                                             netmetrics_manager **out, netmetrics_error *err)
{
    netmetrics_status st;

    if (!out || !source)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0,
                            "no source or no place for the manager");
    *out = NULL;
    st = manager_alloc(out, err);
    if (st != NETMETRICS_OK)
        return st;
    (*out)->source = source;
    (*out)->source_ctx = ctx;
    return NETMETRICS_OK;
}

void netmetrics_manager_free(netmetrics_manager *m)
{
    if (!m)
        return;
    netmetrics_view_release(m->current);
    view_free(m->spare);
    netmetrics_collector_free(m->collector);
    pthread_mutex_destroy(&m->view_lock);
    pthread_mutex_destroy(&m->update_lock);
    free(m);
}

/* One update; on success *published (when not NULL) gets a reference to
 * the view this update published, which the monitor hands its callback. */
static netmetrics_status manager_update(netmetrics_manager *m, netmetrics_error *err,
                                        netmetrics_view **published)
{
    netmetrics_view *v, *prev;
    netmetrics_status st;

    if (published)
        *published = NULL;
    if (!m)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no manager");
    pthread_mutex_lock(&m->update_lock);
    v = m->spare;
    m->spare = NULL;
    if (!v)
        v = view_new();
    if (!v) {
        pthread_mutex_unlock(&m->update_lock);
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    }
    if (m->collector) {
        st = netmetrics_collector_collect(m->collector, v->snap, err);
    } else {
        nm_snapshot_reset(v->snap);
        st = m->source(m->source_ctx, v->snap, err);
    }
    /* Only updaters replace `current`, and we are the only updater now:
     * reading it without view_lock is safe, and it stays alive. */
    prev = m->current;
    if (st == NETMETRICS_OK && view_build(v, prev ? prev->snap : NULL) < 0)
        st = nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    if (st != NETMETRICS_OK) {
        m->spare = v; /* the baseline and the published view stay */
        pthread_mutex_unlock(&m->update_lock);
        return st;
    }
    atomic_store_explicit(&v->refs, published ? 2 : 1, memory_order_relaxed);
    pthread_mutex_lock(&m->view_lock);
    m->current = v;
    pthread_mutex_unlock(&m->view_lock);
    if (published)
        *published = v;
    /* A reader may still hold the old view; then it frees it on release. */
    if (prev && view_unref(prev)) {
        if (!m->spare)
            m->spare = prev;
        else
            view_free(prev);
    }
    pthread_mutex_unlock(&m->update_lock);
    return NETMETRICS_OK;
}

netmetrics_status netmetrics_manager_update(netmetrics_manager *m, netmetrics_error *err)
{
    return manager_update(m, err, NULL);
}

netmetrics_view *netmetrics_manager_view(netmetrics_manager *m)
{
    netmetrics_view *v;

    if (!m)
        return NULL;
    pthread_mutex_lock(&m->view_lock);
    v = netmetrics_view_retain(m->current);
    pthread_mutex_unlock(&m->view_lock);
    return v;
}

/* The seed-shaped accessors work on the current view under view_lock, so
 * the lookup itself never races a release; the pointers they return are
 * documented to live until the next update. */
size_t netmetrics_manager_interface_count(netmetrics_manager *m)
{
    size_t n;

    if (!m)
        return 0;
    pthread_mutex_lock(&m->view_lock);
    n = netmetrics_view_interface_count(m->current);
    pthread_mutex_unlock(&m->view_lock);
    return n;
}

const netmetrics_iface *netmetrics_manager_interface(netmetrics_manager *m, size_t i)
{
    const netmetrics_iface *it;

    if (!m)
        return NULL;
    pthread_mutex_lock(&m->view_lock);
    it = netmetrics_view_interface(m->current, i);
    pthread_mutex_unlock(&m->view_lock);
    return it;
}

const netmetrics_iface *netmetrics_manager_get_interface(netmetrics_manager *m, const char *name)
{
    const netmetrics_iface *it;

    if (!m)
        return NULL;
    pthread_mutex_lock(&m->view_lock);
    it = netmetrics_view_get_interface(m->current, name);
    pthread_mutex_unlock(&m->view_lock);
    return it;
}

size_t netmetrics_manager_active_interfaces(netmetrics_manager *m, const netmetrics_iface **out,
                                            size_t max)
{
    size_t n;

    if (!m)
        return 0;
    pthread_mutex_lock(&m->view_lock);
    n = netmetrics_view_active_interfaces(m->current, out, max);
    pthread_mutex_unlock(&m->view_lock);
    return n;
}

netmetrics_status netmetrics_manager_throughput(netmetrics_manager *m, double *download,
                                                double *upload)
{
    netmetrics_status st;

    if (!m)
        return netmetrics_view_throughput(NULL, download, upload);
    /* Both totals under the lock, so they come from the same view even if
     * an update publishes meanwhile. */
    pthread_mutex_lock(&m->view_lock);
    st = netmetrics_view_throughput(m->current, download, upload);
    pthread_mutex_unlock(&m->view_lock);
    return st;
}

netmetrics_status netmetrics_manager_total_download_speed(netmetrics_manager *m, double *out)
{
    return netmetrics_manager_throughput(m, out, NULL);
}

netmetrics_status netmetrics_manager_total_upload_speed(netmetrics_manager *m, double *out)
{
    return netmetrics_manager_throughput(m, NULL, out);
}

netmetrics_status netmetrics_manager_interface_sample(netmetrics_manager *m, const char *name,
                                                      netmetrics_iface_sample *out,
                                                      netmetrics_error *err)
{
    netmetrics_view *v;
    const netmetrics_iface *it;

    if (!m || !name || !out)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "manager, name or output missing");
    v = netmetrics_manager_view(m);
    if (!v)
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "no sample taken yet");
    it = netmetrics_view_get_interface(v, name);
    if (it)
        netmetrics_iface_sample_get(it, out);
    netmetrics_view_release(v);
    if (!it)
        return nm_error_set(err, NETMETRICS_ERR_NOT_AVAILABLE, 0, "no interface named \"%.*s\"",
                            NM_IFNAME_SIZE, name);
    return NETMETRICS_OK;
}

/* ---------------------------------------------------------- interface -- */

const char *netmetrics_iface_name(const netmetrics_iface *iface)
{
    return iface->raw->name;
}

int netmetrics_iface_index(const netmetrics_iface *iface)
{
    return iface->raw->ifindex;
}

netmetrics_interface_type netmetrics_iface_type(const netmetrics_iface *iface)
{
    return iface->type;
}

int netmetrics_iface_is_active(const netmetrics_iface *iface)
{
    return iface->is_active;
}

const char *netmetrics_iface_mac_address(const netmetrics_iface *iface)
{
    return iface->mac[0] ? iface->mac : NULL;
}

size_t netmetrics_iface_address_count(const netmetrics_iface *iface)
{
    return iface->raw->addr_count;
}

const netmetrics_address *netmetrics_iface_address(const netmetrics_iface *iface, size_t i)
{
    return netmetrics_interface_address(iface->raw, i);
}

const netmetrics_interface *netmetrics_iface_interface(const netmetrics_iface *iface)
{
    return iface->raw;
}

static uint64_t stat_or_zero(const netmetrics_iface *iface, netmetrics_stat stat)
{
    uint64_t v;

    netmetrics_interface_stat(iface->raw, stat, &v);
    return v;
}

uint64_t netmetrics_iface_bytes_received(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_RX_BYTES);
}

uint64_t netmetrics_iface_bytes_sent(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_TX_BYTES);
}

uint64_t netmetrics_iface_packets_received(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_RX_PACKETS);
}

uint64_t netmetrics_iface_packets_sent(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_TX_PACKETS);
}

uint64_t netmetrics_iface_receive_errors(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_RX_ERRORS);
}

uint64_t netmetrics_iface_send_errors(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_TX_ERRORS);
}

uint64_t netmetrics_iface_collisions(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_COLLISIONS);
}

uint64_t netmetrics_iface_receive_drops(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_RX_DROPPED);
}

uint64_t netmetrics_iface_send_drops(const netmetrics_iface *iface)
{
    return stat_or_zero(iface, NETMETRICS_STAT_TX_DROPPED);
}

static netmetrics_status rate_of(const netmetrics_iface *iface, nm_rate_kind kind, double *out)
{
    int ok = (iface->rates->valid & (1u << kind)) != 0;

    if (out)
        *out = ok ? iface->rates->value[kind] : 0.0;
    return ok ? NETMETRICS_OK : NETMETRICS_ERR_NOT_AVAILABLE;
}

netmetrics_status netmetrics_iface_download_speed(const netmetrics_iface *iface, double *out)
{
    return rate_of(iface, NM_RATE_RX_BYTES, out);
}

netmetrics_status netmetrics_iface_upload_speed(const netmetrics_iface *iface, double *out)
{
    return rate_of(iface, NM_RATE_TX_BYTES, out);
}

netmetrics_status netmetrics_iface_packet_receive_rate(const netmetrics_iface *iface, double *out)
{
    return rate_of(iface, NM_RATE_RX_PACKETS, out);
}

netmetrics_status netmetrics_iface_packet_send_rate(const netmetrics_iface *iface, double *out)
{
    return rate_of(iface, NM_RATE_TX_PACKETS, out);
}

int netmetrics_iface_is_loopback(const netmetrics_iface *iface)
{
    return (iface->raw->flags & NETMETRICS_FLAG_LOOPBACK) != 0;
}

int netmetrics_iface_is_wireless(const netmetrics_iface *iface)
{
    return iface->type == NETMETRICS_IFTYPE_WIFI;
}

int netmetrics_iface_supports_broadcast(const netmetrics_iface *iface)
{
    return (iface->raw->flags & NETMETRICS_FLAG_BROADCAST) != 0;
}

int netmetrics_iface_supports_multicast(const netmetrics_iface *iface)
{
    return (iface->raw->flags & NETMETRICS_FLAG_MULTICAST) != 0;
}

int netmetrics_iface_is_point_to_point(const netmetrics_iface *iface)
{
    return (iface->raw->flags & NETMETRICS_FLAG_POINTOPOINT) != 0;
}

netmetrics_status netmetrics_iface_signal_strength(const netmetrics_iface *iface, int *dbm)
{
    netmetrics_wireless w;

    if (netmetrics_interface_wireless(iface->raw, &w) != NETMETRICS_OK ||
        !(w.valid & NETMETRICS_WIRELESS_SIGNAL)) {
        if (dbm)
            *dbm = 0;
        return NETMETRICS_ERR_NOT_AVAILABLE;
    }
    if (dbm)
        *dbm = w.signal_dbm;
    return NETMETRICS_OK;
}

void netmetrics_iface_sample_get(const netmetrics_iface *iface, netmetrics_iface_sample *out)
{
    static const struct {
        nm_rate_kind kind;
        unsigned bit;
    } map[NM_RATE_COUNT] = {
        {NM_RATE_RX_BYTES, NETMETRICS_RATE_DOWNLOAD},
        {NM_RATE_TX_BYTES, NETMETRICS_RATE_UPLOAD},
        {NM_RATE_RX_PACKETS, NETMETRICS_RATE_PACKET_RECEIVE},
        {NM_RATE_TX_PACKETS, NETMETRICS_RATE_PACKET_SEND},
    };
    double *const rate_out[NM_RATE_COUNT] = {
        &out->download_speed, &out->upload_speed, &out->packet_receive_rate,
        &out->packet_send_rate,
    };
    int k;

    memset(out, 0, sizeof *out);
    memcpy(out->name, iface->raw->name, sizeof out->name);
    out->name[sizeof out->name - 1] = '\0';
    out->ifindex = iface->raw->ifindex;
    out->type = iface->type;
    out->flags = iface->raw->flags;
    out->is_active = iface->is_active;
    out->time_ns = iface->view->snap->time_ns;
    out->bytes_received = netmetrics_iface_bytes_received(iface);
    out->bytes_sent = netmetrics_iface_bytes_sent(iface);
    out->packets_received = netmetrics_iface_packets_received(iface);
    out->packets_sent = netmetrics_iface_packets_sent(iface);
    out->receive_errors = netmetrics_iface_receive_errors(iface);
    out->send_errors = netmetrics_iface_send_errors(iface);
    out->collisions = netmetrics_iface_collisions(iface);
    out->receive_drops = netmetrics_iface_receive_drops(iface);
    out->send_drops = netmetrics_iface_send_drops(iface);
    for (k = 0; k < NM_RATE_COUNT; k++) {
        if (rate_of(iface, map[k].kind, rate_out[k]) == NETMETRICS_OK)
            out->rates_valid |= map[k].bit;
    }
}

/* ------------------------------------------------------------ monitor -- */

/* Deadlines are on CLOCK_MONOTONIC so that setting the wall clock neither
 * stalls nor races the monitor. macOS has no pthread_condattr_setclock;
 * there the wait falls back to the realtime clock, converted per wait. */
static int monitor_cond_init(pthread_cond_t *cond)
{
#if defined(__APPLE__)
    return pthread_cond_init(cond, NULL);
#else
    pthread_condattr_t attr;
    int rc;

    if (pthread_condattr_init(&attr) != 0)
        return -1;
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
    return rc;
#endif
}

/* Waits on mon->wake until the monotonic time `deadline_ns` (or a wake-up). */
static void monitor_wait_until(netmetrics_monitor *mon, uint64_t deadline_ns)
{
    struct timespec ts;
    uint64_t t = deadline_ns;

#if defined(__APPLE__)
    {
        uint64_t now = nm_monotonic_ns(), left = deadline_ns > now ? deadline_ns - now : 0;

        clock_gettime(CLOCK_REALTIME, &ts);
        t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + left;
    }
#endif
    ts.tv_sec = (time_t)(t / 1000000000u);
    ts.tv_nsec = (long)(t % 1000000000u);
    pthread_cond_timedwait(&mon->wake, &mon->lock, &ts);
}

static void *monitor_main(void *arg)
{
    netmetrics_monitor *mon = arg;
    uint64_t deadline = nm_monotonic_ns() + mon->interval_ns;

    pthread_mutex_lock(&mon->lock);
    while (!mon->stop) {
        netmetrics_error err;
        netmetrics_view *v;
        uint64_t now = nm_monotonic_ns();

        if (now < deadline) {
            monitor_wait_until(mon, deadline);
            continue; /* re-check stop and the time: wake-ups can be spurious */
        }
        pthread_mutex_unlock(&mon->lock);
        nm_error_clear(&err);
        if (manager_update(mon->m, &err, &v) == NETMETRICS_OK) {
            mon->callback(v, NULL, mon->user);
            netmetrics_view_release(v);
        } else {
            mon->callback(NULL, &err, mon->user);
        }
        /* Keep the cadence; after a stall, skip the missed ticks rather
         * than sampling in a burst. */
        deadline += mon->interval_ns;
        now = nm_monotonic_ns();
        if (deadline <= now)
            deadline = now + mon->interval_ns;
        pthread_mutex_lock(&mon->lock);
    }
    pthread_mutex_unlock(&mon->lock);
    return NULL;
}

netmetrics_status netmetrics_monitor_start(netmetrics_manager *m, unsigned interval_ms,
                                           netmetrics_monitor_callback callback, void *user,
                                           netmetrics_monitor **out, netmetrics_error *err)
{
    netmetrics_monitor *mon;
    int rc;

    if (!out)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no place for the monitor");
    *out = NULL;
    if (!m || !callback || interval_ms == 0)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0,
                            "monitor needs a manager, a callback and an interval above 0 ms");
    mon = calloc(1, sizeof *mon);
    if (!mon)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "out of memory");
    mon->m = m;
    mon->interval_ns = (uint64_t)interval_ms * 1000000u;
    mon->callback = callback;
    mon->user = user;
    if (pthread_mutex_init(&mon->lock, NULL) != 0) {
        free(mon);
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "cannot create a mutex");
    }
    if (monitor_cond_init(&mon->wake) != 0) {
        pthread_mutex_destroy(&mon->lock);
        free(mon);
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "cannot create a condition variable");
    }
    rc = pthread_create(&mon->thread, NULL, monitor_main, mon);
    if (rc != 0) {
        pthread_cond_destroy(&mon->wake);
        pthread_mutex_destroy(&mon->lock);
        free(mon);
        return nm_error_errno(err, rc, "cannot start the monitor thread");
    }
    *out = mon;
    return NETMETRICS_OK;
}

void netmetrics_monitor_stop(netmetrics_monitor *mon)
{
    if (!mon)
        return;
    pthread_mutex_lock(&mon->lock);
    mon->stop = 1;
    pthread_cond_signal(&mon->wake);
    pthread_mutex_unlock(&mon->lock);
    pthread_join(mon->thread, NULL);
    pthread_cond_destroy(&mon->wake);
    pthread_mutex_destroy(&mon->lock);
    free(mon);
}

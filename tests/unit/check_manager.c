/* SPDX-License-Identifier: MIT */
/* Unit tests of speeds and the manager API: the rate rules on plain
 * numbers, the ifindex merge on hand-built snapshots, the manager driven by
 * a scripted snapshot source (totals, accessors, failures, lifetimes), the
 * real manager on this machine, and the locking under concurrent updates,
 * readers and a monitor. Threads never call ck_assert (a failed assertion
 * must happen on the test's own thread): they count problems, and the test
 * asserts the count. */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netmetrics.h"
#include "nmerror.h"
#include "rates.h"
#include "snapshot.h"

#define NS_PER_S 1000000000ull
#define ARPHRD_ETHER_ 1
#define ARPHRD_LOOPBACK_ 772
#define ARPHRD_PPP_ 512
#define ACTIVE (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING)

/* ----------------------------------------------------------- helpers -- */

static void sleep_ms(unsigned ms)
{
    struct timespec ts;

    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* An Ethernet interface, up and running, with the four rate counters set
 * (packets = bytes / 100). Adjust the returned pointer before the next add. */
static struct netmetrics_interface *put_if(netmetrics_snapshot *s, int ifindex, const char *name,
                                           uint64_t rx_bytes, uint64_t tx_bytes)
{
    struct netmetrics_interface *i = nm_snapshot_add_interface(s);

    ck_assert_ptr_nonnull(i);
    i->ifindex = ifindex;
    snprintf(i->name, sizeof i->name, "%s", name);
    i->flags = ACTIVE;
    i->link_type = ARPHRD_ETHER_;
    i->stats[NETMETRICS_STAT_RX_BYTES] = rx_bytes;
    i->stats[NETMETRICS_STAT_TX_BYTES] = tx_bytes;
    i->stats[NETMETRICS_STAT_RX_PACKETS] = rx_bytes / 100;
    i->stats[NETMETRICS_STAT_TX_PACKETS] = tx_bytes / 100;
    i->stats_valid = (1u << NETMETRICS_STAT_RX_BYTES) | (1u << NETMETRICS_STAT_TX_BYTES) |
                     (1u << NETMETRICS_STAT_RX_PACKETS) | (1u << NETMETRICS_STAT_TX_PACKETS);
    return i;
}

static netmetrics_snapshot *snap_at(uint64_t time_ns)
{
    netmetrics_snapshot *s = netmetrics_snapshot_new();

    ck_assert_ptr_nonnull(s);
    s->time_ns = time_ns;
    return s;
}

static void finish(netmetrics_snapshot *s)
{
    ck_assert_int_eq(nm_snapshot_finish(s), 0);
}

/* A scripted snapshot source: build() fills the snapshot of each call;
 * sample k is taken at (k + 1) seconds; call fail_at fails. */
typedef struct script {
    void (*build)(netmetrics_snapshot *snap, unsigned step);
    unsigned calls;
    unsigned fail_at;
} script;

static netmetrics_status script_source(void *ctx, netmetrics_snapshot *snap, netmetrics_error *err)
{
    script *sc = ctx;
    unsigned step = sc->calls++;

    if (step == sc->fail_at)
        return nm_error_set(err, NETMETRICS_ERR_SYSTEM, 0, "injected failure at step %u", step);
    snap->backend = "script";
    snap->time_ns = (uint64_t)(step + 1) * NS_PER_S;
    sc->build(snap, step);
    snap->part_status[NETMETRICS_PART_LINKS] = NETMETRICS_OK;
    snap->part_status[NETMETRICS_PART_ADDRESSES] = NETMETRICS_OK;
    return nm_snapshot_finish(snap) == 0 ? NETMETRICS_OK : NETMETRICS_ERR_NO_MEMORY;
}

static netmetrics_manager *scripted_manager(script *sc,
                                            void (*build)(netmetrics_snapshot *, unsigned))
{
    netmetrics_manager *m = NULL;
    netmetrics_error err;

    sc->build = build;
    sc->calls = 0;
    sc->fail_at = (unsigned)-1;
    ck_assert_int_eq(nm_manager_new_with_source(script_source, sc, &m, &err), NETMETRICS_OK);
    return m;
}

static void update_ok(netmetrics_manager *m)
{
    netmetrics_error err;
    netmetrics_status st = netmetrics_manager_update(m, &err);

    ck_assert_msg(st == NETMETRICS_OK, "update: %s", err.message);
}

static double speed_down(const netmetrics_iface *i, netmetrics_status expect)
{
    double v = -1.0;

    ck_assert_ptr_nonnull(i);
    ck_assert_int_eq(netmetrics_iface_download_speed(i, &v), expect);
    return v;
}

/* ------------------------------------------------- rates: one counter -- */

START_TEST(test_delta_64bit)
{
    uint64_t d = 99;

    ck_assert_int_eq(nm_counter_delta(100, 250, 0, &d), NM_DELTA_OK);
    ck_assert_uint_eq(d, 150);
    ck_assert_int_eq(nm_counter_delta(250, 250, 0, &d), NM_DELTA_OK);
    ck_assert_uint_eq(d, 0);
}
END_TEST

START_TEST(test_rate_basic_and_interval_zero)
{
    double r = -1.0;

    ck_assert_int_eq(nm_counter_rate(1000, 2000, NS_PER_S / 2, 0, &r), NETMETRICS_OK);
    ck_assert_double_eq(r, 2000.0);
    /* interval zero: no rate, never a division by zero */
    r = -1.0;
    ck_assert_int_eq(nm_counter_rate(1000, 2000, 0, 0, &r), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_double_eq(r, 0.0);
    ck_assert_int_eq(nm_counter_rate(0, 0, 0, 1, &r), NETMETRICS_ERR_NOT_AVAILABLE);
}
END_TEST

START_TEST(test_64bit_reset_is_not_negative)
{
    uint64_t d = 99;
    double r = -1.0;

    ck_assert_int_eq(nm_counter_delta(1000, 10, 0, &d), NM_DELTA_RESET);
    ck_assert_uint_eq(d, 0);
    ck_assert_int_eq(nm_counter_rate(1000, 10, NS_PER_S, 0, &r), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_double_eq(r, 0.0);
    /* a 64-bit counter "wrapping" would take 2^64 bytes: it is a reset */
    ck_assert_int_eq(nm_counter_delta(UINT64_MAX - 10, 5, 0, &d), NM_DELTA_RESET);
}
END_TEST

START_TEST(test_32bit_wrap)
{
    uint64_t d = 0;
    double r = 0.0;

    ck_assert_int_eq(nm_counter_delta(0xFFFFFF00u, 0x100u, 1, &d), NM_DELTA_WRAPPED);
    ck_assert_uint_eq(d, 0x200);
    ck_assert_int_eq(nm_counter_rate(0xFFFFFF00u, 0x100u, NS_PER_S, 1, &r), NETMETRICS_OK);
    ck_assert_double_eq(r, 512.0);
    /* the extreme: from the top to zero is one step */
    ck_assert_int_eq(nm_counter_delta(0xFFFFFFFFu, 0, 1, &d), NM_DELTA_WRAPPED);
    ck_assert_uint_eq(d, 1);
    /* increasing normally near the top */
    ck_assert_int_eq(nm_counter_delta(0xFFFFFFF0u, 0xFFFFFFFFu, 1, &d), NM_DELTA_OK);
    ck_assert_uint_eq(d, 15);
    /* a reading at or above 2^32 cannot come from a 32-bit counter: reset */
    ck_assert_int_eq(nm_counter_delta(((uint64_t)1 << 32) + 5, 3, 1, &d), NM_DELTA_RESET);
    ck_assert_int_eq(nm_counter_delta(5, 3, 0, &d), NM_DELTA_RESET);
}
END_TEST

START_TEST(test_64bit_near_max_increasing)
{
    uint64_t d = 0;
    double r = 0.0;

    ck_assert_int_eq(nm_counter_delta(UINT64_MAX - 1000, UINT64_MAX - 10, 0, &d), NM_DELTA_OK);
    ck_assert_uint_eq(d, 990);
    ck_assert_int_eq(nm_counter_rate(UINT64_MAX - 1000, UINT64_MAX - 10, 2 * NS_PER_S, 0, &r),
                     NETMETRICS_OK);
    ck_assert_double_eq(r, 495.0);
    /* the largest possible delta is still a finite, positive rate */
    ck_assert_int_eq(nm_counter_rate(0, UINT64_MAX, 1, 0, &r), NETMETRICS_OK);
    ck_assert(r > 1e28);
}
END_TEST

/* ---------------------------------------------- rates: one interface -- */

START_TEST(test_iface_first_sample_and_interval_zero)
{
    netmetrics_snapshot *s = snap_at(NS_PER_S);
    struct netmetrics_interface *cur = put_if(s, 2, "eth0", 5000, 500);
    nm_rates r;

    nm_interface_rates(NULL, cur, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0);
    nm_interface_rates(cur, cur, 0, &r);
    ck_assert_uint_eq(r.valid, 0);
    nm_interface_rates(cur, cur, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0xF);
    ck_assert_double_eq(r.value[NM_RATE_RX_BYTES], 0.0);
    netmetrics_snapshot_free(s);
}
END_TEST

START_TEST(test_iface_rates_values)
{
    netmetrics_snapshot *a = snap_at(0), *b = snap_at(0);
    const struct netmetrics_interface *p = put_if(a, 2, "eth0", 1000, 100);
    const struct netmetrics_interface *c = put_if(b, 2, "eth0", 401000, 20100);
    nm_rates r;

    nm_interface_rates(p, c, 4 * NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0xF);
    ck_assert_double_eq(r.value[NM_RATE_RX_BYTES], 100000.0);
    ck_assert_double_eq(r.value[NM_RATE_TX_BYTES], 5000.0);
    ck_assert_double_eq(r.value[NM_RATE_RX_PACKETS], 1000.0);
    ck_assert_double_eq(r.value[NM_RATE_TX_PACKETS], 50.0);
    ck_assert_int_eq(nm_rate_stat(NM_RATE_TX_PACKETS), NETMETRICS_STAT_TX_PACKETS);
    ck_assert_int_eq(nm_rate_stat(NM_RATE_COUNT), NETMETRICS_STAT_COUNT);
    netmetrics_snapshot_free(a);
    netmetrics_snapshot_free(b);
}
END_TEST

START_TEST(test_iface_ifindex_changed_restarts)
{
    netmetrics_snapshot *a = snap_at(0), *b = snap_at(0), *c = snap_at(0);
    const struct netmetrics_interface *p = put_if(a, 5, "veth0", 1000, 1000);
    const struct netmetrics_interface *q = put_if(b, 9, "veth0", 900000, 900000);
    const struct netmetrics_interface *renamed = put_if(c, 5, "veth1", 2000, 2000);
    nm_rates r;

    /* same name, new ifindex: a new interface, however its counters look */
    nm_interface_rates(p, q, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0);
    /* same ifindex, another name: no baseline either */
    nm_interface_rates(p, renamed, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0);
    netmetrics_snapshot_free(a);
    netmetrics_snapshot_free(b);
    netmetrics_snapshot_free(c);
}
END_TEST

START_TEST(test_iface_reset_voids_interface_then_recovers)
{
    netmetrics_snapshot *a = snap_at(0), *b = snap_at(0), *c = snap_at(0);
    const struct netmetrics_interface *p = put_if(a, 2, "eth0", 100000, 100000);
    struct netmetrics_interface *q = put_if(b, 2, "eth0", 200000, 100000);
    const struct netmetrics_interface *n;
    nm_rates r;

    /* only the TX counters went down: a driver reset, RX is no baseline either */
    q->stats[NETMETRICS_STAT_TX_BYTES] = 50;
    q->stats[NETMETRICS_STAT_TX_PACKETS] = 0;
    nm_interface_rates(p, q, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0);
    ck_assert_double_eq(r.value[NM_RATE_RX_BYTES], 0.0);
    /* the next round measures from the reset sample */
    n = put_if(c, 2, "eth0", 201000, 1050);
    nm_interface_rates(q, n, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0xF);
    ck_assert_double_eq(r.value[NM_RATE_RX_BYTES], 1000.0);
    ck_assert_double_eq(r.value[NM_RATE_TX_BYTES], 1000.0);
    netmetrics_snapshot_free(a);
    netmetrics_snapshot_free(b);
    netmetrics_snapshot_free(c);
}
END_TEST

START_TEST(test_iface_32bit_wrap_and_width_change)
{
    netmetrics_snapshot *a = snap_at(0), *b = snap_at(0), *c = snap_at(0);
    struct netmetrics_interface *p = put_if(a, 4, "en0", 0xFFFFF000u, 1000);
    struct netmetrics_interface *q = put_if(b, 4, "en0", 0x1000u, 3000);
    struct netmetrics_interface *w = put_if(c, 4, "en0", 0x2000u, 4000);
    nm_rates r;

    p->counters_32bit = 1;
    q->counters_32bit = 1;
    nm_interface_rates(p, q, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0xF);
    ck_assert_double_eq(r.value[NM_RATE_RX_BYTES], 8192.0);
    ck_assert_double_eq(r.value[NM_RATE_TX_BYTES], 2000.0);
    /* the same numbers from a 64-bit backend are a reset */
    p->counters_32bit = 0;
    q->counters_32bit = 0;
    nm_interface_rates(p, q, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0);
    /* the backend changed width between samples: no common baseline */
    q->counters_32bit = 1;
    nm_interface_rates(q, w, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0);
    netmetrics_snapshot_free(a);
    netmetrics_snapshot_free(b);
    netmetrics_snapshot_free(c);
}
END_TEST

START_TEST(test_iface_missing_counter)
{
    netmetrics_snapshot *a = snap_at(0), *b = snap_at(0);
    struct netmetrics_interface *p = put_if(a, 2, "eth0", 1000, 1000);
    const struct netmetrics_interface *q = put_if(b, 2, "eth0", 3000, 2000);
    nm_rates r;

    p->stats_valid &= ~(1u << NETMETRICS_STAT_TX_PACKETS);
    nm_interface_rates(p, q, NS_PER_S, &r);
    ck_assert_uint_eq(r.valid, 0x7);
    ck_assert_double_eq(r.value[NM_RATE_TX_PACKETS], 0.0);
    ck_assert_double_eq(r.value[NM_RATE_RX_BYTES], 2000.0);
    netmetrics_snapshot_free(a);
    netmetrics_snapshot_free(b);
}
END_TEST

/* ------------------------------------------------ rates: two snapshots -- */

START_TEST(test_snapshot_merge_hand_built)
{
    netmetrics_snapshot *prev = snap_at(1 * NS_PER_S), *cur = snap_at(3 * NS_PER_S);
    nm_rates out[5];

    /* added out of order: finish sorts by ifindex */
    put_if(prev, 6, "docker0", 90000, 90000);
    put_if(prev, 1, "lo", 1000, 1000);
    put_if(prev, 3, "wlan0", 500, 500); /* re-created below as ifindex 8 */
    put_if(prev, 2, "eth0", 10000, 2000);
    finish(prev);

    put_if(cur, 8, "wlan0", 700, 700);  /* new ifindex: no baseline */
    put_if(cur, 2, "eth0", 30000, 2200);
    put_if(cur, 4, "usb0", 4000, 4000); /* appeared */
    put_if(cur, 1, "lo", 1000, 1400);
    put_if(cur, 6, "docker0", 10, 10);  /* reset */
    finish(cur);

    memset(out, 0xff, sizeof out);
    nm_snapshot_rates(prev, cur, out);
    /* cur order: 1 lo, 2 eth0, 4 usb0, 6 docker0, 8 wlan0; interval 2 s */
    ck_assert_uint_eq(out[0].valid, 0xF);
    ck_assert_double_eq(out[0].value[NM_RATE_RX_BYTES], 0.0);
    ck_assert_double_eq(out[0].value[NM_RATE_TX_BYTES], 200.0);
    ck_assert_uint_eq(out[1].valid, 0xF);
    ck_assert_double_eq(out[1].value[NM_RATE_RX_BYTES], 10000.0);
    ck_assert_double_eq(out[1].value[NM_RATE_TX_BYTES], 100.0);
    ck_assert_double_eq(out[1].value[NM_RATE_RX_PACKETS], 100.0);
    ck_assert_uint_eq(out[2].valid, 0);
    ck_assert_uint_eq(out[3].valid, 0);
    ck_assert_double_eq(out[3].value[NM_RATE_RX_BYTES], 0.0);
    ck_assert_uint_eq(out[4].valid, 0);

    /* first sample, and a clock that did not advance */
    nm_snapshot_rates(NULL, cur, out);
    ck_assert_uint_eq(out[1].valid, 0);
    nm_snapshot_rates(cur, prev, out);
    ck_assert_uint_eq(out[0].valid, 0);
    nm_snapshot_rates(cur, cur, out);
    ck_assert_uint_eq(out[1].valid, 0);
    netmetrics_snapshot_free(prev);
    netmetrics_snapshot_free(cur);
}
END_TEST

/* Many interfaces, half of them gone and half new: the merge pairs each
 * survivor (and only it) in one pass. */
START_TEST(test_snapshot_merge_large)
{
    enum { N = 20000 };
    netmetrics_snapshot *prev = snap_at(NS_PER_S), *cur = snap_at(2 * NS_PER_S);
    nm_rates *out = calloc(N, sizeof *out);
    char name[16];
    int i;

    ck_assert_ptr_nonnull(out);
    for (i = 1; i <= N; i++) {
        snprintf(name, sizeof name, "if%d", 2 * i);
        put_if(prev, 2 * i, name, (uint64_t)i, 0); /* even ifindexes */
        snprintf(name, sizeof name, "if%d", i + N / 2);
        put_if(cur, i + N / 2, name, (uint64_t)(i + N / 2) * 10, 0);
    }
    finish(prev);
    finish(cur);
    nm_snapshot_rates(prev, cur, out);
    for (i = 0; i < N; i++) {
        int ifindex = netmetrics_interface_index(netmetrics_snapshot_interface(cur, (size_t)i));
        int paired = ifindex % 2 == 0 && ifindex <= 2 * N;

        ck_assert_uint_eq(out[i].valid != 0, paired);
        if (paired)
            ck_assert_double_eq(out[i].value[NM_RATE_RX_BYTES],
                                (double)(ifindex * 10 - ifindex / 2));
    }
    free(out);
    netmetrics_snapshot_free(prev);
    netmetrics_snapshot_free(cur);
}
END_TEST

/* ----------------------------------------------- manager (scripted) -- */

/* Rates per second (counters are step * rate, samples one second apart):
 * lo 1000/1000, eth0 300/30, eth1 200/20 (up, not running), veth0 5000 and
 * br0 7000 (virtual), ppp0 11/1 (type Other). Totals: 511 down, 51 up. */
static void build_mixed(netmetrics_snapshot *s, unsigned step)
{
    static const unsigned char mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
    struct netmetrics_interface *i;
    netmetrics_address a;
    uint64_t k = step;

    i = put_if(s, 1, "lo", k * 1000, k * 1000);
    i->flags |= NETMETRICS_FLAG_LOOPBACK;
    i->link_type = ARPHRD_LOOPBACK_;
    i->hwaddr_len = 6; /* 00:00:00:00:00:00, as Linux reports it */

    i = put_if(s, 2, "eth0", k * 300, k * 30);
    i->flags |= NETMETRICS_FLAG_BROADCAST | NETMETRICS_FLAG_MULTICAST;
    memcpy(i->hwaddr, mac, sizeof mac);
    i->hwaddr_len = 6;
    i->stats[NETMETRICS_STAT_RX_ERRORS] = 3;
    i->stats[NETMETRICS_STAT_TX_ERRORS] = 4;
    i->stats[NETMETRICS_STAT_COLLISIONS] = 5;
    i->stats[NETMETRICS_STAT_RX_DROPPED] = 6;
    i->stats[NETMETRICS_STAT_TX_DROPPED] = 7;
    i->stats_valid |= (1u << NETMETRICS_STAT_RX_ERRORS) | (1u << NETMETRICS_STAT_TX_ERRORS) |
                      (1u << NETMETRICS_STAT_COLLISIONS) | (1u << NETMETRICS_STAT_RX_DROPPED) |
                      (1u << NETMETRICS_STAT_TX_DROPPED);

    i = put_if(s, 3, "eth1", k * 200, k * 20);
    i->flags = NETMETRICS_FLAG_UP;

    i = put_if(s, 4, "veth0", k * 5000, k * 5000);
    i->kind = "veth";
    i = put_if(s, 5, "br0", k * 7000, k * 7000);
    i->kind = "bridge";
    i = put_if(s, 6, "ppp0", k * 11, k * 1);
    i->link_type = ARPHRD_PPP_;
    i->flags |= NETMETRICS_FLAG_POINTOPOINT;

    memset(&a, 0, sizeof a);
    a.family = NETMETRICS_FAMILY_INET;
    a.prefix_length = 24;
    a.bytes[0] = 198;
    a.bytes[1] = 18;
    a.bytes[3] = 7;
    ck_assert_int_eq(nm_snapshot_add_address(s, 2, &a), 0);
}

START_TEST(test_manager_not_available_before_two_updates)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    netmetrics_iface_sample smp;
    netmetrics_error err;
    double d = -1.0, u = -1.0, secs = -1.0;
    netmetrics_view *v;

    ck_assert_uint_eq(netmetrics_manager_interface_count(m), 0);
    ck_assert_ptr_null(netmetrics_manager_interface(m, 0));
    ck_assert_ptr_null(netmetrics_manager_get_interface(m, "eth0"));
    ck_assert_ptr_null(netmetrics_manager_view(m));
    ck_assert_int_eq(netmetrics_manager_throughput(m, &d, &u), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(netmetrics_manager_interface_sample(m, "eth0", &smp, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);

    update_ok(m);
    ck_assert_uint_eq(netmetrics_manager_interface_count(m), 6);
    speed_down(netmetrics_manager_get_interface(m, "eth0"), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(netmetrics_manager_total_download_speed(m, &d), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_double_eq(d, 0.0);
    ck_assert_int_eq(netmetrics_manager_total_upload_speed(m, &u), NETMETRICS_ERR_NOT_AVAILABLE);
    v = netmetrics_manager_view(m);
    ck_assert_int_eq(netmetrics_view_interval(v, &secs), NETMETRICS_ERR_NOT_AVAILABLE);
    netmetrics_view_release(v);

    update_ok(m);
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "eth0"), NETMETRICS_OK),
                        300.0);
    ck_assert_int_eq(netmetrics_manager_total_download_speed(m, &d), NETMETRICS_OK);
    v = netmetrics_manager_view(m);
    ck_assert_int_eq(netmetrics_view_interval(v, &secs), NETMETRICS_OK);
    ck_assert_double_eq(secs, 1.0);
    ck_assert_str_eq(netmetrics_snapshot_backend(netmetrics_view_snapshot(v)), "script");
    netmetrics_view_release(v);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_manager_totals_exclude_loopback_and_virtual)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    double d = 0.0, u = 0.0;
    netmetrics_view *v;

    update_ok(m);
    update_ok(m);
    ck_assert_int_eq(netmetrics_manager_total_download_speed(m, &d), NETMETRICS_OK);
    ck_assert_double_eq(d, 511.0);
    ck_assert_int_eq(netmetrics_manager_total_upload_speed(m, &u), NETMETRICS_OK);
    ck_assert_double_eq(u, 51.0);
    d = u = 0.0;
    ck_assert_int_eq(netmetrics_manager_throughput(m, &d, &u), NETMETRICS_OK);
    ck_assert_double_eq(d, 511.0);
    ck_assert_double_eq(u, 51.0);

    /* the excluded ones do have speeds of their own */
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "lo"), NETMETRICS_OK),
                        1000.0);
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "veth0"), NETMETRICS_OK),
                        5000.0);
    ck_assert_int_eq(netmetrics_iface_type(netmetrics_manager_get_interface(m, "lo")),
                     NETMETRICS_IFTYPE_LOOPBACK);
    ck_assert_int_eq(netmetrics_iface_type(netmetrics_manager_get_interface(m, "veth0")),
                     NETMETRICS_IFTYPE_VIRTUAL);
    ck_assert_int_eq(netmetrics_iface_type(netmetrics_manager_get_interface(m, "br0")),
                     NETMETRICS_IFTYPE_VIRTUAL);
    ck_assert_int_eq(netmetrics_iface_type(netmetrics_manager_get_interface(m, "eth0")),
                     NETMETRICS_IFTYPE_ETHERNET);
    ck_assert_int_eq(netmetrics_iface_type(netmetrics_manager_get_interface(m, "ppp0")),
                     NETMETRICS_IFTYPE_OTHER);

    v = netmetrics_manager_view(m);
    d = u = 0.0;
    ck_assert_int_eq(netmetrics_view_throughput(v, &d, &u), NETMETRICS_OK);
    ck_assert_double_eq(d, 511.0);
    ck_assert_int_eq(netmetrics_view_total_download_speed(v, &d), NETMETRICS_OK);
    ck_assert_int_eq(netmetrics_view_total_upload_speed(v, &u), NETMETRICS_OK);
    ck_assert_double_eq(u, 51.0);
    netmetrics_view_release(v);
    netmetrics_manager_free(m);
}
END_TEST

/* A container: lo and a veth, nothing physical. The veth is the machine's
 * way out, so it counts: lo 1000, veth0 5000, br0 7000 -> 12000 down. */
static void build_container(netmetrics_snapshot *s, unsigned step)
{
    struct netmetrics_interface *i;
    uint64_t k = step;

    i = put_if(s, 1, "lo", k * 1000, k * 1000);
    i->flags |= NETMETRICS_FLAG_LOOPBACK;
    i->link_type = ARPHRD_LOOPBACK_;
    i = put_if(s, 4, "veth0", k * 5000, k * 500);
    i->kind = "veth";
    i = put_if(s, 5, "br0", k * 7000, k * 700);
    i->kind = "bridge";
}

START_TEST(test_manager_totals_count_virtual_without_physical)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_container);
    double d = 0.0, u = 0.0;

    update_ok(m);
    update_ok(m);
    ck_assert_int_eq(netmetrics_manager_throughput(m, &d, &u), NETMETRICS_OK);
    ck_assert_double_eq(d, 12000.0);
    ck_assert_double_eq(u, 1200.0);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_manager_interface_accessors)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    const netmetrics_iface *eth0, *lo, *ppp0, *active[2];
    char buf[64];
    double r = 0.0;
    int dbm = 1;

    update_ok(m);
    update_ok(m);
    eth0 = netmetrics_manager_get_interface(m, "eth0");
    lo = netmetrics_manager_interface(m, 0);
    ppp0 = netmetrics_manager_get_interface(m, "ppp0");
    ck_assert_ptr_nonnull(eth0);
    ck_assert_ptr_nonnull(ppp0);
    ck_assert_str_eq(netmetrics_iface_name(lo), "lo");
    ck_assert_ptr_null(netmetrics_manager_get_interface(m, "nope0"));
    ck_assert_ptr_null(netmetrics_manager_get_interface(m, NULL));
    ck_assert_ptr_null(netmetrics_manager_interface(m, 6));

    ck_assert_str_eq(netmetrics_iface_name(eth0), "eth0");
    ck_assert_int_eq(netmetrics_iface_index(eth0), 2);
    ck_assert_str_eq(netmetrics_interface_type_string(netmetrics_iface_type(eth0)), "Ethernet");
    ck_assert_int_eq(netmetrics_iface_is_active(eth0), 1);
    ck_assert_int_eq(netmetrics_iface_is_active(netmetrics_manager_get_interface(m, "eth1")), 0);
    ck_assert_str_eq(netmetrics_iface_mac_address(eth0), "02:00:5e:10:00:01");
    ck_assert_ptr_null(netmetrics_iface_mac_address(lo)); /* all zeros */
    ck_assert_ptr_null(netmetrics_iface_mac_address(ppp0)); /* none */
    ck_assert_uint_eq(netmetrics_iface_address_count(eth0), 1);
    ck_assert_int_eq(netmetrics_address_format(netmetrics_iface_address(eth0, 0), buf, sizeof buf),
                     NETMETRICS_OK);
    ck_assert_str_eq(buf, "198.18.0.7");
    ck_assert_ptr_null(netmetrics_iface_address(eth0, 1));
    ck_assert_uint_eq(netmetrics_iface_address_count(lo), 0);

    ck_assert_uint_eq(netmetrics_iface_bytes_received(eth0), 300);
    ck_assert_uint_eq(netmetrics_iface_bytes_sent(eth0), 30);
    ck_assert_uint_eq(netmetrics_iface_packets_received(eth0), 3);
    ck_assert_uint_eq(netmetrics_iface_packets_sent(eth0), 0);
    ck_assert_uint_eq(netmetrics_iface_receive_errors(eth0), 3);
    ck_assert_uint_eq(netmetrics_iface_send_errors(eth0), 4);
    ck_assert_uint_eq(netmetrics_iface_collisions(eth0), 5);
    ck_assert_uint_eq(netmetrics_iface_receive_drops(eth0), 6);
    ck_assert_uint_eq(netmetrics_iface_send_drops(eth0), 7);
    ck_assert_uint_eq(netmetrics_iface_collisions(lo), 0); /* not provided */
    ck_assert_uint_eq(netmetrics_interface_mtu(netmetrics_iface_interface(eth0)), 0);

    ck_assert_int_eq(netmetrics_iface_upload_speed(eth0, &r), NETMETRICS_OK);
    ck_assert_double_eq(r, 30.0);
    ck_assert_int_eq(netmetrics_iface_packet_receive_rate(eth0, &r), NETMETRICS_OK);
    ck_assert_double_eq(r, 3.0);
    ck_assert_int_eq(netmetrics_iface_packet_send_rate(eth0, &r), NETMETRICS_OK);
    ck_assert_double_eq(r, 0.0);
    ck_assert_int_eq(netmetrics_iface_signal_strength(eth0, &dbm), NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(dbm, 0);

    ck_assert_int_eq(netmetrics_iface_is_loopback(lo), 1);
    ck_assert_int_eq(netmetrics_iface_is_loopback(eth0), 0);
    ck_assert_int_eq(netmetrics_iface_is_wireless(eth0), 0);
    ck_assert_int_eq(netmetrics_iface_supports_broadcast(eth0), 1);
    ck_assert_int_eq(netmetrics_iface_supports_multicast(eth0), 1);
    ck_assert_int_eq(netmetrics_iface_supports_multicast(lo), 0);
    ck_assert_int_eq(netmetrics_iface_is_point_to_point(ppp0), 1);
    ck_assert_int_eq(netmetrics_iface_is_point_to_point(eth0), 0);

    /* active: all but eth1; the count is the total even when max is smaller */
    ck_assert_uint_eq(netmetrics_manager_active_interfaces(m, NULL, 0), 5);
    ck_assert_uint_eq(netmetrics_manager_active_interfaces(m, active, 2), 5);
    ck_assert_str_eq(netmetrics_iface_name(active[0]), "lo");
    ck_assert_str_eq(netmetrics_iface_name(active[1]), "eth0");

    ck_assert_str_eq(netmetrics_interface_type_string(NETMETRICS_IFTYPE_WIFI), "WiFi");
    ck_assert_str_eq(netmetrics_interface_type_string(NETMETRICS_IFTYPE_LOOPBACK), "Loopback");
    ck_assert_str_eq(netmetrics_interface_type_string(NETMETRICS_IFTYPE_VIRTUAL), "Virtual");
    ck_assert_str_eq(netmetrics_interface_type_string(NETMETRICS_IFTYPE_CELLULAR), "Cellular");
    ck_assert_str_eq(netmetrics_interface_type_string(NETMETRICS_IFTYPE_OTHER), "Other");
    ck_assert_str_eq(netmetrics_interface_type_string((netmetrics_interface_type)99), "Other");
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_manager_sample_copy_out)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    netmetrics_iface_sample smp;
    netmetrics_error err;

    update_ok(m);
    ck_assert_int_eq(netmetrics_manager_interface_sample(m, "eth0", &smp, &err), NETMETRICS_OK);
    ck_assert_uint_eq(smp.rates_valid, 0);
    ck_assert_double_eq(smp.download_speed, 0.0);
    update_ok(m);
    ck_assert_int_eq(netmetrics_manager_interface_sample(m, "eth0", &smp, &err), NETMETRICS_OK);
    ck_assert_str_eq(smp.name, "eth0");
    ck_assert_int_eq(smp.ifindex, 2);
    ck_assert_int_eq(smp.type, NETMETRICS_IFTYPE_ETHERNET);
    ck_assert_int_eq(smp.is_active, 1);
    ck_assert_uint_eq(smp.time_ns, 2 * NS_PER_S);
    ck_assert_uint_eq(smp.bytes_received, 300);
    ck_assert_uint_eq(smp.collisions, 5);
    ck_assert_uint_eq(smp.send_drops, 7);
    ck_assert_uint_eq(smp.rates_valid, NETMETRICS_RATE_DOWNLOAD | NETMETRICS_RATE_UPLOAD |
                                           NETMETRICS_RATE_PACKET_RECEIVE |
                                           NETMETRICS_RATE_PACKET_SEND);
    ck_assert_double_eq(smp.download_speed, 300.0);
    ck_assert_double_eq(smp.upload_speed, 30.0);
    ck_assert_double_eq(smp.packet_receive_rate, 3.0);
    ck_assert_int_eq(netmetrics_manager_interface_sample(m, "nope0", &smp, &err),
                     NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_ptr_nonnull(strstr(err.message, "nope0"));
    ck_assert_int_eq(netmetrics_manager_interface_sample(m, NULL, &smp, &err),
                     NETMETRICS_ERR_INVALID);
    netmetrics_manager_free(m);
}
END_TEST

/* usb0 is there at steps 0, 2 and 3, with a new ifindex after it vanished;
 * eth0's counters reset at step 2. */
static void build_churn(netmetrics_snapshot *s, unsigned step)
{
    uint64_t k = step;

    put_if(s, 1, "lo", k * 10, k * 10)->flags |= NETMETRICS_FLAG_LOOPBACK;
    put_if(s, 2, "eth0", step == 2 ? 5 : 1000 + k * 100, 1000 + k * 100);
    if (step != 1)
        put_if(s, step == 0 ? 3 : 9, "usb0", k * 40, k * 4);
}

START_TEST(test_manager_interface_disappears_reappears_and_resets)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_churn);
    double d = -1.0;

    update_ok(m); /* step 0 */
    update_ok(m); /* step 1: usb0 gone */
    ck_assert_ptr_null(netmetrics_manager_get_interface(m, "usb0"));
    ck_assert_uint_eq(netmetrics_manager_interface_count(m), 2);
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "eth0"), NETMETRICS_OK),
                        100.0);
    update_ok(m); /* step 2: usb0 back (new ifindex), eth0 reset */
    speed_down(netmetrics_manager_get_interface(m, "usb0"), NETMETRICS_ERR_NOT_AVAILABLE);
    speed_down(netmetrics_manager_get_interface(m, "eth0"), NETMETRICS_ERR_NOT_AVAILABLE);
    /* totals stay available; interfaces without a speed add nothing */
    ck_assert_int_eq(netmetrics_manager_total_download_speed(m, &d), NETMETRICS_OK);
    ck_assert_double_eq(d, 0.0);
    update_ok(m); /* step 3: both have a baseline again */
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "usb0"), NETMETRICS_OK),
                        40.0);
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "eth0"), NETMETRICS_OK),
                        1295.0);
    ck_assert_int_eq(netmetrics_manager_total_download_speed(m, &d), NETMETRICS_OK);
    ck_assert_double_eq(d, 1335.0);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_manager_failed_update_keeps_view_and_baseline)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    netmetrics_error err;
    netmetrics_view *v;
    double secs = 0.0;

    sc.fail_at = 1;
    update_ok(m);
    nm_error_clear(&err);
    ck_assert_int_eq(netmetrics_manager_update(m, &err), NETMETRICS_ERR_SYSTEM);
    ck_assert_int_eq(err.code, NETMETRICS_ERR_SYSTEM);
    ck_assert_str_eq(err.message, "injected failure at step 1");
    ck_assert_uint_eq(netmetrics_manager_interface_count(m), 6);
    update_ok(m); /* step 2, measured from step 0: two seconds */
    v = netmetrics_manager_view(m);
    ck_assert_int_eq(netmetrics_view_interval(v, &secs), NETMETRICS_OK);
    ck_assert_double_eq(secs, 2.0);
    ck_assert_double_eq(speed_down(netmetrics_view_get_interface(v, "eth0"), NETMETRICS_OK), 300.0);
    netmetrics_view_release(v);
    ck_assert_int_eq(netmetrics_manager_update(NULL, &err), NETMETRICS_ERR_INVALID);
    netmetrics_manager_free(m);
}
END_TEST

START_TEST(test_view_outlives_updates_and_manager)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    netmetrics_view *v, *w;
    const netmetrics_iface *eth0;

    update_ok(m);
    update_ok(m);
    v = netmetrics_manager_view(m);
    eth0 = netmetrics_view_get_interface(v, "eth0");
    update_ok(m);
    update_ok(m);
    update_ok(m);
    /* still the second sample */
    ck_assert_uint_eq(netmetrics_iface_bytes_received(eth0), 300);
    ck_assert_uint_eq(netmetrics_snapshot_time_ns(netmetrics_view_snapshot(v)), 2 * NS_PER_S);
    w = netmetrics_view_retain(v);
    ck_assert_ptr_eq(w, v);
    netmetrics_view_release(w);
    netmetrics_manager_free(m);
    ck_assert_double_eq(speed_down(eth0, NETMETRICS_OK), 300.0);
    ck_assert_uint_eq(netmetrics_view_interface_count(v), 6);
    ck_assert_uint_eq(netmetrics_view_active_interfaces(v, NULL, 0), 5);
    netmetrics_view_release(v);
    netmetrics_view_release(NULL);
    netmetrics_manager_free(NULL);
    ck_assert_ptr_null(netmetrics_view_retain(NULL));
}
END_TEST

/* ---------------------------------------------------- the real system -- */

START_TEST(test_live_manager)
{
    netmetrics_manager *m = NULL;
    netmetrics_error err;
    const netmetrics_iface *lo;
    double d = -1.0, u = -1.0, r = -1.0;
    netmetrics_status st;
    size_t i, n;

    st = netmetrics_manager_new(NULL, &m, &err);
    ck_assert_msg(st == NETMETRICS_OK, "manager: %s", err.message);
    update_ok(m);
    lo = netmetrics_manager_get_interface(m, "lo");
    ck_assert_ptr_nonnull(lo);
    ck_assert_int_eq(netmetrics_iface_type(lo), NETMETRICS_IFTYPE_LOOPBACK);
    speed_down(lo, NETMETRICS_ERR_NOT_AVAILABLE);
    ck_assert_int_eq(netmetrics_manager_throughput(m, &d, &u), NETMETRICS_ERR_NOT_AVAILABLE);
    sleep_ms(100);
    update_ok(m);
    lo = netmetrics_manager_get_interface(m, "lo");
    ck_assert_ptr_nonnull(lo);
    ck_assert(speed_down(lo, NETMETRICS_OK) >= 0.0);
    ck_assert_int_eq(netmetrics_iface_upload_speed(lo, &r), NETMETRICS_OK);
    ck_assert(r >= 0.0);
    ck_assert_int_eq(netmetrics_manager_throughput(m, &d, &u), NETMETRICS_OK);
    ck_assert(d >= 0.0 && u >= 0.0);
    n = netmetrics_manager_interface_count(m);
    ck_assert_uint_ge(n, 1);
    for (i = 0; i < n; i++) {
        const netmetrics_iface *it = netmetrics_manager_interface(m, i);

        /* an interface that lived through both samples has every speed */
        if (netmetrics_iface_download_speed(it, &r) == NETMETRICS_OK)
            ck_assert(r >= 0.0);
        ck_assert_ptr_nonnull(netmetrics_iface_name(it));
    }
    netmetrics_manager_free(m);
}
END_TEST

/* ---------------------------------------------------------- threads -- */

enum { SYN_N = 32 };

/* Interface i has counters step * 1000 * (i + 1) bytes received and
 * step * 10 * (i + 1) sent; every fourth is a veth; the last exists on even
 * steps only. A view that mixed two samples would break these relations. */
static void build_synthetic(netmetrics_snapshot *s, unsigned step)
{
    char name[16];
    unsigned i;
    uint64_t k = step;

    for (i = 0; i < SYN_N; i++) {
        struct netmetrics_interface *it;

        if (i == SYN_N - 1 && step % 2)
            continue;
        snprintf(name, sizeof name, "if%u", i);
        it = put_if(s, (int)i + 1, name, k * 1000 * (i + 1), k * 10 * (i + 1));
        if (i % 4 == 3)
            it->kind = "veth";
    }
}

/* The closed-form totals of build_synthetic from the second sample on:
 * non-veth interfaces that exist on consecutive steps. */
static double synthetic_total(unsigned per_unit)
{
    double t = 0.0;
    unsigned i;

    for (i = 0; i < SYN_N - 1; i++)
        if (i % 4 != 3)
            t += (double)per_unit * (i + 1);
    return t;
}

typedef struct shared {
    netmetrics_manager *m;
    int synthetic;            /* 1: build_synthetic, exact values known */
    atomic_int stop;
    atomic_int problems;
    atomic_long views_checked;
    atomic_long callbacks;
    atomic_long callback_errors;
    char first_problem[256];  /* written once, under `once` */
    atomic_flag once;
} shared;

static void problem(shared *sh, const char *what, double a, double b)
{
    if (!atomic_flag_test_and_set(&sh->once))
        snprintf(sh->first_problem, sizeof sh->first_problem, "%s (%g vs %g)", what, a, b);
    atomic_fetch_add(&sh->problems, 1);
}

/* Every relation a consistent view must satisfy. */
static void check_view(shared *sh, const netmetrics_view *v)
{
    size_t i, n = netmetrics_view_interface_count(v);
    double sum_down = 0.0, sum_up = 0.0, d, u, step = 0.0;
    netmetrics_status st = netmetrics_view_throughput(v, &d, &u);

    for (i = 0; i < n; i++) {
        const netmetrics_iface *it = netmetrics_view_interface(v, i);
        netmetrics_interface_type t = netmetrics_iface_type(it);
        double down, up;
        netmetrics_status ds = netmetrics_iface_download_speed(it, &down);
        netmetrics_status us = netmetrics_iface_upload_speed(it, &up);
        int counted = t != NETMETRICS_IFTYPE_LOOPBACK && t != NETMETRICS_IFTYPE_VIRTUAL;

        if ((ds == NETMETRICS_OK && down < 0.0) || (us == NETMETRICS_OK && up < 0.0))
            problem(sh, "negative speed", down, up);
        if (ds == NETMETRICS_OK && counted)
            sum_down += down;
        if (us == NETMETRICS_OK && counted)
            sum_up += up;
        if (sh->synthetic) {
            double unit = (double)(netmetrics_iface_index(it));
            double rx = (double)netmetrics_iface_bytes_received(it);
            double tx = (double)netmetrics_iface_bytes_sent(it);

            if (i == 0)
                step = rx / 1000.0;
            if (rx != step * 1000.0 * unit || tx != step * 10.0 * unit)
                problem(sh, "counters from two samples in one view", rx, step);
            if (ds == NETMETRICS_OK && down != 1000.0 * unit)
                problem(sh, "wrong download speed", down, 1000.0 * unit);
            if (us == NETMETRICS_OK && up != 10.0 * unit)
                problem(sh, "wrong upload speed", up, 10.0 * unit);
        }
    }
    if (sh->synthetic) {
        unsigned expect_n = ((unsigned)step % 2) ? SYN_N - 1 : SYN_N;

        if (n != expect_n)
            problem(sh, "interface count does not match the sample", (double)n, expect_n);
        if ((double)netmetrics_snapshot_time_ns(netmetrics_view_snapshot(v)) !=
            (step + 1.0) * 1e9)
            problem(sh, "time does not match the sample", step, 0.0);
        if (st == NETMETRICS_OK && (d != synthetic_total(1000) || u != synthetic_total(10)))
            problem(sh, "wrong totals", d, synthetic_total(1000));
        if ((st == NETMETRICS_OK) != (step >= 1.0))
            problem(sh, "totals available before two samples", step, 0.0);
    }
    /* the view's totals were summed in this same order */
    if (st == NETMETRICS_OK && (d != sum_down || u != sum_up))
        problem(sh, "totals do not match the view's interfaces", d, sum_down);
    atomic_fetch_add(&sh->views_checked, 1);
}

static void *reader_main(void *arg)
{
    shared *sh = arg;
    netmetrics_iface_sample smp;
    netmetrics_error err;
    const char *probe = sh->synthetic ? "if0" : "lo";
    double d, u;

    while (!atomic_load(&sh->stop)) {
        netmetrics_view *v;

        /* Let the writer and the monitor in: a reader that never blocks
         * starves them under valgrind, which runs one thread at a time. */
        sched_yield();
        v = netmetrics_manager_view(sh->m);

        if (v) {
            check_view(sh, v);
            netmetrics_view_release(v);
        }
        if (netmetrics_manager_throughput(sh->m, &d, &u) == NETMETRICS_OK) {
            if (d < 0.0 || u < 0.0)
                problem(sh, "negative total", d, u);
            if (sh->synthetic && (d != synthetic_total(1000) || u != synthetic_total(10)))
                problem(sh, "torn totals", d, u);
        }
        if (netmetrics_manager_interface_sample(sh->m, probe, &smp, &err) == NETMETRICS_OK) {
            if (strcmp(smp.name, probe) != 0)
                problem(sh, "sample of another interface", 0.0, 0.0);
            if (sh->synthetic && (smp.rates_valid & NETMETRICS_RATE_DOWNLOAD) &&
                smp.download_speed != 1000.0)
                problem(sh, "torn sample", smp.download_speed, 1000.0);
        }
        (void)netmetrics_manager_interface_count(sh->m);
    }
    return NULL;
}

static void monitor_check(netmetrics_view *view, const netmetrics_error *error, void *user)
{
    shared *sh = user;

    atomic_fetch_add(&sh->callbacks, 1);
    if (!view) {
        atomic_fetch_add(&sh->callback_errors, 1);
        return;
    }
    check_view(sh, view);
}

static void run_concurrently(shared *sh)
{
    pthread_t readers[2];
    netmetrics_monitor *mon = NULL;
    netmetrics_error err;
    uint64_t end, deadline;
    long updates = 0;
    int i;

    atomic_init(&sh->stop, 0);
    atomic_init(&sh->problems, 0);
    atomic_init(&sh->views_checked, 0);
    atomic_init(&sh->callbacks, 0);
    atomic_init(&sh->callback_errors, 0);
    atomic_flag_clear(&sh->once);
    sh->first_problem[0] = '\0';

    for (i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&readers[i], NULL, reader_main, sh), 0);
    ck_assert_int_eq(netmetrics_monitor_start(sh->m, 5, monitor_check, sh, &mon, &err),
                     NETMETRICS_OK);
    /* Half a second, and longer when the machine (or valgrind) is slow,
     * until every counter checked below has had its chance; 20 s at most
     * (the threads case allows 60 s for its two tests). */
    end = nm_monotonic_ns() + NS_PER_S / 2;
    deadline = nm_monotonic_ns() + 20 * NS_PER_S;
    while (nm_monotonic_ns() < deadline &&
           (nm_monotonic_ns() < end || updates <= 10 || atomic_load(&sh->views_checked) <= 10 ||
            atomic_load(&sh->callbacks) <= 5)) {
        netmetrics_status st = netmetrics_manager_update(sh->m, &err);

        ck_assert_msg(st == NETMETRICS_OK, "update: %s", err.message);
        updates++;
        sleep_ms(1);
    }
    netmetrics_monitor_stop(mon);
    atomic_store(&sh->stop, 1);
    for (i = 0; i < 2; i++)
        pthread_join(readers[i], NULL);

    ck_assert_msg(atomic_load(&sh->problems) == 0, "%d problems, first: %s",
                  atomic_load(&sh->problems), sh->first_problem);
    ck_assert_int_gt(updates, 10);
    ck_assert_int_gt(atomic_load(&sh->views_checked), 10);
    ck_assert_int_gt(atomic_load(&sh->callbacks), 5);
    ck_assert_int_eq(atomic_load(&sh->callback_errors), 0);
}

START_TEST(test_concurrent_synthetic)
{
    script sc;
    shared sh;

    memset(&sh, 0, sizeof sh);
    sh.synthetic = 1;
    sh.m = scripted_manager(&sc, build_synthetic);
    run_concurrently(&sh);
    netmetrics_manager_free(sh.m);
}
END_TEST

START_TEST(test_concurrent_live)
{
    netmetrics_error err;
    shared sh;

    memset(&sh, 0, sizeof sh);
    ck_assert_int_eq(netmetrics_manager_new(NULL, &sh.m, &err), NETMETRICS_OK);
    run_concurrently(&sh);
    netmetrics_manager_free(sh.m);
}
END_TEST

/* Threads of this process, or -1 where /proc/self/status does not exist. */
static int thread_count(void)
{
    char line[256];
    int n = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(f);
    return n;
}

/* The kernel drops a thread from the count a moment after pthread_join
 * returns (the join waits for the tid to be cleared, which comes first). */
static int thread_count_settles_at(int expect)
{
    int tries, n = thread_count();

    for (tries = 0; tries < 100 && n != expect; tries++) {
        sleep_ms(10);
        n = thread_count();
    }
    return n;
}

static void count_callback(netmetrics_view *view, const netmetrics_error *error, void *user)
{
    atomic_int *calls = user;

    atomic_fetch_add(calls, 1);
}

START_TEST(test_monitor_start_stop_leaves_no_thread)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed);
    netmetrics_monitor *mon = NULL;
    netmetrics_error err;
    atomic_int calls;
    int before = thread_count(), during, tries;
    uint64_t t0;

    /* Compared with the count while the monitor runs, not with the count
     * before it: sanitizer runtimes start helper threads of their own on
     * the first pthread_create. */
    atomic_init(&calls, 0);
    ck_assert_int_eq(netmetrics_monitor_start(m, 10, count_callback, &calls, &mon, &err),
                     NETMETRICS_OK);
    ck_assert_ptr_nonnull(mon);
    during = thread_count();
    if (before > 0)
        ck_assert_int_gt(during, before);
    for (tries = 0; tries < 300 && atomic_load(&calls) < 3; tries++)
        sleep_ms(10);
    ck_assert_int_ge(atomic_load(&calls), 3);
    netmetrics_monitor_stop(mon);
    if (before > 0)
        ck_assert_int_eq(thread_count_settles_at(during - 1), during - 1);
    /* each callback came from one update: the manager has a speed */
    ck_assert_double_eq(speed_down(netmetrics_manager_get_interface(m, "eth0"), NETMETRICS_OK),
                        300.0);

    /* a long interval: stop wakes the thread, no sample is taken */
    atomic_store(&calls, 0);
    ck_assert_int_eq(netmetrics_monitor_start(m, 60000, count_callback, &calls, &mon, &err),
                     NETMETRICS_OK);
    during = thread_count();
    t0 = nm_monotonic_ns();
    netmetrics_monitor_stop(mon);
    ck_assert_uint_lt(nm_monotonic_ns() - t0, NS_PER_S);
    ck_assert_int_eq(atomic_load(&calls), 0);
    if (before > 0)
        ck_assert_int_eq(thread_count_settles_at(during - 1), during - 1);
    netmetrics_monitor_stop(NULL);
    netmetrics_manager_free(m);
}
END_TEST

static void error_callback(netmetrics_view *view, const netmetrics_error *error, void *user)
{
    atomic_int *code = user;

    if (!view && error)
        atomic_store(code, (int)error->code);
}

START_TEST(test_monitor_reports_errors_and_rejects_bad_arguments)
{
    script sc;
    netmetrics_manager *m = scripted_manager(&sc, build_mixed), *none = NULL;
    netmetrics_monitor *mon = (netmetrics_monitor *)&sc; /* any non-NULL value */
    netmetrics_error err;
    atomic_int code;
    int tries;

    ck_assert_int_eq(netmetrics_monitor_start(m, 0, count_callback, &code, &mon, &err),
                     NETMETRICS_ERR_INVALID);
    ck_assert_ptr_null(mon);
    ck_assert_int_eq(netmetrics_monitor_start(m, 10, NULL, &code, &mon, &err),
                     NETMETRICS_ERR_INVALID);
    ck_assert_int_eq(netmetrics_monitor_start(NULL, 10, count_callback, &code, &mon, &err),
                     NETMETRICS_ERR_INVALID);
    ck_assert_int_eq(netmetrics_monitor_start(m, 10, count_callback, &code, NULL, &err),
                     NETMETRICS_ERR_INVALID);

    atomic_init(&code, 0);
    sc.fail_at = 0;
    ck_assert_int_eq(netmetrics_monitor_start(m, 5, error_callback, &code, &mon, &err),
                     NETMETRICS_OK);
    for (tries = 0; tries < 300 && atomic_load(&code) == 0; tries++)
        sleep_ms(10);
    netmetrics_monitor_stop(mon);
    ck_assert_int_eq(atomic_load(&code), NETMETRICS_ERR_SYSTEM);
    ck_assert_int_eq(nm_manager_new_with_source(NULL, NULL, &none, &err), NETMETRICS_ERR_INVALID);
    ck_assert_ptr_null(none);
    netmetrics_manager_free(m);
}
END_TEST

/* ------------------------------------------------------------- runner -- */

static Suite *manager_suite(void)
{
    Suite *s = suite_create("manager");
    TCase *tc;

    tc = tcase_create("counter");
    tcase_add_test(tc, test_delta_64bit);
    tcase_add_test(tc, test_rate_basic_and_interval_zero);
    tcase_add_test(tc, test_64bit_reset_is_not_negative);
    tcase_add_test(tc, test_32bit_wrap);
    tcase_add_test(tc, test_64bit_near_max_increasing);
    suite_add_tcase(s, tc);

    tc = tcase_create("interface-rates");
    tcase_add_test(tc, test_iface_first_sample_and_interval_zero);
    tcase_add_test(tc, test_iface_rates_values);
    tcase_add_test(tc, test_iface_ifindex_changed_restarts);
    tcase_add_test(tc, test_iface_reset_voids_interface_then_recovers);
    tcase_add_test(tc, test_iface_32bit_wrap_and_width_change);
    tcase_add_test(tc, test_iface_missing_counter);
    suite_add_tcase(s, tc);

    tc = tcase_create("snapshot-rates");
    tcase_add_test(tc, test_snapshot_merge_hand_built);
    tcase_add_test(tc, test_snapshot_merge_large);
    suite_add_tcase(s, tc);

    tc = tcase_create("manager");
    tcase_add_test(tc, test_manager_not_available_before_two_updates);
    tcase_add_test(tc, test_manager_totals_exclude_loopback_and_virtual);
    tcase_add_test(tc, test_manager_totals_count_virtual_without_physical);
    tcase_add_test(tc, test_manager_interface_accessors);
    tcase_add_test(tc, test_manager_sample_copy_out);
    tcase_add_test(tc, test_manager_interface_disappears_reappears_and_resets);
    tcase_add_test(tc, test_manager_failed_update_keeps_view_and_baseline);
    tcase_add_test(tc, test_view_outlives_updates_and_manager);
    suite_add_tcase(s, tc);

    tc = tcase_create("live");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_live_manager);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_concurrent_synthetic);
    tcase_add_test(tc, test_concurrent_live);
    tcase_add_test(tc, test_monitor_start_stop_leaves_no_thread);
    tcase_add_test(tc, test_monitor_reports_errors_and_rejects_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(manager_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

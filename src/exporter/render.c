/* SPDX-License-Identifier: MIT */
/* The renderer: walks a snapshot and describes every metric family to the
 * exposition writer (expfmt.c), which owns all spelling and escaping. Each
 * family is written whole before the next starts, since both formats want
 * a family's samples together, so the interface table is walked once per
 * family. Label values live in fixed-size stack buffers and numbers are
 * written without printf: nothing here allocates per series. It reads the
 * snapshot only through the public API, like any library user would. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collectors.h"
#include "render.h"
#include "render_rates.h"
#include "render_link.h"
#include "render_connections.h"
#include "render_devices.h"
#include "render_process.h"
#include "httpstats.h"

/* Counters, in exposition order, one per netmetrics_stat. */
static const struct nm_counter_def {
    netmetrics_stat stat;
    const char *name;
    const char *help;
} nm_counters[] = {
    {NETMETRICS_STAT_RX_BYTES, "netmetrics_receive_bytes_total",
     "Bytes received by the interface (rtnl_link_stats64 rx_bytes)."},
    {NETMETRICS_STAT_TX_BYTES, "netmetrics_transmit_bytes_total",
     "Bytes transmitted by the interface (rtnl_link_stats64 tx_bytes)."},
    {NETMETRICS_STAT_RX_PACKETS, "netmetrics_receive_packets_total",
     "Packets received by the interface (rtnl_link_stats64 rx_packets)."},
    {NETMETRICS_STAT_TX_PACKETS, "netmetrics_transmit_packets_total",
     "Packets transmitted by the interface (rtnl_link_stats64 tx_packets)."},
    {NETMETRICS_STAT_RX_ERRORS, "netmetrics_receive_errors_total",
     "Bad packets received, all causes (rtnl_link_stats64 rx_errors)."},
    {NETMETRICS_STAT_TX_ERRORS, "netmetrics_transmit_errors_total",
     "Packets that failed to transmit, all causes (rtnl_link_stats64 tx_errors)."},
    {NETMETRICS_STAT_RX_DROPPED, "netmetrics_receive_drops_total",
     "Received packets dropped before the protocol stack, e.g. for lack of buffers "
     "(rtnl_link_stats64 rx_dropped)."},
    {NETMETRICS_STAT_TX_DROPPED, "netmetrics_transmit_drops_total",
     "Packets dropped on their way to transmission, e.g. for lack of buffers "
     "(rtnl_link_stats64 tx_dropped)."},
    {NETMETRICS_STAT_MULTICAST, "netmetrics_receive_multicast_packets_total",
     "Multicast packets received (rtnl_link_stats64 multicast)."},
    {NETMETRICS_STAT_COLLISIONS, "netmetrics_collisions_total",
     "Collisions seen while transmitting (rtnl_link_stats64 collisions)."},
    {NETMETRICS_STAT_RX_LENGTH_ERRORS, "netmetrics_receive_length_errors_total",
     "Packets received with an invalid length (rtnl_link_stats64 rx_length_errors)."},
    {NETMETRICS_STAT_RX_OVER_ERRORS, "netmetrics_receive_over_errors_total",
     "Receive ring buffer overflow events (rtnl_link_stats64 rx_over_errors)."},
    {NETMETRICS_STAT_RX_CRC_ERRORS, "netmetrics_receive_crc_errors_total",
     "Packets received with a CRC error (rtnl_link_stats64 rx_crc_errors)."},
    {NETMETRICS_STAT_RX_FRAME_ERRORS, "netmetrics_receive_frame_errors_total",
     "Packets received with a frame alignment error (rtnl_link_stats64 rx_frame_errors)."},
    {NETMETRICS_STAT_RX_FIFO_ERRORS, "netmetrics_receive_fifo_errors_total",
     "Receive FIFO overrun events (rtnl_link_stats64 rx_fifo_errors)."},
    {NETMETRICS_STAT_RX_MISSED_ERRORS, "netmetrics_receive_missed_errors_total",
     "Packets the device missed for lack of host buffers "
     "(rtnl_link_stats64 rx_missed_errors)."},
    {NETMETRICS_STAT_TX_ABORTED_ERRORS, "netmetrics_transmit_aborted_errors_total",
     "Transmissions aborted by the device, e.g. after excessive collisions "
     "(rtnl_link_stats64 tx_aborted_errors)."},
    {NETMETRICS_STAT_TX_CARRIER_ERRORS, "netmetrics_transmit_carrier_errors_total",
     "Transmissions failed for loss of carrier (rtnl_link_stats64 tx_carrier_errors)."},
    {NETMETRICS_STAT_TX_FIFO_ERRORS, "netmetrics_transmit_fifo_errors_total",
     "Transmit FIFO underrun events (rtnl_link_stats64 tx_fifo_errors)."},
    {NETMETRICS_STAT_TX_HEARTBEAT_ERRORS, "netmetrics_transmit_heartbeat_errors_total",
     "Heartbeat (SQE test) errors after transmission "
     "(rtnl_link_stats64 tx_heartbeat_errors)."},
    {NETMETRICS_STAT_TX_WINDOW_ERRORS, "netmetrics_transmit_window_errors_total",
     "Late collisions while transmitting (rtnl_link_stats64 tx_window_errors)."},
    {NETMETRICS_STAT_RX_COMPRESSED, "netmetrics_receive_compressed_packets_total",
     "Compressed packets received (rtnl_link_stats64 rx_compressed)."},
    {NETMETRICS_STAT_TX_COMPRESSED, "netmetrics_transmit_compressed_packets_total",
     "Compressed packets transmitted (rtnl_link_stats64 tx_compressed)."},
    {NETMETRICS_STAT_RX_NOHANDLER, "netmetrics_receive_nohandler_packets_total",
     "Packets received and dropped for lack of a protocol handler "
     "(rtnl_link_stats64 rx_nohandler)."},
    {NETMETRICS_STAT_RX_OTHERHOST_DROPPED, "netmetrics_receive_otherhost_drops_total",
     "Received packets dropped because their destination MAC is another host's "
     "(rtnl_link_stats64 rx_otherhost_dropped)."},
};

/* Every flag bit netmetrics_flag_name knows, in bit order. */
typedef struct nm_flag_table {
    uint32_t bit[32];
    const char *name[32];
    size_t count;
} nm_flag_table;

/* netmetrics_interface_flag has a sample per interface and flag (twenty
 * thousand at a thousand interfaces), so its labels are spelled ahead:
 * `device="..."` from the device table and `,flag="NAME"` from here, put
 * side by side in one buffer per interface. */
#define NM_FLAG_FRAG_MAX 48
/* device="" around a 15-byte name, each byte escaped to 5: 84 bytes;
 * a longer fragment takes the plain path */
#define NM_DEV_FRAG_MAX 128
/* Label fragments `,LABEL="VALUE"` spelled once per scrape for a family
 * with one sample per interface and value (flags, operational states). */
typedef struct nm_frags {
    const char *label;
    const char *value[32];
    size_t value_len[32];
    char text[32][NM_FLAG_FRAG_MAX];
    size_t len[32]; /* 0: did not fit, use the plain label */
    size_t count;
} nm_frags;

static void nm_frags_fill(nm_frags *fr, const char *label, const char *const *values,
                          size_t count)
{
    nm_strbuf tmp;
    size_t f;

    fr->label = label;
    fr->count = count < 32 ? count : 32;
    nm_strbuf_init(&tmp);
    for (f = 0; f < fr->count; f++) {
        fr->value[f] = values[f];
        fr->value_len[f] = strlen(values[f]);
        nm_strbuf_reset(&tmp);
        fr->len[f] = 0;
        if (nm_strbuf_putc(&tmp, ',') < 0 ||
            nm_expfmt_put_label_pre(&tmp, label, values[f], fr->value_len[f]) < 0 ||
            tmp.len > NM_FLAG_FRAG_MAX)
            continue;
        memcpy(fr->text[f], tmp.data, tmp.len);
        fr->len[f] = tmp.len;
    }
    nm_strbuf_free(&tmp);
}

/* One interface's samples of such a family: value v[f] for fragment f.
 * The device label and each fragment are copied side by side into one
 * pre-spelled label; an oversized one takes the plain label path. */
static void nm_frags_samples(nm_expfmt *w, const nm_label_pre *dev, const nm_frags *fr,
                             const uint64_t *v)
{
    char both[NM_DEV_FRAG_MAX + NM_FLAG_FRAG_MAX];
    nm_label_pre pre;
    nm_label l;
    size_t f;

    l.name = fr->label;
    pre.text = both;
    if (dev->len <= NM_DEV_FRAG_MAX)
        memcpy(both, dev->text, dev->len);
    for (f = 0; f < fr->count; f++) {
        if (dev->len <= NM_DEV_FRAG_MAX && fr->len[f]) {
            memcpy(both + dev->len, fr->text[f], fr->len[f]);
            pre.len = dev->len + fr->len[f];
            nm_expfmt_sample_u64_pre(w, &pre, NULL, 0, v[f]);
            continue;
        }
        l.value = fr->value[f];
        l.value_len = fr->value_len[f];
        nm_expfmt_sample_u64_pre(w, dev, &l, 1, v[f]);
    }
}

static void nm_flag_table_fill(nm_flag_table *t)
{
    unsigned i;

    t->count = 0;
    for (i = 0; i < 32; i++) {
        const char *name = netmetrics_flag_name(1u << i);

        if (name) {
            t->bit[t->count] = 1u << i;
            t->name[t->count] = name;
            t->count++;
        }
    }
}

static void nm_label_set(nm_label *l, const char *name, const char *value)
{
    l->name = name;
    l->value = value;
    l->value_len = strlen(value);
}

static void nm_row_counter(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const struct nm_counter_def *def = arg;
    uint64_t v;

    if (netmetrics_interface_stat(netmetrics_snapshot_interface(src->snap, i), def->stat, &v) ==
        NETMETRICS_OK)
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), NULL, 0, v);
}

/* up, running: one bit of the flags each. */
static const uint32_t nm_flag_up = NETMETRICS_FLAG_UP;
static const uint32_t nm_flag_running = NETMETRICS_FLAG_RUNNING;

static void nm_row_flag_gauge(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    uint32_t flag = *(const uint32_t *)arg;

    nm_expfmt_sample_u64_pre(
        w, nm_devlabels_get(src->dl, i), NULL, 0,
        (netmetrics_interface_flags(netmetrics_snapshot_interface(src->snap, i)) & flag) ? 1 : 0);
}

static void nm_row_carrier(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    int carrier = netmetrics_interface_carrier(netmetrics_snapshot_interface(src->snap, i));

    (void)arg;
    if (carrier >= 0)
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), NULL, 0, carrier ? 1 : 0);
}

static void nm_row_mtu(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    (void)arg;
    nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), NULL, 0,
                             netmetrics_interface_mtu(netmetrics_snapshot_interface(src->snap, i)));
}

/* The flag family's table and label fragments, spelled once per plan. */
typedef struct nm_flag_frags {
    nm_flag_table flags;
    nm_frags frags;
} nm_flag_frags;

static void nm_row_flag(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const nm_flag_frags *ff = arg;
    uint32_t bits = netmetrics_interface_flags(netmetrics_snapshot_interface(src->snap, i));
    uint64_t v[32];
    size_t f;

    for (f = 0; f < ff->frags.count; f++)
        v[f] = (bits & ff->flags.bit[f]) ? 1 : 0;
    nm_frags_samples(w, nm_devlabels_get(src->dl, i), &ff->frags, v);
}

static void nm_row_interface_info(nm_expfmt *w, const nm_render_src *src, const void *arg,
                                  size_t i)
{
    const netmetrics_interface *iface = netmetrics_snapshot_interface(src->snap, i);
    char ifindex[NM_EXPFMT_INT_SIZE];
    /* 3 bytes per address byte; the snapshot keeps at most 32 */
    char mac[3 * 32];
    char master[NM_RENDER_MASTER_SIZE];
    nm_label l[8];

    (void)arg;
    nm_expfmt_int_text(ifindex, netmetrics_interface_index(iface));
    if (netmetrics_interface_hwaddr_string(iface, mac, sizeof mac) != NETMETRICS_OK)
        mac[0] = '\0';
    nm_label_set(&l[0], "ifindex", ifindex);
    nm_label_set(&l[1], "mac", mac);
    nm_label_set(&l[2], "operstate",
                 netmetrics_operstate_string(netmetrics_interface_operstate(iface)));
    nm_label_set(&l[3], "kind", netmetrics_interface_kind(iface));
    nm_label_set(&l[4], "type", netmetrics_interface_type_name(netmetrics_interface_type_get(iface)));
    nm_label_set(&l[5], "duplex", netmetrics_duplex_string(netmetrics_interface_duplex(iface)));
    nm_label_set(&l[6], "driver", netmetrics_interface_driver(iface));
    nm_label_set(&l[7], "master", nm_render_master_name(src->snap, iface, master));
    nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), l, 8, 1);
}

/* netmetrics_interface_operstate: RFC 2863 operational state as a
 * stateset, one sample per state and interface, so a PromQL filter or an
 * alert can select a state without parsing the info series' label. The
 * state label fragments are spelled once per plan, like the flags'. */
static const char nm_operstate_family[] = "netmetrics_interface_operstate";
enum { NM_NSTATES = NETMETRICS_OPER_UP + 1 };

static void nm_operstate_frags_fill(nm_frags *frags)
{
    const char *names[NM_NSTATES];
    size_t st;

    for (st = 0; st < NM_NSTATES; st++)
        names[st] = netmetrics_operstate_string((netmetrics_operstate)st);
    nm_frags_fill(frags, nm_operstate_family, names, NM_NSTATES);
}

static void nm_row_operstate(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    unsigned cur =
        (unsigned)netmetrics_interface_operstate(netmetrics_snapshot_interface(src->snap, i));
    uint64_t v[NM_NSTATES];
    size_t st;

    if (cur >= NM_NSTATES)
        cur = NETMETRICS_OPER_UNKNOWN;
    for (st = 0; st < NM_NSTATES; st++)
        v[st] = st == cur;
    nm_frags_samples(w, nm_devlabels_get(src->dl, i), arg, v);
}

static void nm_row_address_info(nm_expfmt *w, const nm_render_src *src, const void *arg,
                                size_t i)
{
    const netmetrics_interface *iface = netmetrics_snapshot_interface(src->snap, i);
    size_t a, count = netmetrics_interface_address_count(iface);

    (void)arg;
    for (a = 0; a < count; a++) {
        const netmetrics_address *addr = netmetrics_interface_address(iface, a);
        char text[46], prefix[NM_EXPFMT_INT_SIZE], scope_buf[4];
        const char *family;
        nm_label l[4];

        if (addr->family == NETMETRICS_FAMILY_INET)
            family = "inet";
        else if (addr->family == NETMETRICS_FAMILY_INET6)
            family = "inet6";
        else
            continue;
        if (netmetrics_address_format(addr, text, sizeof text) != NETMETRICS_OK)
            continue;
        nm_expfmt_int_text(prefix, addr->prefix_length);
        nm_label_set(&l[0], "family", family);
        nm_label_set(&l[1], "address", text);
        nm_label_set(&l[2], "prefix_length", prefix);
        nm_label_set(&l[3], "scope", netmetrics_scope_string(addr->scope, scope_buf));
        nm_expfmt_sample_u64_pre(w, nm_devlabels_get(src->dl, i), l, 4, 1);
    }
}

/* 1 when a collector is on (all are without info). */
static int nm_collector_on(const nm_scrape_info *info, nm_collector_id id)
{
    return !info || !(info->collectors_off & NM_COLLECTOR_BIT(id));
}

/* 1 when a library part ran for some enabled collector: links for any
 * interface collector, addresses and wireless for their own. */
static int nm_part_wanted(const nm_scrape_info *info, netmetrics_part part)
{
    if (part == NETMETRICS_PART_ADDRESSES)
        return nm_collector_on(info, NM_COLLECTOR_ADDRESSES);
    if (part == NETMETRICS_PART_WIRELESS)
        return nm_collector_on(info, NM_COLLECTOR_WIRELESS);
    return !info || (~info->collectors_off & NM_COLLECTORS_INTERFACES) != 0;
}

static void nm_render_self(nm_expfmt *w, const netmetrics_snapshot *snap, int collected,
                           const char *backend, const nm_scrape_info *info)
{
    static const netmetrics_part parts[] = {NETMETRICS_PART_LINKS, NETMETRICS_PART_ADDRESSES,
                                            NETMETRICS_PART_WIRELESS};
    size_t p;
    nm_label l[2];

    nm_expfmt_family(w, "netmetrics_scrape_collector_duration_seconds", NM_METRIC_GAUGE,
                     "Time the collector part took during this scrape, in seconds.");
    for (p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        if (!nm_part_wanted(info, parts[p]))
            continue; /* a disabled collector's part is not reported */
        nm_label_set(&l[0], "collector", netmetrics_part_name(parts[p]));
        nm_expfmt_sample_double(w, l, 1, netmetrics_snapshot_part_seconds(snap, parts[p]));
    }
    nm_render_connections_self(w, info ? info->connections : NULL, 0);

    nm_expfmt_family(w, "netmetrics_scrape_collector_success", NM_METRIC_GAUGE,
                     "1 if the collector part succeeded during this scrape, else 0.");
    for (p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        int ok = collected && netmetrics_snapshot_part_status(snap, parts[p]) == NETMETRICS_OK;

        if (!nm_part_wanted(info, parts[p]))
            continue;
        nm_label_set(&l[0], "collector", netmetrics_part_name(parts[p]));
        nm_expfmt_sample_u64(w, l, 1, ok ? 1 : 0);
    }
    nm_render_connections_self(w, info ? info->connections : NULL, 1);

    nm_expfmt_family(w, "netmetrics_collector_backend_info", NM_METRIC_INFO,
                     "Backend the collector reads the interface table with; the value is "
                     "always 1.");
    nm_label_set(&l[0], "backend", backend);
    nm_expfmt_sample_u64(w, l, 1, 1);

    nm_expfmt_family(w, "netmetrics_build_info", NM_METRIC_INFO,
                     "Version of netmetrics and the system it was built for; the value is "
                     "always 1.");
    nm_label_set(&l[0], "version", netmetrics_version());
    nm_label_set(&l[1], "os", NM_OS);
    nm_expfmt_sample_u64(w, l, 2, 1);

    nm_render_process(w, info ? info->process : NULL);
    if (info && info->http_counts)
        nm_http_counts_render(w, info->http_counts);
    else
        nm_http_stats_render(w, info ? info->http : NULL);
}

struct nm_render_plan {
    const netmetrics_snapshot *snap;
    nm_scrape_info info;
    const nm_scrape_info *infop; /* &info, or NULL when none was given */
    int collected;
    const char *backend;
    nm_render_src src;
    nm_devlabels dl;
    nm_flag_frags flag_frags;
    nm_frags oper_frags;
    nm_section sec[NM_SECTIONS_MAX];
    size_t nsec;
    size_t n; /* interfaces rendered */
};

static void nm_block_connections(nm_expfmt *w, const nm_render_src *src, const void *arg,
                                 size_t i)
{
    const nm_render_plan *p = arg;

    (void)src;
    (void)i;
    if (nm_render_connections(w, p->infop ? p->infop->connections : NULL) < 0)
        w->out->failed = 1;
}

static void nm_block_self(nm_expfmt *w, const nm_render_src *src, const void *arg, size_t i)
{
    const nm_render_plan *p = arg;

    (void)src;
    (void)i;
    nm_render_self(w, p->snap, p->collected, p->backend, p->infop);
}

/* The sections of every enabled collector, in exposition order. */
static void nm_plan_sections(nm_render_plan *p)
{
    const nm_scrape_info *info = p->infop;
    nm_section *sec = p->sec;
    size_t k = 0, c;

    if (nm_collector_on(info, NM_COLLECTOR_NETDEV)) {
        for (c = 0; c < sizeof nm_counters / sizeof nm_counters[0]; c++)
            nm_section_set(&sec[k++], nm_counters[c].name, NM_METRIC_COUNTER,
                           nm_counters[c].help, nm_row_counter, &nm_counters[c]);
    }
    if (nm_collector_on(info, NM_COLLECTOR_LINK)) {
        nm_section_set(&sec[k++], "netmetrics_interface_up", NM_METRIC_GAUGE,
                       "1 if the interface is administratively up (IFF_UP), else 0.",
                       nm_row_flag_gauge, &nm_flag_up);
        nm_section_set(&sec[k++], "netmetrics_interface_running", NM_METRIC_GAUGE,
                       "1 if the interface is operationally up (IFF_RUNNING), else 0.",
                       nm_row_flag_gauge, &nm_flag_running);
        nm_section_set(&sec[k++], "netmetrics_interface_carrier", NM_METRIC_GAUGE,
                       "1 if the interface has carrier, 0 if not; absent when unknown.",
                       nm_row_carrier, NULL);
        nm_section_set(&sec[k++], "netmetrics_interface_mtu_bytes", NM_METRIC_GAUGE,
                       "Maximum transmission unit of the interface, in bytes.", nm_row_mtu,
                       NULL);
        nm_section_set(&sec[k++], "netmetrics_interface_flag", NM_METRIC_GAUGE,
                       "1 if the interface flag (IFF_*) named by the flag label is set, else 0.",
                       nm_row_flag, &p->flag_frags);
        nm_section_set(&sec[k++], "netmetrics_interface_info", NM_METRIC_INFO,
                       "Interface metadata in labels; the value is always 1.",
                       nm_row_interface_info, NULL);
        nm_section_set(&sec[k++], nm_operstate_family, NM_METRIC_STATESET,
                       "Operational state of the interface (RFC 2863, IF_OPER_*): 1 for the "
                       "state it is in, 0 for the others.",
                       nm_row_operstate, &p->oper_frags);
    }
    if (nm_collector_on(info, NM_COLLECTOR_ADDRESSES))
        nm_section_set(&sec[k++], "netmetrics_interface_address_info", NM_METRIC_INFO,
                       "An address assigned to the interface, in labels; the value is always 1.",
                       nm_row_address_info, NULL);
    if (nm_collector_on(info, NM_COLLECTOR_LINK))
        k += nm_render_link_sections(&sec[k]);
    if (nm_collector_on(info, NM_COLLECTOR_WIRELESS))
        k += nm_render_wireless_sections(&sec[k], info ? info->wireless_ssid : 0);
    if (nm_collector_on(info, NM_COLLECTOR_SPEED) && p->snap)
        k += nm_render_rates_sections(&sec[k], info ? info->rates : NULL);
    nm_section_block(&sec[k++], nm_block_connections, p);
    nm_section_block(&sec[k++], nm_block_self, p);
    p->nsec = k;
}

int nm_render_plan_new(const netmetrics_snapshot *snap, const nm_scrape_info *info,
                       nm_render_plan **out)
{
    nm_render_plan *p = calloc(1, sizeof *p);

    *out = NULL;
    if (!p)
        return -1;
    p->snap = snap;
    if (info) {
        p->info = *info;
        p->infop = &p->info;
    }
    /* Without info or a snapshot, say the collection failed rather than
     * present an empty table as a healthy one. */
    p->collected = info && snap && info->collect_status == NETMETRICS_OK;
    p->n = p->collected ? netmetrics_snapshot_count(snap) : 0;
    p->backend = info ? info->backend : NULL;
    if (!p->backend)
        p->backend = netmetrics_snapshot_backend(snap);
    /* every interface's device label, escaped once for all its families */
    nm_devlabels_init(&p->dl);
    if (nm_devlabels_build(&p->dl, snap, p->n) < 0) {
        nm_render_plan_free(p);
        return -1;
    }
    nm_flag_table_fill(&p->flag_frags.flags);
    nm_frags_fill(&p->flag_frags.frags, "flag", p->flag_frags.flags.name,
                  p->flag_frags.flags.count);
    nm_operstate_frags_fill(&p->oper_frags);
    p->src.snap = snap;
    p->src.dl = &p->dl;
    p->src.rates = info ? info->rates : NULL;
    nm_plan_sections(p);
    *out = p;
    return 0;
}

void nm_render_plan_free(nm_render_plan *p)
{
    if (!p)
        return;
    nm_devlabels_free(&p->dl);
    free(p);
}

/* Undoes a row that did not fit into a buffer that cannot grow. */
static int render_undo(nm_expfmt *w, const nm_expfmt *saved, size_t saved_len)
{
    nm_strbuf *out = w->out;

    *w = *saved;
    out->len = saved_len;
    out->failed = 0;
    if (out->cap)
        out->data[saved_len] = '\0';
    return saved_len ? 0 : NM_RENDER_ROW_TOO_BIG;
}

/* nm_render_step, and with `fixed` nm_render_fill: each row's starting
 * state is kept so a row that does not fit can be undone. */
static int render_run(const nm_render_plan *p, nm_expfmt *w, nm_render_cursor *c, size_t budget,
                      int fixed)
{
    nm_strbuf *out = w->out;
    nm_expfmt saved;
    size_t saved_len;

    while (c->section < p->nsec) {
        const nm_section *sec = &p->sec[c->section];
        size_t rows = sec->per_iface ? p->n : 1;

        /* entered afresh (a family is never resumed at row 0 once begun;
         * an undone row 0 starts it again, which changes nothing) */
        if (c->row == 0 && sec->name)
            nm_expfmt_family(w, sec->name, sec->type, sec->help);
        while (c->row < rows) {
            saved = *w;
            saved_len = out->len;
            sec->row(w, &p->src, sec->arg, c->row);
            if (out->failed)
                return fixed ? render_undo(w, &saved, saved_len) : -1;
            c->row++;
            if (out->len >= budget && c->row < rows)
                return 0;
        }
        c->section++;
        c->row = 0;
        if (out->len >= budget && c->section < p->nsec)
            return 0;
    }
    if (!c->finished) {
        saved = *w;
        saved_len = out->len;
        if (nm_expfmt_finish(w) < 0)
            return fixed ? render_undo(w, &saved, saved_len) : -1;
        c->finished = 1;
    }
    return 1;
}

int nm_render_step(const nm_render_plan *p, nm_expfmt *w, nm_render_cursor *c, size_t budget)
{
    return render_run(p, w, c, budget, 0);
}

int nm_render_fill(const nm_render_plan *p, nm_expfmt *w, nm_render_cursor *c)
{
    return render_run(p, w, c, SIZE_MAX, 1);
}

int nm_render_metrics(nm_strbuf *out, nm_format fmt, const netmetrics_snapshot *snap,
                      const nm_scrape_info *info)
{
    nm_render_plan *p;
    nm_render_cursor c = NM_RENDER_CURSOR_INIT;
    nm_expfmt w;
    int rc;

    if (nm_render_plan_new(snap, info, &p) < 0) {
        out->failed = 1;
        return -1;
    }
    nm_expfmt_init(&w, out, fmt);
    rc = nm_render_step(p, &w, &c, SIZE_MAX);
    nm_render_plan_free(p);
    return rc == 1 ? 0 : -1;
}

const char *nm_format_content_type(nm_format fmt)
{
    if (fmt == NM_FORMAT_OPENMETRICS)
        return "application/openmetrics-text; version=1.0.0; charset=utf-8";
    return "text/plain; version=0.0.4; charset=utf-8";
}

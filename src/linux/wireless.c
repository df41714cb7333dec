/* SPDX-License-Identifier: MIT */
/* nl80211 and /proc/net/wireless transport (see wireless.h). Per scrape:
 * one NL80211_CMD_GET_INTERFACE dump finds the wireless netdevs with their
 * frequency and SSID; for each, a GET_STATION dump gives the associated
 * BSS's signal and transmit bitrate and a GET_SURVEY dump the noise of the
 * channel in use. A machine without Wi-Fi pays one small dump. Then
 * /proc/net/wireless, when it exists, adds link quality and fills what
 * nl80211 did not give. Message walking reuses the rtnetlink walker, which
 * knows nothing of rtnetlink beyond the netlink header. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nl80211.h>

#include "backend.h"
#include "fileio.h"
#include "nl80211_parse.h"
#include "nmerror.h"
#include "procnetwireless_parse.h"
#include "rtnl_parse.h"
#include "strbuf.h"
#include "wireless.h"

#define NM_WL_BUF (32u * 1024u)
#define NM_WL_TIMEOUT_SEC 2
/* Wireless netdevs per machine worth reporting. */
#define NM_WL_MAX_IFACES 64
#define NM_PROC_WIRELESS_MAX (1024u * 1024u)

typedef struct nm_wl_found {
    nm_nl80211_iface iface;
    netmetrics_wireless w;
} nm_wl_found;

struct nm_wireless {
    char proc_root[PATH_MAX];
    int fd;             /* -1: no nl80211 */
    uint16_t family;
    uint32_t portid, seq;
    unsigned char *buf;
    nm_strbuf proc;
    nm_wl_found found[NM_WL_MAX_IFACES];
    size_t nfound;
};

typedef netmetrics_status (*msg_fn)(nm_wireless *w, const nm_rtnl_msg *m, void *arg);

static netmetrics_status send_genl(nm_wireless *w, uint16_t type, uint8_t cmd, uint16_t flags,
                                   int32_t ifindex, const char *family_name, netmetrics_error *err)
{
    unsigned char req[NLMSG_HDRLEN + GENL_HDRLEN + 2 * NLA_HDRLEN + 32];
    struct nlmsghdr h;
    struct genlmsghdr g;
    struct nlattr a;
    struct sockaddr_nl kernel;
    size_t len = NLMSG_HDRLEN + GENL_HDRLEN;
    ssize_t n;

    memset(req, 0, sizeof req);
    memset(&g, 0, sizeof g);
    g.cmd = cmd;
    g.version = 1;
    memcpy(req + NLMSG_HDRLEN, &g, sizeof g);
    if (ifindex > 0) {
        uint32_t v = (uint32_t)ifindex;

        a.nla_len = (uint16_t)(NLA_HDRLEN + sizeof v);
        a.nla_type = NL80211_ATTR_IFINDEX;
        memcpy(req + len, &a, sizeof a);
        memcpy(req + len + NLA_HDRLEN, &v, sizeof v);
        len += NLA_ALIGN(a.nla_len);
    }
    if (family_name) {
        size_t sl = strlen(family_name) + 1;

        a.nla_len = (uint16_t)(NLA_HDRLEN + sl);
        a.nla_type = CTRL_ATTR_FAMILY_NAME;
        memcpy(req + len, &a, sizeof a);
        memcpy(req + len + NLA_HDRLEN, family_name, sl);
        len += NLA_ALIGN(a.nla_len);
    }
    memset(&h, 0, sizeof h);
    h.nlmsg_len = (uint32_t)len;
    h.nlmsg_type = type;
    h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
    h.nlmsg_seq = ++w->seq;
    h.nlmsg_pid = w->portid;
    memcpy(req, &h, sizeof h);
    memset(&kernel, 0, sizeof kernel);
    kernel.nl_family = AF_NETLINK;
    do {
        n = sendto(w->fd, req, len, 0, (const struct sockaddr *)&kernel, sizeof kernel);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return nm_error_errno(err, errno, "nl80211: sending a request");
    return NETMETRICS_OK;
}

/* Sends one request and hands every data message of the answer to fn. */
static netmetrics_status transact(nm_wireless *w, uint16_t type, uint8_t cmd, uint16_t flags,
                                  int32_t ifindex, const char *family_name, msg_fn fn, void *arg,
                                  netmetrics_error *err)
{
    nm_rtnl_walker walker;
    netmetrics_status st;

    st = send_genl(w, type, cmd, flags, ifindex, family_name, err);
    if (st != NETMETRICS_OK)
        return st;
    nm_rtnl_walk_init(&walker);
    nm_rtnl_walk_expect(&walker, w->seq, w->portid);
    while (!nm_rtnl_walk_done(&walker)) {
        ssize_t n;
        nm_rtnl_msg m;
        nm_rtnl_step step;

        do {
            n = recv(w->fd, w->buf, NM_WL_BUF, 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0)
            return nm_error_errno(err, errno, "nl80211: receiving");
        nm_rtnl_walk_buffer(&walker, w->buf, (size_t)n);
        while ((step = nm_rtnl_walk_next(&walker, &m, err)) == NM_RTNL_STEP_MSG) {
            st = fn(w, &m, arg);
            if (st != NETMETRICS_OK)
                return st; /* the socket is closed by the caller on error */
        }
        if (step == NM_RTNL_STEP_ERROR)
            return err ? err->code : NETMETRICS_ERR_NETWORK;
    }
    return NETMETRICS_OK;
}

static netmetrics_status on_family(nm_wireless *w, const nm_rtnl_msg *m, void *arg)
{
    (void)arg;
    return nm_genl_parse_family(m->payload, m->payload_len, &w->family, NULL);
}

static void close_genl(nm_wireless *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}

/* Opens the socket and resolves the family; leaves fd -1 when there is no
 * nl80211 (ENOENT from the controller), no generic netlink, or trouble. */
static void open_genl(nm_wireless *w)
{
    struct sockaddr_nl sa;
    socklen_t salen = sizeof sa;
    struct timeval tv;

    w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (w->fd < 0)
        return;
    tv.tv_sec = NM_WL_TIMEOUT_SEC;
    tv.tv_usec = 0;
    (void)setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK;
    if (bind(w->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        getsockname(w->fd, (struct sockaddr *)&sa, &salen) < 0) {
        close_genl(w);
        return;
    }
    w->portid = sa.nl_pid;
    if (transact(w, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 0, NL80211_GENL_NAME, on_family, NULL,
                 NULL) != NETMETRICS_OK ||
        w->family == 0)
        close_genl(w);
}

nm_wireless *nm_wireless_new(const char *proc_root)
{
    nm_wireless *w;

    if (!proc_root || strlen(proc_root) >= PATH_MAX)
        return NULL;
    w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    strcpy(w->proc_root, proc_root);
    nm_strbuf_init(&w->proc);
    w->buf = malloc(NM_WL_BUF);
    if (!w->buf) {
        free(w);
        return NULL;
    }
    open_genl(w);
    return w;
}

void nm_wireless_free(nm_wireless *w)
{
    if (!w)
        return;
    close_genl(w);
    free(w->buf);
    nm_strbuf_free(&w->proc);
    free(w);
}

const char *nm_wireless_source(const nm_wireless *w)
{
    return w && w->fd >= 0 ? "nl80211" : "proc";
}

static netmetrics_status on_interface(nm_wireless *w, const nm_rtnl_msg *m, void *arg)
{
    nm_nl80211_iface it;
    nm_wl_found *f;

    (void)arg;
    /* One odd message costs its interface, not the others. */
    if (nm_nl80211_parse_interface(m->payload, m->payload_len, &it, NULL) != NETMETRICS_OK ||
        it.ifindex <= 0 || w->nfound >= NM_WL_MAX_IFACES)
        return NETMETRICS_OK;
    f = &w->found[w->nfound++];
    memset(f, 0, sizeof *f);
    f->iface = it;
    if (it.freq_mhz) {
        f->w.frequency_hz = (uint64_t)it.freq_mhz * 1000000u;
        f->w.valid |= NETMETRICS_WIRELESS_FREQUENCY;
    }
    if (it.have_ssid) {
        memcpy(f->w.ssid, it.ssid, it.ssid_len);
        f->w.ssid[it.ssid_len] = '\0';
        f->w.valid |= NETMETRICS_WIRELESS_SSID;
    }
    return NETMETRICS_OK;
}

static netmetrics_status on_station(nm_wireless *w, const nm_rtnl_msg *m, void *arg)
{
    nm_wl_found *f = arg;
    nm_nl80211_station sta;

    (void)w;
    if (nm_nl80211_parse_station(m->payload, m->payload_len, &sta, NULL) != NETMETRICS_OK)
        return NETMETRICS_OK;
    /* A station interface has one peer, its access point; take the first. */
    if (f->w.valid & NETMETRICS_WIRELESS_BSSID)
        return NETMETRICS_OK;
    if (sta.have_mac) {
        memcpy(f->w.bssid, sta.mac, sizeof f->w.bssid);
        f->w.valid |= NETMETRICS_WIRELESS_BSSID;
    }
    if (sta.have_signal) {
        f->w.signal_dbm = sta.signal_dbm;
        f->w.valid |= NETMETRICS_WIRELESS_SIGNAL;
    }
    if (sta.have_bitrate) {
        f->w.tx_bitrate = sta.tx_bitrate_100kbps * 12500u; /* 100 kbit/s to bytes/s */
        f->w.valid |= NETMETRICS_WIRELESS_BITRATE;
    }
    return NETMETRICS_OK;
}

static netmetrics_status on_survey(nm_wireless *w, const nm_rtnl_msg *m, void *arg)
{
    nm_wl_found *f = arg;
    nm_nl80211_survey sv;

    (void)w;
    if (nm_nl80211_parse_survey(m->payload, m->payload_len, &sv, NULL) != NETMETRICS_OK)
        return NETMETRICS_OK;
    if (sv.in_use && sv.have_noise) {
        f->w.noise_dbm = sv.noise_dbm;
        f->w.valid |= NETMETRICS_WIRELESS_NOISE;
    }
    return NETMETRICS_OK;
}

static struct netmetrics_interface *find_iface(netmetrics_snapshot *snap, const char *name)
{
    size_t i;

    for (i = 0; i < snap->count; i++)
        if (strcmp(snap->ifaces[i].name, name) == 0)
            return &snap->ifaces[i];
    return NULL;
}

/* nl80211's values first; /proc fills the gaps. */
static void merge(netmetrics_wireless *dst, const netmetrics_wireless *src)
{
    unsigned add = src->valid & ~dst->valid;

    if (add & NETMETRICS_WIRELESS_SIGNAL)
        dst->signal_dbm = src->signal_dbm;
    if (add & NETMETRICS_WIRELESS_NOISE)
        dst->noise_dbm = src->noise_dbm;
    if (add & NETMETRICS_WIRELESS_QUALITY)
        dst->link_quality = src->link_quality;
    if (add & NETMETRICS_WIRELESS_BITRATE)
        dst->tx_bitrate = src->tx_bitrate;
    if (add & NETMETRICS_WIRELESS_FREQUENCY)
        dst->frequency_hz = src->frequency_hz;
    if (add & NETMETRICS_WIRELESS_SSID)
        memcpy(dst->ssid, src->ssid, sizeof dst->ssid);
    if (add & NETMETRICS_WIRELESS_BSSID)
        memcpy(dst->bssid, src->bssid, sizeof dst->bssid);
    dst->valid |= add;
}

/* Merges src into the interface's statistics, which are made in the
 * snapshot's store only when src adds something (an interface without
 * wireless values costs nothing). -1 when the store cannot grow. */
static int merge_into(netmetrics_snapshot *snap, struct netmetrics_interface *it,
                      const netmetrics_wireless *src)
{
    unsigned have = it->wireless ? it->wireless->valid : 0u;
    netmetrics_wireless *dst;

    if (!(src->valid & ~have))
        return 0;
    dst = nm_snapshot_wireless(snap, it);
    if (!dst)
        return -1;
    merge(dst, src);
    return 0;
}

static netmetrics_status on_wext_row(const nm_wext_row *row, void *arg)
{
    netmetrics_snapshot *snap = arg;
    struct netmetrics_interface *it = find_iface(snap, row->name);

    if (it && merge_into(snap, it, &row->w) < 0)
        return NETMETRICS_ERR_NO_MEMORY;
    return NETMETRICS_OK;
}

static netmetrics_status collect_nl80211(nm_wireless *w, netmetrics_snapshot *snap,
                                         netmetrics_error *err)
{
    netmetrics_status st;
    size_t i;
    int oom = 0;

    w->nfound = 0;
    st = transact(w, w->family, NL80211_CMD_GET_INTERFACE, NLM_F_DUMP, 0, NULL, on_interface,
                  NULL, err);
    for (i = 0; st == NETMETRICS_OK && i < w->nfound; i++) {
        nm_wl_found *f = &w->found[i];
        struct netmetrics_interface *it;

        st = transact(w, w->family, NL80211_CMD_GET_STATION, NLM_F_DUMP, f->iface.ifindex, NULL,
                      on_station, f, err);
        if (st == NETMETRICS_OK && (f->w.valid & NETMETRICS_WIRELESS_BSSID))
            st = transact(w, w->family, NL80211_CMD_GET_SURVEY, NLM_F_DUMP, f->iface.ifindex,
                          NULL, on_survey, f, err);
        /* Match ifindex and name: with fixture roots the table is not the
         * live kernel's, and a name alone may have been reused. */
        it = find_iface(snap, f->iface.name);
        if (it && it->ifindex == f->iface.ifindex && merge_into(snap, it, &f->w) < 0)
            oom = 1;
    }
    if (st != NETMETRICS_OK) {
        /* The answer may be half read: start the next scrape afresh. */
        close_genl(w);
        open_genl(w);
        nm_error_prefix(err, "nl80211");
        return st;
    }
    /* the socket is fine: only this snapshot's statistics are missing */
    if (oom)
        return nm_error_set(err, NETMETRICS_ERR_NO_MEMORY, 0, "nl80211: out of memory");
    return NETMETRICS_OK;
}

netmetrics_status nm_wireless_collect(nm_wireless *w, netmetrics_snapshot *snap,
                                      netmetrics_error *err)
{
    netmetrics_status st = NETMETRICS_OK, pst;
    nm_wext_summary sum;

    if (w->fd >= 0)
        st = collect_nl80211(w, snap, err);
    /* Absent without CONFIG_CFG80211_WEXT or any wireless device: fine. */
    if (nm_read_file(w->proc_root, "net/wireless", NM_PROC_WIRELESS_MAX, &w->proc, NULL) ==
        NETMETRICS_OK) {
        /* only on_wext_row stops the parse, and only when memory runs out */
        pst = nm_procnetwireless_parse(w->proc.data, w->proc.len, on_wext_row, snap, &sum);
        if (pst != NETMETRICS_OK && st == NETMETRICS_OK)
            st = nm_error_set(err, pst, 0, "/proc/net/wireless: out of memory");
    }
    return st;
}

/* SPDX-License-Identifier: MIT */
/* NET_RT_IFLIST2 message walker (see ifmsg_parse.h). Fields are read with
 * memcpy at the offsets of darwin_layout.h, never through a cast struct
 * pointer, so the buffer needs no alignment and no macOS header is needed.
 * Every read is preceded by a bounds check against the message length,
 * which itself was checked against the bytes remaining. */
#include "config.h"

#include <string.h>

#include "classify_darwin.h"
#include "darwin_layout.h"
#include "ifmsg_parse.h"
#include "nmerror.h"

void nm_dw_ifdata_read(const unsigned char *p, nm_dw_ifdata *out)
{
    out->type = p[NM_DW_IFD_TYPE_OFF];
    out->addrlen = p[NM_DW_IFD_ADDRLEN_OFF];
    out->mtu = nm_dw_rd32(p + NM_DW_IFD_MTU_OFF);
    out->baudrate = nm_dw_rd64(p + NM_DW_IFD_BAUDRATE_OFF);
    out->ipackets = nm_dw_rd64(p + NM_DW_IFD_IPACKETS_OFF);
    out->ierrors = nm_dw_rd64(p + NM_DW_IFD_IERRORS_OFF);
    out->opackets = nm_dw_rd64(p + NM_DW_IFD_OPACKETS_OFF);
    out->oerrors = nm_dw_rd64(p + NM_DW_IFD_OERRORS_OFF);
    out->collisions = nm_dw_rd64(p + NM_DW_IFD_COLLISIONS_OFF);
    out->ibytes = nm_dw_rd64(p + NM_DW_IFD_IBYTES_OFF);
    out->obytes = nm_dw_rd64(p + NM_DW_IFD_OBYTES_OFF);
    out->imcasts = nm_dw_rd64(p + NM_DW_IFD_IMCASTS_OFF);
    out->omcasts = nm_dw_rd64(p + NM_DW_IFD_OMCASTS_OFF);
    out->iqdrops = nm_dw_rd64(p + NM_DW_IFD_IQDROPS_OFF);
    out->noproto = nm_dw_rd64(p + NM_DW_IFD_NOPROTO_OFF);
}

/* The sockaddr_dl after the header: `p` and `avail` are what is left of
 * the message. Returns 1 when it is well formed (name 1..15 bytes without
 * NUL, name + address inside sdl_len, sdl_len inside the message). */
static int read_sdl(const unsigned char *p, size_t avail, nm_dw_iflink *l)
{
    size_t sdl_len, nlen, alen;

    if (avail < NM_DW_SDL_DATA_OFF)
        return 0;
    sdl_len = p[NM_DW_SDL_LEN_OFF];
    nlen = p[NM_DW_SDL_NLEN_OFF];
    alen = p[NM_DW_SDL_ALEN_OFF];
    if (p[NM_DW_SDL_FAMILY_OFF] != NM_DW_AF_LINK || sdl_len < NM_DW_SDL_DATA_OFF ||
        sdl_len > avail)
        return 0;
    if (nlen == 0 || nlen >= NM_IFNAME_SIZE || alen > NM_HWADDR_MAX ||
        NM_DW_SDL_DATA_OFF + nlen + alen > sdl_len)
        return 0;
    if (memchr(p + NM_DW_SDL_DATA_OFF, '\0', nlen))
        return 0;
    memcpy(l->name, p + NM_DW_SDL_DATA_OFF, nlen);
    l->name[nlen] = '\0';
    memcpy(l->hwaddr, p + NM_DW_SDL_DATA_OFF + nlen, alen);
    l->hwaddr_len = (uint8_t)alen;
    return 1;
}

static netmetrics_status read_link(const unsigned char *m, size_t msglen, size_t off,
                                   nm_dw_iflink *l, netmetrics_error *err)
{
    uint32_t addrs;

    memset(l, 0, sizeof *l);
    l->offset = off;
    if (m[NM_DW_MSG_VERSION_OFF] != NM_DW_RTM_VERSION)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_IFINFO2 at offset %zu has version %u, expected %u", off,
                            (unsigned)m[NM_DW_MSG_VERSION_OFF], (unsigned)NM_DW_RTM_VERSION);
    if (msglen < NM_DW_IFM2_SIZE)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_IFINFO2 at offset %zu has %zu bytes, if_msghdr2 needs %u", off,
                            msglen, (unsigned)NM_DW_IFM2_SIZE);
    addrs = nm_dw_rd32(m + NM_DW_IFM2_ADDRS_OFF);
    l->bsd_flags = nm_dw_rd32(m + NM_DW_IFM2_FLAGS_OFF);
    l->index = nm_dw_rd16(m + NM_DW_IFM2_INDEX_OFF);
    l->snd_drops = nm_dw_rd32(m + NM_DW_IFM2_SND_DROPS_OFF);
    nm_dw_ifdata_read(m + NM_DW_IFM2_DATA_OFF, &l->data);
    if (l->index == 0)
        return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                            "RTM_IFINFO2 at offset %zu has interface index 0", off);
    /* The sockaddr_dl is the first address only when no address with a
     * lower RTA_ bit precedes it; the kernel sends RTA_IFP alone. */
    if ((addrs & NM_DW_RTA_IFP) &&
        !(addrs & (NM_DW_RTA_DST | NM_DW_RTA_GATEWAY | NM_DW_RTA_NETMASK | NM_DW_RTA_GENMASK)))
        l->have_sdl = read_sdl(m + NM_DW_IFM2_SIZE, msglen - NM_DW_IFM2_SIZE, l);
    return NETMETRICS_OK;
}

netmetrics_status nm_dw_ifmsg_walk(const void *buf, size_t len, nm_dw_ifmsg_cb cb, void *ctx,
                                   nm_dw_ifmsg_summary *sum, netmetrics_error *err)
{
    const unsigned char *b = buf;
    nm_dw_ifmsg_summary local;
    size_t off = 0;

    if (!sum)
        sum = &local;
    memset(sum, 0, sizeof *sum);
    if (!b && len)
        return nm_error_set(err, NETMETRICS_ERR_INVALID, 0, "no buffer");
    while (off < len) {
        size_t rest = len - off, msglen;
        const unsigned char *m = b + off;

        if (rest < NM_DW_MSG_MIN)
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "routing message header cut short at offset %zu (%zu bytes left)",
                                off, rest);
        msglen = nm_dw_rd16(m + NM_DW_MSG_MSGLEN_OFF);
        if (msglen < NM_DW_MSG_MIN)
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "routing message at offset %zu claims %zu bytes", off, msglen);
        if (msglen > rest)
            return nm_error_set(err, NETMETRICS_ERR_PARSE, 0,
                                "routing message at offset %zu claims %zu bytes, %zu left", off,
                                msglen, rest);
        sum->messages++;
        if (m[NM_DW_MSG_TYPE_OFF] == NM_DW_RTM_IFINFO2) {
            nm_dw_iflink link;
            netmetrics_status st = read_link(m, msglen, off, &link, err);

            if (st != NETMETRICS_OK)
                return st;
            if (!link.have_sdl)
                sum->bad_sdl++;
            sum->links++;
            if (cb) {
                st = cb(&link, ctx);
                if (st != NETMETRICS_OK)
                    return st;
            }
        } else {
            sum->skipped++;
        }
        off += msglen;
    }
    return NETMETRICS_OK;
}

uint32_t nm_dw_flags(uint32_t bsd)
{
    uint32_t f = bsd & NM_DW_IFF_LOW_SAME;

    if (bsd & NM_DW_IFF_MULTICAST)
        f |= NETMETRICS_FLAG_MULTICAST;
    return f;
}

int nm_dw_baudrate_known(uint64_t baudrate)
{
    return baudrate != 0 && baudrate != NM_DW_BAUDRATE_UNKNOWN;
}

static void set_stat(struct netmetrics_interface *iface, netmetrics_stat s, uint64_t v)
{
    iface->stats[s] = v;
    iface->stats_valid |= 1u << s;
}

void nm_dw_iflink_fill(const nm_dw_iflink *l, struct netmetrics_interface *iface)
{
    const nm_dw_ifdata *d = &l->data;

    iface->ifindex = l->index;
    if (l->have_sdl) {
        memcpy(iface->name, l->name, sizeof iface->name);
        memcpy(iface->hwaddr, l->hwaddr, l->hwaddr_len);
        iface->hwaddr_len = l->hwaddr_len;
    }
    iface->flags = nm_dw_flags(l->bsd_flags);
    iface->mtu = d->mtu;
    iface->link_type = nm_dw_ift_to_arphrd(d->type);
    if (nm_dw_baudrate_known(d->baudrate)) {
        iface->speed_bytes = d->baudrate / 8;
        iface->link_valid |= NM_LINK_HAVE_SPEED;
    }
    iface->operstate = (uint8_t)(((iface->flags & (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING)) ==
                                  (NETMETRICS_FLAG_UP | NETMETRICS_FLAG_RUNNING))
                                     ? NETMETRICS_OPER_UP
                                     : NETMETRICS_OPER_DOWN);
    set_stat(iface, NETMETRICS_STAT_RX_PACKETS, d->ipackets);
    set_stat(iface, NETMETRICS_STAT_TX_PACKETS, d->opackets);
    set_stat(iface, NETMETRICS_STAT_RX_BYTES, d->ibytes);
    set_stat(iface, NETMETRICS_STAT_TX_BYTES, d->obytes);
    set_stat(iface, NETMETRICS_STAT_RX_ERRORS, d->ierrors);
    set_stat(iface, NETMETRICS_STAT_TX_ERRORS, d->oerrors);
    set_stat(iface, NETMETRICS_STAT_RX_DROPPED, d->iqdrops);
    set_stat(iface, NETMETRICS_STAT_TX_DROPPED, l->snd_drops);
    set_stat(iface, NETMETRICS_STAT_MULTICAST, d->imcasts);
    set_stat(iface, NETMETRICS_STAT_COLLISIONS, d->collisions);
    /* "destined for unsupported protocol": Linux's rx_nohandler. */
    set_stat(iface, NETMETRICS_STAT_RX_NOHANDLER, d->noproto);
}

void nm_dw_ifdata_fill_bytes(const nm_dw_ifdata *d, struct netmetrics_interface *iface)
{
    set_stat(iface, NETMETRICS_STAT_RX_BYTES, d->ibytes);
    set_stat(iface, NETMETRICS_STAT_TX_BYTES, d->obytes);
}

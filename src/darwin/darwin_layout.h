/* SPDX-License-Identifier: MIT */
/* The byte layout of the macOS kernel structures netmetrics reads, written
 * down as offsets and sizes so the parsers that read them are plain portable
 * C: they run (and are tested) on Linux against buffers the tests build, and
 * on macOS against what sysctl and libproc return. Every number here comes
 * from the xnu headers (net/if.h, net/if_var.h, net/if_mib.h, net/route.h,
 * net/if_dl.h, net/if_types.h, sys/proc_info.h); darwin_layout_check.c,
 * compiled only on macOS, asserts each one against the real headers with
 * offsetof/sizeof, so a mistake here cannot build there. Values are in host
 * byte order (the kernel hands out its own structures). Nothing here may
 * include a system header that only macOS has. */
#ifndef NM_DARWIN_LAYOUT_H
#define NM_DARWIN_LAYOUT_H

/* --- route.h: message types and versions ------------------------------ */
#define NM_DW_RTM_VERSION   5     /* RTM_VERSION */
#define NM_DW_RTM_NEWADDR   0xc   /* RTM_NEWADDR: an address (ifa_msghdr) */
#define NM_DW_RTM_IFINFO2   0x12  /* RTM_IFINFO2: an interface (if_msghdr2) */
#define NM_DW_RTM_NEWMADDR2 0x13  /* RTM_NEWMADDR2: a multicast address */
#define NM_DW_RTA_DST       0x1
#define NM_DW_RTA_GATEWAY   0x2
#define NM_DW_RTA_NETMASK   0x4
#define NM_DW_RTA_GENMASK   0x8
#define NM_DW_RTA_IFP       0x10  /* a sockaddr_dl naming the interface */
#define NM_DW_NET_RT_IFLIST2 6    /* sysctl {CTL_NET, PF_ROUTE, 0, 0, this, 0} */

/* --- every routing message starts with these three fields -------------- */
#define NM_DW_MSG_MSGLEN_OFF  0   /* u16 */
#define NM_DW_MSG_VERSION_OFF 2   /* u8 */
#define NM_DW_MSG_TYPE_OFF    3   /* u8 */
#define NM_DW_MSG_MIN         4

/* --- struct if_msghdr2 (net/if.h) -------------------------------------- */
#define NM_DW_IFM2_ADDRS_OFF      4   /* int */
#define NM_DW_IFM2_FLAGS_OFF      8   /* int: if_flags */
#define NM_DW_IFM2_INDEX_OFF      12  /* u16 */
#define NM_DW_IFM2_SND_LEN_OFF    16  /* int */
#define NM_DW_IFM2_SND_MAXLEN_OFF 20  /* int */
#define NM_DW_IFM2_SND_DROPS_OFF  24  /* int: packets dropped by the send queue */
#define NM_DW_IFM2_TIMER_OFF      28  /* int */
#define NM_DW_IFM2_DATA_OFF       32  /* struct if_data64 */
#define NM_DW_IFM2_SIZE           160

/* --- struct if_data64 (net/if_var.h, #pragma pack(4): 4-byte aligned) --- */
#define NM_DW_IFD_TYPE_OFF       0   /* u8: IFT_* */
#define NM_DW_IFD_TYPELEN_OFF    1
#define NM_DW_IFD_PHYSICAL_OFF   2
#define NM_DW_IFD_ADDRLEN_OFF    3
#define NM_DW_IFD_HDRLEN_OFF     4
#define NM_DW_IFD_MTU_OFF        8   /* u32 */
#define NM_DW_IFD_METRIC_OFF     12  /* u32 */
#define NM_DW_IFD_BAUDRATE_OFF   16  /* u64, bits/s */
#define NM_DW_IFD_IPACKETS_OFF   24  /* u64 from here on */
#define NM_DW_IFD_IERRORS_OFF    32
#define NM_DW_IFD_OPACKETS_OFF   40
#define NM_DW_IFD_OERRORS_OFF    48
#define NM_DW_IFD_COLLISIONS_OFF 56
#define NM_DW_IFD_IBYTES_OFF     64
#define NM_DW_IFD_OBYTES_OFF     72
#define NM_DW_IFD_IMCASTS_OFF    80
#define NM_DW_IFD_OMCASTS_OFF    88
#define NM_DW_IFD_IQDROPS_OFF    96
#define NM_DW_IFD_NOPROTO_OFF    104
#define NM_DW_IFD_RECVTIMING_OFF 112 /* u32 */
#define NM_DW_IFD_XMITTIMING_OFF 116 /* u32 */
#define NM_DW_IFD_LASTCHANGE_OFF 120 /* struct timeval32: two int32 */
#define NM_DW_IFD_SIZE           128

/* --- struct ifmibdata (net/if_mib.h) ------------------------------------ */
#define NM_DW_IFMD_NAME_OFF       0   /* char[IFNAMSIZ] */
#define NM_DW_IFMD_NAME_SIZE      16
#define NM_DW_IFMD_PCOUNT_OFF     16  /* unsigned int */
#define NM_DW_IFMD_FLAGS_OFF      20
#define NM_DW_IFMD_SND_LEN_OFF    24
#define NM_DW_IFMD_SND_MAXLEN_OFF 28
#define NM_DW_IFMD_SND_DROPS_OFF  32
#define NM_DW_IFMD_FILLER_OFF     36  /* unsigned int[4] */
#define NM_DW_IFMD_DATA_OFF       52  /* struct if_data64 */
#define NM_DW_IFMD_SIZE           180
/* sysctl {CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, ifindex,
 * IFDATA_GENERAL} -> struct ifmibdata */
#define NM_DW_NETLINK_GENERIC 0
#define NM_DW_IFMIB_IFDATA    2
#define NM_DW_IFDATA_GENERAL  1

/* --- struct sockaddr_dl (net/if_dl.h) ----------------------------------- */
#define NM_DW_SDL_LEN_OFF    0   /* u8: total length */
#define NM_DW_SDL_FAMILY_OFF 1   /* u8: AF_LINK */
#define NM_DW_SDL_INDEX_OFF  2   /* u16 */
#define NM_DW_SDL_TYPE_OFF   4   /* u8: IFT_* */
#define NM_DW_SDL_NLEN_OFF   5   /* u8: name length, no NUL */
#define NM_DW_SDL_ALEN_OFF   6   /* u8: link-layer address length */
#define NM_DW_SDL_SLEN_OFF   7   /* u8: selector length */
#define NM_DW_SDL_DATA_OFF   8   /* name, then address */
#define NM_DW_AF_LINK        18

/* --- flags (net/if.h): the bits that differ from Linux -------------------- */
#define NM_DW_IFF_LOW_SAME   0x3ffu /* UP..ALLMULTI: same bits as Linux */
#define NM_DW_IFF_OACTIVE    0x400u
#define NM_DW_IFF_SIMPLEX    0x800u
#define NM_DW_IFF_MULTICAST  0x8000u

/* --- if_types.h --------------------------------------------------------- */
#define NM_DW_IFT_OTHER      0x1
#define NM_DW_IFT_ETHER      0x6
#define NM_DW_IFT_PPP        0x17
#define NM_DW_IFT_LOOP       0x18
#define NM_DW_IFT_SLIP       0x1c
#define NM_DW_IFT_GIF        0x37
#define NM_DW_IFT_FAITH      0x38
#define NM_DW_IFT_STF        0x39
#define NM_DW_IFT_6LOWPAN    0x40
#define NM_DW_IFT_L2VLAN     0x87
#define NM_DW_IFT_IEEE8023ADLAG 0x88
#define NM_DW_IFT_IEEE1394   0x90
#define NM_DW_IFT_BRIDGE     0xd1
#define NM_DW_IFT_ENC        0xf4
#define NM_DW_IFT_PFLOG      0xf5
#define NM_DW_IFT_PFSYNC     0xf6
#define NM_DW_IFT_PKTAP      0xfe
#define NM_DW_IFT_CELLULAR   0xff

/* --- SIOCGIFFUNCTIONALTYPE answers (net/if.h, ifru_functional_type) ------ */
#define NM_DW_FUNC_UNKNOWN       0
#define NM_DW_FUNC_LOOPBACK      1
#define NM_DW_FUNC_WIRED         2
#define NM_DW_FUNC_WIFI_INFRA    3
#define NM_DW_FUNC_WIFI_AWDL     4
#define NM_DW_FUNC_CELLULAR      5
#define NM_DW_FUNC_INTCOPROC     6
#define NM_DW_FUNC_COMPANIONLINK 7
#define NM_DW_FUNC_MANAGEMENT    8  /* newer SDKs only */

/* ifi_baudrate of 0xFFFFFFFF (or 0) means the driver does not know. */
#define NM_DW_BAUDRATE_UNKNOWN 0xffffffffu

/* --- struct socket_fdinfo (sys/proc_info.h): proc_pidfdinfo(pid, fd,
 * PROC_PIDFDSOCKETINFO) -> a proc_fileinfo (24 bytes) then a socket_info.
 * Natural alignment (no pragma pack); offsets from the start of
 * socket_fdinfo. The in_sockinfo (SOCKINFO_IN) and tcp_sockinfo
 * (SOCKINFO_TCP, which begins with an in_sockinfo) share soi_proto. */
#define NM_DW_SFI_SIZE          792 /* PROC_PIDFDSOCKETINFO_SIZE */
#define NM_DW_SFI_PSI_OFF       24  /* struct socket_info */
#define NM_DW_SFI_SO_OFF        160 /* u64 soi_so: opaque id of the socket */
#define NM_DW_SFI_TYPE_OFF      176 /* int soi_type: SOCK_* */
#define NM_DW_SFI_PROTOCOL_OFF  180 /* int soi_protocol: IPPROTO_* */
#define NM_DW_SFI_FAMILY_OFF    184 /* int soi_family: AF_* */
#define NM_DW_SFI_STATE_OFF     192 /* short soi_state: SOI_S_* */
#define NM_DW_SFI_QLEN_OFF      194 /* short soi_qlen: completed, unaccepted */
#define NM_DW_SFI_QLIMIT_OFF    198 /* short soi_qlimit: listen backlog */
#define NM_DW_SFI_RCV_CC_OFF    208 /* u32 soi_rcv.sbi_cc: bytes queued */
#define NM_DW_SFI_SND_CC_OFF    232 /* u32 soi_snd.sbi_cc */
#define NM_DW_SFI_KIND_OFF      256 /* int soi_kind: SOCKINFO_* */
#define NM_DW_SFI_PROTO_OFF     264 /* soi_proto: in_sockinfo / tcp_sockinfo */
#define NM_DW_SFI_FPORT_OFF     264 /* int insi_fport: network byte order */
#define NM_DW_SFI_LPORT_OFF     268 /* int insi_lport: network byte order */
#define NM_DW_SFI_VFLAG_OFF     288 /* u8 insi_vflag: INI_IPV4 | INI_IPV6 */
#define NM_DW_SFI_FADDR_OFF     296 /* 16 bytes: in4in6_addr or in6_addr */
#define NM_DW_SFI_LADDR_OFF     312
#define NM_DW_SFI_TCP_STATE_OFF 344 /* int tcpsi_state: TSI_S_* */
#define NM_DW_IN46_ADDR4_OFF    12  /* in4in6_addr: 3 pad words, then the IPv4 address */
#define NM_DW_SOCKINFO_IN       1
#define NM_DW_SOCKINFO_TCP      2
#define NM_DW_INI_IPV4          0x1
#define NM_DW_INI_IPV6          0x2
#define NM_DW_SOI_S_ISCONNECTED 0x2
#define NM_DW_AF_INET           2
#define NM_DW_AF_INET6          30  /* not Linux's 10 */
#define NM_DW_IPPROTO_TCP       6
#define NM_DW_IPPROTO_UDP       17
#define NM_DW_PROX_FDTYPE_SOCKET 2  /* proc_fdinfo.proc_fdtype of a socket */

/* tcpsi_state: the BSD TCP states (TSI_S_*), not Linux's numbering. */
#define NM_DW_TSI_S_CLOSED       0
#define NM_DW_TSI_S_LISTEN       1
#define NM_DW_TSI_S_SYN_SENT     2
#define NM_DW_TSI_S_SYN_RECEIVED 3
#define NM_DW_TSI_S_ESTABLISHED  4
#define NM_DW_TSI_S_CLOSE_WAIT   5
#define NM_DW_TSI_S_FIN_WAIT_1   6
#define NM_DW_TSI_S_CLOSING      7
#define NM_DW_TSI_S_LAST_ACK     8
#define NM_DW_TSI_S_FIN_WAIT_2   9
#define NM_DW_TSI_S_TIME_WAIT    10

/* --- reading the fields: unaligned, host byte order --------------------- */
#include <stdint.h>
#include <string.h>

static inline uint16_t nm_dw_rd16(const unsigned char *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline int16_t nm_dw_rd16s(const unsigned char *p)
{
    int16_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t nm_dw_rd32(const unsigned char *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline int32_t nm_dw_rd32s(const unsigned char *p)
{
    int32_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t nm_dw_rd64(const unsigned char *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

#endif

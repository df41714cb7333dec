/* SPDX-License-Identifier: MIT */
/* Compiled on macOS only: ties every offset and size of darwin_layout.h to
 * the system headers, so a wrong number there is a build error here and not
 * a silently misread counter. Nothing in this file runs. */
#include "config.h"

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/proc_info.h>
#include <netinet/in.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/if_mib.h>
#include <net/if_types.h>
#include <net/if_var.h>
#include <net/route.h>

#include "darwin_layout.h"

#define NM_SAME(a, b) _Static_assert((a) == (b), #a " != " #b)

NM_SAME(NM_DW_RTM_VERSION, RTM_VERSION);
NM_SAME(NM_DW_RTM_NEWADDR, RTM_NEWADDR);
NM_SAME(NM_DW_RTM_IFINFO2, RTM_IFINFO2);
NM_SAME(NM_DW_RTM_NEWMADDR2, RTM_NEWMADDR2);
NM_SAME(NM_DW_RTA_DST, RTA_DST);
NM_SAME(NM_DW_RTA_GATEWAY, RTA_GATEWAY);
NM_SAME(NM_DW_RTA_NETMASK, RTA_NETMASK);
NM_SAME(NM_DW_RTA_GENMASK, RTA_GENMASK);
NM_SAME(NM_DW_RTA_IFP, RTA_IFP);
NM_SAME(NM_DW_NET_RT_IFLIST2, NET_RT_IFLIST2);

NM_SAME(NM_DW_MSG_MSGLEN_OFF, offsetof(struct if_msghdr2, ifm_msglen));
NM_SAME(NM_DW_MSG_VERSION_OFF, offsetof(struct if_msghdr2, ifm_version));
NM_SAME(NM_DW_MSG_TYPE_OFF, offsetof(struct if_msghdr2, ifm_type));
NM_SAME(NM_DW_MSG_MSGLEN_OFF, offsetof(struct ifa_msghdr, ifam_msglen));
NM_SAME(NM_DW_MSG_TYPE_OFF, offsetof(struct ifa_msghdr, ifam_type));
NM_SAME(NM_DW_MSG_TYPE_OFF, offsetof(struct ifma_msghdr2, ifmam_type));
NM_SAME(NM_DW_IFM2_ADDRS_OFF, offsetof(struct if_msghdr2, ifm_addrs));
NM_SAME(NM_DW_IFM2_FLAGS_OFF, offsetof(struct if_msghdr2, ifm_flags));
NM_SAME(NM_DW_IFM2_INDEX_OFF, offsetof(struct if_msghdr2, ifm_index));
NM_SAME(NM_DW_IFM2_SND_LEN_OFF, offsetof(struct if_msghdr2, ifm_snd_len));
NM_SAME(NM_DW_IFM2_SND_MAXLEN_OFF, offsetof(struct if_msghdr2, ifm_snd_maxlen));
NM_SAME(NM_DW_IFM2_SND_DROPS_OFF, offsetof(struct if_msghdr2, ifm_snd_drops));
NM_SAME(NM_DW_IFM2_TIMER_OFF, offsetof(struct if_msghdr2, ifm_timer));
NM_SAME(NM_DW_IFM2_DATA_OFF, offsetof(struct if_msghdr2, ifm_data));
NM_SAME(NM_DW_IFM2_SIZE, sizeof(struct if_msghdr2));

NM_SAME(NM_DW_IFD_TYPE_OFF, offsetof(struct if_data64, ifi_type));
NM_SAME(NM_DW_IFD_TYPELEN_OFF, offsetof(struct if_data64, ifi_typelen));
NM_SAME(NM_DW_IFD_PHYSICAL_OFF, offsetof(struct if_data64, ifi_physical));
NM_SAME(NM_DW_IFD_ADDRLEN_OFF, offsetof(struct if_data64, ifi_addrlen));
NM_SAME(NM_DW_IFD_HDRLEN_OFF, offsetof(struct if_data64, ifi_hdrlen));
NM_SAME(NM_DW_IFD_MTU_OFF, offsetof(struct if_data64, ifi_mtu));
NM_SAME(NM_DW_IFD_METRIC_OFF, offsetof(struct if_data64, ifi_metric));
NM_SAME(NM_DW_IFD_BAUDRATE_OFF, offsetof(struct if_data64, ifi_baudrate));
NM_SAME(NM_DW_IFD_IPACKETS_OFF, offsetof(struct if_data64, ifi_ipackets));
NM_SAME(NM_DW_IFD_IERRORS_OFF, offsetof(struct if_data64, ifi_ierrors));
NM_SAME(NM_DW_IFD_OPACKETS_OFF, offsetof(struct if_data64, ifi_opackets));
NM_SAME(NM_DW_IFD_OERRORS_OFF, offsetof(struct if_data64, ifi_oerrors));
NM_SAME(NM_DW_IFD_COLLISIONS_OFF, offsetof(struct if_data64, ifi_collisions));
NM_SAME(NM_DW_IFD_IBYTES_OFF, offsetof(struct if_data64, ifi_ibytes));
NM_SAME(NM_DW_IFD_OBYTES_OFF, offsetof(struct if_data64, ifi_obytes));
NM_SAME(NM_DW_IFD_IMCASTS_OFF, offsetof(struct if_data64, ifi_imcasts));
NM_SAME(NM_DW_IFD_OMCASTS_OFF, offsetof(struct if_data64, ifi_omcasts));
NM_SAME(NM_DW_IFD_IQDROPS_OFF, offsetof(struct if_data64, ifi_iqdrops));
NM_SAME(NM_DW_IFD_NOPROTO_OFF, offsetof(struct if_data64, ifi_noproto));
NM_SAME(NM_DW_IFD_RECVTIMING_OFF, offsetof(struct if_data64, ifi_recvtiming));
NM_SAME(NM_DW_IFD_XMITTIMING_OFF, offsetof(struct if_data64, ifi_xmittiming));
NM_SAME(NM_DW_IFD_LASTCHANGE_OFF, offsetof(struct if_data64, ifi_lastchange));
NM_SAME(NM_DW_IFD_SIZE, sizeof(struct if_data64));
NM_SAME(8, sizeof(((struct if_data64 *)0)->ifi_ibytes));

NM_SAME(NM_DW_IFMD_NAME_OFF, offsetof(struct ifmibdata, ifmd_name));
NM_SAME(NM_DW_IFMD_NAME_SIZE, sizeof(((struct ifmibdata *)0)->ifmd_name));
NM_SAME(NM_DW_IFMD_PCOUNT_OFF, offsetof(struct ifmibdata, ifmd_pcount));
NM_SAME(NM_DW_IFMD_FLAGS_OFF, offsetof(struct ifmibdata, ifmd_flags));
NM_SAME(NM_DW_IFMD_SND_LEN_OFF, offsetof(struct ifmibdata, ifmd_snd_len));
NM_SAME(NM_DW_IFMD_SND_MAXLEN_OFF, offsetof(struct ifmibdata, ifmd_snd_maxlen));
NM_SAME(NM_DW_IFMD_SND_DROPS_OFF, offsetof(struct ifmibdata, ifmd_snd_drops));
NM_SAME(NM_DW_IFMD_FILLER_OFF, offsetof(struct ifmibdata, ifmd_filler));
NM_SAME(NM_DW_IFMD_DATA_OFF, offsetof(struct ifmibdata, ifmd_data));
NM_SAME(NM_DW_IFMD_SIZE, sizeof(struct ifmibdata));
NM_SAME(NM_DW_NETLINK_GENERIC, NETLINK_GENERIC);
NM_SAME(NM_DW_IFMIB_IFDATA, IFMIB_IFDATA);
NM_SAME(NM_DW_IFDATA_GENERAL, IFDATA_GENERAL);

NM_SAME(NM_DW_SDL_LEN_OFF, offsetof(struct sockaddr_dl, sdl_len));
NM_SAME(NM_DW_SDL_FAMILY_OFF, offsetof(struct sockaddr_dl, sdl_family));
NM_SAME(NM_DW_SDL_INDEX_OFF, offsetof(struct sockaddr_dl, sdl_index));
NM_SAME(NM_DW_SDL_TYPE_OFF, offsetof(struct sockaddr_dl, sdl_type));
NM_SAME(NM_DW_SDL_NLEN_OFF, offsetof(struct sockaddr_dl, sdl_nlen));
NM_SAME(NM_DW_SDL_ALEN_OFF, offsetof(struct sockaddr_dl, sdl_alen));
NM_SAME(NM_DW_SDL_SLEN_OFF, offsetof(struct sockaddr_dl, sdl_slen));
NM_SAME(NM_DW_SDL_DATA_OFF, offsetof(struct sockaddr_dl, sdl_data));
NM_SAME(NM_DW_AF_LINK, AF_LINK);

NM_SAME(NM_DW_IFF_OACTIVE, IFF_OACTIVE);
NM_SAME(NM_DW_IFF_SIMPLEX, IFF_SIMPLEX);
NM_SAME(NM_DW_IFF_MULTICAST, IFF_MULTICAST);
NM_SAME(0x1, IFF_UP);
NM_SAME(0x8, IFF_LOOPBACK);
NM_SAME(0x40, IFF_RUNNING);
NM_SAME(0x200, IFF_ALLMULTI);

NM_SAME(NM_DW_IFT_OTHER, IFT_OTHER);
NM_SAME(NM_DW_IFT_ETHER, IFT_ETHER);
NM_SAME(NM_DW_IFT_PPP, IFT_PPP);
NM_SAME(NM_DW_IFT_LOOP, IFT_LOOP);
NM_SAME(NM_DW_IFT_SLIP, IFT_SLIP);
NM_SAME(NM_DW_IFT_GIF, IFT_GIF);
NM_SAME(NM_DW_IFT_FAITH, IFT_FAITH);
NM_SAME(NM_DW_IFT_STF, IFT_STF);
NM_SAME(NM_DW_IFT_L2VLAN, IFT_L2VLAN);
NM_SAME(NM_DW_IFT_IEEE8023ADLAG, IFT_IEEE8023ADLAG);
NM_SAME(NM_DW_IFT_IEEE1394, IFT_IEEE1394);
#ifdef IFT_BRIDGE
NM_SAME(NM_DW_IFT_BRIDGE, IFT_BRIDGE);
#endif
#ifdef IFT_CELLULAR
NM_SAME(NM_DW_IFT_CELLULAR, IFT_CELLULAR);
#endif
#ifdef IFT_PKTAP
NM_SAME(NM_DW_IFT_PKTAP, IFT_PKTAP);
#endif
#ifdef IFT_6LOWPAN
NM_SAME(NM_DW_IFT_6LOWPAN, IFT_6LOWPAN);
#endif

#ifdef IFRTYPE_FUNCTIONAL_UNKNOWN
NM_SAME(NM_DW_FUNC_UNKNOWN, IFRTYPE_FUNCTIONAL_UNKNOWN);
NM_SAME(NM_DW_FUNC_LOOPBACK, IFRTYPE_FUNCTIONAL_LOOPBACK);
NM_SAME(NM_DW_FUNC_WIRED, IFRTYPE_FUNCTIONAL_WIRED);
NM_SAME(NM_DW_FUNC_WIFI_INFRA, IFRTYPE_FUNCTIONAL_WIFI_INFRA);
NM_SAME(NM_DW_FUNC_WIFI_AWDL, IFRTYPE_FUNCTIONAL_WIFI_AWDL);
NM_SAME(NM_DW_FUNC_CELLULAR, IFRTYPE_FUNCTIONAL_CELLULAR);
#endif
#ifdef IFRTYPE_FUNCTIONAL_INTCOPROC
NM_SAME(NM_DW_FUNC_INTCOPROC, IFRTYPE_FUNCTIONAL_INTCOPROC);
#endif
#ifdef IFRTYPE_FUNCTIONAL_COMPANIONLINK
NM_SAME(NM_DW_FUNC_COMPANIONLINK, IFRTYPE_FUNCTIONAL_COMPANIONLINK);
#endif
#ifdef IFRTYPE_FUNCTIONAL_MANAGEMENT
NM_SAME(NM_DW_FUNC_MANAGEMENT, IFRTYPE_FUNCTIONAL_MANAGEMENT);
#endif

/* proc_pidfdinfo(PROC_PIDFDSOCKETINFO): struct socket_fdinfo */
#define NM_SFI(f) offsetof(struct socket_fdinfo, f)
NM_SAME(NM_DW_SFI_SIZE, sizeof(struct socket_fdinfo));
NM_SAME(NM_DW_SFI_SIZE, PROC_PIDFDSOCKETINFO_SIZE);
NM_SAME(NM_DW_SFI_PSI_OFF, NM_SFI(psi));
NM_SAME(NM_DW_SFI_SO_OFF, NM_SFI(psi.soi_so));
NM_SAME(8, sizeof(((struct socket_fdinfo *)0)->psi.soi_so));
NM_SAME(NM_DW_SFI_TYPE_OFF, NM_SFI(psi.soi_type));
NM_SAME(NM_DW_SFI_PROTOCOL_OFF, NM_SFI(psi.soi_protocol));
NM_SAME(NM_DW_SFI_FAMILY_OFF, NM_SFI(psi.soi_family));
NM_SAME(NM_DW_SFI_STATE_OFF, NM_SFI(psi.soi_state));
NM_SAME(2, sizeof(((struct socket_fdinfo *)0)->psi.soi_state));
NM_SAME(NM_DW_SFI_QLEN_OFF, NM_SFI(psi.soi_qlen));
NM_SAME(NM_DW_SFI_QLIMIT_OFF, NM_SFI(psi.soi_qlimit));
NM_SAME(NM_DW_SFI_RCV_CC_OFF, NM_SFI(psi.soi_rcv.sbi_cc));
NM_SAME(NM_DW_SFI_SND_CC_OFF, NM_SFI(psi.soi_snd.sbi_cc));
NM_SAME(NM_DW_SFI_KIND_OFF, NM_SFI(psi.soi_kind));
NM_SAME(NM_DW_SFI_PROTO_OFF, NM_SFI(psi.soi_proto));
NM_SAME(NM_DW_SFI_FPORT_OFF, NM_SFI(psi.soi_proto.pri_in.insi_fport));
NM_SAME(NM_DW_SFI_LPORT_OFF, NM_SFI(psi.soi_proto.pri_in.insi_lport));
NM_SAME(NM_DW_SFI_FPORT_OFF, NM_SFI(psi.soi_proto.pri_tcp.tcpsi_ini.insi_fport));
NM_SAME(NM_DW_SFI_VFLAG_OFF, NM_SFI(psi.soi_proto.pri_in.insi_vflag));
NM_SAME(NM_DW_SFI_FADDR_OFF, NM_SFI(psi.soi_proto.pri_in.insi_faddr));
NM_SAME(NM_DW_SFI_LADDR_OFF, NM_SFI(psi.soi_proto.pri_in.insi_laddr));
NM_SAME(16, sizeof(((struct socket_fdinfo *)0)->psi.soi_proto.pri_in.insi_laddr));
NM_SAME(NM_DW_SFI_TCP_STATE_OFF, NM_SFI(psi.soi_proto.pri_tcp.tcpsi_state));
NM_SAME(NM_DW_IN46_ADDR4_OFF, offsetof(struct in4in6_addr, i46a_addr4));
NM_SAME(NM_DW_SOCKINFO_IN, SOCKINFO_IN);
NM_SAME(NM_DW_SOCKINFO_TCP, SOCKINFO_TCP);
NM_SAME(NM_DW_INI_IPV4, INI_IPV4);
NM_SAME(NM_DW_INI_IPV6, INI_IPV6);
NM_SAME(NM_DW_SOI_S_ISCONNECTED, SOI_S_ISCONNECTED);
NM_SAME(NM_DW_AF_INET, AF_INET);
NM_SAME(NM_DW_AF_INET6, AF_INET6);
NM_SAME(NM_DW_IPPROTO_TCP, IPPROTO_TCP);
NM_SAME(NM_DW_IPPROTO_UDP, IPPROTO_UDP);
NM_SAME(NM_DW_PROX_FDTYPE_SOCKET, PROX_FDTYPE_SOCKET);
NM_SAME(NM_DW_TSI_S_CLOSED, TSI_S_CLOSED);
NM_SAME(NM_DW_TSI_S_LISTEN, TSI_S_LISTEN);
NM_SAME(NM_DW_TSI_S_SYN_SENT, TSI_S_SYN_SENT);
NM_SAME(NM_DW_TSI_S_SYN_RECEIVED, TSI_S_SYN_RECEIVED);
NM_SAME(NM_DW_TSI_S_ESTABLISHED, TSI_S_ESTABLISHED);
NM_SAME(NM_DW_TSI_S_CLOSE_WAIT, TSI_S__CLOSE_WAIT); /* sic: two underscores */
NM_SAME(NM_DW_TSI_S_FIN_WAIT_1, TSI_S_FIN_WAIT_1);
NM_SAME(NM_DW_TSI_S_CLOSING, TSI_S_CLOSING);
NM_SAME(NM_DW_TSI_S_LAST_ACK, TSI_S_LAST_ACK);
NM_SAME(NM_DW_TSI_S_FIN_WAIT_2, TSI_S_FIN_WAIT_2);
NM_SAME(NM_DW_TSI_S_TIME_WAIT, TSI_S_TIME_WAIT);

/* ISO C wants at least one declaration in a translation unit. */
typedef int nm_darwin_layout_checked;

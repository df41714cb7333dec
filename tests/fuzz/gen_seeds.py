#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the seed corpora of the fuzz targets that have no kernel capture
# (gen_rtnl_seeds.py does rtnetlink): small hand-made inputs in the formats
# the parsers read, built from the layouts their headers document, plus
# copies of the unit-test fixtures (with the selector byte some targets
# take first). Deterministic; needs no root. The files are committed; run
# this again only to refresh them.
#   usage: gen_seeds.py CORPUSDIR FIXTURESDIR
import os
import struct
import sys

OUT, FIX = sys.argv[1], sys.argv[2]


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def align4(b):
    return b + bytes(-len(b) % 4)


def attr(t, payload):
    return align4(struct.pack("=HH", 4 + len(payload), t) + payload)


def nlmsg(t, payload, flags=2, seq=1):
    return align4(struct.pack("=IHHII", 16 + len(payload), t, flags, seq, 0) + payload)


DONE = nlmsg(3, struct.pack("=i", 0))

# -- nl80211 / generic netlink ---------------------------------------------------
genl = lambda cmd: struct.pack("=BBH", cmd, 1, 0)
family = nlmsg(16, genl(1) + attr(2, b"nl80211\0") + attr(1, struct.pack("=H", 28)))
iface = nlmsg(28, genl(7) + attr(3, struct.pack("=I", 3)) + attr(4, b"wlan0\0") +
              attr(5, struct.pack("=I", 2)) + attr(38, struct.pack("=I", 5180)) +
              attr(52, b"my-ssid"))
rate = attr(5, struct.pack("=I", 8667))
sta_info = attr(7, struct.pack("=b", -52)) + attr(8 | 0x8000, rate)
station = nlmsg(28, genl(19) + attr(3, struct.pack("=I", 3)) +
                attr(6, bytes([2, 0x11, 0x22, 0x33, 0x44, 0x55])) + attr(21 | 0x8000, sta_info))
survey_info = attr(1, struct.pack("=I", 5180)) + attr(2, struct.pack("=b", -95)) + attr(3, b"")
survey = nlmsg(28, genl(51) + attr(3, struct.pack("=I", 3)) + attr(84 | 0x8000, survey_info))
write("nl80211", "family.bin", family)
write("nl80211", "interface.bin", iface + DONE)
write("nl80211", "station.bin", station + DONE)
write("nl80211", "survey.bin", survey + DONE)

# -- sock_diag: inet_diag_msg (family, state, timer, retrans, id, expires,
# rqueue, wqueue, uid, inode) after the nlmsghdr; first byte: protocol -------
def diag(family, state, sport, dport, src, dst, inode):
    sock_id = struct.pack(">HH", sport, dport) + src.ljust(16, b"\0") + dst.ljust(16, b"\0") + \
        struct.pack("=I", 0) + struct.pack("=II", 0, 0)
    body = struct.pack("=BBBB", family, state, 0, 0) + sock_id + struct.pack("=IIIII", 0, 0, 0, 1000, inode)
    return nlmsg(20, body)

lo4 = bytes([127, 0, 0, 1])
tcp = diag(2, 10, 9100, 0, lo4, b"", 1234) + diag(2, 1, 9100, 41234, lo4, lo4, 1235) + \
    diag(10, 10, 22, 0, b"\0" * 15 + b"\1", b"", 99) + DONE
write("sockdiag", "tcp.bin", b"\0" + tcp)
write("sockdiag", "udp.bin", b"\1" + diag(2, 7, 53, 0, lo4, b"", 77) + DONE)
write("sockdiag", "error.bin", b"\0" + nlmsg(2, struct.pack("=i", -1) + bytes(16)))

# -- /proc/net/tcp and friends: first byte bit0 = IPv6, bit1 = UDP ---------------
for name, sel in (("all_states.txt", 0), ("ipv4.txt", 0), ("ipv6_mapped.txt", 1),
                  ("malformed.txt", 0), ("no_header.txt", 0), ("udp.txt", 2), ("udp6.txt", 3)):
    p = os.path.join(FIX, "proc_net_tcp", name)
    if os.path.exists(p):
        write("proc_net_tcp", name, bytes([sel]) + open(p, "rb").read())

# -- /proc/net/wireless ------------------------------------------------------------
write("procnetwireless", "basic.txt",
      "Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n"
      " face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n"
      " wlan0: 0000   54.  -56.  -256        0      0      0      0     12        0\n"
      "  wlp2s0: 0000   70   -30   -90        0      0      0      0      0        0\n")
write("procnetwireless", "header_only.txt",
      "Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n"
      " face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n")

# -- uevent, speed, duplex: first byte bits 0-1 pick the parser ------------------------
write("uevent", "uevent.txt", b"\x00DEVTYPE=wlan\nINTERFACE=wlan0\nIFINDEX=3\n")
write("uevent", "uevent_bridge.txt", b"\x05DEVTYPE=bridge\nINTERFACE=br0\nIFINDEX=7")
write("uevent", "speed.txt", b"\x0210000\n")
write("uevent", "speed_unknown.txt", b"\x02-1\n")
write("uevent", "duplex.txt", b"\x03full\n")

# -- macOS: netstat fixtures; an NET_RT_IFLIST2 buffer; an ifmibdata -----------------
d = os.path.join(FIX, "darwin")
if os.path.isdir(d):
    for name in sorted(os.listdir(d)):
        if name.startswith("netstat"):
            write("darwin_netstat", name, open(os.path.join(d, name), "rb").read())


def if_data64(mtu, ibytes, obytes):
    b = bytearray(128)
    b[0] = 0x6   # IFT_ETHER
    b[3] = 6     # addrlen
    struct.pack_into("=I", b, 8, mtu)
    struct.pack_into("=Q", b, 16, 1000000000)
    struct.pack_into("=QQ", b, 24, 10, 0)
    struct.pack_into("=QQ", b, 64, ibytes, obytes)
    return bytes(b)


def ifinfo2(index, name, mac):
    sdl = struct.pack("=BBHBBBB", 8 + len(name) + len(mac), 18, index, 0x6, len(name), len(mac), 0) + \
        name + mac
    sdl = sdl + bytes(-len(sdl) % 4)
    hdr = bytearray(160)
    struct.pack_into("=HBB", hdr, 0, 160 + len(sdl), 5, 0x12)
    struct.pack_into("=iiH", hdr, 4, 0x10, 0x8863, index)
    hdr[32:160] = if_data64(1500, 123456, 654321)
    return bytes(hdr) + sdl


write("darwin_ifmsg", "two_links.bin",
      ifinfo2(1, b"lo0", b"") + ifinfo2(4, b"en0", bytes([2, 0x11, 0x22, 0x33, 0x44, 0x55])))
mib = bytearray(180)
mib[0:4] = b"en0\0"
struct.pack_into("=I", mib, 20, 0x8863)
mib[52:180] = if_data64(1500, 5 * 2**32, 7)
write("darwin_ifmib", "en0.bin", bytes(mib))


def sockinfo(family, kind, proto, state, vflag, laddr, faddr, lport, fport, handle,
             soi_state=0, qlen=0, qlimit=0):
    # struct socket_fdinfo per darwin_layout.h: 792 bytes, natural alignment
    b = bytearray(792)
    struct.pack_into("=Q", b, 160, handle)
    struct.pack_into("=iii", b, 176, 2 if proto == 17 else 1, proto, family)
    struct.pack_into("=hhxxh", b, 192, soi_state, qlen, qlimit)
    struct.pack_into("=I", b, 208, 100)
    struct.pack_into("=I", b, 232, 200)
    struct.pack_into("=i", b, 256, kind)
    struct.pack_into("=ii", b, 264, struct.unpack("=H", struct.pack("!H", fport))[0],
                     struct.unpack("=H", struct.pack("!H", lport))[0])
    b[288] = vflag
    for off, a in ((296, faddr), (312, laddr)):
        b[off:off + 16] = a if len(a) == 16 else bytes(12) + a
    struct.pack_into("=i", b, 344, state)
    return bytes(b)


v4 = lambda *o: bytes(o)
AF_INET, AF_INET6 = 2, 30
tcp4 = sockinfo(AF_INET, 2, 6, 4, 1, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 443, 51000, 0x1111)
listen6 = sockinfo(AF_INET6, 2, 6, 1, 3, bytes(16), bytes(16), 9709, 0, 0x2222, 0x80, 3, 128)
mapped = sockinfo(AF_INET6, 2, 6, 4, 1, v4(198, 18, 0, 5), v4(198, 18, 0, 6), 22, 40000, 0x3333)
udp = sockinfo(AF_INET, 1, 17, 0, 1, v4(0, 0, 0, 0), v4(0, 0, 0, 0), 5353, 0, 0x4444)
udp6c = sockinfo(AF_INET6, 1, 17, 0, 2, bytes(15) + b"\x01", bytes(15) + b"\x35", 40000, 53,
                 0x5555, 0x2)
unix = sockinfo(1, 3, 0, 0, 0, bytes(4), bytes(4), 0, 0, 0x6666)
write("darwin_sockinfo", "tcp4.bin", b"\x1f" + tcp4)
write("darwin_sockinfo", "mixed.bin", b"\x10" + tcp4 + listen6 + mapped + udp + udp6c + unix)
write("darwin_sockinfo", "shared.bin", b"\x1f" + tcp4 + tcp4 + listen6 + tcp4[:400])
write("darwin_sockinfo", "udp_only.bin", b"\x0e" + udp + udp6c + tcp4)

# -- the CLI: arguments separated by NUL ---------------------------------------------
write("cli_options", "watch.txt", b"--watch\0--interval=500ms\0--count=3\0-i\0eth0")
write("cli_options", "json.txt", b"--json\0--backend=procfs\0--interface\0lo")
write("cli_options", "bad.txt", b"--interval=-1\0--nope")
write("cli_options", "help.txt", b"-h")

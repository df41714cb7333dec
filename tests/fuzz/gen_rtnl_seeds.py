#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the seed corpora of the rtnetlink fuzz targets: the recv() buffers
# of real RTM_GETLINK, RTM_GETADDR and RTM_GETSTATS dumps, the notification
# datagrams a few changes cause (rtnl_stats, whose target feeds its input
# to the link cache as well), plus a few hand-made edge cases. Run as root: it makes a network namespace with lo, a veth pair, a
# bridge and IPv4/IPv6 addresses (198.18.0.0/15, fd00::/8), dumps it and
# deletes it. The files are committed; run this again only to refresh them.
#   usage: gen_rtnl_seeds.py OUTDIR
#   (writes OUTDIR/rtnl_links, OUTDIR/rtnl_addrs, OUTDIR/rtnl_stats)
import os
import socket
import struct
import subprocess
import sys

NETLINK_ROUTE = 0
RTM_GETLINK, RTM_GETADDR, RTM_GETSTATS = 18, 22, 94
IFLA_STATS_FILTER_LINK_64 = 1
RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR = 1, 5, 9
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_DONE = 3


def dump(msg_type, family_payload):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.bind((0, 0))
    body = family_payload
    hdr = struct.pack("=IHHII", 16 + len(body), msg_type, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    s.send(hdr + body)
    bufs = []
    while True:
        b = s.recv(65536)
        bufs.append(b)
        # Done when the buffer's last message is NLMSG_DONE.
        off, done = 0, False
        while off + 16 <= len(b):
            ln, ty = struct.unpack_from("=IH", b, off)
            if ty == NLMSG_DONE:
                done = True
            if ln < 16:
                break
            off += (ln + 3) & ~3
        if done:
            break
    s.close()
    return bufs


def write(outdir, name, data):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def sh(*args):
    subprocess.run(args, check=True)


def main():
    out = sys.argv[1]
    ns = "nmfuzzseed%d" % os.getpid()
    sh("ip", "netns", "add", ns)
    try:
        ipn = ["ip", "-n", ns]
        sh(*ipn, "link", "set", "lo", "up")
        sh(*ipn, "link", "add", "va", "type", "veth", "peer", "name", 'v"b\\')
        sh(*ipn, "link", "add", "br0", "type", "bridge")
        sh(*ipn, "link", "set", "va", "master", "br0")
        sh(*ipn, "link", "set", "va", "up")
        sh(*ipn, "link", "set", "br0", "up")
        sh(*ipn, "addr", "add", "198.18.0.1/24", "dev", "br0")
        sh(*ipn, "addr", "add", "fd00::1/64", "dev", "br0", "nodad")
        # Dump from inside the namespace: re-exec this script there.
        if os.environ.get("NM_SEED_INSIDE") is None:
            env = dict(os.environ, NM_SEED_INSIDE="1")
            subprocess.run(["ip", "netns", "exec", ns, sys.executable, __file__, out],
                           check=True, env=env)
    finally:
        subprocess.run(["ip", "netns", "del", ns])


def inside():
    out = sys.argv[1]
    ifinfo = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
    for i, b in enumerate(dump(RTM_GETLINK, ifinfo)):
        write(os.path.join(out, "rtnl_links"), "dump_%d.bin" % i, b)
    ifaddr = struct.pack("=BBBBI", socket.AF_UNSPEC, 0, 0, 0, 0)
    for i, b in enumerate(dump(RTM_GETADDR, ifaddr)):
        write(os.path.join(out, "rtnl_addrs"), "dump_%d.bin" % i, b)
    ifstats = struct.pack("=BBHII", socket.AF_UNSPEC, 0, 0, 0, IFLA_STATS_FILTER_LINK_64)
    for i, b in enumerate(dump(RTM_GETSTATS, ifstats)):
        write(os.path.join(out, "rtnl_stats"), "dump_%d.bin" % i, b)
    # Notifications of a few changes: link (AF_UNSPEC, and the bridge's
    # AF_BRIDGE port messages), IPv4 and IPv6 addresses; each datagram, and
    # all of them in one buffer.
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_NONBLOCK, NETLINK_ROUTE)
    s.bind((0, 0))
    for g in (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR):
        s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g)
    sh("ip", "link", "set", "va", "mtu", "1400")
    sh("ip", "link", "set", "va", "nomaster")
    sh("ip", "addr", "add", "198.18.1.1/24", "dev", "va")
    sh("ip", "addr", "add", "fd00::7/64", "dev", "va", "nodad")
    sh("ip", "link", "add", "vn", "type", "veth", "peer", "name", "vm")
    sh("ip", "link", "del", "vn")
    events = []
    while True:
        try:
            events.append(s.recv(65536))
        except BlockingIOError:
            break
    s.close()
    for i, b in enumerate(events):
        write(os.path.join(out, "rtnl_stats"), "event_%d.bin" % i, b)
    write(os.path.join(out, "rtnl_stats"), "events_all.bin", b"".join(events))
    # Edge cases: an empty buffer, a lone NLMSG_DONE, a kernel error.
    done = struct.pack("=IHHIIi", 20, NLMSG_DONE, 2, 1, 0, 0)
    err = struct.pack("=IHHIIi", 36, 2, 0, 1, 0, -95) + bytes(16)
    for t in ("rtnl_links", "rtnl_addrs", "rtnl_stats"):
        write(os.path.join(out, t), "done.bin", done)
        write(os.path.join(out, t), "error.bin", err)
        write(os.path.join(out, t), "empty.bin", b"")


if __name__ == "__main__":
    if os.environ.get("NM_SEED_INSIDE"):
        inside()
    else:
        main()

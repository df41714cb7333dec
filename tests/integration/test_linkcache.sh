#!/bin/sh
# SPDX-License-Identifier: MIT
# The netlink backend's link cache against the kernel. After the first
# scrape the exporter takes interface metadata and addresses from a cache
# kept current by rtnetlink notifications, and only the counters from an
# RTM_GETSTATS dump. In a namespace of its own, between two scrapes, this
# test changes one thing at a time and asserts that the very next scrape
# shows it exactly as the kernel reports it (`ip -d -j addr`, /sys), with no
# stale series:
#  (a) rename (down, rename, up); (b) MTU; (c) peer down and up (carrier,
#  operstate, carrier changes); (d) IPv4 and IPv6 addresses added, then
#  deleted (198.18.0.0/15, fd00::/8); (e) alias, transmit queue length and
#  bridge master; (f) an interface deleted and re-created under the same
#  name (a new ifindex, no series left for the old one); (g) 200 veth pairs
#  added at once, then deleted at once;
#  (h) a resync: 1,500 MTU changes made while nobody scrapes, more than the
#  notification socket holds (a subscriber of our own with the same buffer
#  proves the kernel dropped notifications), then a rename and an alias the
#  exporter can only learn from a full dump.
# Each check compares every interface: ifindex, name, MTU, flags, operstate,
# MAC, kind, master, alias, queue length, carrier, carrier changes,
# addresses, and every counter against /sys (exactly; lo, which carries the
# scrape, within the values read around it). The kernel state is read
# before and after each scrape and the scrape is repeated when it moved
# (DAD, MLD), so a difference is the exporter's, not a race.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3
nm_require_exporter
nm_require_promparse

NS=$(nm_ns cache)
CHECK="$NM_TMP/cachecheck.py"
export NM_INTEGRATION_DIR

cat >"$CHECK" <<'PY'
import errno, json, os, socket, subprocess, sys, time, urllib.request
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse

FAILS = 0
def ok(msg): print("ok: " + msg)
def bad(msg):
    global FAILS
    FAILS += 1
    print("FAIL: " + msg)

COUNTERS = {
    "netmetrics_receive_bytes_total": "rx_bytes",
    "netmetrics_transmit_bytes_total": "tx_bytes",
    "netmetrics_receive_packets_total": "rx_packets",
    "netmetrics_transmit_packets_total": "tx_packets",
    "netmetrics_receive_errors_total": "rx_errors",
    "netmetrics_transmit_errors_total": "tx_errors",
    "netmetrics_receive_drops_total": "rx_dropped",
    "netmetrics_transmit_drops_total": "tx_dropped",
    "netmetrics_receive_multicast_packets_total": "multicast",
    "netmetrics_collisions_total": "collisions",
    "netmetrics_receive_length_errors_total": "rx_length_errors",
    "netmetrics_receive_over_errors_total": "rx_over_errors",
    "netmetrics_receive_crc_errors_total": "rx_crc_errors",
    "netmetrics_receive_frame_errors_total": "rx_frame_errors",
    "netmetrics_receive_fifo_errors_total": "rx_fifo_errors",
    "netmetrics_receive_missed_errors_total": "rx_missed_errors",
    "netmetrics_transmit_aborted_errors_total": "tx_aborted_errors",
    "netmetrics_transmit_carrier_errors_total": "tx_carrier_errors",
    "netmetrics_transmit_fifo_errors_total": "tx_fifo_errors",
    "netmetrics_transmit_heartbeat_errors_total": "tx_heartbeat_errors",
    "netmetrics_transmit_window_errors_total": "tx_window_errors",
    "netmetrics_receive_compressed_packets_total": "rx_compressed",
    "netmetrics_transmit_compressed_packets_total": "tx_compressed",
    "netmetrics_receive_nohandler_packets_total": "rx_nohandler",
    "netmetrics_receive_otherhost_drops_total": None,  # no sysfs file; 0 here
    "netmetrics_interface_carrier_changes_total": "carrier_changes",
}
FLAGS = ["up", "broadcast", "debug", "loopback", "pointopoint", "notrailers", "running",
         "noarp", "promisc", "allmulti", "master", "slave", "multicast", "portsel",
         "automedia", "dynamic", "lower_up", "dormant", "echo"]

def fetch(port):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open("http://127.0.0.1:%d/metrics" % port, timeout=20) as r:
        return r.read()

def read_int(path):
    try:
        with open(path) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None   # carrier: EINVAL while the link is down

def sysfs():
    """name -> counters (statistics/* and carrier_changes), carrier."""
    out = {}
    for n in os.listdir("/sys/class/net"):
        d = "/sys/class/net/%s/" % n
        try:
            files = os.listdir(d + "statistics")
        except OSError:
            continue
        st = {f: read_int(d + "statistics/" + f) for f in files}
        st["carrier_changes"] = read_int(d + "carrier_changes")
        out[n] = {"stats": st, "carrier": read_int(d + "carrier")}
    return out

def ip_state():
    """ifindex -> what the exporter must show, from `ip -d -j addr show`."""
    raw = subprocess.run(["ip", "-d", "-j", "addr", "show"], check=True,
                         stdout=subprocess.PIPE).stdout
    out = {}
    for L in json.loads(raw.decode()):
        flags = set(L["flags"])
        want_flags = {}
        for f in FLAGS:
            # ip prints every IFF_ bit but RUNNING, and NO-CARRIER for UP && !RUNNING
            want_flags[f] = int(("UP" in flags and "NO-CARRIER" not in flags) if f == "running"
                                else f.upper() in flags)
        out[L["ifindex"]] = {
            "name": L["ifname"], "mtu": L["mtu"], "flags": want_flags,
            "operstate": L["operstate"].lower(), "mac": L.get("address", ""),
            "kind": L.get("linkinfo", {}).get("info_kind", ""),
            "master": L.get("master", ""), "alias": L.get("ifalias", ""),
            "txqlen": L.get("txqlen"),
            "addrs": sorted((a["family"], a["local"], str(a["prefixlen"]), a["scope"])
                            for a in L.get("addr_info", [])),
        }
    return out

def scrape_when_still(port):
    """A scrape with the kernel's state (ip, and /sys but lo) the same just
    before and just after it. Returns (metrics, raw, ip, sys before, sys after)."""
    for attempt in range(1, 21):
        ip0, s0 = ip_state(), sysfs()
        raw = fetch(port)
        s1, ip1 = sysfs(), ip_state()
        moved = sorted(n for n in s0 if n != "lo" and (n not in s1 or s0[n] != s1[n]))
        if ip0 == ip1 and not moved and set(s0) == set(s1):
            if attempt > 1:
                print("note: the kernel's state settled after %d scrapes" % attempt)
            return promparse.parse(raw), raw, ip1, s0, s1
        time.sleep(0.5)
    bad("the kernel's state never stayed still around a scrape (moved: %s)" % moved[:5])
    return promparse.parse(raw), raw, ip1, s0, s1

class Index:
    """(metric, device) -> samples: lookups in constant time, so a check of
    hundreds of interfaces stays fast."""
    def __init__(self, m):
        self.by = {}
        for s in m.samples:
            self.by.setdefault((s.name, s.labels.get("device")), []).append(s)
    def series(self, name, dev):
        return self.by.get((name, dev), [])
    def value(self, name, dev, **labels):
        want = dict(labels, device=dev)
        found = [s.value for s in self.series(name, dev) if s.labels == want]
        return found[0] if len(found) == 1 else None

def check(port, save, what):
    m, raw, ip, s0, s1 = scrape_when_still(port)
    x = Index(m)
    with open(save, "wb") as f:
        f.write(raw)
    for part in ("links", "addresses"):
        v = m.value("netmetrics_scrape_collector_success", collector=part, exact=True)
        if v != 1:
            bad("%s: collector %s success is %r" % (what, part, v))
    info = {}
    for s in m.series("netmetrics_interface_info"):
        idx = int(s.labels["ifindex"])
        if idx in info:
            bad("%s: two interface_info series for ifindex %d" % (what, idx))
        info[idx] = s.labels
    if sorted(info) != sorted(ip):
        bad("%s: exported ifindexes %s, kernel %s" % (what, sorted(info), sorted(ip)))
    names = {L["name"] for L in ip.values()}
    stale = sorted({s.labels["device"] for s in m.samples if "device" in s.labels} - names)
    if stale:
        bad("%s: series for devices the kernel does not have: %s" % (what, stale[:5]))
    checked = 0
    for idx, L in sorted(ip.items()):
        lab = info.get(idx)
        if lab is None:
            continue
        dev, errs = L["name"], []
        if lab["device"] != dev:
            errs.append("name %r, want %r" % (lab["device"], dev))
            dev = lab["device"]
        for k in ("mac", "operstate", "kind", "master"):
            if lab.get(k, "") != L[k]:
                errs.append("%s %r, want %r" % (k, lab.get(k), L[k]))
        v = x.value("netmetrics_interface_mtu_bytes", dev)
        if v != L["mtu"]:
            errs.append("mtu %r, want %d" % (v, L["mtu"]))
        for f, want in L["flags"].items():
            v = x.value("netmetrics_interface_flag", dev, flag=f)
            if v != want:
                errs.append("flag %s %r, want %d" % (f, v, want))
        al = [s.labels["alias"] for s in x.series("netmetrics_interface_alias_info", dev)]
        if al != ([L["alias"]] if L["alias"] else []):
            errs.append("alias %r, want %r" % (al, L["alias"]))
        if L["txqlen"] is not None:
            v = x.value("netmetrics_interface_transmit_queue_length", dev)
            if v != L["txqlen"]:
                errs.append("txqlen %r, want %d" % (v, L["txqlen"]))
        got = sorted((s.labels["family"], s.labels["address"], s.labels["prefix_length"],
                      s.labels["scope"])
                     for s in x.series("netmetrics_interface_address_info", dev))
        if got != L["addrs"]:
            errs.append("addresses %s, want %s" % (got, L["addrs"]))
        k0, k1 = s0.get(dev), s1.get(dev)
        if k1 is not None and k1["carrier"] is not None:
            v = x.value("netmetrics_interface_carrier", dev)
            if v != k1["carrier"]:
                errs.append("carrier %r, sysfs %d" % (v, k1["carrier"]))
        if k0 is None or k1 is None:
            errs.append("no sysfs directory")
        else:
            for metric, f in COUNTERS.items():
                v = x.value(metric, dev)
                if v is None:
                    errs.append("no %s" % metric)
                    continue
                lo, hi = (k0["stats"].get(f), k1["stats"].get(f)) if f else (0, 0)
                if lo is None or hi is None:
                    continue
                if not lo <= v <= hi or (dev != "lo" and v != lo):
                    errs.append("%s = %d, sysfs %s = %d..%d" % (metric, v, f, lo, hi))
                checked += 1
        for e in errs[:6]:
            bad("%s: %s (ifindex %d): %s" % (what, dev, idx, e))
    if FAILS == 0:
        ok("%s: %d interfaces as the kernel has them; %d counters equal /sys"
           % (what, len(ip), checked))

def subscribe():
    """A socket like the exporter's notification socket: same groups and
    buffer, never read until drained() (tells whether the kernel dropped)."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_NONBLOCK, 0)
    s.setsockopt(socket.SOL_SOCKET, 33, 1 << 20)  # SO_RCVBUFFORCE, as the exporter
    s.bind((0, 0))
    for g in (1, 5, 9):  # RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR
        s.setsockopt(270, 1, g)  # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
    return s

def cmd_burst(n, batchfile):
    s = subscribe()
    subprocess.run(["ip", "-batch", batchfile], check=True)
    lost, got = 0, 0
    while True:
        try:
            s.recv(1 << 16)
            got += 1
        except BlockingIOError:
            break
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            lost += 1
    if lost:
        ok("burst of %d changes: a subscriber with the exporter's buffer got ENOBUFS "
           "(%d notifications kept)" % (n, got))
    else:
        bad("burst of %d changes did not overflow a 1 MiB notification socket (%d kept): "
            "the resync path is not exercised" % (n, got))

if sys.argv[1] == "check":
    check(int(sys.argv[2]), sys.argv[3], sys.argv[4])
elif sys.argv[1] == "burst":
    cmd_burst(int(sys.argv[2]), sys.argv[3])
sys.exit(1 if FAILS else 0)
PY

# check WHAT: one scrape compared with the kernel, recorded as one assertion.
n=0
check() {
    local t0=$SECONDS
    n=$((n + 1))
    if ip netns exec "$NS" python3 "$CHECK" check "$NM_EXPORTER_PORT" "$NM_TMP/s$n.prom" "$1"; then
        pass "$1 ($((SECONDS - t0)) s)"
    else
        fail "$1"
    fi
}
ipn() { ip -n "$NS" "$@"; }

# ------------------------------------------------------------- the network --
nm_netns_add "$NS"
# No router solicitations or RAs: the links go quiet after DAD and MLD.
ip netns exec "$NS" sysctl -q -w net.ipv6.conf.default.router_solicitations=0 \
    net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.accept_ra=0 >/dev/null ||
    die "sysctl in $NS"
ipn link add p0a type veth peer name p0b || die "veth p0"
ipn link add p1a type veth peer name p1b || die "veth p1"
for i in p0a p0b p1a p1b; do ipn link set "$i" up || die "$i up"; done

nm_start_exporter "$NS" cache --collector.backend=netlink --collector.speed.min-interval=0
check "first scrape (full dumps)"
check "second scrape (cached)"

# (a) rename, which needs the link down
ipn link set p1a down && ipn link set p1a name r1a && ipn link set r1a up || die "rename"
check "(a) rename p1a -> r1a"

# (b) MTU
ipn link set p0a mtu 1400 || die "mtu"
check "(b) MTU 1400 on p0a"

# (c) the peer down (p0a loses its carrier), then up
ipn link set p0b down || die "p0b down"
check "(c) p0b down: p0a without carrier"
ipn link set p0b up || die "p0b up"
check "(c) p0b up again"
# The kernel announces a link-local address it makes itself only once DAD
# is over; while it is tentative only the link's own notification tells
# (the address exists before it). A 60 s DAD keeps it tentative here.
ipn link set r1a down || die "r1a down"
ip netns exec "$NS" sysctl -q -w net.ipv6.neigh.r1a.retrans_time_ms=60000 >/dev/null ||
    die "retrans_time_ms"
ipn link set r1a up || die "r1a up"
check "(c) r1a up, its link-local address tentative"
ipn -j addr show dev r1a | grep -q '"tentative":true' ||
    fail "(c) r1a's link-local address was no longer tentative: this case proved nothing"

# (d) addresses
ipn addr add 198.18.5.1/24 dev p0a && ipn addr add 198.19.7.7/32 dev p0a &&
    ipn addr add fd00::5/64 dev p0a nodad && ipn addr add fd00:1::5/64 dev r1a || die "addr add"
check "(d) IPv4 and IPv6 addresses added"
ipn addr del 198.18.5.1/24 dev p0a && ipn addr del fd00::5/64 dev p0a || die "addr del"
check "(d) addresses deleted"

# (e) alias, queue length, a bridge master
ipn link set p0a alias "to the rack" && ipn link set p0a txqueuelen 77 &&
    ipn link add nmbr0 type bridge && ipn link set p1b master nmbr0 && ipn link set nmbr0 up ||
    die "alias, txqlen, bridge"
check "(e) alias, transmit queue length, bridge master"
ipn link set p1b nomaster || die "nomaster"
check "(e) bridge port released"

# (f) deleted and re-created under the same name
old=$(ip netns exec "$NS" cat /sys/class/net/r1a/ifindex)
ipn link del r1a && ipn link add r1a type veth peer name p1b && ipn link set r1a up ||
    die "re-create r1a"
new=$(ip netns exec "$NS" cat /sys/class/net/r1a/ifindex)
[ "$old" != "$new" ] || die "r1a got its old ifindex $old back"
check "(f) r1a re-created (ifindex $old -> $new)"

# (g) 200 veth pairs at once, then gone at once
: >"$NM_TMP/add.batch"
: >"$NM_TMP/del.batch"
for i in $(seq 1 200); do
    echo "link add nmq$i type veth peer name nmr$i" >>"$NM_TMP/add.batch"
    echo "link del nmq$i" >>"$NM_TMP/del.batch"
done
ip -n "$NS" -batch "$NM_TMP/add.batch" || die "adding 200 veth pairs"
check "(g) 200 veth pairs added"
ip -n "$NS" -batch "$NM_TMP/del.batch" || die "deleting 200 veth pairs"
check "(g) 200 veth pairs deleted, no series left"

# (h) lost notifications: a burst the notification socket cannot hold,
# then changes only a full dump can show
BURST=1500
: >"$NM_TMP/burst.batch"
for i in $(seq 1 $BURST); do
    if [ $((i % 2)) -eq 0 ]; then d=p0a; else d=p0b; fi
    echo "link set $d mtu $((1280 + i % 200))"
done >"$NM_TMP/burst.batch"
{
    echo "link set p0a down"
    echo "link set p0a name z0a"
    echo "link set z0a up"
    echo "link set z0a alias after-the-burst"
    echo "link set p0b mtu 1500"
} >>"$NM_TMP/burst.batch"
if ip netns exec "$NS" python3 "$CHECK" burst "$BURST" "$NM_TMP/burst.batch"; then
    pass "(h) the burst overflowed a notification socket"
else
    fail "(h) the burst overflowed a notification socket"
fi
check "(h) after lost notifications: a resync shows everything"
check "(h) and the cache serves again"
kill -0 "$NM_EXPORTER_PID" 2>/dev/null || fail "the exporter died"

# (i) a kernel without RTM_GETSTATS (before 4.7; the shim makes the kernel
# refuse it as such a kernel does): asked once, then full dumps, and the
# scrapes are as right as ever
SHIM=$top_builddir/tests/integration/.libs/nostats.so
[ -f "$SHIM" ] || die "test shim not built: $SHIM (make check builds it)"
printf '#!/bin/sh\nNM_NOSTATS_LOG=%s LD_PRELOAD=%s exec %s "$@"\n' "$NM_TMP/nostats.log" "$SHIM" \
    "$NM_EXPORTER" >"$NM_TMP/exporter-nostats"
chmod +x "$NM_TMP/exporter-nostats"
REAL_EXPORTER=$NM_EXPORTER
NM_EXPORTER=$NM_TMP/exporter-nostats
nm_start_exporter "$NS" nostats --collector.backend=netlink --collector.speed.min-interval=0
NM_EXPORTER=$REAL_EXPORTER
check "(i) without RTM_GETSTATS: first scrape"
check "(i) without RTM_GETSTATS: second scrape"
ipn link set z0a mtu 1300 && ipn addr add 198.18.9.9/24 dev z0a || die "change for (i)"
check "(i) without RTM_GETSTATS: MTU and address changed"
asked=$(cat "$NM_TMP/nostats.log" 2>/dev/null | wc -l)
if [ "$asked" -eq 1 ]; then
    pass "(i) RTM_GETSTATS asked for once, refused, then full dumps only"
else
    fail "(i) RTM_GETSTATS asked for $asked times, want once"
fi
kill -0 "$NM_EXPORTER_PID" 2>/dev/null || fail "the exporter without RTM_GETSTATS died"
nm_finish

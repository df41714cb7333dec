#!/bin/sh
# SPDX-License-Identifier: MIT
# The exporter against the kernel, in network namespaces of its own.
#
# Two namespaces A and B joined by a veth pair (vA in A, vB in B) carrying
# 198.18.0.0/15 and fd00::/8 addresses. The pair is made quiet (static
# neighbours, no link-local address, so no ARP, ND, RS or DAD) so its
# counters move only with the traffic this test sends, and only across
# that pair or loopback. Exporters run in A (netlink and procfs backends)
# and in B (netlink). Asserted:
#  (a) every exported counter equals the kernel's /sys/class/net/IF/
#      statistics/* read just before and after the scrape (exactly on the
#      quiet veth; between the two reads on lo, which the scrape itself
#      uses), for both backends; procfs rx drops = dropped + missed; procfs
#      leaves out the counters /proc/net/dev folds together; self metrics;
#  (b) N UDP datagrams of a known size from A to B move vA's tx and vB's rx
#      packets by exactly N and bytes by exactly N * frame size, and nothing
#      else (IPv4 and IPv6);
#  (c) both backends agree on counters, MTU, flags, state and addresses;
#  (d) flags, MTU, MAC and addresses match `ip -d -j addr show`;
#  (e) operstate and ifindex match it too;
#  (f) kind="veth" for vA (netlink) and the kind of every link; none (procfs);
#  (g) an interface added during the run appears in the next scrape and
#      leaves no series at all once deleted;
#  (h) hostile interface names (quote, backslash, braces, a non-UTF-8 byte)
#      give text promparse.py accepts, with the label escaped exactly.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3
nm_require_exporter
nm_require_promparse

A=$(nm_ns A)
B=$(nm_ns B)
CHECK="$NM_TMP/nmcheck.py"
export NM_INTEGRATION_DIR

# -------------------------------------------------------------- the checker --
# The comparisons, in Python (run inside a namespace where they need its
# /sys, `ip` or loopback). Prints ok:/FAIL: lines; exits 1 if any failed.
cat >"$CHECK" <<'PY'
import json, os, re, select, socket, subprocess, sys, time, urllib.request
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse

FAILS = 0
def ok(msg): print("ok: " + msg)
def bad(msg):
    global FAILS
    FAILS += 1
    print("FAIL: " + msg)

# exported counter -> the sysfs statistics it equals (summed)
COUNTERS = {
    "netmetrics_receive_bytes_total": ["rx_bytes"],
    "netmetrics_transmit_bytes_total": ["tx_bytes"],
    "netmetrics_receive_packets_total": ["rx_packets"],
    "netmetrics_transmit_packets_total": ["tx_packets"],
    "netmetrics_receive_errors_total": ["rx_errors"],
    "netmetrics_transmit_errors_total": ["tx_errors"],
    "netmetrics_receive_drops_total": ["rx_dropped"],
    "netmetrics_transmit_drops_total": ["tx_dropped"],
    "netmetrics_receive_multicast_packets_total": ["multicast"],
    "netmetrics_collisions_total": ["collisions"],
    "netmetrics_receive_length_errors_total": ["rx_length_errors"],
    "netmetrics_receive_over_errors_total": ["rx_over_errors"],
    "netmetrics_receive_crc_errors_total": ["rx_crc_errors"],
    "netmetrics_receive_frame_errors_total": ["rx_frame_errors"],
    "netmetrics_receive_fifo_errors_total": ["rx_fifo_errors"],
    "netmetrics_receive_missed_errors_total": ["rx_missed_errors"],
    "netmetrics_transmit_aborted_errors_total": ["tx_aborted_errors"],
    "netmetrics_transmit_carrier_errors_total": ["tx_carrier_errors"],
    "netmetrics_transmit_fifo_errors_total": ["tx_fifo_errors"],
    "netmetrics_transmit_heartbeat_errors_total": ["tx_heartbeat_errors"],
    "netmetrics_transmit_window_errors_total": ["tx_window_errors"],
    "netmetrics_receive_compressed_packets_total": ["rx_compressed"],
    "netmetrics_transmit_compressed_packets_total": ["tx_compressed"],
    "netmetrics_receive_nohandler_packets_total": ["rx_nohandler"],
    "netmetrics_receive_otherhost_drops_total": ["rx_otherhost_dropped"],
    # not under statistics/ but a counter all the same (link details)
    "netmetrics_interface_carrier_changes_total": ["carrier_changes"],
}
BASE = list(COUNTERS)[:10]
# what /proc/net/dev folds into other fields: the procfs backend cannot know
FOLDED = ["netmetrics_receive_length_errors_total", "netmetrics_receive_over_errors_total",
          "netmetrics_receive_crc_errors_total", "netmetrics_receive_frame_errors_total",
          "netmetrics_receive_missed_errors_total", "netmetrics_transmit_aborted_errors_total",
          "netmetrics_transmit_carrier_errors_total",
          "netmetrics_transmit_heartbeat_errors_total",
          "netmetrics_transmit_window_errors_total"]
FLAGS = ["up", "broadcast", "debug", "loopback", "pointopoint", "notrailers", "running",
         "noarp", "promisc", "allmulti", "master", "slave", "multicast", "portsel",
         "automedia", "dynamic", "lower_up", "dormant", "echo"]
# counters both backends must agree on (rx drops is checked apart)
AGREE = BASE[:6] + ["netmetrics_transmit_drops_total",
                    "netmetrics_receive_multicast_packets_total", "netmetrics_collisions_total"]

def sources(metric, backend):
    if backend == "procfs" and metric == "netmetrics_receive_drops_total":
        return ["rx_dropped", "rx_missed_errors"]
    return COUNTERS.get(metric)

def label_of(name):
    """The label value the contract promises for a name (bytes): each byte
    that is not UTF-8 becomes the text \\xNN, and a literal backslash that
    would read as such an escape becomes \\x5c."""
    text = name.decode("utf-8", "surrogateescape")
    out = []
    for i, ch in enumerate(text):
        if 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append("\\x%02x" % (ord(ch) - 0xDC00))
        elif ch == "\\" and re.match(r"x[0-9a-fA-F]{2}", text[i + 1:i + 4]):
            out.append("\\x5c")
        else:
            out.append(ch)
    return "".join(out)

def wire_of(label):
    return label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

def fetch(port):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
        return r.read()

def parse(raw, what):
    try:
        return promparse.parse(raw)
    except promparse.ParseError as e:
        bad("%s: promparse rejects the exposition: %s" % (what, e))
        sys.exit(1)

def load(path):
    with open(path, "rb") as f:
        return parse(f.read(), path)

def sysfs_all():
    out = {}
    for n in os.listdir(b"/sys/class/net"):
        d = b"/sys/class/net/" + n
        try:
            with open(d + b"/ifindex") as f:
                idx = int(f.read())
        except (OSError, ValueError):
            continue
        st = {}
        try:
            files = os.listdir(d + b"/statistics")
        except OSError:
            continue
        for f in files:
            try:
                with open(d + b"/statistics/" + f) as fh:
                    st[f.decode()] = int(fh.read())
            except (OSError, ValueError):
                pass
        try:
            with open(d + b"/carrier_changes") as fh:
                st["carrier_changes"] = int(fh.read())
        except (OSError, ValueError):
            pass
        out[idx] = {"name": n, "stats": st}
    return out

def devices(m):
    """ifindex -> device label, from netmetrics_interface_info."""
    out = {}
    for s in m.series("netmetrics_interface_info"):
        try:
            idx = int(s.labels.get("ifindex", ""))
        except ValueError:
            bad("interface_info with bad ifindex %r" % s.labels)
            continue
        if idx in out:
            bad("two interface_info series for ifindex %d" % idx)
        if s.value != 1:
            bad("interface_info{device=%r} is %r, not 1" % (s.labels.get("device"), s.value))
        out[idx] = s.labels.get("device")
    return out

def counters_of(m, dev):
    out = {}
    for name, typ in m.types.items():
        if typ != "counter":
            continue
        for s in m.series(name, device=dev):
            out[name] = int(s.value)
    return out

def check_self(m, backend, what):
    for part in ("links", "addresses"):
        v = m.value("netmetrics_scrape_collector_success", collector=part, exact=True)
        if v != 1:
            bad("%s: scrape_collector_success{collector=%s} is %r" % (what, part, v))
        d = m.value("netmetrics_scrape_collector_duration_seconds", collector=part, exact=True)
        if d is None or not (0 <= d < 10):
            bad("%s: scrape_collector_duration_seconds{collector=%s} is %r" % (what, part, d))
    bi = m.series("netmetrics_collector_backend_info")
    if [(s.labels, s.value) for s in bi] != [({"backend": backend}, 1)]:
        bad("%s: collector_backend_info is %r, want backend=%s" % (what, bi, backend))
    b = m.series("netmetrics_build_info")
    if len(b) != 1 or b[0].value != 1 or set(b[0].labels) != {"version", "os"} \
            or b[0].labels["os"] != "linux":
        bad("%s: build_info is %r" % (what, b))

# (a) ---------------------------------------------------------------------
def cmd_counters(port, backend, exact_names, save):
    exact_names = {n.encode("utf-8", "surrogateescape") for n in exact_names}
    for attempt in range(1, 6):
        before = sysfs_all()
        raw = fetch(port)
        after = sysfs_all()
        moved = [before[i]["name"] for i in before
                 if before[i]["name"] in exact_names and i in after
                 and before[i]["stats"] != after[i]["stats"]]
        if not moved:
            break
        print("note: %r moved during scrape %d; again" % (moved, attempt))
        time.sleep(0.5)
    else:
        bad("%s: %r never stayed still around a scrape (5 tries): not quiet" % (backend, moved))
    with open(save, "wb") as f:
        f.write(raw)
    m = parse(raw, "%s scrape" % backend)
    check_self(m, backend, backend)
    devs = devices(m)
    if set(devs) != set(before) & set(after):
        bad("%s: exported ifindexes %s, kernel has %s" % (backend, sorted(devs), sorted(before)))
    checked = exact = 0
    for idx, dev in sorted(devs.items()):
        if idx not in before or idx not in after:
            continue
        b, a = before[idx]["stats"], after[idx]["stats"]
        got = counters_of(m, dev)
        want = set(BASE) if backend == "procfs" else set(COUNTERS)
        missing = sorted(want - set(got))
        if missing:
            bad("%s %r: counters missing: %s" % (backend, dev, missing))
        if backend == "procfs":
            extra = sorted(set(FOLDED) & set(got))
            if extra:
                bad("procfs %r: exports counters /proc/net/dev folds: %s" % (dev, extra))
        for metric, v in sorted(got.items()):
            src = sources(metric, backend)
            if src is None:
                bad("%s: counter %s has no sysfs counterpart known to this test" % (backend, metric))
                continue
            if any(s not in b or s not in a for s in src):
                # no sysfs file (rx_otherhost_dropped): nothing we send is
                # for another host, so the kernel's count is 0 here
                if v != 0:
                    bad("%s %r %s = %d, want 0 (no sysfs file %s)" % (backend, dev, metric, v, src))
                continue
            lo, hi = sum(b[s] for s in src), sum(a[s] for s in src)
            checked += 1
            if lo == hi:
                exact += 1
                if v != lo:
                    bad("%s %r %s = %d, kernel %s = %d" % (backend, dev, metric, v, "+".join(src), lo))
            elif not lo <= v <= hi:
                bad("%s %r %s = %d, kernel %s went %d..%d around the scrape"
                    % (backend, dev, metric, v, "+".join(src), lo, hi))
    if FAILS == 0:
        ok("%s: %d counters of %d interfaces equal sysfs (%d exactly, %d within the scrape's own "
           "loopback traffic)" % (backend, checked, len(devs), exact, checked - exact))

# (d) (e) (f) ---------------------------------------------------------------
def ip_links():
    out = subprocess.run(["ip", "-d", "-j", "addr", "show"], check=True,
                         stdout=subprocess.PIPE).stdout
    return json.loads(out.decode("utf-8", "surrogateescape"))

def cmd_ipmatch(path, backend):
    m = load(path)
    devs = devices(m)
    links = ip_links()
    if sorted(devs) != sorted(L["ifindex"] for L in links):
        bad("%s: exported ifindexes %s, ip shows %s"
            % (backend, sorted(devs), sorted(L["ifindex"] for L in links)))
    n = 0
    for L in links:
        idx = L["ifindex"]
        name = L["ifname"].encode("utf-8", "surrogateescape")
        dev = devs.get(idx)
        if dev is None:
            bad("%s: %r (ifindex %d) not exported" % (backend, name, idx))
            continue
        n += 1
        if dev != label_of(name):
            bad("%s: ifindex %d is named %r, device label is %r, want %r"
                % (backend, idx, name, dev, label_of(name)))
        info = m.series("netmetrics_interface_info", device=dev)[0].labels
        ipflags = set(L["flags"])
        for f in FLAGS:
            if f == "running":
                # ip prints every IFF_ bit but RUNNING, and NO-CARRIER for
                # UP && !RUNNING
                want = "UP" in ipflags and "NO-CARRIER" not in ipflags
            else:
                want = f.upper() in ipflags
            got = m.value("netmetrics_interface_flag", device=dev, flag=f, exact=True)
            if got != int(want):
                bad("%s %r: flag %s = %r, ip says %d (%s)" % (backend, dev, f, got, want, sorted(ipflags)))
        for g, f in (("netmetrics_interface_up", "up"), ("netmetrics_interface_running", "running")):
            got = m.value(g, device=dev, exact=True)
            if got != m.value("netmetrics_interface_flag", device=dev, flag=f, exact=True):
                bad("%s %r: %s = %r disagrees with flag %s" % (backend, dev, g, got, f))
        try:
            with open(b"/sys/class/net/" + name + b"/carrier") as fh:
                carrier = int(fh.read())
        except (OSError, ValueError):
            carrier = None    # EINVAL while the link is down
        got = m.value("netmetrics_interface_carrier", device=dev, exact=True)
        if carrier is not None and got != carrier:
            bad("%s %r: carrier = %r, sysfs says %d" % (backend, dev, got, carrier))
        got = m.value("netmetrics_interface_mtu_bytes", device=dev, exact=True)
        if got != L["mtu"]:
            bad("%s %r: mtu_bytes = %r, ip says %d" % (backend, dev, got, L["mtu"]))
        if info.get("mac") != L.get("address", ""):
            bad("%s %r: mac = %r, ip says %r" % (backend, dev, info.get("mac"), L.get("address")))
        if info.get("operstate") != L["operstate"].lower():
            bad("%s %r: operstate = %r, ip says %r" % (backend, dev, info.get("operstate"), L["operstate"]))
        if info.get("ifindex") != str(idx):
            bad("%s %r: ifindex = %r, ip says %d" % (backend, dev, info.get("ifindex"), idx))
        kind = L.get("linkinfo", {}).get("info_kind", "")
        if backend == "procfs":
            if info.get("kind", "") != "":
                bad("procfs %r: kind = %r, the procfs backend has no kind" % (dev, info.get("kind")))
        elif info.get("kind") != kind:
            bad("%s %r: kind = %r, ip says %r" % (backend, dev, info.get("kind"), kind))
        want = sorted((a["family"], a["local"], str(a["prefixlen"]), a["scope"])
                      for a in L.get("addr_info", []))
        series = m.series("netmetrics_interface_address_info", device=dev)
        got = sorted((s.labels.get("family"), s.labels.get("address"),
                      s.labels.get("prefix_length"), s.labels.get("scope")) for s in series)
        if got != want:
            bad("%s %r: addresses %s, ip says %s" % (backend, dev, got, want))
        if any(s.value != 1 or set(s.labels) != {"device", "family", "address",
                                                   "prefix_length", "scope"} for s in series):
            bad("%s %r: malformed address_info series %r" % (backend, dev, series))
    if FAILS == 0:
        ok("%s: flags, mtu, mac, operstate, ifindex, kind, carrier and addresses of %d "
           "interfaces match ip -d -j addr" % (backend, n))

# (c) -----------------------------------------------------------------------
def cmd_agree(nl_path, pf_path):
    nl, pf = load(nl_path), load(pf_path)
    dn, dp = devices(nl), devices(pf)
    if dn != dp:
        bad("backends see different interfaces: netlink %r, procfs %r" % (dn, dp))
    for idx, dev in sorted(dn.items()):
        if dp.get(idx) != dev:
            continue
        loop = nl.value("netmetrics_interface_flag", device=dev, flag="loopback") == 1
        cn, cp = counters_of(nl, dev), counters_of(pf, dev)
        pairs = [(c, cn.get(c), cp.get(c)) for c in AGREE]
        # procfs rx drops is netlink's dropped + missed
        if None not in (cn.get("netmetrics_receive_drops_total"),
                        cn.get("netmetrics_receive_missed_errors_total")):
            pairs.append(("netmetrics_receive_drops_total (+missed)",
                          cn["netmetrics_receive_drops_total"] + cn["netmetrics_receive_missed_errors_total"],
                          cp.get("netmetrics_receive_drops_total")))
        for c, a, b in pairs:
            if a is None or b is None:
                bad("%r %s: netlink %r, procfs %r" % (dev, c, a, b))
            elif loop:
                # lo carries the scrapes; procfs was scraped after netlink
                if not a <= b:
                    bad("%r %s: netlink %d > procfs %d, scraped later" % (dev, c, a, b))
            elif a != b:
                bad("%r %s: netlink %d, procfs %d" % (dev, c, a, b))
        for g in ("netmetrics_interface_mtu_bytes", "netmetrics_interface_up",
                  "netmetrics_interface_running"):
            a, b = nl.value(g, device=dev), pf.value(g, device=dev)
            if a != b:
                bad("%r %s: netlink %r, procfs %r" % (dev, g, a, b))
        # carrier is absent when a backend cannot know it (procfs: sysfs
        # says EINVAL while the link is down); where both give it, it agrees
        a = nl.value("netmetrics_interface_carrier", device=dev)
        b = pf.value("netmetrics_interface_carrier", device=dev)
        if a is not None and b is not None and a != b:
            bad("%r carrier: netlink %r, procfs %r" % (dev, a, b))
        elif a != b:
            print("note: %r carrier: netlink %r, procfs %r" % (dev, a, b))
        for f in FLAGS:
            a = nl.value("netmetrics_interface_flag", device=dev, flag=f)
            b = pf.value("netmetrics_interface_flag", device=dev, flag=f)
            if a != b:
                bad("%r flag %s: netlink %r, procfs %r" % (dev, f, a, b))
        ia = dict(nl.series("netmetrics_interface_info", device=dev)[0].labels)
        ib = dict(pf.series("netmetrics_interface_info", device=dev)[0].labels)
        ia.pop("kind", None); ib.pop("kind", None)
        if ia != ib:
            bad("%r interface_info: netlink %r, procfs %r" % (dev, ia, ib))
        sa = sorted(tuple(sorted(s.labels.items())) for s in nl.series("netmetrics_interface_address_info", device=dev))
        sb = sorted(tuple(sorted(s.labels.items())) for s in pf.series("netmetrics_interface_address_info", device=dev))
        if sa != sb:
            bad("%r addresses: netlink %r, procfs %r" % (dev, sa, sb))
    if FAILS == 0:
        ok("netlink and procfs agree on counters, mtu, flags, state and addresses of %d "
           "interfaces" % len(dn))

# (b) -----------------------------------------------------------------------
def cmd_sink(n4, n6, port, ready):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    for s in (s4, s6):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s4.bind(("198.18.0.2", port))
    s6.bind(("fd00::2", port))
    open(ready, "w").close()
    got = {s4: 0, s6: 0}
    deadline = time.time() + 20
    while (got[s4] < n4 or got[s6] < n6) and time.time() < deadline:
        r, _, _ = select.select([s4, s6], [], [], 0.5)
        for s in r:
            s.recv(65536)
            got[s] += 1
    print(got[s4], got[s6])

def cmd_send(n4, size4, n6, size6, port):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s4.bind(("198.18.0.1", 0))
    for i in range(n4):
        s4.sendto(bytes([i & 255]) * size4, ("198.18.0.2", port))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.bind(("fd00::1", 0))
    for i in range(n6):
        s6.sendto(bytes([i & 255]) * size6, ("fd00::2", port))

def cmd_sysfs(name, out):
    d = "/sys/class/net/%s/statistics/" % name
    st = {f: int(open(d + f).read()) for f in os.listdir(d)}
    with open(out, "w") as f:
        json.dump(st, f)

def cmd_traffic(a0, a1, b0, b1, sa0, sa1, sb0, sb1, n4, size4, n6, size6):
    frame4 = size4 + 8 + 20 + 14    # UDP, IPv4, Ethernet; veth counts no FCS
    frame6 = size6 + 8 + 40 + 14    # UDP, IPv6, Ethernet
    pk, by = n4 + n6, n4 * frame4 + n6 * frame6
    print("note: %d x %d-byte IPv4 frames + %d x %d-byte IPv6 frames = %d packets, %d bytes"
          % (n4, frame4, n6, frame6, pk, by))
    sysd = {}
    for k, p0, p1 in (("vA", sa0, sa1), ("vB", sb0, sb1)):
        s0, s1 = json.load(open(p0)), json.load(open(p1))
        sysd[k] = {f: s1[f] - s0[f] for f in s0}
    expd = {}
    for k, p0, p1 in (("vA", a0, a1), ("vB", b0, b1)):
        c0, c1 = counters_of(load(p0), k), counters_of(load(p1), k)
        expd[k] = {c: c1[c] - c0[c] for c in c0 if c in c1}
    want = [
        ("vA", "netmetrics_transmit_packets_total", "tx_packets", pk),
        ("vA", "netmetrics_transmit_bytes_total", "tx_bytes", by),
        ("vB", "netmetrics_receive_packets_total", "rx_packets", pk),
        ("vB", "netmetrics_receive_bytes_total", "rx_bytes", by),
        ("vA", "netmetrics_receive_packets_total", "rx_packets", 0),
        ("vA", "netmetrics_receive_bytes_total", "rx_bytes", 0),
        ("vB", "netmetrics_transmit_packets_total", "tx_packets", 0),
        ("vB", "netmetrics_transmit_bytes_total", "tx_bytes", 0),
    ]
    for dev, c, s, v in want:
        if sysd[dev][s] != v:
            bad("kernel: %s %s moved by %d, want %d (test traffic not alone on the veth?)"
                % (dev, s, sysd[dev][s], v))
        if expd[dev].get(c) != v:
            bad("exporter: %s %s moved by %r, want %d" % (dev, c, expd[dev].get(c), v))
    for dev in ("vA", "vB"):
        for c, d in sorted(expd[dev].items()):
            if ("error" in c or "drop" in c) and d != 0:
                bad("exporter: %s %s moved by %d" % (dev, c, d))
    if FAILS == 0:
        ok("traffic: vA tx and vB rx moved by exactly %d packets and %d bytes, nothing else "
           "moved" % (pk, by))

# (g) (h) -------------------------------------------------------------------
def all_devices(m):
    return {s.labels["device"] for s in m.samples if "device" in s.labels}

def cmd_present(path, *names):
    m = load(path)
    have = all_devices(m)
    for n in names:
        if n not in have:
            bad("%s: no series for %r" % (path, n))
        elif not m.series("netmetrics_receive_bytes_total", device=n) or \
                not m.series("netmetrics_interface_info", device=n):
            bad("%s: %r lacks counters or info" % (path, n))
    if FAILS == 0:
        ok("%s: %s present" % (os.path.basename(path), ", ".join(names)))

def cmd_absent(path, *names):
    m = load(path)
    stale = [s for s in m.samples if s.labels.get("device") in names]
    for s in stale[:5]:
        bad("%s: stale series %s%r" % (path, s.name, s.labels))
    if not stale:
        ok("%s: no series left for %s" % (os.path.basename(path), ", ".join(names)))

def cmd_hostile(path, *hexnames):
    with open(path, "rb") as f:
        raw = f.read()
    m = parse(raw, path)
    have = all_devices(m)
    per_device = [n for n, t in m.types.items()
                  if n.startswith("netmetrics_") and m.series(n, device="lo")]
    for h in hexnames:
        name = bytes.fromhex(h)
        label = label_of(name)
        wire = b'device="' + wire_of(label).encode() + b'"'
        if label not in have:
            bad("%s: no series for %r (want label %r)" % (path, name, label))
            continue
        if wire not in raw:
            bad("%s: %r not written as %r" % (path, name, wire))
        lacking = [n for n in per_device if not m.series(n, device=label)
                   and n not in ("netmetrics_interface_address_info",
                                 "netmetrics_interface_carrier")]
        if lacking:
            bad("%s: %r lacks %s" % (path, name, lacking))
        ok("%s: %r is %s" % (os.path.basename(path), name, wire.decode()))

cmds = {"counters": lambda p, b, save, *ex: cmd_counters(int(p), b, ex, save),
        "ipmatch": cmd_ipmatch, "agree": cmd_agree, "sysfs": cmd_sysfs,
        "sink": lambda a, b, p, r: cmd_sink(int(a), int(b), int(p), r),
        "send": lambda a, b, c, d, p: cmd_send(int(a), int(b), int(c), int(d), int(p)),
        "traffic": lambda *a: cmd_traffic(*(a[:8] + tuple(int(x) for x in a[8:]))),
        "present": cmd_present, "absent": cmd_absent, "hostile": cmd_hostile}
cmds[sys.argv[1]](*sys.argv[2:])
sys.exit(1 if FAILS else 0)
PY

# run_check WHAT NS MODE ARGS...: runs the checker (in NS unless ""), records
# its result as one assertion named WHAT.
run_check() {
    local what=$1 ns=$2
    shift 2
    if nm_in_ns "$ns" python3 "$CHECK" "$@"; then
        pass "$what"
    else
        fail "$what"
    fi
}

# ------------------------------------------------------------- the network --
nm_netns_add "$A"
nm_netns_add "$B"

# Hostile names, created first so every check below meets them. They stay
# down: no traffic on them.
HOSTILE1='we"ir\d'
HOSTILE2=$(printf 'nm\377x')
HOSTILE3='nm{a=b,c}#'
HOSTILE4='nm\xffx' # ASCII: must not share a label with HOSTILE2
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
ip -n "$A" link add "$HOSTILE1" type veth peer name nmthp1 || die "ip link add '$HOSTILE1' failed"
ip -n "$A" link add "$HOSTILE3" type veth peer name nmthp3 || die "ip link add '$HOSTILE3' failed"
ip -n "$A" link add "$HOSTILE4" type veth peer name nmthp4 || die "ip link add '$HOSTILE4' failed"
HOSTILE_HEX="$(hex "$HOSTILE1") $(hex "$HOSTILE3") $(hex "$HOSTILE4") $(hex nmthp1)"
if ip -n "$A" link add "$HOSTILE2" type veth peer name nmthp2 2>/dev/null; then
    HOSTILE_HEX="$HOSTILE_HEX $(hex "$HOSTILE2")"
else
    echo "note: ip refuses a name with a non-UTF-8 byte; testing without it"
fi

# The quiet pair: no generated link-local address (addrgenmode none), IPv6
# addresses without DAD (nodad), no router solicitations (accept_ra=0,
# router_solicitations=0: the fe80::1 we add would otherwise start RS at 4,
# 12, 28 s...), static neighbours (so no ARP or ND).
ip -n "$A" link add vA type veth peer name vB netns "$B" || die "cannot create veth vA/vB"
for ns_dev in "$A vA" "$B vB"; do
    set -- $ns_dev
    ip -n "$1" link set "$2" addrgenmode none || die "addrgenmode none on $2"
    ip netns exec "$1" sysctl -q -w "net.ipv6.conf.$2.accept_ra=0" \
        "net.ipv6.conf.$2.router_solicitations=0" >/dev/null || die "sysctl on $2"
done
ip -n "$A" addr add 198.18.0.1/24 dev vA &&
    ip -n "$A" addr add 198.19.0.1/32 dev vA &&
    ip -n "$A" addr add fd00::1/64 dev vA nodad &&
    ip -n "$A" addr add fe80::1/64 dev vA nodad &&
    ip -n "$B" addr add 198.18.0.2/24 dev vB &&
    ip -n "$B" addr add fd00::2/64 dev vB nodad ||
    die "cannot add the test addresses"
MAC_A=$(ip netns exec "$A" cat /sys/class/net/vA/address)
MAC_B=$(ip netns exec "$B" cat /sys/class/net/vB/address)
ip -n "$A" neigh add 198.18.0.2 lladdr "$MAC_B" dev vA nud permanent || die "static neighbour"
ip -n "$A" neigh add fd00::2 lladdr "$MAC_B" dev vA nud permanent || die "static neighbour"
ip -n "$B" neigh add 198.18.0.1 lladdr "$MAC_A" dev vB nud permanent || die "static neighbour"
ip -n "$B" neigh add fd00::1 lladdr "$MAC_A" dev vB nud permanent || die "static neighbour"
ip -n "$A" link set vA up || die "vA up"
ip -n "$B" link set vB up || die "vB up"

# Bringing the pair up still sends MLDv2 reports for the solicited-node
# groups (measured: 3 from vA, 2 from vB, all within 2 s of link up; then
# nothing over 40 s). Wait until neither end moves for 2 s.
veth_stats() {
    ip netns exec "$A" sh -c 'cd /sys/class/net/vA/statistics && grep -H . *' | tr '\n' ' '
    ip netns exec "$B" sh -c 'cd /sys/class/net/vB/statistics && grep -H . *' | tr '\n' ' '
}
veth_packets() {
    echo "vA tx $(ip netns exec "$A" cat /sys/class/net/vA/statistics/tx_packets)" \
        "rx $(ip netns exec "$A" cat /sys/class/net/vA/statistics/rx_packets)," \
        "vB tx $(ip netns exec "$B" cat /sys/class/net/vB/statistics/tx_packets)" \
        "rx $(ip netns exec "$B" cat /sys/class/net/vB/statistics/rx_packets)"
}
quiet=
start=$SECONDS
prev=$(veth_stats)
while [ $((SECONDS - start)) -lt 30 ]; do
    sleep 2
    cur=$(veth_stats)
    if [ "$cur" = "$prev" ]; then
        quiet=yes
        break
    fi
    prev=$cur
done
[ -n "$quiet" ] || die "the veth pair did not go quiet within 30 s: $(veth_packets)"
pass "veth quiet: no counter moved over 2 s (after $((SECONDS - start)) s; packets since up: $(veth_packets))"

# ------------------------------------------------------------ the exporters --
# min-interval 0: this test compares every scrape with sysfs read just
# before it, so no scrape may reuse the previous snapshot.
nm_start_exporter "$A" netlink-A --collector.backend=netlink --collector.speed.min-interval=0
PORT_NL=$NM_EXPORTER_PORT PID_NL=$NM_EXPORTER_PID
nm_start_exporter "$A" procfs-A --collector.backend=procfs --collector.speed.min-interval=0
PORT_PF=$NM_EXPORTER_PORT PID_PF=$NM_EXPORTER_PID
nm_start_exporter "$B" netlink-B --collector.backend=netlink --collector.speed.min-interval=0
PORT_B=$NM_EXPORTER_PORT PID_B=$NM_EXPORTER_PID

# (a) counters equal sysfs around the scrape; vA and vB must be exact
run_check "(a) netlink counters = sysfs in A" "$A" counters "$PORT_NL" netlink "$NM_TMP/nl0.prom" vA
run_check "(a) procfs counters = sysfs in A" "$A" counters "$PORT_PF" procfs "$NM_TMP/pf0.prom" vA
run_check "(a) netlink counters = sysfs in B" "$B" counters "$PORT_B" netlink "$NM_TMP/b0.prom" vB

# (c) the backends agree (netlink scraped, then procfs)
nm_scrape_to "$A" "$PORT_NL" "$NM_TMP/nl1.prom"
nm_scrape_to "$A" "$PORT_PF" "$NM_TMP/pf1.prom"
run_check "(c) netlink and procfs agree" "" agree "$NM_TMP/nl1.prom" "$NM_TMP/pf1.prom"

# (d) (e) (f) against ip, for both backends and in B
run_check "(d)(e)(f) netlink matches ip in A" "$A" ipmatch "$NM_TMP/nl1.prom" netlink
run_check "(d)(e)(f) procfs matches ip in A" "$A" ipmatch "$NM_TMP/pf1.prom" procfs
run_check "(d)(e)(f) netlink matches ip in B" "$B" ipmatch "$NM_TMP/b0.prom" netlink
if nm_promparse "$NM_TMP/nl1.prom" --value netmetrics_interface_info device=vA kind=veth >/dev/null; then
    pass "(f) netmetrics_interface_info{device=\"vA\",kind=\"veth\"} with netlink"
else
    fail "(f) no netmetrics_interface_info{device=\"vA\",kind=\"veth\"} with netlink"
fi

# (b) known traffic from A to B
N4=100 SIZE4=200 N6=50 SIZE6=300 UPORT=9
ip netns exec "$A" python3 "$CHECK" sysfs vA "$NM_TMP/sa0.json" || die "read sysfs in A"
ip netns exec "$B" python3 "$CHECK" sysfs vB "$NM_TMP/sb0.json" || die "read sysfs in B"
nm_scrape_to "$A" "$PORT_NL" "$NM_TMP/ta0.prom"
nm_scrape_to "$B" "$PORT_B" "$NM_TMP/tb0.prom"
ip netns exec "$B" python3 "$CHECK" sink "$N4" "$N6" "$UPORT" "$NM_TMP/sink.ready" \
    >"$NM_TMP/sink.out" 2>&1 &
SINK=$!
nm_track_pid "$SINK"
for i in $(seq 50); do
    [ -e "$NM_TMP/sink.ready" ] && break
    kill -0 "$SINK" 2>/dev/null || break
    sleep 0.1
done
[ -e "$NM_TMP/sink.ready" ] || die "UDP sink in B did not start: $(cat "$NM_TMP/sink.out")"
ip netns exec "$A" python3 "$CHECK" send "$N4" "$SIZE4" "$N6" "$SIZE6" "$UPORT" || die "UDP send from A failed"
wait "$SINK"
got=$(cat "$NM_TMP/sink.out")
[ "$got" = "$N4 $N6" ] || fail "(b) UDP sink in B received '$got', want '$N4 $N6'"
ip netns exec "$A" python3 "$CHECK" sysfs vA "$NM_TMP/sa1.json" || die "read sysfs in A"
ip netns exec "$B" python3 "$CHECK" sysfs vB "$NM_TMP/sb1.json" || die "read sysfs in B"
nm_scrape_to "$A" "$PORT_NL" "$NM_TMP/ta1.prom"
nm_scrape_to "$B" "$PORT_B" "$NM_TMP/tb1.prom"
run_check "(b) counters moved by exactly the traffic sent" "" traffic \
    "$NM_TMP/ta0.prom" "$NM_TMP/ta1.prom" "$NM_TMP/tb0.prom" "$NM_TMP/tb1.prom" \
    "$NM_TMP/sa0.json" "$NM_TMP/sa1.json" "$NM_TMP/sb0.json" "$NM_TMP/sb1.json" \
    "$N4" "$SIZE4" "$N6" "$SIZE6"
# and, after the traffic, counters still equal sysfs exactly
run_check "(a) after traffic: netlink counters = sysfs in A" "$A" counters "$PORT_NL" netlink "$NM_TMP/nl2.prom" vA
run_check "(a) after traffic: netlink counters = sysfs in B" "$B" counters "$PORT_B" netlink "$NM_TMP/b2.prom" vB

# (h) hostile names: accepted by promparse, escaped exactly
run_check "(h) hostile names, netlink" "" hostile "$NM_TMP/nl1.prom" $HOSTILE_HEX
run_check "(h) hostile names, procfs" "" hostile "$NM_TMP/pf1.prom" $HOSTILE_HEX

# (g) an interface added during the run comes and goes
ip -n "$A" link add nmtdyn0 type veth peer name nmtdyn1 || die "ip link add nmtdyn0"
ip -n "$A" addr add 198.18.9.1/24 dev nmtdyn0 || die "ip addr add on nmtdyn0"
for be in nl pf; do
    port=$PORT_NL
    [ "$be" = pf ] && port=$PORT_PF
    nm_scrape_to "$A" "$port" "$NM_TMP/$be-dyn1.prom"
    run_check "(g) $be: new interface appears" "" present "$NM_TMP/$be-dyn1.prom" nmtdyn0 nmtdyn1
done
run_check "(g) new interface matches ip (netlink)" "$A" ipmatch "$NM_TMP/nl-dyn1.prom" netlink
ip -n "$A" link del nmtdyn0 || die "ip link del nmtdyn0"
for be in nl pf; do
    port=$PORT_NL
    [ "$be" = pf ] && port=$PORT_PF
    nm_scrape_to "$A" "$port" "$NM_TMP/$be-dyn2.prom"
    run_check "(g) $be: deleted interface leaves no series" "" absent "$NM_TMP/$be-dyn2.prom" nmtdyn0 nmtdyn1
done

# The exporters are still alive after all this.
for tag_pid in "netlink-A $PID_NL" "procfs-A $PID_PF" "netlink-B $PID_B"; do
    set -- $tag_pid
    kill -0 "$2" 2>/dev/null || fail "exporter $1 (pid $2) died during the test"
done
nm_finish

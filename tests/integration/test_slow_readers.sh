#!/bin/sh
# SPDX-License-Identifier: MIT
# Streamed responses and clients that stop reading. A metrics response is
# rendered while it is sent, from a frame that keeps its collection's
# snapshot unchanged until the response ends; the next collections use other
# snapshots. Here, in a namespace of its own with 150 veth pairs (301
# interfaces, a body of about a megabyte) and socket buffers made small so a
# body cannot hide in them, three clients ask for /metrics and then stop
# reading. While they stall:
#  - 20 scrapes by a well-behaved client all succeed, each a complete,
#    parseable exposition of every interface with counters that do not go
#    backwards from one scrape to the next; a stalled frame delays a
#    collection by at most the pool's wait (250 ms) per extra stalled
#    snapshot, never blocks it (the slowest scrape stays under 2 s);
#  - the exporter's memory stays bounded (RSS under 32 MB);
# and then the stalled clients read on and each gets a complete, parseable
# body with every interface: their frames were not overwritten by the
# collections made meanwhile (the counters they show are no later than the
# well-behaved client's first scrape; lo carried all 20 since).
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip python3
nm_require_exporter
nm_require_promparse

NS=$(nm_ns slow)
PAIRS=150
nm_netns_add "$NS"
for i in $(seq 1 $PAIRS); do
    echo "link add sr${i}a type veth peer name sr${i}b"
done >"$NM_TMP/links.batch"
ip -n "$NS" -batch "$NM_TMP/links.batch" || die "cannot create $PAIRS veth pairs"
for i in $(seq 1 $PAIRS); do
    echo "link set sr${i}a up"
    echo "link set sr${i}b up"
done >"$NM_TMP/up.batch"
ip -n "$NS" -batch "$NM_TMP/up.batch" || die "cannot bring the veth pairs up"
# Small TCP buffers in this namespace only: a stalled reader holds its
# response after some kilobytes, not after megabytes of kernel buffers.
ip netns exec "$NS" sysctl -qw net.ipv4.tcp_wmem="4096 16384 32768" \
    net.ipv4.tcp_rmem="4096 16384 32768" || die "cannot set the namespace's TCP buffers"
WANT=$((2 * PAIRS + 1))

# A connection timeout longer than the test: parsing 20 bodies takes this
# script several seconds, and the stalled connections must outlive it.
nm_start_exporter "$NS" slow --collector.speed.min-interval=0 --web.connection-timeout=120
export NM_INTEGRATION_DIR

cat >"$NM_TMP/slow.py" <<'PY'
import os, socket, subprocess, sys, time
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse

PORT, WANT, PID = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

def say(ok, what):
    print(("ok: " if ok else "FAIL: ") + what, flush=True)

def request():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    return s

def read_all(s):
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    return data

def dechunk(raw):
    """The body of a chunked HTTP/1.1 answer; None when it is not one, or
    is cut short (no last chunk)."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1.1 200") or \
            b"transfer-encoding: chunked" not in head.lower():
        return None
    body = b""
    while True:
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return None
        n = int(line.split(b";")[0], 16)
        if n == 0:
            return body
        if len(rest) < n + 2 or rest[n:n + 2] != b"\r\n":
            return None
        body += rest[:n]
        rest = rest[n + 2:]

def check(raw, what):
    body = dechunk(raw)
    """Parses an exposition; returns {device: rx_bytes} or None."""
    if body is None:
        say(False, "%s: not a complete chunked 200 answer (%d bytes, ending %r)"
            % (what, len(raw), raw[-40:]))
        return None
    try:
        m = promparse.parse(body.decode("utf-8"))
    except Exception as e:  # noqa: BLE001 - any parse error fails the check
        say(False, "%s: does not parse: %s" % (what, e))
        return None
    rx = {s.labels["device"]: int(s.value) for s in m.series("netmetrics_receive_bytes_total")}
    # the alias family comes late in the body, long after a stalled
    # reader's first kilobytes
    rx["alias"] = [s.labels["alias"] for s in m.series("netmetrics_interface_alias_info",
                                                      device="sr1a")]
    if len(rx) != WANT + 1:
        say(False, "%s: %d interfaces, want %d" % (what, len(rx) - 1, WANT))
        return None
    return rx

def rss_kb():
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

# Three readers that take the status line and stop.
stalled = []
for i in range(3):
    s = request()
    stalled.append((s, s.recv(64)))
    time.sleep(0.05)
say(all(h.startswith(b"HTTP/1.1 200") for _, h in stalled),
    "three stalled readers got their status line")
time.sleep(0.5)
# A change the stalled frames must not show: their snapshots were taken
# before it, and are not to be refilled while they are being sent.
subprocess.run(["ip", "link", "set", "dev", "sr1a", "alias", "moved-on"], check=True)

lat, first, last, bad = [], None, None, 0
for i in range(20):
    t0 = time.monotonic()
    raw = read_all(request())
    lat.append(time.monotonic() - t0)
    rx = check(raw, "scrape %d while three readers stall" % (i + 1))
    if rx is None:
        bad += 1
        continue
    if rx["alias"] != ["moved-on"]:
        say(False, "scrape %d: sr1a alias %r, want moved-on" % (i + 1, rx["alias"]))
        bad += 1
    if last is not None and any(rx[d] < last[d] for d in rx if d in last and d != "alias"):
        say(False, "scrape %d: a counter went backwards" % (i + 1))
        bad += 1
    if first is None:
        first = rx
    last = rx
say(bad == 0, "20 scrapes while three readers stall: all complete, parseable, "
    "every interface, counters monotonic")
lat.sort()
say(lat[-1] < 2.0, "slowest of them %.3f s (median %.3f s): collections delayed at most, "
    "never blocked" % (lat[-1], lat[len(lat) // 2]))
rss = rss_kb()
say(0 < rss < 32 * 1024, "exporter RSS while they stall: %d kB" % rss)

# The stalled readers read on: whole bodies, frames intact.
for i, (s, head) in enumerate(stalled):
    raw = head + read_all(s)
    rx = check(raw, "stalled reader %d" % (i + 1))
    if rx is None:
        continue
    # Collected before the first well-behaved scrape (its status line was
    # out before that began): had its snapshot been refilled by a later
    # collection, lo, which carried the 20 scrapes since, would show them.
    later = [d for d in rx if first and d in first and d != "alias" and rx[d] > first[d]]
    say(not later and first and rx["lo"] < last["lo"] and rx["alias"] == [],
        "stalled reader %d: complete body, every interface, counters as collected "
        "before the 20 scrapes (lo %d <= %d, sr1a alias %r)"
        % (i + 1, rx["lo"], first["lo"] if first else -1, rx["alias"]))
print("end of script", flush=True)
PY

ended=0
while IFS= read -r line; do
    case $line in
    "ok: "*) pass "${line#ok: }" ;;
    "FAIL: "*) fail "${line#FAIL: }" ;;
    "end of script") ended=1 ;;
    *) echo "$line" ;;
    esac
done < <(ip netns exec "$NS" python3 "$NM_TMP/slow.py" "$NM_EXPORTER_PORT" "$WANT" \
    "$NM_EXPORTER_PID" 2>&1)

[ "$ended" = 1 ] && pass "the client script ran to its end" ||
    fail "the client script stopped early (see its output above)"
grep -q 'level=error' "$NM_TMP/exporter-slow.log" &&
    fail "the exporter logged an error: $(grep 'level=error' "$NM_TMP/exporter-slow.log" | head -n 1)" ||
    pass "no error logged"
nm_finish

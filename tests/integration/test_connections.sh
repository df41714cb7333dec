#!/bin/sh
# SPDX-License-Identifier: MIT
# Connection monitoring against the kernel, in a network namespace of its
# own. A python3 process in the namespace opens, over 127.0.0.1 and over
# ::1: a TCP listener, an established pair (both ends), a pair in
# FIN_WAIT2/CLOSE_WAIT (the client shut its side), a pair whose client end
# is in TIME_WAIT, and a bound UDP socket. Asserted:
#  (a) `netmetrics connections --json -a -p` (netlink and procfs backends)
#      lists each of them with the right addresses, ports and state, and
#      with the python process's pid and command name (TIME_WAIT has no
#      owner: no pid);
#  (b) the two backends list the same sockets;
#  (c) the table (-tunap) shows ss-style rows with users:(("comm",pid=N)),
#      -l shows only listening sockets, and a bad option exits 2;
#  (d) the exporter's netmetrics_connections{protocol,family,state} equal
#      the counts of `ss -tuan` in the same namespace, once the exporter's
#      own listener and scrape connection are accounted for; every TCP and
#      UDP state is present with zeros included; promparse.py accepts it;
#  (e) /connections returns JSON (parsed by python) listing the listener
#      with its owner when --web.enable-connections-endpoint is given, and
#      404 otherwise; --no-collector.connections removes the families;
#  (f) --collector.connections.processes exports the python process's
#      sockets by state under its pid and comm.
# Needs root; skips (77) otherwise.
. "$(dirname "$0")/lib.sh"

require_root
require_cmd ip curl python3 ss
nm_require_exporter
nm_require_promparse

: "${NM_CLI:=$top_builddir/src/netmetrics}"
[ -x "$NM_CLI" ] || die "netmetrics CLI not built: $NM_CLI"

NS=$(nm_ns conn)
nm_netns_add "$NS"
HOLDER="$NM_TMP/holder.py"
CHECK="$NM_TMP/check.py"
READY="$NM_TMP/expected.json"
export NM_INTEGRATION_DIR

# ------------------------------------------------------------- the holder --
cat >"$HOLDER" <<'PY'
import json, os, signal, socket, sys, time

out = sys.argv[1]
keep, expected = [], []

def tcp_case(family, host):
    fam = "inet" if family == socket.AF_INET else "inet6"
    lst = socket.socket(family, socket.SOCK_STREAM)
    lst.bind((host, 0))
    lst.listen(16)
    lport = lst.getsockname()[1]
    keep.append(lst)
    expected.append(dict(protocol="tcp", family=fam, local=host, lport=lport, remote=None,
                         rport=0, state="listen", owned=True))

    def pair():
        c = socket.socket(family, socket.SOCK_STREAM)
        c.connect((host, lport))
        s, _ = lst.accept()
        keep.extend([c, s])
        return c, s, c.getsockname()[1]

    # established, both ends
    c, s, cport = pair()
    expected.append(dict(protocol="tcp", family=fam, local=host, lport=cport, remote=host,
                         rport=lport, state="established", owned=True))
    expected.append(dict(protocol="tcp", family=fam, local=host, lport=lport, remote=host,
                         rport=cport, state="established", owned=True))
    # the client shuts its side: FIN_WAIT2 here, CLOSE_WAIT on the server
    c, s, cport = pair()
    c.shutdown(socket.SHUT_WR)
    expected.append(dict(protocol="tcp", family=fam, local=host, lport=cport, remote=host,
                         rport=lport, state="fin_wait2", owned=True))
    expected.append(dict(protocol="tcp", family=fam, local=host, lport=lport, remote=host,
                         rport=cport, state="close_wait", owned=True))
    # the client closes first, then the server: TIME_WAIT on the client side
    c, s, cport = pair()
    keep.remove(c)
    keep.remove(s)
    c.close()
    s.recv(1)
    s.close()
    expected.append(dict(protocol="tcp", family=fam, local=host, lport=cport, remote=host,
                         rport=lport, state="time_wait", owned=False))
    # UDP, bound, not connected
    u = socket.socket(family, socket.SOCK_DGRAM)
    u.bind((host, 0))
    keep.append(u)
    expected.append(dict(protocol="udp", family=fam, local=host, lport=u.getsockname()[1],
                         remote=None, rport=0, state="unconn", owned=True))

tcp_case(socket.AF_INET, "127.0.0.1")
tcp_case(socket.AF_INET6, "::1")
time.sleep(0.3)  # let FIN_WAIT2 / TIME_WAIT settle
with open("/proc/self/comm") as f:
    comm = f.read().rstrip("\n")
tmp = out + ".tmp"
with open(tmp, "w") as f:
    json.dump(dict(pid=os.getpid(), comm=comm, sockets=expected), f)
os.rename(tmp, out)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
while True:
    time.sleep(60)
PY

ip netns exec "$NS" python3 "$HOLDER" "$READY" </dev/null >"$NM_TMP/holder.log" 2>&1 &
HOLDER_PID=$!
nm_track_pid "$HOLDER_PID"
for i in $(seq 1 100); do
    [ -s "$READY" ] && break
    kill -0 "$HOLDER_PID" 2>/dev/null || die "socket holder exited: $(cat "$NM_TMP/holder.log")"
    sleep 0.1
done
[ -s "$READY" ] || die "socket holder not ready in 10 s"

# --------------------------------------------------------------- checker --
cat >"$CHECK" <<'PY'
import collections, json, os, subprocess, sys, urllib.request, urllib.error
sys.path.insert(0, os.environ["NM_INTEGRATION_DIR"])
import promparse

FAILS = 0
def ok(msg): print("ok: " + msg)
def bad(msg):
    global FAILS
    FAILS += 1
    print("FAIL: " + msg)

exp = json.load(open(sys.argv[2]))
mode = sys.argv[1]
ANY = {"inet": "0.0.0.0", "inet6": "::"}

def key(c):
    return (c["protocol"], c["family"], c["local_address"], c["local_port"],
            c["remote_address"], c["remote_port"], c["state"])

def check_listing(doc, label):
    conns = doc["connections"]
    for e in exp["sockets"]:
        remote = e["remote"] or ANY[e["family"]]
        want = (e["protocol"], e["family"], e["local"], e["lport"], remote, e["rport"], e["state"])
        found = [c for c in conns if key(c) == want]
        if len(found) != 1:
            bad("%s: %s found %d times" % (label, want, len(found)))
            continue
        c = found[0]
        if e["owned"]:
            if c["pid"] == exp["pid"] and c["process"] == exp["comm"]:
                ok("%s: %s owned by %s/%d" % (label, want, exp["comm"], exp["pid"]))
            else:
                bad("%s: %s owner %r/%r, expected %s/%d" % (label, want, c["process"], c["pid"],
                                                            exp["comm"], exp["pid"]))
        elif c["pid"] is not None:
            bad("%s: %s (no file) has pid %r" % (label, want, c["pid"]))
        else:
            ok("%s: %s has no owner" % (label, want))

if mode == "listing":
    check_listing(json.load(open(sys.argv[3])), sys.argv[4])
elif mode == "agree":
    a = json.load(open(sys.argv[3]))["connections"]
    b = json.load(open(sys.argv[4]))["connections"]
    ka = collections.Counter(key(c) for c in a)
    kb = collections.Counter(key(c) for c in b)
    if ka == kb and len(a) > 0:
        ok("netlink and procfs list the same %d sockets" % len(a))
    else:
        bad("backends differ: only netlink %s, only procfs %s" % (ka - kb, kb - ka))
    pa = {key(c): c["pid"] for c in a}
    pb = {key(c): c["pid"] for c in b}
    if pa == pb:
        ok("netlink and procfs agree on owners")
    else:
        bad("owners differ between backends")
elif mode == "table":
    text = open(sys.argv[3]).read().splitlines()
    if text and text[0].split()[:4] == ["Netid", "State", "Recv-Q", "Send-Q"]:
        ok("table header")
    else:
        bad("table header: %r" % text[:1])
    users = 'users:(("%s",pid=%d))' % (exp["comm"], exp["pid"])
    for e in exp["sockets"]:
        if e["state"] != "listen":
            continue
        local = ("[%s]:%d" if e["family"] == "inet6" else "%s:%d") % (e["local"], e["lport"])
        rows = [l for l in text if l.split()[:2] == ["tcp", "LISTEN"] and local in l.split()]
        if len(rows) == 1 and rows[0].endswith(users):
            ok("table row for listener %s with %s" % (local, users))
        else:
            bad("table row for listener %s: %r" % (local, rows))
    states = set(l.split()[1] for l in text[1:])
    if "TIME-WAIT" in states and "FIN-WAIT-2" in states and "UNCONN" in states:
        ok("table shows ss state names")
    else:
        bad("table states: %s" % states)
elif mode == "unprivileged":
    # the CLI run as nobody: the root-owned holder's sockets are listed
    # without a process, and the permission condition is said on stderr
    text = open(sys.argv[3]).read().splitlines()
    err = open(sys.argv[4]).read()
    for e in exp["sockets"]:
        if e["state"] != "listen":
            continue
        local = ("[%s]:%d" if e["family"] == "inet6" else "%s:%d") % (e["local"], e["lport"])
        rows = [l for l in text if l.split()[:2] == ["tcp", "LISTEN"] and local in l.split()]
        if len(rows) == 1 and "users:(" not in rows[0]:
            ok("as nobody: listener %s listed without its process" % local)
        else:
            bad("as nobody: listener %s: %r" % (local, rows))
    if "permission denied" in err:
        ok("as nobody: the permission condition is reported")
    else:
        bad("as nobody: stderr %r lacks 'permission denied'" % err)
elif mode == "listening":
    text = open(sys.argv[3]).read().splitlines()[1:]
    states = set(l.split()[1] for l in text)
    if text and states <= {"LISTEN", "UNCONN"}:
        ok("-l shows only listening sockets (%d)" % len(text))
    else:
        bad("-l shows %s" % states)
elif mode == "counts":
    port = int(sys.argv[3])
    SS = {"ESTAB": "established", "SYN-SENT": "syn_sent", "SYN-RECV": "syn_recv",
          "FIN-WAIT-1": "fin_wait1", "FIN-WAIT-2": "fin_wait2", "TIME-WAIT": "time_wait",
          "CLOSE": "close", "UNCONN": "unconn", "CLOSE-WAIT": "close_wait",
          "LAST-ACK": "last_ack", "LISTEN": "listen", "CLOSING": "closing"}
    want = collections.Counter()
    out = subprocess.run(["ss", "-tuanH"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        netid, state, local, peer = f[0], f[1], f[4], f[5]
        lport = local.rsplit(":", 1)[1]
        pport = peer.rsplit(":", 1)[1]
        if str(port) in (lport, pport):
            continue  # the exporter's own sockets: added below
        fam = "inet6" if local.startswith("[") else "inet"
        proto = "udp" if netid == "udp" else "tcp"
        if state == "UNCONN" and proto == "tcp":
            state = "CLOSE"
        want[(proto, fam, SS.get(state, "unknown"))] += 1
    # during the scrape: the exporter's listener, and its connection with
    # the scraper, both ends
    want[("tcp", "inet", "listen")] += 1
    want[("tcp", "inet", "established")] += 2
    got = {}
    for line in open(sys.argv[4]):
        if line.startswith("netmetrics_connections{"):
            labels, value = line.rsplit(" ", 1)
            d = dict(kv.split("=", 1) for kv in labels[len("netmetrics_connections{"):-1].split(","))
            got[(d["protocol"].strip('"'), d["family"].strip('"'), d["state"].strip('"'))] = int(value)
    tcp_states = ["established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "time_wait",
                  "close", "close_wait", "last_ack", "listen", "closing"]
    for fam in ("inet", "inet6"):
        for st in tcp_states:
            if ("tcp", fam, st) not in got:
                bad("no series for tcp/%s/%s" % (fam, st))
        for st in ("established", "unconn"):
            if ("udp", fam, st) not in got:
                bad("no series for udp/%s/%s" % (fam, st))
    diff = {k: (got.get(k, 0), want.get(k, 0)) for k in set(got) | set(want)
            if got.get(k, 0) != want.get(k, 0)}
    if diff:
        bad("exporter counts differ from ss (got, want): %s" % diff)
    else:
        ok("exporter counts equal ss -tuan: %s" % dict(sorted((k, v) for k, v in want.items())))
    if want[("tcp", "inet6", "time_wait")] >= 1 and want[("udp", "inet", "unconn")] >= 1:
        ok("the namespace holds the test's sockets")
    else:
        bad("the test's sockets are missing from ss")
elif mode == "endpoint":
    doc = json.load(open(sys.argv[3]))
    check_listing(doc, "/connections")
elif mode == "processes":
    want = collections.Counter((e["protocol"], e["state"]) for e in exp["sockets"] if e["owned"])
    got = {}
    for line in open(sys.argv[3]):
        if line.startswith("netmetrics_process_connections{") and \
                'pid="%d"' % exp["pid"] in line:
            labels, value = line.rsplit(" ", 1)
            d = dict(kv.split("=", 1) for kv in labels[len("netmetrics_process_connections{"):-1].split(","))
            if d["comm"].strip('"') != exp["comm"]:
                bad("comm label %s" % d["comm"])
            got[(d["protocol"].strip('"'), d["state"].strip('"'))] = int(value)
    if got == dict(want):
        ok("per-process counts of %s/%d: %s" % (exp["comm"], exp["pid"], got))
    else:
        bad("per-process counts %s, expected %s" % (got, dict(want)))
sys.exit(1 if FAILS else 0)
PY

# The checker takes the mode first and the expectations second.
chk() {
    local mode=$1
    shift
    local out rc line
    out=$(ip netns exec "$NS" python3 "$CHECK" "$mode" "$READY" "$@" 2>&1)
    rc=$?
    while IFS= read -r line; do
        case "$line" in
        ok:*) pass "${line#ok: }" ;;
        FAIL:*) fail "${line#FAIL: }" ;;
        *) [ -n "$line" ] && echo "$line" ;;
        esac
    done <<<"$out"
    [ $rc -le 1 ] || fail "checker '$mode' crashed (status $rc): $out"
}

# ------------------------------------------------------------ (a) (b) (c) --
for b in netlink procfs; do
    ip netns exec "$NS" "$NM_CLI" connections --json -a -p --backend="$b" >"$NM_TMP/cli-$b.json" ||
        die "netmetrics connections --backend=$b failed"
    chk listing "$NM_TMP/cli-$b.json" "cli/$b"
done
chk agree "$NM_TMP/cli-netlink.json" "$NM_TMP/cli-procfs.json"
ip netns exec "$NS" "$NM_CLI" connections -tunap >"$NM_TMP/table.txt" || fail "-tunap failed"
chk table "$NM_TMP/table.txt"
ip netns exec "$NS" "$NM_CLI" connections -l -p >"$NM_TMP/listening.txt" || fail "-l failed"
chk listening "$NM_TMP/listening.txt"
if command -v runuser >/dev/null 2>&1; then
    ip netns exec "$NS" runuser -u nobody -- "$NM_CLI" connections -l -p \
        >"$NM_TMP/nobody.txt" 2>"$NM_TMP/nobody.err" || fail "-l -p as nobody failed"
    chk unprivileged "$NM_TMP/nobody.txt" "$NM_TMP/nobody.err"
fi
"$NM_CLI" connections -q >/dev/null 2>"$NM_TMP/bad.err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$NM_TMP/bad.err")" -eq 1 ]; then
    pass "bad option: status 2 and one line ($(cat "$NM_TMP/bad.err"))"
else
    fail "bad option: status $rc, stderr $(cat "$NM_TMP/bad.err")"
fi
"$NM_CLI" connections extra >/dev/null 2>&1
[ $? -eq 2 ] && pass "stray argument: status 2" || fail "stray argument accepted"

# ---------------------------------------------------------------- (d) (e) --
nm_start_exporter "$NS" plain --collector.connections
PLAIN_PORT=$NM_EXPORTER_PORT
nm_scrape_to "$NS" "$PLAIN_PORT" "$NM_TMP/plain.prom"
chk counts "$PLAIN_PORT" "$NM_TMP/plain.prom"
if nm_promparse "$NM_TMP/plain.prom" >"$NM_TMP/promparse.out" 2>&1; then
    pass "promparse.py accepts the exposition"
else
    fail "promparse.py: $(tail -n 5 "$NM_TMP/promparse.out")"
fi
grep -q '^netmetrics_scrape_collector_success{collector="connections"} 1$' "$NM_TMP/plain.prom" &&
    pass "connections collector success 1" || fail "no connections success 1"
code=$(ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' --max-time 10 --noproxy '*' \
    "http://127.0.0.1:$PLAIN_PORT/connections")
[ "$code" = 404 ] && pass "/connections is 404 when not enabled" ||
    fail "/connections answered $code when not enabled"

nm_start_exporter "$NS" endpoint --collector.connections --web.enable-connections-endpoint \
    --collector.connections.processes
EP_PORT=$NM_EXPORTER_PORT
ip netns exec "$NS" curl -sS --fail --max-time 10 --noproxy '*' -D "$NM_TMP/ep.headers" \
    "http://127.0.0.1:$EP_PORT/connections" >"$NM_TMP/ep.json" || fail "GET /connections failed"
chk endpoint "$NM_TMP/ep.json"
grep -qi '^content-type: application/json' "$NM_TMP/ep.headers" &&
    pass "/connections is application/json" || fail "/connections content type"
nm_scrape_to "$NS" "$EP_PORT" "$NM_TMP/processes.prom"
chk processes "$NM_TMP/processes.prom"

nm_start_exporter "$NS" off --no-collector.connections
nm_scrape_to "$NS" "$NM_EXPORTER_PORT" "$NM_TMP/off.prom"
if grep -q 'netmetrics_connections\|collector="connections"' "$NM_TMP/off.prom"; then
    fail "--no-collector.connections still exports connection series"
else
    pass "--no-collector.connections removes the connection families"
fi
grep -q '^netmetrics_receive_bytes_total{device="lo"}' "$NM_TMP/off.prom" &&
    pass "interface metrics unaffected" || fail "interface metrics missing"

# Opt-in, like node_exporter's tcpstat: no flag, no socket dump.
nm_start_exporter "$NS" default
nm_scrape_to "$NS" "$NM_EXPORTER_PORT" "$NM_TMP/default.prom"
if grep -q 'netmetrics_connections\|collector="connections"' "$NM_TMP/default.prom"; then
    fail "the connections collector is on without --collector.connections"
else
    pass "the connections collector is off by default"
fi
grep -q '^netmetrics_receive_bytes_total{device="lo"}' "$NM_TMP/default.prom" &&
    pass "default: interface metrics present" || fail "default: interface metrics missing"

nm_finish

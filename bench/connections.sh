#!/bin/bash
# SPDX-License-Identifier: MIT
# What the connections collector adds to a scrape at N established TCP
# sockets (default 10,000: N/2 loopback pairs, both ends). Runs in a network
# namespace it makes and removes; needs root and a built exporter.
#   bench/connections.sh [BUILD_DIR] [SOCKETS] [SCRAPES]
# Prints the median scrape time with the collector off, on, and on with
# --collector.connections.processes, and the collector's own median
# netmetrics_scrape_collector_duration_seconds. Not part of make check
# (it takes tens of seconds).
set -u
BUILD=${1:-.}
SOCKETS=${2:-10000}
SCRAPES=${3:-30}
EXPORTER=$BUILD/src/netmetrics_exporter
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 77; }
[ -x "$EXPORTER" ] || { echo "no exporter at $EXPORTER" >&2; exit 1; }
NS=nmbench-conn-$$
TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up || exit 1
# Only this script's processes get the higher limit.
ulimit -n $((SOCKETS + 1024)) || exit 1

cat >"$TMP/pairs.py" <<'PY'
import socket, sys, time
n = int(sys.argv[1]) // 2
lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(4096)
keep = []
for i in range(n):
    c = socket.socket()
    c.connect(lst.getsockname())
    s, _ = lst.accept()
    keep += [c, s]
open(sys.argv[2], "w").write("ready\n")
time.sleep(3600)
PY
ip netns exec "$NS" python3 "$TMP/pairs.py" "$SOCKETS" "$TMP/ready" &
PIDS+=($!)
for i in $(seq 1 600); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
[ -s "$TMP/ready" ] || { echo "sockets not ready" >&2; exit 1; }

measure() { # label args...
    local label=$1 log port i
    shift
    log="$TMP/exp-$label.log"
    ip netns exec "$NS" "$EXPORTER" --web.listen-address=127.0.0.1:0 \
        --collector.speed.min-interval=0 "$@" >"$log" 2>&1 &
    PIDS+=($!)
    for i in $(seq 1 100); do
        port=$(sed -n 's/.*msg="listening".*address=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "exporter $label did not start" >&2; exit 1; }
    : >"$TMP/t-$label"
    : >"$TMP/c-$label"
    for i in $(seq 1 "$SCRAPES"); do
        ip netns exec "$NS" curl -s -o "$TMP/body" -w '%{time_total}\n' --noproxy '*' \
            "http://127.0.0.1:$port/metrics" >>"$TMP/t-$label"
        sed -n 's/^netmetrics_scrape_collector_duration_seconds{collector="connections"} //p' \
            "$TMP/body" >>"$TMP/c-$label"
    done
    printf '%-32s scrape median %7.2f ms' "$label" \
        "$(sort -g "$TMP/t-$label" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] * 1000}')"
    if [ -s "$TMP/c-$label" ]; then
        printf '   connections collector median %7.2f ms' \
            "$(sort -g "$TMP/c-$label" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] * 1000}')"
    fi
    printf '\n'
}

echo "$(ip netns exec "$NS" ss -tanH state established | wc -l) established TCP sockets in $NS"
measure off --no-collector.connections
measure on --collector.connections
measure on+processes --collector.connections --collector.connections.processes
measure procfs-on --collector.connections --collector.backend=procfs

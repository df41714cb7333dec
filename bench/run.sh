#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The netmetrics benchmark (issue 8). Run as root from anywhere:
#
#   bash bench/run.sh            # 1, 5, 101 and 1,001 interfaces (~10 min)
#   bash bench/run.sh --quick    # 1 and 101 interfaces
#   bash bench/run.sh --self-test   # 1 interface, 200 scrapes: checks the bench itself
#
# It builds the exporter with release flags in its own build directory,
# creates a network namespace holding N veth pairs (both ends up, so 2N
# interfaces plus lo) and optionally K established loopback TCP connections,
# and runs netmetrics_exporter and, when installed, node_exporter with only
# its netdev and netclass collectors side by side in that namespace. For each
# it measures: latency of sequential scrapes over one kept-alive connection
# (median, p99), throughput with 32 concurrent clients, peak resident memory
# (VmHWM) after that concurrent run, CPU seconds per scrape, and for
# netmetrics the resident memory before and after 10,000 more scrapes and the
# instructions of one scrape under callgrind (a figure that does not depend
# on the machine's load). The two exporters' measurements alternate (ABAB)
# so that noise from other work on the machine hits both. It prints a
# markdown table with the machine it ran on and writes it to
# bench/results/latest.md; with the largest size it also profiles a scrape
# (perf, or callgrind_annotate) into bench/results/profile-IFACES.txt.
# Namespaces and processes are removed on exit, failure and Ctrl-C.
# Not a test: numbers depend on the machine; nothing here is in make check.

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)

# ---------------------------------------------------------------- options --
SIZES=(0 2 50 500)
CONNECTIONS=0
BUILD_DIR="${TMPDIR:-/tmp}/netmetrics-bench-build"
EXPORTER=
OUTPUT="$BENCH_DIR/results/latest.md"
ROUNDS=3            # ABAB rounds of sequential scrapes
SEQ_COUNT=1000      # scrapes per exporter per round...
SEQ_SECONDS=8       # ...or fewer when this many seconds have passed
WARMUP=20
CONC_CLIENTS=32
CONC_SECONDS=5      # per exporter per round (2 rounds); longer for slow exporters
FLAT_SCRAPES=10000
FLAT_SECONDS=150
CALLGRIND=1
CG_SCRAPES=10
PROFILE=1
PROFILE_SECONDS=10
USE_NODE=1
NODE_EXPORTER=/usr/bin/prometheus-node-exporter
INSTALL=1
CLIENT_KIND=auto
SELF_TEST=0
NM_EXTRA=()
LABEL_TEXT=

NM_PORT=19709
NE_PORT=19100
CG_PORT=19710

usage() {
    cat <<EOF
usage: bench/run.sh [options]   (as root)
  --quick                 1 and 101 interfaces only (N = 0, 50)
  --self-test             1 interface, 200 scrapes per exporter, no profile; checks
                          that every measurement produced a figure (exit 1 if not)
  --sizes=N,N,...         veth pairs per run (default 0,2,50,500: 1, 5, 101, 1001 interfaces)
  --connections=K         also hold K established loopback TCP connections
  --scrapes=COUNT         sequential scrapes per exporter per round (default $SEQ_COUNT)
  --rounds=R              ABAB rounds (default $ROUNDS)
  --flat-scrapes=COUNT    scrapes for the memory flatness check (default $FLAT_SCRAPES)
  --build-dir=DIR         where to configure and build (default $BUILD_DIR)
  --exporter=PATH         use this netmetrics_exporter instead of building one
  --nm-arg=ARG            extra argument for netmetrics_exporter (repeatable)
  --label=TEXT            what is being measured, for the results (e.g. a commit)
  --output=FILE           results file (default bench/results/latest.md)
  --client=auto|wrk|builtin   concurrent client (auto: wrk when installed)
  --no-node-exporter      measure netmetrics alone
  --no-callgrind          skip the instruction counts
  --no-profile            skip the profile of the largest size
  --no-install            do not apt-get install node_exporter, wrk or valgrind
EOF
}

for arg in "$@"; do
    case $arg in
    --quick) SIZES=(0 50) ;;
    --self-test)
        SELF_TEST=1 SIZES=(0) ROUNDS=2 SEQ_COUNT=100 WARMUP=5 CONC_SECONDS=1
        FLAT_SCRAPES=200 CG_SCRAPES=2 PROFILE=0 ;;
    --sizes=*) IFS=, read -r -a SIZES <<<"${arg#*=}" ;;
    --connections=*) CONNECTIONS=${arg#*=} ;;
    --scrapes=*) SEQ_COUNT=${arg#*=} ;;
    --rounds=*) ROUNDS=${arg#*=} ;;
    --flat-scrapes=*) FLAT_SCRAPES=${arg#*=} ;;
    --build-dir=*) BUILD_DIR=${arg#*=} ;;
    --exporter=*) EXPORTER=${arg#*=} ;;
    --nm-arg=*) NM_EXTRA+=("${arg#*=}") ;;
    --label=*) LABEL_TEXT=${arg#*=} ;;
    --output=*) OUTPUT=${arg#*=} ;;
    --client=*) CLIENT_KIND=${arg#*=} ;;
    --no-node-exporter) USE_NODE=0 ;;
    --no-callgrind) CALLGRIND=0 ;;
    --no-profile) PROFILE=0 ;;
    --no-install) INSTALL=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench: unknown option $arg" >&2; usage >&2; exit 2 ;;
    esac
done
for v in "${SIZES[@]}" "$CONNECTIONS" "$SEQ_COUNT" "$ROUNDS" "$FLAT_SCRAPES"; do
    [[ $v =~ ^[0-9]+$ ]] || { echo "bench: not a number: $v" >&2; exit 2; }
done
case $CLIENT_KIND in auto | wrk | builtin) ;; *) echo "bench: bad --client" >&2; exit 2 ;; esac

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root: it creates a network namespace"
for tool in ip cc make curl awk sort; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done

# ---------------------------------------------------------------- cleanup --
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nmbench.XXXXXX")
PIDS=()
NS=

stop_pids() {
    local pid i
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}

delete_ns() {
    if [ -n "$NS" ]; then
        ip netns del "$NS" 2>/dev/null || true
        NS=
    fi
}

cleanup() {
    stop_pids
    delete_ns
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------- prerequisites --
# Optional tools come from Debian packages; without them the bench still
# runs and says what it left out.
install_optional() {
    local want=() p policy=/usr/sbin/policy-rc.d
    [ "$USE_NODE" -eq 1 ] && [ ! -x "$NODE_EXPORTER" ] && want+=(prometheus-node-exporter)
    [ "$CLIENT_KIND" != builtin ] && ! command -v wrk >/dev/null 2>&1 && want+=(wrk)
    [ "$CALLGRIND" -eq 1 ] && ! command -v valgrind >/dev/null 2>&1 && want+=(valgrind)
    [ "${#want[@]}" -gt 0 ] || return 0
    if [ "$INSTALL" -eq 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "not installing ${want[*]} (--no-install or no apt-get)"
        return 0
    fi
    log "installing ${want[*]}"
    # node_exporter's package starts its service on install; forbid that.
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        trap 'rm -f /usr/sbin/policy-rc.d; cleanup' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get -q update >"$TMP/apt.log" 2>&1 || true
    fi
    for p in "${want[@]}"; do
        apt-get install -y -q --no-install-recommends "$p" >>"$TMP/apt.log" 2>&1 ||
            { apt-get -q update >>"$TMP/apt.log" 2>&1 &&
              apt-get install -y -q --no-install-recommends "$p" >>"$TMP/apt.log" 2>&1; } ||
            log "could not install $p; going on without it"
    done
    if [ -e "$policy" ] && [ "$(cat "$policy")" = $'#!/bin/sh\nexit 101' ]; then
        rm -f "$policy"
        trap cleanup EXIT
    fi
}
install_optional

[ "$USE_NODE" -eq 1 ] && [ ! -x "$NODE_EXPORTER" ] && { log "node_exporter not installed: measuring netmetrics alone"; USE_NODE=0; }
if [ "$CLIENT_KIND" = auto ]; then
    if command -v wrk >/dev/null 2>&1; then CLIENT_KIND=wrk; else CLIENT_KIND=builtin; fi
fi
[ "$CLIENT_KIND" = wrk ] && ! command -v wrk >/dev/null 2>&1 && die "wrk is not installed"
[ "$CALLGRIND" -eq 1 ] && ! command -v valgrind >/dev/null 2>&1 && { log "no valgrind: no instruction counts"; CALLGRIND=0; }
if [ "$CONNECTIONS" -gt 0 ]; then
    command -v python3 >/dev/null 2>&1 || die "python3 is needed for --connections"
    ulimit -n $((2 * CONNECTIONS + 4096)) 2>/dev/null || die "cannot raise the file limit to $((2 * CONNECTIONS + 4096))"
fi

# ------------------------------------------------------------------ build --
CLIENT="$TMP/scrape_client"
cc -O2 -pthread -o "$CLIENT" "$BENCH_DIR/scrape_client.c" || die "cannot build scrape_client"

BUILT=0
if [ -z "$EXPORTER" ]; then
    BUILT=1
    [ -x "$SRC_DIR/configure" ] || die "no $SRC_DIR/configure: run 'autoreconf -fi' there first"
    [ -e "$SRC_DIR/config.status" ] && die "$SRC_DIR is configured in place; 'make distclean' there or pass --exporter"
    mkdir -p "$BUILD_DIR"
    if [ ! -f "$BUILD_DIR/Makefile" ]; then
        log "configuring in $BUILD_DIR (CFLAGS=-O2 -g)"
        (cd "$BUILD_DIR" && "$SRC_DIR/configure" -q CFLAGS="-O2 -g") >"$TMP/configure.log" 2>&1 ||
            { tail -n 20 "$TMP/configure.log" >&2; die "configure failed"; }
    fi
    log "building netmetrics_exporter"
    make -C "$BUILD_DIR" -j"$(nproc)" src/netmetrics_exporter >"$TMP/build.log" 2>&1 ||
        { tail -n 30 "$TMP/build.log" >&2; die "build failed (log above)"; }
    EXPORTER="$BUILD_DIR/src/netmetrics_exporter"
fi
[ -x "$EXPORTER" ] || die "no exporter at $EXPORTER"
# callgrind and perf need the program itself, not a libtool wrapper script
[ "$(head -c 4 "$EXPORTER" | od -An -c | tr -d ' ')" = '177ELF' ] ||
    die "$EXPORTER is not an ELF binary (a libtool wrapper?)"

# Every scrape must collect, as it does when Prometheus scrapes every few
# seconds: an exporter that reuses a snapshot younger than its speed
# min-interval (default 1 s) would serve back-to-back bench scrapes from
# that snapshot and measure only the rendering.
if "$EXPORTER" --help 2>&1 | grep -q -- '--collector.speed.min-interval'; then
    NM_EXTRA=(--collector.speed.min-interval=0 "${NM_EXTRA[@]}")
fi

# ---------------------------------------------------------------- helpers --
CLK_TCK=$(getconf CLK_TCK)

# utime + stime of a whole process (every thread, exited ones included), in ticks
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# a /proc/PID/status field in kB
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# Runs a command in the namespace and waits for it. Background processes
# are started with `ip netns exec` directly instead, so that $! is the
# process itself (ip execs it) and not a subshell running this function.
in_ns() { ip netns exec "$NS" "$@"; }

# wait_ready PORT PID LOG SECONDS: the landing page answers (not /metrics,
# so that callgrind counts no extra scrape)
wait_ready() {
    local port=$1 pid=$2 logf=$3 secs=$4 i
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { cat "$logf" >&2; die "exporter on port $port exited"; }
        if in_ns "$CLIENT" -p "$port" -P / -n 1 >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    cat "$logf" >&2
    die "exporter on port $port did not answer within $secs s"
}

# A namespace with lo up and N veth pairs, both ends up. One `ip -batch`
# creates them all: a thousand `ip link add` processes would take minutes.
setup_ns() {
    local n=$1 i got
    NS="nmbench-$$"
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    if [ "$n" -gt 0 ]; then
        : >"$TMP/links.batch"
        for ((i = 0; i < n; i++)); do
            printf 'link add nmb%da type veth peer name nmb%db\nlink set nmb%da up\nlink set nmb%db up\n' \
                "$i" "$i" "$i" "$i" >>"$TMP/links.batch"
        done
        in_ns ip -batch "$TMP/links.batch" || die "ip -batch failed"
        # let IPv6 duplicate address detection of the new links settle
        sleep 2
    fi
    got=$(ip -n "$NS" -o link show | wc -l)
    [ "$got" -eq $((2 * n + 1)) ] || die "namespace has $got interfaces, expected $((2 * n + 1))"
    if [ "$CONNECTIONS" -gt 0 ]; then
        ip netns exec "$NS" python3 "$BENCH_DIR/tcp_pairs.py" "$CONNECTIONS" >"$TMP/pairs.out" 2>&1 &
        PIDS+=($!)
        for ((i = 0; i < 600; i++)); do
            grep -q '^ready' "$TMP/pairs.out" && break
            kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$TMP/pairs.out" >&2; die "tcp_pairs.py failed"; }
            sleep 0.1
        done
        grep -q '^ready' "$TMP/pairs.out" || die "tcp_pairs.py did not get ready"
    fi
}

NM_PID='' NE_PID=''
start_exporters() {
    ip netns exec "$NS" "$EXPORTER" --web.listen-address=127.0.0.1:$NM_PORT --web.max-connections=128 \
        --web.max-connections-per-ip=128 --log.level=warn "${NM_EXTRA[@]}" \
        </dev/null >"$TMP/nm.log" 2>&1 &
    NM_PID=$!
    PIDS+=("$NM_PID")
    wait_ready $NM_PORT "$NM_PID" "$TMP/nm.log" 15
    if [ "$USE_NODE" -eq 1 ]; then
        ip netns exec "$NS" "$NODE_EXPORTER" --collector.disable-defaults --collector.netdev \
            --collector.netclass --web.listen-address=127.0.0.1:$NE_PORT \
            </dev/null >"$TMP/ne.log" 2>&1 &
        NE_PID=$!
        PIDS+=("$NE_PID")
        wait_ready $NE_PORT "$NE_PID" "$TMP/ne.log" 15
    fi
}

declare -A PORT PID LABEL
LABEL[nm]=netmetrics
LABEL[ne]=node_exporter
TAGS=()

# Results, keyed "TAG,IFACES,what"; NOTES: errors seen, for the report.
declare -A R
NOTES=()

# Sequential latency batch: COUNT scrapes or SECONDS, whichever ends first.
seq_batch() {
    local tag=$1 ifaces=$2 c0 c1 out
    c0=$(cpu_ticks "${PID[$tag]}")
    out=$(in_ns "$CLIENT" -p "${PORT[$tag]}" -n "$SEQ_COUNT" -T "$SEQ_SECONDS" \
        -o "$TMP/lat-$tag-$ifaces.txt") || die "${LABEL[$tag]}: a scrape failed ($out)"
    c1=$(cpu_ticks "${PID[$tag]}")
    R[$tag,$ifaces,ticks]=$((${R[$tag,$ifaces,ticks]:-0} + c1 - c0))
}

ifaces_text() { if [ "$1" -eq 1 ]; then echo "1 interface"; else echo "$1 interfaces"; fi; }

# count, median, p99 (ms) and scrapes per second of busy time of a latency file (µs)
lat_stats() {
    sort -g "$1" | awk '{ v[NR] = $1; s += $1 }
        END { n = NR; if (n == 0) { print 0, 0, 0, 0; exit }
              m = int((n * 50 + 99) / 100); p = int((n * 99 + 99) / 100)
              printf "%d %.3f %.3f %.1f\n", n, v[m] / 1000, v[p] / 1000, n / (s / 1e6) }'
}

# Concurrent batch of SECONDS; adds requests and seconds to the totals.
conc_batch() {
    local tag=$1 ifaces=$2 secs=$3 url out req el err='' bad
    url="http://127.0.0.1:${PORT[$tag]}/metrics"
    if [ "$CLIENT_KIND" = wrk ]; then
        out=$(in_ns wrk -t2 -c"$CONC_CLIENTS" -d"${secs}s" --timeout 60s "$url" 2>&1) ||
            die "wrk failed: $out"
        req=$(awk '/requests in/ { print $1 }' <<<"$out")
        el=$(awk '/requests in/ { sub(/,$/, "", $4); v = $4
                 if (v ~ /ms$/) { sub(/ms$/, "", v); v /= 1000 }
                 else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60 }
                 else sub(/s$/, "", v)
                 print v }' <<<"$out")
        # wrk counts error responses as requests: only 200s count here
        bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
        req=$((req - ${bad:-0}))
        err=$(awk '/Socket errors|Non-2xx/ { sub(/^ */, ""); printf "%s; ", $0 }' <<<"$out")
    else
        out=$(in_ns "$CLIENT" -p "${PORT[$tag]}" -c "$CONC_CLIENTS" -d "$secs") ||
            err="$(sed -n 's/.*\(errors=[0-9]*\).*/\1/p' <<<"$out")"
        req=$(sed -n 's/.* requests=\([0-9]*\) .*/\1/p' <<<"$out")
        el=$(sed -n 's/.* seconds=\([0-9.]*\) .*/\1/p' <<<"$out")
    fi
    if [ -z "$req" ] || [ -z "$el" ]; then
        die "${LABEL[$tag]}: cannot read the concurrent run's result: $out"
    fi
    if [ -n "${err:-}" ]; then
        R[$tag,$ifaces,conc_errors]=yes
        NOTES+=("${LABEL[$tag]}, $ifaces interfaces, $CONC_CLIENTS clients for ${secs} s: ${err%; }")
        log "${LABEL[$tag]}: errors under $CONC_CLIENTS clients: ${err%; }"
    fi
    R[$tag,$ifaces,conc_req]=$((${R[$tag,$ifaces,conc_req]:-0} + req))
    R[$tag,$ifaces,conc_sec]=$(awk -v a="${R[$tag,$ifaces,conc_sec]:-0}" -v b="$el" 'BEGIN { print a + b }')
}

# Instructions (Ir) callgrind counts inside nm_scraper_acquire (collection)
# and nm_scrape_stream_read (rendering, as the body is sent) for COUNT
# scrapes, in a fresh exporter under valgrind; the count goes to CG_IR
# (empty when callgrind wrote none).
CG_IR=
callgrind_ir() {
    local count=$1 out="$TMP/callgrind.$1.out" pid
    ip netns exec "$NS" valgrind --tool=callgrind --toggle-collect=nm_scraper_acquire \
        --toggle-collect=nm_scrape_stream_read \
        --callgrind-out-file="$out" "$EXPORTER" --web.listen-address=127.0.0.1:$CG_PORT \
        --log.level=warn "${NM_EXTRA[@]}" </dev/null >"$TMP/cg.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_ready $CG_PORT "$pid" "$TMP/cg.log" 120
    in_ns "$CLIENT" -p $CG_PORT -n "$count" >/dev/null || die "scrape under callgrind failed"
    kill -TERM "$pid"
    wait "$pid" || true
    unset 'PIDS[-1]'
    CG_IR=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
}

# ---------------------------------------------------------- one size ------
run_size() {
    local n=$1 ifaces=$(($1 * 2 + 1)) tag r s secs st m f rss0 rss1 done_n ir1 irn
    log "--- $(ifaces_text "$ifaces") ($n veth pairs, $CONNECTIONS TCP connections)"
    setup_ns "$n"
    start_exporters
    TAGS=(nm)
    PORT[nm]=$NM_PORT PID[nm]=$NM_PID
    if [ "$USE_NODE" -eq 1 ]; then
        TAGS+=(ne)
        PORT[ne]=$NE_PORT PID[ne]=$NE_PID
    fi

    # What each exporter serves: size, series, and a check that every
    # interface of the namespace is in it.
    for tag in "${TAGS[@]}"; do
        in_ns curl -sS -o "$TMP/body-$tag.txt" "http://127.0.0.1:${PORT[$tag]}/metrics" ||
            die "${LABEL[$tag]}: curl failed"
        R[$tag,$ifaces,bytes]=$(wc -c <"$TMP/body-$tag.txt")
        R[$tag,$ifaces,series]=$(grep -vc '^#' "$TMP/body-$tag.txt" || true)
        if [ "$tag" = nm ]; then
            m=$(grep -c '^netmetrics_interface_info{' "$TMP/body-$tag.txt" || true)
        else
            # netclass covers every interface; Debian's netdev leaves out lo
            m=$(grep -c '^node_network_info{' "$TMP/body-$tag.txt" || true)
        fi
        [ "$m" -eq "$ifaces" ] || die "${LABEL[$tag]} reports $m interfaces, the namespace has $ifaces"
    done

    # Warm-up (first allocations, Go's heap growth), then ABAB latency rounds.
    for tag in "${TAGS[@]}"; do
        in_ns "$CLIENT" -p "${PORT[$tag]}" -n "$WARMUP" -T 5 >/dev/null ||
            die "${LABEL[$tag]}: warm-up failed"
    done
    log "sequential scrapes: $ROUNDS rounds of up to $SEQ_COUNT scrapes or ${SEQ_SECONDS}s each"
    for ((r = 0; r < ROUNDS; r++)); do
        for tag in "${TAGS[@]}"; do
            seq_batch "$tag" "$ifaces"
        done
    done
    for tag in "${TAGS[@]}"; do
        read -r "R[$tag,$ifaces,n]" "R[$tag,$ifaces,p50]" "R[$tag,$ifaces,p99]" \
            "R[$tag,$ifaces,rps1]" < <(lat_stats "$TMP/lat-$tag-$ifaces.txt")
        R[$tag,$ifaces,cpu_ms]=$(awk -v t="${R[$tag,$ifaces,ticks]}" -v hz="$CLK_TCK" \
            -v n="${R[$tag,$ifaces,n]}" 'BEGIN { printf "%.3f", t * 1000 / hz / n }')
    done

    # Concurrent clients, ABAB. A slow exporter gets long enough rounds for
    # every client to finish a few scrapes.
    log "concurrent: $CONC_CLIENTS clients ($CLIENT_KIND), 2 rounds per exporter"
    for ((r = 0; r < 2; r++)); do
        for tag in "${TAGS[@]}"; do
            secs=$(awk -v m="${R[$tag,$ifaces,p50]}" -v c="$CONC_CLIENTS" -v p="$(nproc)" \
                -v min="$CONC_SECONDS" 'BEGIN { s = int(m / 1000 * c / p * 3) + 1
                    if (s < min) s = min; if (s > 30) s = 30; print s }')
            conc_batch "$tag" "$ifaces" "$secs"
        done
    done
    for tag in "${TAGS[@]}"; do
        R[$tag,$ifaces,hwm]=$(status_kb "${PID[$tag]}" VmHWM)
        R[$tag,$ifaces,rpsc]=$(awk -v q="${R[$tag,$ifaces,conc_req]}" \
            -v s="${R[$tag,$ifaces,conc_sec]}" 'BEGIN { printf "%.1f", (s > 0 ? q / s : 0) }')
    done

    # netmetrics: resident memory after all of the above vs after many more
    # scrapes on one connection.
    rss0=$(status_kb "$NM_PID" VmRSS)
    log "flatness: $FLAT_SCRAPES scrapes (at most ${FLAT_SECONDS}s)"
    st=$(in_ns "$CLIENT" -p $NM_PORT -n "$FLAT_SCRAPES" -T "$FLAT_SECONDS") ||
        die "netmetrics: a scrape failed during the flatness run"
    done_n=$(sed -n 's/^requests=\([0-9]*\) .*/\1/p' <<<"$st")
    rss1=$(status_kb "$NM_PID" VmRSS)
    R[nm,$ifaces,rss0]=$rss0 R[nm,$ifaces,rss1]=$rss1 R[nm,$ifaces,flat_n]=$done_n

    # Profile of the largest size while the exporters are up.
    if [ "$PROFILE" -eq 1 ] && [ "$n" = "${SIZES[-1]}" ]; then
        profile "$ifaces"
    fi
    stop_pids

    if [ "$CALLGRIND" -eq 1 ]; then
        log "callgrind: 1 and $((CG_SCRAPES + 1)) scrapes"
        callgrind_ir 1
        ir1=$CG_IR
        callgrind_ir $((CG_SCRAPES + 1))
        irn=$CG_IR
        cp "$TMP/callgrind.$((CG_SCRAPES + 1)).out" "$TMP/callgrind-$ifaces.out"
        if [ -n "$ir1" ] && [ -n "$irn" ]; then
            R[nm,$ifaces,ir]=$(((irn - ir1) / CG_SCRAPES))
            R[nm,$ifaces,ir_first]=$ir1
        fi
    fi
    delete_ns
    for tag in "${TAGS[@]}"; do
        log "$(printf '%s: median %s ms, p99 %s ms (%s scrapes), %s/s on 32 clients, peak RSS %s kB' \
            "${LABEL[$tag]}" "${R[$tag,$ifaces,p50]}" "${R[$tag,$ifaces,p99]}" \
            "${R[$tag,$ifaces,n]}" "${R[$tag,$ifaces,rpsc]}" "${R[$tag,$ifaces,hwm]}")"
    done
}

# Where a scrape of the largest size spends its time: perf (user and
# kernel, by symbol) when perf works here, and callgrind_annotate of the
# instruction counts (user space only) once callgrind has run.
PROFILE_FILE=
profile() {
    local ifaces=$1
    PROFILE_FILE="$(dirname "$OUTPUT")/profile-$ifaces.txt"
    mkdir -p "$(dirname "$PROFILE_FILE")"
    {
        echo "# netmetrics_exporter scrape profile, $ifaces interfaces, $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "# sequential scrapes on one connection for ${PROFILE_SECONDS}s"
    } >"$PROFILE_FILE"
    if command -v perf >/dev/null 2>&1 && perf stat -e instructions true >/dev/null 2>&1; then
        log "perf: profiling netmetrics for ${PROFILE_SECONDS}s"
        perf record -q -F 2999 -o "$TMP/perf.data" -p "$NM_PID" -- sleep "$PROFILE_SECONDS" \
            >/dev/null 2>&1 &
        s=$!
        sleep 0.3
        in_ns "$CLIENT" -p $NM_PORT -n 100000000 -T $((PROFILE_SECONDS - 1)) >>"$PROFILE_FILE" || true
        wait "$s" || true
        {
            echo
            echo "## perf: self time by symbol (user and kernel)"
            perf report -i "$TMP/perf.data" --stdio --no-children --sort dso,sym \
                --percent-limit 0.7 2>/dev/null | grep -v '^$' | grep -v '^# *$' || true
        } >>"$PROFILE_FILE"
    else
        echo "(perf is not usable here)" >>"$PROFILE_FILE"
    fi
}

profile_callgrind() {
    local ifaces=$1 f="$TMP/callgrind-$1.out"
    [ -n "$PROFILE_FILE" ] && [ -f "$f" ] && command -v callgrind_annotate >/dev/null 2>&1 || return 0
    {
        echo
        echo "## callgrind: instructions by function, $((CG_SCRAPES + 1)) scrapes (nm_scraper_acquire and nm_scrape_stream_read)"
        echo "### inclusive"
        # (sed, not head, ends these pipes: a reader that stops early would
        # kill the writer with SIGPIPE, which pipefail turns into a failure)
        callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
            grep -v -e 'libmicrohttpd' -e 'clone.S' -e 'start_thread' -e 'http.c:handle_request' |
            sed -n '/^Ir/,$p' | sed -n '1,40p' || true
        echo "### self"
        callgrind_annotate "$f" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n '1,40p' || true
    } >>"$PROFILE_FILE"
}

# ------------------------------------------------------------------ main --
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START_TIME=$(date +%s)
NM_VERSION=$("$EXPORTER" --version 2>&1 | sed -n 1p)
NE_VERSION=
[ "$USE_NODE" -eq 1 ] && NE_VERSION=$("$NODE_EXPORTER" --version 2>&1 | awk 'NR == 1 { print $3 }')
GIT_REV=
if [ "$BUILT" -eq 1 ] && command -v git >/dev/null 2>&1 && git -C "$SRC_DIR" rev-parse --short HEAD >/dev/null 2>&1; then
    GIT_REV=$(git -C "$SRC_DIR" rev-parse --short HEAD)
    git -C "$SRC_DIR" diff --quiet HEAD -- src 2>/dev/null || GIT_REV="$GIT_REV + uncommitted changes in src/"
fi

for n in "${SIZES[@]}"; do
    run_size "$n"
done
[ "$PROFILE" -eq 1 ] && profile_callgrind $((SIZES[-1] * 2 + 1))
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(($(date +%s) - START_TIME))

# ----------------------------------------------------------------- report --
fmt_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) { r = a / b
        if (r < 10) printf "%.2gx", r; else printf "%.0fx", r } else print "—" }'
}
mib() { awk -v k="$1" 'BEGIN { if (k == "") print "—"; else printf "%.1f", k / 1024 }'; }
# yesno EXPR: "yes" when the awk expression EXPR (made of numbers) holds
yesno() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo "**no**"; fi; }
val() { local v=${R[$1]:-}; echo "${v:-—}"; }

report() {
    local n ifaces tag cpu
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    echo "## Benchmark results"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), \`bench/run.sh$([ "$SELF_TEST" -eq 1 ] && echo ' --self-test')\`" \
        "on $(nproc) cores (${cpu:-unknown CPU}), Linux $(uname -r);" \
        "load average ${LOAD_START// /, } at the start, ${LOAD_END// /, } at the end" \
        "(the machine was shared with other work); ${ELAPSED} s in all."
    if [ "$BUILT" -eq 1 ]; then
        printf '%s' "${NM_VERSION}${GIT_REV:+ (git $GIT_REV)}, built with -O2"
    else
        printf '%s' "${NM_VERSION}: \`$EXPORTER\` (given with --exporter)"
    fi
    [ "${#NM_EXTRA[@]}" -gt 0 ] && printf ', run with `%s`' "${NM_EXTRA[*]}"
    [ -n "$LABEL_TEXT" ] && printf ' (%s)' "$LABEL_TEXT"
    echo .
    if [ "$USE_NODE" -eq 1 ]; then
        echo "node_exporter $NE_VERSION (Debian) with \`--collector.disable-defaults --collector.netdev --collector.netclass\`."
    fi
    [ "$CONNECTIONS" -gt 0 ] && echo "$CONNECTIONS established TCP connections on loopback in the namespace."
    echo
    echo "Latency: sequential GETs over one kept-alive connection, from writing the request to the"
    echo "last body byte, $ROUNDS alternating rounds per exporter (up to $SEQ_COUNT scrapes or ${SEQ_SECONDS} s"
    echo "each); plain text, no gzip. Concurrent: $CONC_CLIENTS kept-alive clients ($CLIENT_KIND), 2 alternating"
    echo "rounds. Peak RSS: VmHWM after the concurrent rounds. CPU: the exporter's utime + stime over"
    echo "the sequential scrapes, per scrape (${CLK_TCK} Hz ticks)."
    echo
    echo "| interfaces | exporter | median ms | p99 ms | scrapes | scrapes/s, 1 conn | scrapes/s, $CONC_CLIENTS clients | peak RSS MiB | CPU ms/scrape | body bytes | series |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${SIZES[@]}"; do
        ifaces=$((n * 2 + 1))
        for tag in "${TAGS[@]}"; do
            printf '| %s | %s | %s | %s | %s | %s | %s%s | %s | %s | %s | %s |\n' "$ifaces" "${LABEL[$tag]}" \
                "$(val "$tag,$ifaces,p50")" "$(val "$tag,$ifaces,p99")" "$(val "$tag,$ifaces,n")" \
                "$(val "$tag,$ifaces,rps1")" "$(val "$tag,$ifaces,rpsc")" \
                "${R[$tag,$ifaces,conc_errors]:+ (errors)}" "$(mib "${R[$tag,$ifaces,hwm]:-}")" \
                "$(val "$tag,$ifaces,cpu_ms")" "$(val "$tag,$ifaces,bytes")" "$(val "$tag,$ifaces,series")"
        done
        if [ "$USE_NODE" -eq 1 ]; then
            printf '| %s | *node_exporter ÷ netmetrics* | %s | %s | | %s | %s | %s | %s | | |\n' "$ifaces" \
                "$(fmt_ratio "${R[ne,$ifaces,p50]}" "${R[nm,$ifaces,p50]}")" \
                "$(fmt_ratio "${R[ne,$ifaces,p99]}" "${R[nm,$ifaces,p99]}")" \
                "$(fmt_ratio "${R[nm,$ifaces,rps1]}" "${R[ne,$ifaces,rps1]}")" \
                "$(fmt_ratio "${R[nm,$ifaces,rpsc]}" "${R[ne,$ifaces,rpsc]}")" \
                "$(fmt_ratio "${R[ne,$ifaces,hwm]}" "${R[nm,$ifaces,hwm]}")" \
                "$(fmt_ratio "${R[ne,$ifaces,cpu_ms]}" "${R[nm,$ifaces,cpu_ms]}")"
        fi
    done
    echo
    echo "netmetrics alone: instructions per scrape (callgrind, inside \`nm_scraper_acquire\` and \`nm_scrape_stream_read\`: collection and rendering, mean of"
    echo "$CG_SCRAPES scrapes after the first), and resident memory after the runs above vs after more scrapes."
    echo
    echo "| interfaces | Ir/scrape | Ir, first scrape | RSS before, kB | RSS after, kB | scrapes between |"
    echo "|---:|---:|---:|---:|---:|---:|"
    for n in "${SIZES[@]}"; do
        ifaces=$((n * 2 + 1))
        printf '| %s | %s | %s | %s | %s | %s |\n' "$ifaces" "$(val "nm,$ifaces,ir")" \
            "$(val "nm,$ifaces,ir_first")" "$(val "nm,$ifaces,rss0")" "$(val "nm,$ifaces,rss1")" \
            "$(val "nm,$ifaces,flat_n")"
    done
    if [ "${#NOTES[@]}" -gt 0 ]; then
        echo
        echo "Errors during the concurrent runs (their responses are not counted as scrapes):"
        printf -- '- %s\n' "${NOTES[@]}"
    fi
    targets
    [ -n "$PROFILE_FILE" ] && { echo; echo "Profile of the largest size: \`${PROFILE_FILE#"$SRC_DIR"/}\`."; }
    return 0
}

# The issue's targets, for the sizes that ran.
targets() {
    local big=1001 small=5 rows=()
    if [ -n "${R[nm,$big,p50]:-}" ]; then
        rows+=("| $big interfaces: median ≤ 5 ms | ${R[nm,$big,p50]} ms | $(yesno "${R[nm,$big,p50]} <= 5") |")
        [ -n "${R[ne,$big,p50]:-}" ] &&
            rows+=("| $big interfaces: ≥ 80x faster than node_exporter | $(fmt_ratio "${R[ne,$big,p50]}" "${R[nm,$big,p50]}") | $(yesno "${R[ne,$big,p50]} >= 80 * ${R[nm,$big,p50]}") |")
        rows+=("| $big interfaces: peak RSS ≤ 8 MB with $CONC_CLIENTS clients | $(mib "${R[nm,$big,hwm]}") MiB | $(yesno "${R[nm,$big,hwm]} <= 8192") |")
    fi
    if [ -n "${R[nm,$small,p50]:-}" ]; then
        rows+=("| $small interfaces: median ≤ 0.5 ms | ${R[nm,$small,p50]} ms | $(yesno "${R[nm,$small,p50]} <= 0.5") |")
        rows+=("| $small interfaces: ≥ 3,000 scrapes/s | ${R[nm,$small,rps1]}/s on 1 connection, ${R[nm,$small,rpsc]}/s on $CONC_CLIENTS | $(yesno "${R[nm,$small,rps1]} >= 3000 || ${R[nm,$small,rpsc]} >= 3000") |")
    fi
    for n in "${SIZES[@]}"; do
        local i=$((n * 2 + 1)) d f
        [ -n "${R[nm,$i,rss1]:-}" ] || continue
        d=$((R[nm,$i,rss1] - R[nm,$i,rss0]))
        if [ "$d" -gt 128 ]; then
            f="**no**"
        elif [ "${R[nm,$i,flat_n]}" -ge 10000 ]; then
            f=yes
        else
            f="flat so far (fewer than 10,000 scrapes)"
        fi
        rows+=("| $(ifaces_text "$i"): RSS flat over ${R[nm,$i,flat_n]} scrapes | ${d} kB growth | $f |")
    done
    [ "${#rows[@]}" -gt 0 ] || return 0
    echo
    echo "| target (issue 8) | measured | met |"
    echo "|---|---|---|"
    printf '%s\n' "${rows[@]}"
}

report >"$TMP/report.md"
cat "$TMP/report.md"
if [ "$SELF_TEST" -eq 1 ]; then
    # Every figure must be there and be positive.
    bad=0
    for tag in "${TAGS[@]}"; do
        for k in p50 p99 n rps1 rpsc hwm bytes series; do
            awk -v v="${R[$tag,1,$k]:-0}" 'BEGIN { exit !(v > 0) }' ||
                { log "self-test: ${LABEL[$tag]} has no $k"; bad=1; }
        done
    done
    [ "${R[nm,1,n]:-0}" -ge $((ROUNDS * SEQ_COUNT)) ] || { log "self-test: fewer scrapes than asked"; bad=1; }
    if [ "$CALLGRIND" -eq 1 ]; then
        awk -v v="${R[nm,1,ir]:-0}" 'BEGIN { exit !(v > 0) }' || { log "self-test: no instruction count"; bad=1; }
    fi
    [ "$bad" -eq 0 ] || exit 1
    log "self-test: ok (${ELAPSED} s)"
else
    mkdir -p "$(dirname "$OUTPUT")"
    cp "$TMP/report.md" "$OUTPUT"
    log "written to $OUTPUT"
fi

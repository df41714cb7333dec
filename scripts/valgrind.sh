#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs netmetrics under valgrind memcheck, from an already built (non-
# sanitizer) build directory:
#   1. every unit-test program (tests/unit/check_*, examples/network_stats),
#      Check's fork mode off so valgrind sees the tests themselves;
#      any error or any leak (definite, indirect or possible) fails;
#   2. the exporter: start, 50 scrapes (half on one keep-alive connection,
#      half on fresh ones), SIGTERM; any memcheck error or a definite or
#      indirect leak fails, and so does an exit status other than 0.
# Needs no root. Usage: scripts/valgrind.sh BUILDDIR (after make check).
set -euo pipefail

B=$(cd "${1:?usage: $0 BUILDDIR}" && pwd)
command -v valgrind >/dev/null || { echo "valgrind: not installed" >&2; exit 1; }
LIBTOOL=$B/libtool
OUT=$B/valgrind
rm -rf "$OUT"
mkdir -p "$OUT"
# -q: the log stays empty unless there is something to report.
# --fair-sched=yes: valgrind runs one thread at a time behind a lock; without
# it, threads that spin on uncontended mutexes (check_manager's readers) can
# starve the others for minutes.
VG=(valgrind -q --fair-sched=yes --error-exitcode=99 --leak-check=full --track-origins=yes --num-callers=30)
UNIT_LEAKS=definite,indirect,possible
EXPORTER_LEAKS=definite,indirect
status=0

# -- 1. unit tests ---------------------------------------------------------------
export CK_FORK=no
export NM_FIXTURES=${NM_FIXTURES:-$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures}
progs=()
for p in "$B"/tests/unit/check_* "$B"/examples/network_stats; do
    case $p in *.o|*.log|*.trs|*.c) continue ;; esac
    [ -f "$p" ] && [ -x "$p" ] && progs+=("$p")
done
[ "${#progs[@]}" -gt 0 ] || { echo "valgrind: no test programs in $B (run make check first)" >&2; exit 1; }
for p in "${progs[@]}"; do
    name=$(basename "$p")
    start=$(date +%s)
    rc=0
    (cd "$B" && "$LIBTOOL" --mode=execute "${VG[@]}" --show-leak-kinds=$UNIT_LEAKS \
        --errors-for-leak-kinds=$UNIT_LEAKS --log-file="$OUT/$name.vg" "$p") \
        >"$OUT/$name.out" 2>&1 || rc=$?
    printf 'valgrind: %-28s exit %-3s %3ss\n' "$name" "$rc" "$(( $(date +%s) - start ))"
    if [ "$rc" -ne 0 ] || [ -s "$OUT/$name.vg" ]; then
        status=1
        tail -n 30 "$OUT/$name.out"
        cat "$OUT/$name.vg"
    fi
done

# -- 2. the exporter ----------------------------------------------------------------
EXP=$B/src/netmetrics_exporter
log=$OUT/exporter.log
"$LIBTOOL" --mode=execute "${VG[@]}" --show-leak-kinds=$EXPORTER_LEAKS \
    --errors-for-leak-kinds=$EXPORTER_LEAKS \
    --log-file="$OUT/exporter.vg" "$EXP" --web.listen-address=127.0.0.1:0 \
    --collector.connections --collector.connections.processes \
    --web.enable-connections-endpoint </dev/null >"$log" 2>&1 &
pid=$!
port=
for _ in $(seq 300); do
    port=$(sed -n 's/.*msg="listening".*address=127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "valgrind: the exporter did not come up under valgrind" >&2
    kill "$pid" 2>/dev/null || true
    cat "$log" "$OUT/exporter.vg" >&2
    exit 1
fi
url=http://127.0.0.1:$port/metrics
urls=()
for _ in $(seq 25); do urls+=("$url"); done
ok=0
# 25 on one keep-alive connection, then 25 on connections of their own:
# text, OpenMetrics and gzip in turn (every response path), and the
# /connections JSON endpoint once.
codes=$(curl -s --noproxy '*' --max-time 120 -o /dev/null -w '%{http_code}\n' "${urls[@]}" || true)
ok=$((ok + $(grep -c '^200$' <<<"$codes" || true)))
for i in $(seq 25); do
    case $((i % 3)) in
    0) extra=(-H 'Accept: application/openmetrics-text; version=1.0.0') ;;
    1) extra=(--compressed) ;;
    *) extra=() ;;
    esac
    c=$(curl -s --noproxy '*' --max-time 20 "${extra[@]}" -o /dev/null -w '%{http_code}' "$url" || true)
    [ "$c" = 200 ] && ok=$((ok + 1))
done
c=$(curl -s --noproxy '*' --max-time 60 -o /dev/null -w '%{http_code}' "${url%/metrics}/connections" || true)
[ "$c" = 200 ] || { echo "valgrind: GET /connections answered $c" >&2; status=1; }
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
printf 'valgrind: %-28s exit %-3s %s/50 scrapes answered 200\n' netmetrics_exporter "$rc" "$ok"
if [ "$rc" -ne 0 ] || [ "$ok" -ne 50 ] || [ -s "$OUT/exporter.vg" ]; then
    status=1
    tail -n 20 "$log"
    cat "$OUT/exporter.vg"
fi
[ "$status" -eq 0 ] && echo "valgrind: no errors, no leaks"
exit "$status"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs the libFuzzer targets of tests/fuzz/ (clang,
# -fsanitize=fuzzer,address,undefined). The library and exporter code is
# built once by configure + make in a build directory, with fuzzer
# instrumentation; each target is then one small file linked against those
# convenience libraries, so a parser added to the library is reachable
# without touching this script's build logic.
#
# Adding a target: write tests/fuzz/fuzz_NAME.c (LLVMFuzzerTestOneInput),
# put seeds in tests/fuzz/corpus/NAME/, and add NAME to TARGETS below. Every
# target links all the convenience libraries (core, exporter, CLI) and sees
# every source directory's headers.
#
# Usage: scripts/fuzz.sh [-t SECONDS] [-b BUILDDIR] [-n] [TARGET...]
#   -t  run time per target (default $FUZZ_SECONDS, else $FUZZ_BUDGET
#       seconds (180) shared by the targets, at least 10 s each)
#   -b  build directory (default build-fuzz/ in the source tree)
#   -n  build only, do not run
# Exits non-zero when a build fails or any target finds a crash, a leak, a
# timeout or a failed check; the crashing input is kept under
# BUILDDIR/artifacts/ and printed as a hex dump.
set -euo pipefail

TARGETS=(
    rtnl_links          # rtnetlink walker + RTM_NEWLINK
    rtnl_addrs          # rtnetlink walker + RTM_NEWADDR
    rtnl_stats          # RTM_NEWSTATS + the link cache (stats merge, notifications)
    procnetdev          # /proc/net/dev
    sysfs               # sysfs attribute values
    uevent              # uevent, speed, duplex
    procnetwireless     # /proc/net/wireless
    nl80211             # generic netlink + nl80211
    sockdiag            # sock_diag inet_diag dumps
    proc_net_tcp        # /proc/net/{tcp,udp}{,6}
    darwin_ifmsg        # macOS NET_RT_IFLIST2 walker
    darwin_ifmib        # macOS ifmibdata
    darwin_netstat      # macOS netstat -ibdn text
    darwin_sockinfo     # macOS libproc socket_fdinfo + shared-socket table
    label_value         # exposition label escaping
    options             # exporter command line
    devfilter           # --collector.device-include/-exclude, type-exclude
    cli_options         # netmetrics CLI command line
    accept              # Accept / Accept-Encoding negotiation
    procself            # /proc/self/stat and /proc/stat btime
    scrape_timeout      # X-Prometheus-Scrape-Timeout-Seconds
    webconfig           # --web.config.file YAML
)

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-}
BUILD=$ROOT/build-fuzz
RUN=1
while getopts "t:b:n" opt; do
    case $opt in
    t) SECONDS_PER_TARGET=$OPTARG ;;
    b) BUILD=$OPTARG ;;
    n) RUN=0 ;;
    *) echo "usage: $0 [-t SECONDS] [-b BUILDDIR] [-n] [TARGET...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ "$#" -gt 0 ] && TARGETS=("$@")
if [ -z "$SECONDS_PER_TARGET" ]; then
    SECONDS_PER_TARGET=$(( ${FUZZ_BUDGET:-180} / ${#TARGETS[@]} ))
    [ "$SECONDS_PER_TARGET" -ge 10 ] || SECONDS_PER_TARGET=10
fi

CC=${FUZZ_CC:-clang}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n); int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' |
    "$CC" -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null; then
    echo "fuzz: $CC cannot build libFuzzer targets (-fsanitize=fuzzer); skipped" >&2
    exit 77
fi

# -- the library, instrumented ------------------------------------------------
mkdir -p "$BUILD"
if [ ! -f "$BUILD/config.status" ]; then
    (cd "$BUILD" && "$ROOT/configure" -q CC="$CC" \
        CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN" --disable-tests --disable-shared)
fi
# Every convenience library the Makefile defines (read from the Makefile
# itself, so a new one is picked up). Each embeds libnmcore; the linker
# takes each object once, from the first archive that has it.
make -C "$BUILD" -s Makefile >/dev/null   # regenerated first if Makefile.am changed
LTLIBS=$(printf 'nm-print-libs:\n\t@echo $(noinst_LTLIBRARIES)\n' |
    make -C "$BUILD" -s --no-print-directory -f Makefile -f - nm-print-libs | tail -n 1)
make -C "$BUILD" -s -j"${JOBS:-2}" $LTLIBS

INC=(-I"$BUILD" -I"$ROOT/tests/fuzz")
for d in "$ROOT"/src "$ROOT"/src/*/; do
    INC+=(-I"${d%/}")
done
LIBS=()
for l in $LTLIBS; do
    [ "$l" = libnmcore.la ] || LIBS+=("$BUILD/.libs/${l%.la}.a")
done
LIBS+=("$BUILD/.libs/libnmcore.a" $(pkg-config --libs libmicrohttpd zlib yaml-0.1 gnutls libxcrypt)
    -lpthread -lm)
mkdir -p "$BUILD/fuzz" "$BUILD/artifacts"
for t in "${TARGETS[@]}"; do
    src=$ROOT/tests/fuzz/fuzz_$t.c
    [ -f "$src" ] || { echo "fuzz: no $src" >&2; exit 1; }
    "$CC" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all "${INC[@]}" $(pkg-config --cflags libmicrohttpd) \
        -o "$BUILD/fuzz/fuzz_$t" "$src" "$ROOT/tests/fuzz/fuzz_common.c" "${LIBS[@]}"
done
[ "$RUN" -eq 1 ] || exit 0

# -- run ------------------------------------------------------------------------
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
printf '%-16s %12s %8s %s\n' target executions corpus result > "$BUILD/fuzz/summary.txt"
for t in "${TARGETS[@]}"; do
    # The seeds are read-only input; what the fuzzer learns goes to a scratch
    # corpus in the build directory (kept between runs, so it grows).
    work=$BUILD/fuzz/corpus-$t
    seeds=$ROOT/tests/fuzz/corpus/$t
    mkdir -p "$work"
    [ -d "$seeds" ] || seeds=
    log=$BUILD/fuzz/$t.log
    echo "fuzz: $t for ${SECONDS_PER_TARGET}s"
    rc=0
    "$BUILD/fuzz/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$BUILD/artifacts/$t-" "$work" ${seeds:+"$seeds"} >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(ls "$work" | wc -l)
    if [ "$rc" -ne 0 ]; then
        result=FAILED
        failed+=("$t")
        tail -n 60 "$log"
        for a in "$BUILD/artifacts/$t-"*; do
            [ -f "$a" ] || continue
            echo "---- reproducer $a"
            od -A x -t x1z "$a" | head -n 40
        done
    else
        result=ok
    fi
    printf '%-16s %12s %8s %s\n' "$t" "${execs:-?}" "$corpus" "$result" | tee -a "$BUILD/fuzz/summary.txt"
done
echo
cat "$BUILD/fuzz/summary.txt"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#TARGETS[@]} targets ran clean"

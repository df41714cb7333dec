#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The run command (README): installs dependencies, builds a release build in
# build/ (configuring it only when it is not configured yet) and runs the
# exporter in the foreground on its default address (:9709). Extra
# arguments go to the exporter, e.g.
#   bash scripts/run.sh --collector.backend=procfs --log.level=debug
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >&2
[ -x configure ] || autoreconf -fi >&2
mkdir -p build
cd build
[ -f Makefile ] || ../configure >&2
make -j"${JOBS:-2}" >&2
exec ./src/netmetrics_exporter "$@"

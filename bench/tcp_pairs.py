#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Holds K established TCP connections on loopback for the benchmark.

It listens on 127.0.0.1 (a port the kernel picks), connects K clients to
itself and accepts each one, so the namespace it runs in has 2*K sockets in
ESTABLISHED plus the listener. It then prints "ready K" and sleeps until it
is signalled or its parent (the benchmark script) goes away; the kernel
tears the sockets down when it exits. No data is sent: the benchmark measures what reading the
socket table costs, not traffic. The caller raises the file limit
(bench/run.sh sets `ulimit -n`); with too low a limit it fails with a
message saying how many descriptors it needs.
"""

import os
import resource
import signal
import socket
import sys
import time


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print("usage: tcp_pairs.py K", file=sys.stderr)
        return 2
    k = int(sys.argv[1])
    need = 2 * k + 16
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            print(f"tcp_pairs: need {need} file descriptors, the limit is {hard}",
                  file=sys.stderr)
            return 1
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4096)
    addr = listener.getsockname()
    held = []
    for _ in range(k):
        client = socket.create_connection(addr)
        server, _peer = listener.accept()
        held.append(client)
        held.append(server)
    print(f"ready {k}", flush=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = os.getppid()
    try:
        # Orphaned (the script was killed without its cleanup): stop too.
        while os.getppid() == parent:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

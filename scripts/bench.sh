#!/usr/bin/env bash
# Benchmarks NetCrew on generated data and prints each figure next to a
# baseline measured in the same run. Every argument goes to netcrew-bench:
#   scripts/bench.sh --scale 100          the hot queries
#   scripts/bench.sh --database-url postgres://postgres@127.0.0.1/bench
#   scripts/bench.sh http --scale 100     the real server under HTTP load
#   scripts/bench.sh http --scale 100 --cases tickets
#                                         only the ticket cases (and /healthz)
#   scripts/bench.sh http --help          its options
#   scripts/bench.sh events --streams 5000
#                                         5,000 open event streams: the server's
#                                         memory per stream and the delay from a
#                                         change to every stream (needs an
#                                         open-file limit above the streams:
#                                         `ulimit -n 20000` first)
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release --locked -p netcrew-bench -- "$@"

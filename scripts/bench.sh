#!/usr/bin/env bash
# Times NetCrew's hot queries on generated data and prints each as a ratio
# against a baseline measured in the same run. Arguments go to
# netcrew-bench, e.g. `scripts/bench.sh --scale 100` or
# `scripts/bench.sh --database-url postgres://postgres@127.0.0.1/bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release --locked -p netcrew-bench -- "$@"

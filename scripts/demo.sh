#!/usr/bin/env bash
# Builds the web app and the netcrew binary, then serves the demo data set
# on http://127.0.0.1:8080 (SQLite in ./demo-data). Extra arguments go to
# `netcrew demo`, e.g. `scripts/demo.sh --port 9000 --scale 10`.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd web && npm install --no-audit --no-fund --loglevel=error && npm run build)
exec cargo run --release --locked -p netcrew -- demo --data-dir demo-data "$@"

#!/usr/bin/env bash
# Runs every check NetCrew has: formatting, lints, the Rust tests (SQLite, and
# PostgreSQL when NETCREW_TEST_POSTGRES_URL is set), the web app's type check
# and unit tests, schemathesis over the whole API, and the browser test in
# Chromium against the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"

step() { printf '\n== %s\n' "$*"; }

step "web: install, type check, unit tests, build"
# `npm install` rather than `npm ci`: the lock file holds only the platform
# packages the registry serves (one optional dependency of the i18n compiler
# has no macOS build there), which `npm ci` counts as out of sync. With an
# up-to-date lock, `npm install` installs exactly what it records.
(
  cd web
  npm install --no-audit --no-fund --loglevel=error
  npm run check
  npm run test:unit
  npm run build
)

step "rust: formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust: unit and API tests"
if [ -z "${NETCREW_TEST_POSTGRES_URL:-}" ]; then
  echo "note: NETCREW_TEST_POSTGRES_URL is not set; the PostgreSQL variants of the API tests are skipped"
fi
cargo test --workspace --locked

step "API fuzzing: schemathesis over every operation"
cargo build -p netcrew --locked
if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi
NETCREW_BIN="$target_dir/debug/netcrew" bash scripts/schemathesis.sh

step "browser test: Chromium against the real binary"
(cd web && NETCREW_BIN="$target_dir/debug/netcrew" npm run test:e2e)

step "all checks passed"

#!/usr/bin/env bash
# `./run bench`: builds pkg/ (skipped when nothing changed), prints each file raw and its `.gz`
# and `.br` copies (what the proxy serves), then the loader and the first open against the budgets
# and every later chunk with their total (scripts/check-budgets.sh), then in headless Chromium what
# the first cold open transferred as the browser received it (per file and in all), and the times,
# cold and warm: a click on the launcher until the form is usable, and a click on "My tickets"
# until the list shows (tests/bench/open_to_interactive.rs; HELPDOCK_BENCH_RUNS sets the number of
# runs).
# Exits 0 even over budget: this is the report; scripts/check-budgets.sh is the gate, and times
# are never a gate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-widget.sh >/dev/null
scripts/sizes.sh
echo
scripts/check-budgets.sh || true
echo
scripts/setup-system.sh
cargo build -q -p helpdock
HELPDOCK_BIN="$PWD/target/debug/helpdock" cargo run -q -p helpdock-e2e --example open_to_interactive

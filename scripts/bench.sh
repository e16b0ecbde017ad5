#!/usr/bin/env bash
# `./run bench`: builds pkg/ (skipped when nothing changed), prints each file raw / gzip -9 /
# brotli -q 11, then the loader and the first-open total (all of pkg/) against the budgets.
# Exits 0 even over budget: this is the report; scripts/check-budgets.sh is the gate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-widget.sh >/dev/null
scripts/sizes.sh
echo
scripts/check-budgets.sh || true

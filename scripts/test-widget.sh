#!/usr/bin/env bash
# Runs the widget's tests (unit and component) in headless Chromium: cargo builds the test wasm,
# and wasm-bindgen-test-runner (the version of the pinned wasm-bindgen; scripts/build-widget.sh
# installs it) serves it to Chromium through ChromeDriver.
#
# The runner itself starts Chrome with --headless, --no-sandbox (needed as root) and
# --disable-dev-shm-usage; a webdriver.json in the crate root could add more (it is not needed).
#
#   scripts/test-widget.sh [cargo test args…]    e.g. scripts/test-widget.sh reset
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

command -v wasm-bindgen-test-runner >/dev/null || { echo "test-widget: run scripts/build-widget.sh first (it installs wasm-bindgen-cli)" >&2; exit 1; }
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver || true)}
[[ -n "$CHROMEDRIVER" ]] || { echo "test-widget: chromedriver is missing; run scripts/setup-system.sh" >&2; exit 1; }

CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER="$CHROMEDRIVER" \
WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-60} \
  exec cargo test -p helpdock-widget --target wasm32-unknown-unknown "$@"

#!/usr/bin/env bash
# Checks pkg/ against the page-weight budgets of issue 4 (brotli -q 11, as a CDN would serve it):
#   the loader widget.js          <= 2 KB
#   all of pkg/ (the first open)  <= 120 KB (the aim is 100 KB)
# Prints one line per budget and exits 1 when one is exceeded. Sizes are deterministic, so this
# is a fair CI check; it reads pkg/ as it is (scripts/build-widget.sh or ./run bench builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
LOADER_BUDGET=${HELPDOCK_LOADER_BUDGET:-2048}
TOTAL_BUDGET=${HELPDOCK_TOTAL_BUDGET:-122880}
TOTAL_AIM=102400

command -v brotli >/dev/null || { echo "check-budgets: brotli is required (apt-get install brotli)" >&2; exit 1; }
[ -f pkg/widget.js ] || { echo "check-budgets: pkg/ is empty: run scripts/build-widget.sh first" >&2; exit 1; }

br() { brotli -q 11 -c "$1" | wc -c; }
loader=$(br pkg/widget.js)
total=0
for f in pkg/*; do total=$((total + $(br "$f"))); done

status=0
verdict() { # name size budget
  if (( $2 <= $3 )); then printf '%-10s %7d B / %7d B ok\n' "$1" "$2" "$3"
  else printf '%-10s %7d B / %7d B OVER by %d B\n' "$1" "$2" "$3" $(($2 - $3)); status=1; fi
}
verdict loader "$loader" "$LOADER_BUDGET"
verdict "first open" "$total" "$TOTAL_BUDGET"
if (( total > TOTAL_AIM && total <= TOTAL_BUDGET )); then
  printf '%-10s %7d B above the 100 KB aim\n' "" $((total - TOTAL_AIM))
fi
exit "$status"

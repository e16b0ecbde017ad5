#!/usr/bin/env bash
# Prints the size of every file in pkg/ raw, gzip -9 and brotli -q 11 (0 without brotli), and totals.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/widget.js ] || { echo "pkg/ is empty: run scripts/build-widget.sh first" >&2; exit 1; }
printf '%-40s %10s %10s %10s\n' file raw gzip brotli
tr=0; tg=0; tb=0
for f in pkg/*; do
  r=$(stat -c %s "$f"); g=$(gzip -9 -c "$f" | wc -c); b=0
  command -v brotli >/dev/null && b=$(brotli -q 11 -c "$f" | wc -c)
  tr=$((tr + r)); tg=$((tg + g)); tb=$((tb + b))
  printf '%-40s %10d %10d %10d\n' "$(basename "$f")" "$r" "$g" "$b"
done
printf '%-40s %10d %10d %10d\n' total "$tr" "$tg" "$tb"

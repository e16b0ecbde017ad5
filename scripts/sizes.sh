#!/usr/bin/env bash
# Prints the size of every file in pkg/ as the proxy serves it: raw, and its gzip (`.gz`, zopfli)
# and brotli (`.br`, quality 11) copies that scripts/build-widget.sh wrote beside it; then totals.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/widget.js ] || { echo "pkg/ is empty: run scripts/build-widget.sh first" >&2; exit 1; }
size() { # FILE: its size in bytes; stops when it is missing
  if [[ -f "$1" ]]; then stat -c %s "$1"; else echo "missing: $1 (run scripts/build-widget.sh)" >&2; exit 1; fi
}
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
tr=0; tg=0; tb=0
for f in pkg/*; do
  [[ "$f" == *.br || "$f" == *.gz ]] && continue
  r=$(size "$f"); g=$(size "$f.gz"); b=$(size "$f.br")
  tr=$((tr + r)); tg=$((tg + g)); tb=$((tb + b))
  printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$r" "$g" "$b"
done
printf '%-44s %10d %10d %10d\n' total "$tr" "$tg" "$tb"

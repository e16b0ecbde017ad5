#!/usr/bin/env bash
# Checks pkg/ against the page-weight budgets of issues 4 and 10, in brotli bytes as the proxy (or
# a CDN) serves them: the sizes of the `.br` files scripts/build-widget.sh wrote beside each file:
#   the loader widget.js   <= 2 KB
#   the first open         <= 120 KB (the aim is 100 KB): the loader, the glue (with the chunk
#                          loader), the main wasm, the stylesheet (these three named
#                          <name>.<hash>.<ext>), and the visitor's locale: its
#                          chunk and the chunks it shares with other locales (scripts/name-chunks.mjs
#                          names them locale-<tag>… and <a>_<b>…); the largest locale counts
#   later chunks           reported by name ("My tickets", the thread, the other locales), not
#                          budgeted: they come when needed, or while the browser is idle
# Prints one line per budget and per later chunk; exits 1 when a budget is exceeded, or when pkg/
# holds a file this script does not know (it would be neither the first open nor a chunk). Sizes
# are deterministic, so this is a fair CI check; it reads pkg/ as it is (scripts/build-widget.sh or
# ./run bench builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
LOADER_BUDGET=${HELPDOCK_LOADER_BUDGET:-2048}
TOTAL_BUDGET=${HELPDOCK_TOTAL_BUDGET:-122880}
TOTAL_AIM=102400
HASH='[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
# The loader, the glue, the main wasm, the stylesheet (scripts/name-first-screen.mjs names them).
FIRST_SCREEN_GLOBS=(widget.js "helpdock_widget.$HASH.js" "helpdock_widget_bg.$HASH.wasm" "helpdock.$HASH.css")

[ -f pkg/widget.js ] || { echo "check-budgets: pkg/ is empty: run scripts/build-widget.sh first" >&2; exit 1; }

br() {
  [[ -f "$1.br" ]] || { echo "check-budgets: $1.br is missing: run scripts/build-widget.sh" >&2; exit 1; }
  stat -c %s "$1.br"
}
status=0
core=0
first_screen=()
for glob in "${FIRST_SCREEN_GLOBS[@]}"; do
  matches=(pkg/$glob)
  [[ ${#matches[@]} == 1 && -f "${matches[0]}" ]] \
    || { echo "check-budgets: pkg/ holds ${#matches[@]} of $glob, not one: ${matches[*]}" >&2; exit 1; }
  first_screen+=("$(basename "${matches[0]}")")
  core=$((core + $(br "${matches[0]}")))
done
declare -A size
for f in pkg/*; do
  name=$(basename "$f")
  [[ "$name" == *.br || "$name" == *.gz ]] && continue
  [[ " ${first_screen[*]} " == *" $name "* ]] && continue
  if [[ ! "$name" =~ ^[a-z0-9_-]+\.[0-9a-f]{8}\.wasm$ ]]; then
    echo "check-budgets: pkg/$name is neither the first open's nor a chunk (<name>.<hash>.wasm)" >&2
    status=1
    continue
  fi
  size[$name]=$(br "$f")
done

# The visitor's locale: English is in the main module; any other is its chunk plus the chunks it
# shares (whose names list it between `_`).
locale=en
locale_size=0
for name in "${!size[@]}"; do
  [[ "$name" =~ ^locale-([a-z-]+)\.[0-9a-f]{8}\.wasm$ ]] || continue
  tag=${BASH_REMATCH[1]}
  bytes=0
  for other in "${!size[@]}"; do
    [[ "_${other%%.*}_" == *"_locale-${tag}_"* ]] && bytes=$((bytes + size[$other]))
  done
  if (( bytes > locale_size )); then locale=$tag; locale_size=$bytes; fi
done
first=$((core + locale_size))

verdict() { # name size budget
  if (( $2 <= $3 )); then printf '%-12s %7d B / %7d B ok\n' "$1" "$2" "$3"
  else
    printf '%-12s %7d B / %7d B OVER by %d B\n' "$1" "$2" "$3" $(($2 - $3))
    status=1
  fi
}
verdict loader "$(br pkg/widget.js)" "$LOADER_BUDGET"
verdict "first open" "$first" "$TOTAL_BUDGET"
printf '%-12s %7d B of it: locale %s, the largest\n' "" "$locale_size" "$locale"
if (( first > TOTAL_AIM && first <= TOTAL_BUDGET )); then
  printf '%-12s %7d B above the 100 KB aim\n' "" $((first - TOTAL_AIM))
fi
chunks=0
for name in $(printf '%s\n' "${!size[@]}" | sort); do
  printf '%-12s %7d B %s\n' "chunk" "${size[$name]}" "$name"
  chunks=$((chunks + size[$name]))
done
printf '%-12s %7d B in %d chunks\n' "all chunks" "$chunks" "${#size[@]}"
exit "$status"

#!/usr/bin/env bash
# Runs the README's test command (`./run test`) the way a new user's machine would: in a fresh
# clone of HEAD, with an empty cargo registry and git cache, no cargo-installed tools, an empty
# HELPDOCK_TOOLS_DIR and an empty npm cache, so nothing cached here can hide a missing install step.
#
# Kept: the Rust toolchain (rustup's; a new machine has one too) and the Debian packages, which the
# command installs itself when missing (scripts/setup-system.sh) but which cannot be unset here.
# Committed work only: uncommitted changes are not in the clone.
#
# Prints each output line with the seconds since the start, then the steps' durations and the wall
# time. The log stays in target/fresh-check.log; the clone and its caches are removed.
#
#   scripts/fresh-check.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log="$root/target/fresh-check.log"
mkdir -p "$root/target"

if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]]; then
  echo "fresh-check: uncommitted changes are not checked (the clone is of HEAD)" >&2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/helpdock-fresh.XXXXXX")
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT

# A CARGO_HOME whose bin/ holds only rustup's proxies (cargo, rustc, rustfmt, clippy…): the
# cargo-installed tools (wasm-split-cli, wasm-bindgen, trunk) and the registry are left behind.
user_cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
rustup_bin=$(command -v rustup) || { echo "fresh-check: rustup is required" >&2; exit 1; }
rustup_bin=$(readlink -f "$rustup_bin")
mkdir -p "$scratch/cargo-home/bin" "$scratch/tools" "$scratch/npm-cache"
for proxy in "$user_cargo_bin"/*; do
  [[ "$(readlink -f "$proxy")" == "$rustup_bin" || "$proxy" -ef "$rustup_bin" ]] || continue
  ln -s "$rustup_bin" "$scratch/cargo-home/bin/$(basename "$proxy")"
done
[[ -e "$scratch/cargo-home/bin/cargo" ]] || { echo "fresh-check: no rustup proxies in $user_cargo_bin" >&2; exit 1; }

# PATH without the user's cargo bin/, so a tool installed there is not found.
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$user_cargo_bin" | paste -sd: -)

git clone --quiet --no-hardlinks "$root" "$scratch/helpdock"
echo "fresh-check: $(git -C "$scratch/helpdock" log -1 --format='%h %s')" | tee "$log"

start=$(date +%s)
set +e
(
  cd "$scratch/helpdock"
  env -u CARGO_TARGET_DIR -u RUSTC_WRAPPER -u RUSTFLAGS \
    CARGO_HOME="$scratch/cargo-home" HELPDOCK_TOOLS_DIR="$scratch/tools" \
    npm_config_cache="$scratch/npm-cache" XDG_CACHE_HOME="$scratch/xdg-cache" \
    PATH="$scratch/cargo-home/bin:$clean_path" \
    ./run test
) 2>&1 | while IFS= read -r line; do
  printf '%5d %s\n' $(( $(date +%s) - start )) "$line"
done | tee -a "$log"
status=${PIPESTATUS[0]}
set -e
wall=$(( $(date +%s) - start ))

# Where the time went: the "==>" step lines of ./run and the build scripts.
steps=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *[0-9]+ (==>|setup-system:|all tests:)' || true)
printf 'fresh-check: steps (seconds since start)\n%s\n' "$steps" | tee -a "$log"
if [[ $status -eq 0 ]]; then
  printf 'fresh-check: passed in %d s (%d min %d s); log: %s\n' "$wall" $((wall / 60)) $((wall % 60)) "$log" | tee -a "$log"
else
  printf 'fresh-check: FAILED (exit %d) after %d s; log: %s\n' "$status" "$wall" "$log" | tee -a "$log"
fi
exit "$status"

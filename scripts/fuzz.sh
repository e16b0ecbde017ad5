#!/usr/bin/env bash
# `./run bench fuzz`: builds the libFuzzer targets of fuzz/ and runs each for a bounded time
# (HELPDOCK_FUZZ_SECS each, default 60) from its seed corpus, printing executions and crashes per
# target and in all. Not part of `./run test`: a report, exiting non-zero only on a crash.
#
# Built the way `cargo fuzz build` builds (same sanitizer-coverage flags, `--cfg fuzzing`, debug
# assertions and overflow checks, release, explicit target so build scripts stay uninstrumented),
# with the pinned stable toolchain's unstable options unlocked by RUSTC_BOOTSTRAP=1 for this one
# command, as scripts/build-widget.sh does for the widget — so no nightly toolchain and no
# cargo-fuzz binary are needed. HELPDOCK_FUZZ_ASAN=1 adds AddressSanitizer (slower; our code has no
# unsafe, so it mostly watches the C of libFuzzer itself).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${HELPDOCK_FUZZ_SECS:-60}"
targets=(identity_header guest_pass request_body upstream_answer)
triple="$(rustc -vV | sed -n 's/^host: //p')"
target_dir="$PWD/target/fuzz"
work="$target_dir/run"

flags=(
  -Cpasses=sancov-module
  -Cllvm-args=-sanitizer-coverage-level=4
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
  -Cllvm-args=-sanitizer-coverage-pc-table
  -Cllvm-args=-sanitizer-coverage-trace-compares
  --cfg fuzzing
  -Cdebug-assertions
  -Coverflow-checks
)
if [[ "${HELPDOCK_FUZZ_ASAN:-0}" == 1 ]]; then
  flags+=(-Zsanitizer=address)
fi

echo "==> building ${#targets[@]} fuzz targets (release, instrumented)" >&2
RUSTC_BOOTSTRAP=1 RUSTFLAGS="${flags[*]}" \
  cargo build --manifest-path fuzz/Cargo.toml --locked --release --target "$triple" \
  --target-dir "$target_dir" --bins

total_execs=0
total_crashes=0
printf '%-18s %14s %8s %10s\n' target executions crashes "execs/s"
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  artifacts="$work/artifacts/$target/"
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  # The committed seeds (inputs taken from the tests) start every run; what libFuzzer finds
  # stays in target/ and carries over to the next run.
  cp -n fuzz/seeds/"$target"/* "$corpus"/
  log="$work/$target.log"
  set +e
  "$target_dir/$triple/release/$target" "$corpus" \
    -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  crashes="$(find "$artifacts" -type f | wc -l)"
  if [[ $status -ne 0 && $crashes -eq 0 ]]; then crashes=1; fi
  printf '%-18s %14s %8s %10s\n' "$target" "${execs:-0}" "$crashes" "${speed:-0}"
  total_execs=$((total_execs + ${execs:-0}))
  total_crashes=$((total_crashes + crashes))
  if [[ $crashes -ne 0 ]]; then
    echo "    crash: see $log and $artifacts" >&2
  fi
done
printf '%-18s %14s %8s\n' "all" "$total_execs" "$total_crashes"
[[ $total_crashes -eq 0 ]]

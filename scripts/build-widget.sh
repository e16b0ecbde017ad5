#!/usr/bin/env bash
# Builds the widget distribution into pkg/: widget.js (loader), helpdock_widget.<hash>.js (glue,
# with the chunk loader), helpdock_widget_bg.<hash>.wasm (the first screen), helpdock.<hash>.css,
# and the later chunks (`<name>.<hash>.wasm`: "My tickets", the thread, each locale but English,
# and what some of them share), each with a brotli `.br` and a gzip `.gz` beside it. Every name but
# the loader's changes with its content (the proxy lets browsers keep such files a year); the
# loader is told the names. Idempotent: installs only what is missing or of the wrong version, then
# rebuilds.
#
# Tools: wasm-split-cli (wasm_split_cli_support, pinned below), wasm-bindgen-cli (= the
# wasm-bindgen in Cargo.lock), wasm-opt from npm's binaryen (Debian's is broken), npm's esbuild
# (minifies pkg/'s JS and CSS) and npm's @gfx/zopfli (the `.gz` files) in HELPDOCK_TOOLS_DIR,
# default ~/.cache/helpdock-tools; trunk (pinned below) only for `serve`. Nothing downloads during
# the build itself.
#
# The release pipeline (Trunk 0.21 cannot split: it runs cargo and wasm-bindgen back to back, with
# no step between them and no `--keep-lld-exports`), each step below says why:
#   cargo rustc (std rebuilt, `--cfg helpdock_split`, `--emit-relocs`) → wasm-split-cli →
#   wasm-bindgen (main module) → wasm-opt (main module and each chunk) → short import/export names
#   (wasm-opt + scripts/minify-wasm-names.mjs) → content-hashed chunk names
#   (scripts/name-chunks.mjs) → esbuild (glue and chunk loader bundled; loader; css) →
#   content-hashed names for glue, wasm and css, written into the loader
#   (scripts/name-first-screen.mjs) → `.br` and `.gz` beside each file (scripts/precompress.mjs).
#
#   scripts/build-widget.sh          build pkg/
#   scripts/build-widget.sh serve    `trunk serve` the development page (index.html) instead: a
#                                    debug build of one module (no chunks), as the tests use
set -euo pipefail
mode=${1:-build}
[[ "$mode" == build || "$mode" == serve ]] || { echo "usage: $0 [build|serve]" >&2; exit 2; }

TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4
BINARYEN_VERSION=132
ESBUILD_VERSION=0.28.2
ZOPFLI_VERSION=1.0.15

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tools_dir=${HELPDOCK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/helpdock-tools}
pkg="$root/pkg"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
zopfli_module="$tools_dir/zopfli/node_modules/@gfx/zopfli/dist/index.js"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build-widget: %s\n' "$*" >&2; exit 1; }

for tool in cargo rustup npm node; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release build compiles std itself (see below), from the toolchain's own sources.
if ! rustup component list --installed | grep -qx rust-src; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

# The two Rust tools are built from crates.io at exact versions. What a fresh machine waits for is
# mostly their build (measured here, 2 cores: trunk 6 min 22 s and wasm-bindgen-cli 2 min 40 s
# with their default release settings and features; 2 min 58 s and 2 min 8 s like this, each alone):
# - trunk at opt-level 0: it only starts cargo, wasm-bindgen and wasm-opt and copies files (the
#   widget's build took 28 s with either build of it); wasm-bindgen-cli at opt-level 1, because
#   its own work is heavy (the 126 MB test wasm: 11 s at opt-level 1 or 3, 27 s at 0);
# - no fat LTO and no single codegen unit (trunk's own release profile asks for both);
# - one target directory for both, so the proc-macro crates they share are compiled once;
# - without the default features we never use: trunk's `update_check` (a crates.io client) and
#   `rustls` (TLS for its downloads and `serve --tls`), wasm-bindgen-cli's `rustls-tls` (its test
#   runner talks to a local ChromeDriver over plain HTTP), and only the binaries we run.
# Trunk builds with its own Cargo.lock (--locked). wasm-bindgen-cli's lock names webpki-roots
# 1.0.11, which the crates.io index no longer has, so --locked cannot resolve it: its dependencies
# resolve within their semver ranges (as `cargo install` does by default).
install_tool() { # NAME VERSION OPT_LEVEL [cargo install flags…]
  say "installing $1 $2"
  CARGO_TARGET_DIR="$tools_dir/cargo-install-target" CARGO_PROFILE_RELEASE_OPT_LEVEL="$3" \
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install "$1" --version "=$2" --no-default-features "${@:4}"
}
installed_any=""
# Only the development page needs trunk: a fresh machine that only builds and tests skips it.
if [[ "$mode" == serve && "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
  install_tool trunk "$TRUNK_VERSION" 0 --locked
  installed_any=1
fi
# wasm-split-cli has no --version: cargo's list of installed packages says which one it is. Its own
# work is light (0.2 s for the widget), so opt-level 1.
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:" \
  || ! command -v wasm-split-cli >/dev/null; then
  install_tool wasm_split_cli_support "$WASM_SPLIT_VERSION" 1 --locked --features build-binary
  installed_any=1
fi

# wasm-bindgen-cli must be exactly the version the crate links, or the glue will not match.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[[ -n "$bindgen_version" ]] || die "no wasm-bindgen in Cargo.lock"
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]]; then
  install_tool wasm-bindgen-cli "$bindgen_version" 1 --bin wasm-bindgen --bin wasm-bindgen-test-runner
  installed_any=1
fi
# The binaries are in cargo's bin/; the intermediate build is not needed again.
[[ -z "$installed_any" ]] || rm -rf "$tools_dir/cargo-install-target"

wasm_opt="$tools_dir/node_modules/.bin/wasm-opt"
if [[ "$("$wasm_opt" --version 2>/dev/null || true)" != "wasm-opt version $BINARYEN_VERSION "* ]]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) into $tools_dir"
  mkdir -p "$tools_dir"
  npm install --prefix "$tools_dir" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION"
fi

# In a prefix of its own: an npm install into binaryen's prefix would remove binaryen again.
esbuild="$tools_dir/esbuild/node_modules/.bin/esbuild"
if [[ "$("$esbuild" --version 2>/dev/null || true)" != "$ESBUILD_VERSION" ]]; then
  say "installing esbuild $ESBUILD_VERSION into $tools_dir/esbuild"
  mkdir -p "$tools_dir/esbuild"
  npm install --prefix "$tools_dir/esbuild" --no-audit --no-fund --no-save "esbuild@$ESBUILD_VERSION"
fi

say "fetching crates"
cargo fetch
# The release build below rebuilds std offline (cargo runs with --offline), and std has
# crates.io dependencies of its own that the workspace's fetch does not bring: fetch them from
# the toolchain's library/ workspace (its own Cargo.lock pins them). Nothing to do when cached.
std_workspace="$(rustc --print sysroot)/lib/rustlib/src/rust/library"
[[ -f "$std_workspace/Cargo.lock" ]] || die "rust-src has no $std_workspace/Cargo.lock"
RUSTC_BOOTSTRAP=1 cargo fetch --manifest-path "$std_workspace/Cargo.toml"

if [[ "$mode" == serve ]]; then
  # Trunk builds with `cargo build --manifest-path <root>/Cargo.toml`, which in this workspace
  # selects the native default members; the widget is the root package, so a shim selects it.
  real_cargo=$(command -v cargo)
  shim_dir="$tools_dir/cargo-shim"
  [[ "$real_cargo" != "$shim_dir/cargo" ]] || die "the cargo shim is on PATH; remove $shim_dir from PATH"
  mkdir -p "$shim_dir"
  printf '%s\n' '#!/bin/sh' '# Written by scripts/build-widget.sh: trunk'"'"'s cargo, building the widget package.' \
    "if [ \"\$1\" = build ]; then shift; exec \"$real_cargo\" build -p helpdock-widget \"\$@\"; fi" \
    "exec \"$real_cargo\" \"\$@\"" >"$shim_dir/cargo.new"
  chmod +x "$shim_dir/cargo.new"
  mv -f "$shim_dir/cargo.new" "$shim_dir/cargo"
  export PATH="$shim_dir:$tools_dir/node_modules/.bin:$PATH"
  # Trunk.toml pins the tool versions; this keeps trunk from looking for a newer trunk.
  export TRUNK_SKIP_VERSION_CHECK=true
  say "serving the development page (index.html)"
  exec trunk serve
fi
export PATH="$tools_dir/node_modules/.bin:$PATH"

# zopfli (WebAssembly, no native build) for the `.gz` files: 5 % smaller than `gzip -9`.
if [[ "$(node -p "require('$tools_dir/zopfli/node_modules/@gfx/zopfli/package.json').version" 2>/dev/null || true)" != "$ZOPFLI_VERSION" ]]; then
  say "installing @gfx/zopfli $ZOPFLI_VERSION into $tools_dir/zopfli"
  mkdir -p "$tools_dir/zopfli"
  npm install --prefix "$tools_dir/zopfli" --no-audit --no-fund --no-save "@gfx/zopfli@$ZOPFLI_VERSION"
fi

# For this release build only (tests and clippy build the ordinary debug widget):
# - Leptos's type-erased views (`--cfg erase_components`): measured 10.7 KB less brotli; after the
#   split 5.7 KB less in the main wasm, and 3.6 KB and 4.9 KB less in "My tickets" and the thread.
# - std rebuilt with the widget (`build-std`), so that a panic aborts on the spot
#   (`-Cpanic=immediate-abort`: no panic messages, no unwinding tables, no formatting machinery
#   kept for them), Debug formatting compiles to nothing (`-Zfmt-debug=none`; the widget never
#   shows Debug output) and panics carry no source locations (`-Zlocation-detail=none`).
#   Measured: 15.7 KB less brotli; after the split 16.4 KB less on the first open (main wasm and
#   glue), 0.6 KB less in each of "My tickets" and the thread. These are unstable options of the pinned stable compiler,
#   unlocked for this one command by RUSTC_BOOTSTRAP=1; std's sources come with the toolchain
#   (rust-src), so nothing else is downloaded. A panic in this build is a bare wasm trap, which
#   the loader recognises and reports (loader/widget.js).
widget_rustflags="${RUSTFLAGS:+$RUSTFLAGS }--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"

# Rebuilding costs ~30 s of wasm-bindgen and wasm-opt even when nothing changed; skip it when every
# input (sources, manifests, lock file, loader, pinned tools) is the same as for the pkg/ we have.
mkdir -p "$root/target"
stamp="$root/target/widget-pkg.inputs"
inputs=$( { find src loader crates/wire Cargo.toml Cargo.lock scripts/build-widget.sh \
  scripts/minify-wasm-names.mjs scripts/name-chunks.mjs scripts/drop-stream-classes.mjs \
  scripts/name-first-screen.mjs scripts/precompress.mjs -type f -print0 \
  | sort -z | xargs -0 sha256sum; wasm-bindgen --version; echo "$widget_rustflags $WASM_SPLIT_VERSION"
  "$wasm_opt" --version; "$esbuild" --version; echo "zopfli $ZOPFLI_VERSION node $(node --version)"; } \
  | sha256sum | cut -d' ' -f1)
# The loader and its compressed copies are written last: with them there, the build finished.
if [[ -f "$stamp" && "$(cat "$stamp")" == "$inputs" ]] \
  && [[ -f "$pkg/widget.js" && -f "$pkg/widget.js.br" && -f "$pkg/widget.js.gz" ]]; then
  say "pkg/ is up to date"
  exec scripts/sizes.sh
fi
rm -f "$stamp"

# The widget's own crate only (`cargo rustc … -- flags`, so std and the dependencies keep the
# build they have): `--cfg helpdock_split` turns src/chunks.rs's functions into split points, and
# the linker keeps its relocations (`--emit-relocs`), from which wasm-split-cli learns what code
# and data each split point reaches.
say "building (cargo rustc, profile wasm-release)"
RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort RUSTFLAGS="$widget_rustflags" \
  cargo rustc -p helpdock-widget --lib --crate-type cdylib --profile wasm-release \
  --target wasm32-unknown-unknown --offline --locked -- --cfg helpdock_split -Clink-arg=--emit-relocs
wasm="$root/target/wasm32-unknown-unknown/wasm-release/helpdock_widget.wasm"

work="$root/target/widget-split"
rm -rf "$work"
mkdir -p "$work/bindgen" "$work/opt" "$work/names"
# Into the main module (what the first screen runs), one `split_<name>.wasm` per split point of
# src/chunks.rs, `chunk_<n>.wasm` for code or data that several of them share but the main module
# does not use, and __wasm_split.js, which fetches them (it imports the glue, the glue imports it).
say "splitting (wasm-split-cli)"
wasm-split-cli "$wasm" "$work/split" --target web --out-name helpdock_widget
# Only the main module meets JavaScript: the chunks reach it through the shared table, memory and
# stack pointer, which wasm-bindgen must leave exported (`--keep-lld-exports`).
say "generating the glue (wasm-bindgen)"
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-dir "$work/bindgen" \
  --out-name helpdock_widget "$work/split/helpdock_widget.wasm"
node scripts/drop-stream-classes.mjs "$work/bindgen/helpdock_widget.js" "$work/bindgen/helpdock_widget.js"

# wasm-opt -Os run to a fixed point, on the main module and on each chunk (measured before the
# split: 2.3 KB less brotli than -Oz alone; -Oz makes a smaller raw file that compresses worse).
# The features are those rustc enables by default for wasm32-unknown-unknown. Safe on the split
# modules: the table, memory and globals they share are exports or imports, which wasm-opt keeps.
say "optimizing (wasm-opt)"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-reference-types --enable-multivalue)
# Measured after the split: main module 1.9 KB and all chunks 1.7 KB less brotli than unoptimized.
optimize() { # IN OUT [wasm-opt flags…]: wasm-split writes a names subsection binaryen does not know, and says so each time
  "$wasm_opt" "$1" -o "$2" "${@:3}" -Os --converge "${features[@]}" 2> >(grep -v 'unknown name subsection' >&2)
}
# The main module also without wasm-streams' class exports (Leptos's server_fn links them; the
# widget never streams), so their code goes too; scripts/drop-stream-classes.mjs dropped their glue.
optimize "$work/bindgen/helpdock_widget_bg.wasm" "$work/opt/helpdock_widget_bg.wasm" \
  --remove-exports --pass-arg='remove-exports@*intounderlying*'
for chunk in "$work/split"/split_*.wasm "$work/split"/chunk_*.wasm; do
  optimize "$chunk" "$work/opt/$(basename "$chunk")"
done
cp "$work/split/__wasm_split.js" "$work/opt/"

# wasm-bindgen names the imports and exports after Rust paths and hashes: short names in the main
# module, the glue and the chunk loader instead (measured after the split: 3.5 KB less brotli on
# the first open, 1.8 KB in the wasm and 1.7 KB in the glue). The chunks' own imports keep their
# three names.
say "shortening import and export names"
"$wasm_opt" "$work/opt/helpdock_widget_bg.wasm" -o "$work/names/helpdock_widget_bg.wasm" \
  --minify-imports-and-exports-and-modules "${features[@]}" >"$work/names/map.json"
node scripts/minify-wasm-names.mjs "$work/names/helpdock_widget_bg.wasm" "$work/names/map.json" \
  "$work/bindgen/helpdock_widget.js" "$work/names/helpdock_widget.js" \
  "$work/opt/__wasm_split.js" "$work/names/__wasm_split.js"

say "assembling $pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
cp "$work/names/helpdock_widget_bg.wasm" "$pkg/"
# Chunks named after what needs them and their content, so a page still running an earlier main
# module never fetches a chunk of a later build (which would not fit its memory and table).
node scripts/name-chunks.mjs "$work/opt" "$work/names/__wasm_split.js" "$pkg"
# Minified (measured after the split: glue 1.6 KB, stylesheet 0.8 KB, loader 0.5 KB less brotli).
# The loader stays ES5, so browsers too old for the widget still parse it; the glue and
# the stylesheet only reach browsers that run the wasm. The chunk loader is bundled into the glue:
# they import each other, and one file is one request fewer on the first open.
minify() { "$esbuild" --log-level=warning --minify "$@"; }
minify loader/widget.js --target=es5 --supported:dynamic-import=true --outfile="$pkg/widget.js"
minify "$work/names/helpdock_widget.js" --bundle --format=esm --target=es2020 --outfile="$pkg/helpdock_widget.js"
minify src/helpdock.css --outfile="$pkg/helpdock.css"
say "naming the first screen's files after their content; compressing (brotli, zopfli)"
node scripts/name-first-screen.mjs "$pkg"
node scripts/precompress.mjs "$pkg" "$zopfli_module"
echo "$inputs" >"$stamp"
scripts/sizes.sh

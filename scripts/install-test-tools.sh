#!/usr/bin/env bash
# Installs the npm tools the end-to-end tests use, when missing or of another version, into
# HELPDOCK_TOOLS_DIR (default ~/.cache/helpdock-tools): axe-core, which the accessibility stories
# inject into the page. Tests never download anything themselves; they read
# $HELPDOCK_TOOLS_DIR/axe/node_modules/axe-core/axe.min.js (HELPDOCK_AXE overrides the file).
# Its own npm prefix: `npm install --no-save` prunes what else a prefix holds (build-widget.sh's
# binaryen).
set -euo pipefail

AXE_VERSION=4.14.1

tools_dir=${HELPDOCK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/helpdock-tools}
axe_prefix="$tools_dir/axe"
axe_pkg="$axe_prefix/node_modules/axe-core/package.json"
installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$axe_pkg" 2>/dev/null | head -n1 || true)
[[ "$installed" == "$AXE_VERSION" ]] && exit 0

command -v npm >/dev/null || { echo "install-test-tools: npm is required" >&2; exit 1; }
printf '\033[1m==> installing axe-core %s into %s\033[0m\n' "$AXE_VERSION" "$axe_prefix" >&2
mkdir -p "$axe_prefix"
npm install --prefix "$axe_prefix" --no-audit --no-fund --no-save "axe-core@$AXE_VERSION" >&2

#!/usr/bin/env bash
# `scripts/apt-install.sh COMMAND=PACKAGE…`: installs each Debian PACKAGE whose COMMAND is not on
# the PATH (as root, or through sudo). A bare PACKAGE is its own command. Quiet when all are there.
set -euo pipefail

missing=()
for pair in "$@"; do
  command=${pair%%=*}
  package=${pair#*=}
  command -v "$command" >/dev/null || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "apt-install: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "apt-install: installing ${missing[*]} from apt" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

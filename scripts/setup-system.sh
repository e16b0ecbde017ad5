#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing: Chromium and ChromeDriver (browser
# tests), php-cli + mbstring (the PHP signing snippet is run), libfaketime (expired-pass cases
# without waiting), brotli (the proxy's asset tests compress and decode with it), redis-server
# (the shared-state tests start their own, on a free loopback port).
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v php >/dev/null || missing+=(php-cli)
{ command -v php >/dev/null && php -m | grep -qi '^mbstring$'; } || missing+=(php-mbstring)
ls /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 >/dev/null 2>&1 \
  || ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || missing+=(libfaketime)
command -v brotli >/dev/null || missing+=(brotli)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup-system: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup-system: installing ${missing[*]} from apt"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser tests, when missing.
set -euo pipefail

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup-browser: need root or sudo to install chromium" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup-browser: installing chromium and chromium-driver from apt"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
chromium --version

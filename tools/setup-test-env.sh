#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine with Node 20: npm packages and Debian's
# Chromium (the tests drive /usr/bin/chromium; Playwright cannot download browsers here).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
# The lock is complete (every platform's optional packages), so the install is exactly what was tested.
npm ci --no-audit --no-fund

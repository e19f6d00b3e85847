#!/usr/bin/env bash
# Install Chromium for the dashboard's browser test from Debian's packages (no browser downloads).
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail
# (Solara's offline front-end files come with jusim's dependencies: solara-assets.)
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser.sh: need root (or sudo) to apt-get install chromium" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null

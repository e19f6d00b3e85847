#!/usr/bin/env bash
# Install Chromium for the dashboard's browser test from Debian's packages (no browser downloads).
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail
# Solara fetches its front-end (Vuetify app, fonts, require.js) from a CDN unless solara-assets is
# installed; this machine reaches only package registries, so install the offline copy from PyPI.
# (1.58.2 is the newest release and carries the solara-vuetify-app@10.1.1 that solara 1.64.1 uses.)
python -c "import solara_assets" 2>/dev/null || python -m pip install -q "solara-assets==1.58.2"
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

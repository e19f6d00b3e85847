#!/usr/bin/env bash
# Install what the dashboard's browser tests need, from Debian's packages (no browser downloads):
# Chromium (driven headless by Playwright) and strace (the test traces the server's connections to
# show that nothing leaves the machine). Idempotent: installs only what is missing.
set -euo pipefail
# (Solara's offline front-end files come with jusim's dependencies: solara-assets.)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser.sh: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null

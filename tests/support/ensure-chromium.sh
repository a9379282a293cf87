#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (browsers cannot be downloaded here).
# Installs it when missing and we may; otherwise says exactly what to do.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's chromium for the end-to-end tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "The end-to-end tests need Chromium at $browser: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH)." >&2
exit 1

#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_web_browser.py), unless it is there already.
# Idempotent: a second run does nothing. Playwright drives this browser through executable_path, so no
# browser build is downloaded by Playwright itself.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "install-browser: /usr/bin/chromium is absent and this is not root; the browser tests will skip" >&2
    exit 0
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version

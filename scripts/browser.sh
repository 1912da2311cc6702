#!/usr/bin/env bash
# Makes sure the real browser the browser test drives is installed: Debian's chromium and
# chromium-driver. Run by `./pq test` before Maven. As root it installs them with apt-get when
# missing; otherwise it says what to install and returns, and BrowserUploadTest fails with the
# same instruction (it never skips).
set -euo pipefail

pq_browser_missing() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return 1
  return 0
}

pq_ensure_browser() {
  if ! pq_browser_missing; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium and chromium-driver for the browser test (apt-get)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
  else
    echo "WARNING: the browser test needs /usr/bin/chromium and /usr/bin/chromedriver." >&2
    echo "  Install them as root: apt-get install -y chromium chromium-driver" >&2
    echo "  Without them BrowserUploadTest fails." >&2
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  pq_ensure_browser
fi

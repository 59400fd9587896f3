#!/usr/bin/env bash
# Make sure a Chromium is there for the browser tests (tests/browser/), called by `make test`.
#
# - A Chromium is already installed (or HSML_CHROMIUM names one): say which, nothing else.
# - Else, as root with apt-get: install Debian's `chromium` (about 30 s, 360 MB), saying so.
# - Else (not root, no apt-get, or the install failed): say why; the browser tests are then
#   reported as SKIPPED with the reason and how to enable them. This script never fails
#   `make test` by itself. HSML_NO_BROWSER_INSTALL=1 skips the install attempt.
# Never `playwright install`: the tests drive the system Chromium through the playwright package.
set -u

find_chromium() {
    if [ -n "${HSML_CHROMIUM:-}" ]; then
        [ -x "$HSML_CHROMIUM" ] && { echo "$HSML_CHROMIUM"; return 0; }
        return 1
    fi
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$name" 2>/dev/null && return 0
    done
    return 1
}

if path=$(find_chromium); then
    echo "ensure_chromium: browser tests will use $path"
    exit 0
fi
if [ -n "${HSML_CHROMIUM:-}" ]; then
    echo "ensure_chromium: HSML_CHROMIUM=$HSML_CHROMIUM is not an executable file: browser tests will be SKIPPED." >&2
    exit 0
fi
if [ "${HSML_NO_BROWSER_INSTALL:-0}" = "1" ]; then
    echo "ensure_chromium: no Chromium and HSML_NO_BROWSER_INSTALL=1: browser tests will be SKIPPED."
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: no Chromium found and cannot install one here (needs root and apt-get):" \
         "browser tests will be SKIPPED. To enable them: sudo apt-get install chromium" \
         "(or set HSML_CHROMIUM=/path/to/chromium)."
    exit 0
fi
echo "ensure_chromium: no Chromium found; installing Debian's chromium for the browser tests:"
echo "  apt-get update -qq && apt-get install -y --no-install-recommends chromium"
if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; then
    echo "ensure_chromium: installed $(command -v chromium)"
else
    echo "ensure_chromium: installing chromium FAILED (see above): browser tests will be SKIPPED." >&2
fi
exit 0

#!/usr/bin/env bash
# Fail with instructions when the Chromium that the browser tests drive is missing.
# Playwright cannot download its own browsers here, so the tests use the system Chromium.
set -euo pipefail

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
    cat >&2 <<MSG
The browser tests need Chromium at $chromium, and it is not there.
Install Debian's chromium package:

    sudo apt-get install chromium

or point CHROMIUM_PATH at another Chromium binary, e.g. make test CHROMIUM_PATH=/path/to/chromium
MSG
    exit 1
fi

if ! "$chromium" --version >/dev/null 2>&1; then
    echo "Chromium at $chromium does not run: '$chromium --version' failed." >&2
    exit 1
fi

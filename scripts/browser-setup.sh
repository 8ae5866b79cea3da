#!/usr/bin/env bash
# Installs what the browser tests need, skipping what is already there: the system's
# Chromium (Debian package) and the npm packages pinned in package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CHROMIUM:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "==> installing Chromium from the system's packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "error: the browser tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
        echo "       or set CHROMIUM to the path of a Chromium or Chrome binary." >&2
        exit 1
    fi
fi

command -v node >/dev/null || { echo "error: the browser tests need Node.js 20 or newer (Debian: apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/scorm-again ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> installing the test packages (npm ci)"
    npm ci --no-audit --no-fund
fi

#!/usr/bin/env bash
# Creates .venv (Python 3.9 or newer) with the packages python/requirements.txt pins, skipping
# what is already there, and installs the package from python/ into it in editable mode (so
# a rebuilt core.wasm or widget.js is used at once).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "error: the notebook widget needs Python 3.9 or newer (Debian: apt-get install python3 python3-venv)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    if ! "$python" -m venv .venv; then
        rm -rf .venv
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "==> installing python3-venv from the system's packages"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            "$python" -m venv .venv
        else
            echo "error: could not create .venv (Debian: sudo apt-get install python3-venv)" >&2
            exit 1
        fi
    fi
fi
stamp=.venv/.requirements
if [ ! -f "$stamp" ] || ! cmp -s python/requirements.txt "$stamp"; then
    echo "==> installing python/requirements.txt into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r python/requirements.txt
    cp python/requirements.txt "$stamp"
fi
if ! .venv/bin/python -c "import backprop_lab" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e python
fi

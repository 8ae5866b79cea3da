#!/usr/bin/env bash
# Installs what building the page needs, skipping what is already there:
# the wasm32-unknown-unknown target, wasm-bindgen-cli at exactly the version Cargo.lock pins,
# and the npm packages pinned in package-lock.json (esbuild bundles the page; the browser
# tests use the others).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "error: cargo is missing; install Rust with rustup (https://rustup.rs)" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "==> adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

[ -f Cargo.lock ] || cargo generate-lockfile
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
    echo "==> installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
    cargo install wasm-bindgen-cli --version "=$want" --locked \
        || cargo install wasm-bindgen-cli --version "=$want"
fi

command -v node >/dev/null || { echo "error: the build needs Node.js 20 or newer (Debian: apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -d node_modules/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> installing the npm packages (npm ci)"
    npm ci --no-audit --no-fund
fi

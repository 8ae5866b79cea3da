#!/usr/bin/env bash
# Builds the release WebAssembly, writes the JavaScript bindings (with TypeScript declarations)
# to www/pkg, guards the exported classes' receivers, and writes www/palette.css from the core.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --profile wasm-release --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg \
    target/wasm32-unknown-unknown/wasm-release/backprop_lab.wasm

glue=www/pkg/backprop_lab.js
classes=$(grep -oE '^export class [A-Za-z0-9_]+' "$glue" | awk '{ printf "[%s, %sFinalization], ", $3, $3 }')
[ -n "$classes" ] || { echo "error: no exported classes found in $glue" >&2; exit 1; }
cat scripts/guard-receivers.js >> "$glue"
printf 'guardReceivers([%s]);\n' "$classes" >> "$glue"

node scripts/palette.mjs

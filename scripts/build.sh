#!/usr/bin/env bash
# Builds the release WebAssembly and writes the JavaScript bindings to www/pkg.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --profile wasm-release --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir www/pkg \
    target/wasm32-unknown-unknown/wasm-release/backprop_lab.wasm

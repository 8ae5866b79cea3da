#!/usr/bin/env bash
# Builds the core for the Python package: the same Rust crate as the page, for
# wasm32-unknown-unknown, with the C ABI of src/capi.rs instead of the page's exports
# (--no-default-features --features capi), into python/backprop_lab/core.wasm. wasmtime runs
# it in the kernel. Its own target directory: other features would rebuild the page's.
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
cargo build --profile wasm-release --lib --target "$target" --target-dir target/capi \
    --no-default-features --features capi
cp "target/capi/$target/wasm-release/backprop_lab.wasm" python/backprop_lab/core.wasm

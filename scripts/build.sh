#!/usr/bin/env bash
# Builds the release WebAssembly twice and writes it with its JavaScript bindings (and their
# TypeScript declarations) to www/pkg:
#  - backprop_lab_bg.wasm with WebAssembly SIMD (simd128, set in .cargo/config.toml), which
#    every current browser runs;
#  - backprop_lab_scalar_bg.wasm without SIMD, for Safari before 16.4.
# www/wasm-url.js picks one in the browser. One glue file, backprop_lab.js, loads either: the
# build checks that wasm-bindgen writes the same glue for both and stops if it does not. The
# glue then gets the checks of scripts/guard-calls.js (receivers, one call at a time), www/palette.css is
# written from the core's palette, index.html's generated blocks (the activation boxes) are
# rewritten from the core by scripts/index-blocks.mjs, and scripts/bundle.mjs makes the page's
# one script and one style sheet (www/app.js, www/app.css).
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
cargo build --profile wasm-release --lib --target "$target"
# The scalar build has its own target directory: building with other flags in the shared one
# would rebuild every dependency each time the flags switch.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-simd128" \
    cargo build --profile wasm-release --lib --target "$target" --target-dir target/scalar

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for build in simd scalar; do
    dir=target; [ "$build" = scalar ] && dir=target/scalar
    wasm-bindgen --target web --remove-name-section --remove-producers-section \
        --out-dir "$work/$build" "$dir/$target/wasm-release/backprop_lab.wasm"
done
if ! cmp -s "$work/simd/backprop_lab.js" "$work/scalar/backprop_lab.js"; then
    echo "error: wasm-bindgen wrote different JavaScript glue for the SIMD and the scalar build," >&2
    echo "       so one backprop_lab.js cannot load both; the differences:" >&2
    diff "$work/simd/backprop_lab.js" "$work/scalar/backprop_lab.js" | head -40 >&2 || true
    exit 1
fi
if cmp -s "$work/simd/backprop_lab_bg.wasm" "$work/scalar/backprop_lab_bg.wasm"; then
    echo "error: the SIMD and the scalar build are the same module: was simd128 overridden (RUSTFLAGS)?" >&2
    exit 1
fi

mkdir -p www/pkg
rm -rf www/pkg/backprop_lab* www/pkg/snippets
cp -r "$work/simd/." www/pkg/
cp "$work/scalar/backprop_lab_bg.wasm" www/pkg/backprop_lab_scalar_bg.wasm

glue=www/pkg/backprop_lab.js
classes=$(grep -oE '^export class [A-Za-z0-9_]+' "$glue" | awk '{ print $3 }')
functions=$(grep -oE '^export function [A-Za-z0-9_]+' "$glue" | awk '$3 != "initSync" { print $3 }')
[ -n "$classes" ] || { echo "error: no exported classes found in $glue" >&2; exit 1; }
cat scripts/guard-calls.js >> "$glue"
# Class and function declarations are bindings the module may reassign; importers see the
# guarded ones.
for name in $classes; do printf '%s = guardClass("%s", %s, %sFinalization);\n' "$name" "$name" "$name" "$name"; done >> "$glue"
for name in $functions; do printf '%s = guardFunction("%s", %s);\n' "$name" "$name" "$name"; done >> "$glue"

node scripts/palette.mjs
node scripts/index-blocks.mjs
node scripts/bundle.mjs

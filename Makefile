# Backprop Lab: `make run` serves the page, `make test` runs every test.
# Each target installs what it needs on a fresh machine (see scripts/).

.PHONY: run test build setup browser-setup lint native-test browser-test bench dist

run: build
	node scripts/serve.mjs

# browser-setup (npm ci) before build: the build uses binaryen's wasm-opt when it is installed.
test: browser-setup build lint native-test browser-test

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

browser-setup:
	bash scripts/browser-setup.sh

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

native-test:
	cargo test

browser-test:
	node --test --test-concurrency=1 tests/browser/*.test.mjs

# Measures throughput (wasm vs JavaScript vs native), frame times, first plot and page size.
bench: browser-setup build
	node bench/browser.mjs

# dist/: a static site (relative paths) and dist/backprop-lab.html, one self-contained file.
dist: browser-setup build
	node scripts/dist.mjs

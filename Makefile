# Backprop Lab: `make run` serves the page, `make test` runs every test.
# Each target installs what it needs on a fresh machine (see scripts/).

.PHONY: run test check build setup browser-setup lint native-test browser-test bench dist python python-test

run: build
	node scripts/serve.mjs

test: build browser-setup lint native-test python-test browser-test

# The quick loop while developing: formatting, lints and the native tests (no browser).
check: setup lint native-test

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
	cargo clippy --lib --target wasm32-unknown-unknown --target-dir target/capi --no-default-features --features capi -- -D warnings

native-test:
	cargo test

# jupyter.test.mjs and widget-static.test.mjs need the widget and .venv (make python).
browser-test: python
	node --test --test-concurrency=1 tests/browser/*.test.mjs

# Measures throughput (wasm vs JavaScript vs native), frame times, first plot and page size,
# then the native time of the loss surface.
bench: build browser-setup
	node bench/browser.mjs
	cargo run --quiet --release --example bench_landscape

# dist/: a static site (relative paths) and dist/backprop-lab.html, one self-contained file;
# and the notebook widget's wheel, dist/backprop_lab-*.whl (pip install it anywhere).
dist: build browser-setup python
	node scripts/dist.mjs
	.venv/bin/python -m build --wheel --no-isolation --outdir "$${DIST_DIR:-dist}" python

# The Jupyter widget (python/): .venv with python/requirements.txt, the core for wasmtime
# (python/backprop_lab/core.wasm) and the widget's ES module and style sheet.
python: build
	bash scripts/python-setup.sh
	bash scripts/python-core.sh
	node scripts/widget.mjs

# The Python package's own tests (the notebook in a real JupyterLab is a browser test,
# tests/browser/jupyter.test.mjs).
python-test: python
	cd python && ../.venv/bin/python -m pytest -q

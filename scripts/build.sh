#!/usr/bin/env bash
# Builds the page into dist/ and the worker into worker/build/. Also wrangler's [build] command.
# Usage: scripts/build.sh [web|worker|all]   (default: all)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
what="${1:-all}"

build_web() {
  cargo build --quiet -p sendcheck-web --target wasm32-unknown-unknown --release
  rm -rf dist && mkdir -p dist/pkg
  "$WASM_BINDGEN_BIN" --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir dist/pkg --out-name sendcheck_web \
    target/wasm32-unknown-unknown/release/sendcheck_web.wasm
  "$WASM_OPT_BIN" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals -o dist/pkg/sendcheck_web_bg.wasm dist/pkg/sendcheck_web_bg.wasm
  cp index.html dist/
  cp web/style.css dist/
}

build_worker() {
  (cd worker && worker-build --release >/dev/null)
}

case "$what" in
  web) build_web ;;
  worker) build_worker ;;
  all) build_web; build_worker ;;
  *) echo "usage: scripts/build.sh [web|worker|all]" >&2; exit 2 ;;
esac

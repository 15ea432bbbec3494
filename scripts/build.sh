#!/usr/bin/env bash
# Builds the page into dist/ and the worker into worker/build/. Also wrangler's [build] command.
# Usage: scripts/build.sh [web|worker|all]   (default: all)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
what="${1:-all}"

# Builds one of the page's wasm modules into $next/pkg/<name>{.js,_bg.wasm}.
wasm_module() {
  local name="$1"; shift
  SENDCHECK_DATA_VERSION="$data_version" \
    cargo build --quiet -p sendcheck-web --target wasm32-unknown-unknown --release "$@"
  "$WASM_BINDGEN_BIN" --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$next/pkg" --out-name "$name" \
    target/wasm32-unknown-unknown/release/sendcheck_web.wasm
  # --converge and --low-memory-unused (Rust's wasm keeps the first KB of memory unused):
  # -1.2 KB gzip of the page, measured; -Os and --gufa came out larger.
  "$WASM_OPT_BIN" -Oz --one-caller-inline-max-function-size=0 --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals -o "$next/pkg/${name}_bg.wasm" "$next/pkg/${name}_bg.wasm"
}

build_web() {
  # The diagnosis's data files are fetched by the page, not compiled in (see web/src/library.rs):
  # served under a version made of their contents, so browsers may keep them for good.
  local data_version
  data_version=$(cat shared/data/*.json | sha256sum | cut -c1-16)
  # Built aside and swapped in whole: wrangler serves dist/ while this runs.
  local next=target/dist.next
  rm -rf "$next" && mkdir -p "$next/pkg"
  # Two modules from the one crate (web/src/entry.rs): the start module, which the page
  # loads first (the start view and the form), and the full module that takes over from it.
  wasm_module sendcheck_start --features start-module
  wasm_module sendcheck_web
  cp index.html web/style.css "$next/"
  mkdir -p "$next/data/$data_version"
  cp shared/data/*.json "$next/data/$data_version/"
  # The demo FAQ page that embeds the widget, and the assets' response headers.
  cp -R static/. "$next/"
  rm -rf target/dist.old
  [ -d dist ] && mv dist target/dist.old
  mv "$next" dist
  rm -rf target/dist.old
}

build_worker() {
  (cd worker && worker-build --release >/dev/null)
}

# wrangler runs this on every `dev` and `deploy`: skip a part whose inputs have not changed
# since it was last built (the stamp is touched only after a successful build).
fresh() {
  local stamp="$1"; shift
  [ -f "$stamp" ] && [ -z "$(find "$@" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

common=(shared Cargo.toml Cargo.lock scripts/build.sh)
case "$what" in
  web|worker|all) ;;
  *) echo "usage: scripts/build.sh [web|worker|all]" >&2; exit 2 ;;
esac
mkdir -p target
# wrangler (dev, deploy) and people may start this at the same time: one build at a time.
exec 9>target/.build.lock
flock 9
if [ "$what" != worker ] && ! fresh target/.web-built "${common[@]}" web index.html static; then
  build_web && touch target/.web-built
fi
if [ "$what" != web ] && ! fresh target/.worker-built "${common[@]}" worker/src worker/Cargo.toml; then
  build_worker && touch target/.worker-built
fi

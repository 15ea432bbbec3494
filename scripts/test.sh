#!/usr/bin/env bash
# ./dev test: every test of the project, in the order that fails fastest. Exits non-zero on
# the first failure. Artifacts (screenshots, logs, sizes) go to test-output/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

started=$SECONDS
step() {
  local name="$1"; shift
  printf '\n=== %s\n' "$name"
  local t0=$SECONDS
  if ! "$@"; then
    printf '=== FAILED: %s (after %ss)\n' "$name" "$((SECONDS - t0))"
    exit 1
  fi
  printf '=== ok: %s (%ss)\n' "$name" "$((SECONDS - t0))"
}

rm -rf test-output && mkdir -p test-output
step "setup" bash scripts/setup.sh
step "format" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --quiet --workspace --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --quiet -p sendcheck-web -p sendcheck-worker \
  --target wasm32-unknown-unknown -- -D warnings
step "clippy (wasm32, the page's start module)" cargo clippy --quiet -p sendcheck-web \
  --features start-module --target wasm32-unknown-unknown -- -D warnings
step "unit tests" cargo test --quiet --workspace
# The fuzz build lives outside the clone so later runs on this machine reuse it.
export FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sendcheck/fuzz-target}"
step "fuzz (short run of every target)" bash fuzz/run.sh
step "clippy (fuzz targets)" cargo clippy --quiet --manifest-path fuzz/Cargo.toml --all-targets \
  --target-dir target -- -D warnings
step "build" bash scripts/build.sh
step "deployable bundle" bash scripts/sizes.sh test-output/sizes.txt
step "end to end (workerd + Postfix + Chromium)" node --test --test-concurrency=1 'tests/e2e/*.test.mjs'
printf '\nall tests passed in %ss\n' "$((SECONDS - started))"

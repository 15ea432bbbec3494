#!/usr/bin/env bash
# The short fuzzing run for CI: builds every target in fuzz/ once, fuzzes each for a bounded
# time from the seeds in fuzz/seeds/<target>/ (plus whatever corpus earlier runs on this
# machine left in fuzz/corpus/<target>/), prints one line per target, and exits non-zero if any
# target crashed, hung or ran out of memory.
#
# Stable Rust only: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly flags (sanitizer
# coverage). No address sanitizer: every target is safe Rust, and without it the engine runs
# about six times as many inputs in the same time. Overflow checks and debug assertions are on.
#
# Environment (all optional):
#   FUZZ_SECONDS     time per target (default 20)
#   FUZZ_JOBS        targets fuzzed at once (default 2, this machine's cores)
#   FUZZ_TARGETS     which targets (default: all six)
#   FUZZ_TARGET_DIR  cargo's build directory (default fuzz/target)
#   CARGO_HOME       where cargo-fuzz is installed if missing (default ~/.cargo)
#
# A crash is saved in fuzz/artifacts/<target>/; replay it with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/crash-…
# (SENDCHECK_FUZZ_SHOW=1 makes the engine target print the report it got to).
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export CARGO_HOME
export PATH="$CARGO_HOME/bin:$PATH"
export RUSTC_BOOTSTRAP=1

SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
JOBS="${FUZZ_JOBS:-2}"
TARGETS="${FUZZ_TARGETS:-engine reply_parser host_and_request certificate local_output share_link}"
TARGET_DIR="${FUZZ_TARGET_DIR:-$FUZZ_DIR/target}"
CARGO_FUZZ_VERSION=0.13.2

# Largest input per target: room for a reply past the parser's 16 KiB cap (the engine's
# input carries two bytes of framing per 255), and for a request body past its 4 KiB cap.
max_len() {
  case "$1" in
    engine) echo 20000 ;;
    reply_parser) echo 18000 ;;
    host_and_request) echo 5000 ;;
    # A whole run of the script with its certificates is 10–20 KiB.
    local_output) echo 24000 ;;
    # A real link is 2–8 KiB; room for one past the parser's bounds costs too much speed.
    share_link) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION into $CARGO_HOME"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --debug --root "$CARGO_HOME"
fi

cd "$ROOT"
build_started=$SECONDS
# All targets at once: they share every dependency.
cargo fuzz build --sanitizer none --target-dir "$TARGET_DIR"
echo "fuzz: built in $((SECONDS - build_started))s"

BIN_DIR="$TARGET_DIR/x86_64-unknown-linux-gnu/release"
LOG_DIR="$TARGET_DIR/run-logs"
mkdir -p "$LOG_DIR"

fuzz_one() {
  local target="$1"
  local corpus="$FUZZ_DIR/corpus/$target" artifacts="$FUZZ_DIR/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  local options=(
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048
    -max_len="$(max_len "$target")" -artifact_prefix="$artifacts/"
  )
  # The SMTP dictionary lets mutations write reply codes and EHLO keywords whole.
  case "$target" in
    engine | reply_parser) options+=(-dict="$FUZZ_DIR/smtp.dict") ;;
  esac
  local status=0
  "$BIN_DIR/$target" "$corpus" "$FUZZ_DIR/seeds/$target" "${options[@]}" \
    >"$LOG_DIR/$target.log" 2>&1 || status=$?
  echo "$status" >"$LOG_DIR/$target.status"
}

run_started=$SECONDS
running=0
# shellcheck disable=SC2086 # TARGETS is a list of words
for target in $TARGETS; do
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
wait

failed=0
# shellcheck disable=SC2086
for target in $TARGETS; do
  log="$LOG_DIR/$target.log"
  status="$(cat "$LOG_DIR/$target.status")"
  done_line="$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1 || true)"
  runs="$(sed -E 's/^Done ([0-9]+) runs.*/\1/' <<<"$done_line")"
  cov="$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)"
  if [ "$status" = 0 ] && [ -n "$done_line" ]; then
    echo "fuzz $target: ok, ${runs} runs in ${SECONDS_PER_TARGET}s (${cov:-no coverage line})"
  else
    failed=1
    echo "fuzz $target: FAILED (libFuzzer exit $status); last lines of $log:"
    grep -vE '^(#[0-9]+|INFO:|MS: |"|###### |WARNING: Failed to find|Dictionary:|\s+NEW_FUNC)' "$log" | tail -n 25 | sed 's/^/  | /'
    for artifact in $(grep -oE "Test unit written to [^ ]+" "$log" | awk '{print $5}'); do
      echo "  input ($artifact), hex: $(od -An -v -tx1 "$artifact" | tr -d ' \n' | head -c 2000)"
    done
  fi
done
echo "fuzz: fuzzed in $((SECONDS - run_started))s"
exit "$failed"

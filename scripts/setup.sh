#!/usr/bin/env bash
# Installs whatever the project needs and is missing; fast and silent when all is there.
# Sources: Debian packages, crates.io (cargo install), the npm registry (package-lock.json).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*"; }

debian_packages=(clang chromium chromium-driver fonts-noto-cjk postfix dovecot-core dovecot-imapd nftables openssl iproute2 netcat-openbsd)
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo_cmd[@]}" debconf-set-selections
  "${sudo_cmd[@]}" apt-get update -qq
  # The first install on a fresh machine can fail with "cannot access archive" (an image hook
  # removes downloaded packages mid-install); the same install again works.
  for attempt in 1 2 3; do
    if "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/sendcheck-apt.log 2>&1; then
      break
    fi
    [ "$attempt" = 3 ] && { tail -n 30 /tmp/sendcheck-apt.log; exit 1; }
    say "apt-get install failed (attempt $attempt), retrying"
  done
  # We run private Postfix/Dovecot instances; the system services stay off.
  for svc in postfix dovecot; do
    command -v systemctl >/dev/null && systemctl disable --now "$svc" >/dev/null 2>&1 || true
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
  done
fi

# Exim for the lab (lab/exim.mjs): Debian's package conflicts with Postfix (both are the
# system's mail-transport-agent), so its binary is only unpacked, for a private instance.
exim_dir=/opt/sendcheck-exim
if [ "$(id -u)" = 0 ] && [ ! -x "$exim_dir/usr/sbin/exim4" ]; then
  say "unpacking Debian's exim4-daemon-light into $exim_dir (not installed as the MTA)"
  dpkg-query -W -f='${Status}' libidn12 2>/dev/null | grep -q "install ok installed" \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libidn12 >/tmp/sendcheck-apt.log 2>&1
  exim_tmp=$(mktemp -d)
  # A machine whose package lists were never fetched cannot download: fetch them once.
  (cd "$exim_tmp" && { apt-get download -q exim4-daemon-light >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get download -q exim4-daemon-light >/dev/null 2>&1; }; }) || true
  if ls "$exim_tmp"/exim4-daemon-light_*.deb >/dev/null 2>&1; then
    mkdir -p "$exim_dir" && dpkg-deb -x "$exim_tmp"/exim4-daemon-light_*.deb "$exim_dir"
    # Only root runs it here: no setuid binary left lying around.
    chmod u-s "$exim_dir/usr/sbin/exim4"
  else
    say "could not download exim4-daemon-light: the Exim e2e test will be skipped"
  fi
  rm -rf "$exim_tmp"
fi
# The user Debian's Exim binary was built to run as.
if [ "$(id -u)" = 0 ] && ! getent passwd Debian-exim >/dev/null; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin Debian-exim
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

if [ "$("$WASM_BINDGEN_BIN" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its lockfile can pin crates the registry here does not serve yet.
  cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! worker-build --version 2>/dev/null | grep -q "$WORKER_BUILD_VERSION"; then
  say "installing worker-build $WORKER_BUILD_VERSION (a few minutes, once)"
  # A debug build installs twice as fast and is as quick for a build tool's work.
  cargo install --quiet --force --debug worker-build --version "$WORKER_BUILD_VERSION"
fi

stamp=node_modules/.sendcheck-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "installing npm packages from package-lock.json"
  # Not `npm ci`: the registry here serves only this platform's builds of workerd, so the lock's
  # darwin/windows optional entries cannot resolve and `npm ci` calls the lock out of sync.
  # `npm install --no-save` installs the locked versions and leaves the lockfile as it is.
  npm install --no-save --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

#!/usr/bin/env bash
# ./dev serve: build, start the lab mail server, and run the worker + page under workerd.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh

port="${PORT:-8787}"
# Real names (smtp.gmail.com, your own server) resolve through a real resolver: the lab's DoH
# stub answers sendcheck.test itself and forwards every other name here (lab/doh.mjs).
upstream="${SENDCHECK_DOH_UPSTREAM:-https://cloudflare-dns.com/dns-query}"
SENDCHECK_DOH_UPSTREAM="$upstream" node lab/lab.mjs up
server=""
stopped=""
stop() {
  [ -n "$stopped" ] && return
  stopped=1
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  node lab/lab.mjs down
}
# Ctrl-C reaches the whole process group; a kill of this script alone must clean up too.
trap stop EXIT
trap 'stop; exit 130' INT TERM
echo
echo "sendcheck: open http://127.0.0.1:$port/ and probe host 198.51.100.25 (lab Postfix: 25, 587, 465),"
echo "           or your own server by name (resolved through $upstream)."
echo "           The checks run from this computer: they see what its network lets through."
echo "           Ctrl-C stops the server and the lab."
echo
# Loopback is allowed too, so a Postfix of your own on this machine can be probed. The lab's
# private CA is trusted only by this local worker, beside the public roots that real servers'
# certificates chain to (LAB_TRUST_ANCHORS), never by a deployment. The checks leave from this
# computer (DEPLOYMENT=this_computer): the diagnosis reads them as evidence from the person's side.
# Share links are signed with a key made for this run only (links stop verifying after it).
wrangler dev --ip 127.0.0.1 --port "$port" \
  --var "ALLOW_NETWORKS:198.51.100.0/24,127.0.0.0/8,::1" \
  --var ALLOW_PORT_25:true --var DEPLOYMENT:this_computer \
  --var "DOH_URL:$(node lab/lab.mjs doh-url)" \
  --var "AUTOCONFIG_URL_TEMPLATES:$(node lab/lab.mjs autoconfig-url-templates)" \
  --var "LAB_TRUST_ANCHORS:$(cat "$(node lab/lab.mjs ca-path)")" \
  --var "SHARE_SIGNING_KEY:$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")" &
server=$!
wait "$server"

#!/bin/sh
# Idle footprint of one enrolled agent: RSS (VmRSS) and CPU over a window after it connected.
#   sudo sh bench/agent-idle.sh packaged|repository [settle-seconds] [window-seconds]
# packaged: packages/agent/artifact/cordon-agent (npm run build:agent); repository: node
# packages/cli/dist/main.js agent (npm run build). The server and agent share a network namespace
# of their own (created and deleted here), so nothing reaches this host's network.
set -eu
kind=$1
settle=${2:-30}
window=${3:-60}
cd "$(dirname "$0")/.."
ns=cordon-bench-idle-$$
work=$(mktemp -d)
cleanup() {
  [ -f "$work/agent.pid" ] && kill "$(cat "$work/agent.pid")" 2>/dev/null || true
  [ -f "$work/server.pid" ] && kill "$(cat "$work/server.pid")" 2>/dev/null || true
  sleep 1
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
export CORDON_DATA="$work/server" CORDON_PORT=18080 CORDON_PUBLIC_URL=http://127.0.0.1:18080 CORDON_LOG_LEVEL=warn
ip netns exec "$ns" node packages/cli/dist/main.js server > "$work/server.log" 2>&1 &
echo $! > "$work/server.pid"
until grep -q 'listening on' "$work/server.log"; do sleep 0.2; done
node packages/cli/dist/main.js onboarding-package > "$work/onboarding.json"
case "$kind" in
  packaged) agent="packages/agent/artifact/cordon-agent" ;;
  repository) agent="node packages/cli/dist/main.js agent" ;;
  *) echo "packaged or repository" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
ip netns exec "$ns" $agent --onboarding "$work/onboarding.json" --state "$work/agent" --name bench-idle > "$work/agent.log" 2>&1 &
echo $! > "$work/agent.pid"
until grep -q '"msg":"connected"' "$work/agent.log"; do sleep 0.2; done
pid=$(cat "$work/agent.pid")
sleep "$settle"
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
t0=$(ticks)
sleep "$window"
t1=$(ticks)
hz=$(getconf CLK_TCK)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
echo "$kind: RSS $((rss / 1024)) MiB, CPU $(echo "$t0 $t1 $hz $window" | awk '{ printf "%.2f", ($2 - $1) / $3 / $4 * 100 }')% over ${window}s after ${settle}s idle"

# Shell functions the README test puts in front of the README's own commands where its
# substitution table says so (e2e/readme.test.ts). Each starts what a user leaves running in a
# terminal of its own, in its own process group (setsid) so the test can stop all of it, and waits
# until it is ready.

# start_server CMD...: the server, in the background, until it answers on the README's port.
start_server() {
  setsid "$@" > server.log 2>&1 &
  echo $! > server.pid
  for _ in $(seq 1 240); do
    curl -s -o /dev/null http://127.0.0.1:8080/openapi.json && return 0
    kill -0 "$(cat server.pid)" 2>/dev/null || { cat server.log >&2; return 1; }
    sleep 0.5
  done
  echo "the server did not answer on 127.0.0.1:8080" >&2; cat server.log >&2; return 1
}

# on_device CMD...: CMD as root on "the device": the network namespace $DEVICE_NS, in a mount
# namespace of its own where /var/lib is an overlay on a tmpfs, so what the agent writes under
# /var/lib/cordon-agent never reaches the host. Waits for the agent's "running as machine" line.
on_device() {
  setsid ip netns exec "$DEVICE_NS" unshare -m --propagation private sh -c '
    set -e
    mount -t tmpfs tmpfs "$0" && mkdir "$0/upper" "$0/work"
    mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$0/upper,workdir=$0/work" /var/lib
    exec "$@"' "$DEVICE_VAR_LIB" "$@" > agent.log 2>&1 &
  echo $! > agent.pid
  for _ in $(seq 1 240); do
    grep -q '^Cordon agent running as machine' agent.log && return 0
    kill -0 "$(cat agent.pid)" 2>/dev/null || { cat agent.log >&2; return 1; }
    sleep 0.5
  done
  echo "the agent did not enroll" >&2; cat agent.log >&2; return 1
}

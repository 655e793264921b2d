# Starting and stopping a sandbox from a script: a free port, a temp data dir, and a stop on exit.
# Sourced after env.sh.

KINLINK_SANDBOX_PIDS=()
KINLINK_SANDBOX_DIRS=()

# start_sandbox BIN [args...]: sets SANDBOX_URL and SANDBOX_KEY.
start_sandbox() {
  local bin="$1" dir ready pid
  shift
  dir="$(mktemp -d "${TMPDIR:-/tmp}/kinlink-sandbox.XXXXXX")"
  ready="$dir/ready.json"
  "$bin" --port 0 --data "$dir" --ready-file "$ready" "$@" >"$dir/stdout.log" &
  pid=$!
  KINLINK_SANDBOX_PIDS+=("$pid")
  KINLINK_SANDBOX_DIRS+=("$dir")
  for _ in $(seq 300); do
    [ -f "$ready" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "sandbox exited during start-up" >&2; return 1; }
    sleep 0.05
  done
  [ -f "$ready" ] || { echo "sandbox did not become ready" >&2; return 1; }
  SANDBOX_URL="$(node -p "require('$ready').url")"
  SANDBOX_KEY="$(node -p "require('$ready').api_key")"
}

stop_sandboxes() {
  local pid
  for pid in "${KINLINK_SANDBOX_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${KINLINK_SANDBOX_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for dir in "${KINLINK_SANDBOX_DIRS[@]}"; do rm -rf "$dir"; done
  KINLINK_SANDBOX_PIDS=()
  KINLINK_SANDBOX_DIRS=()
}

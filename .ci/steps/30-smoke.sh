#!/usr/bin/env bash
# End to end against `npm start`, as a user runs it: serve on a free port with a fresh data
# directory, run the curl smoke test, then prove persistence: an item created before a clean
# restart, and one created before the server process is killed outright, are both still there.
set -euo pipefail
cd "$(dirname "$0")/../.."

data_dir=$(mktemp -d)
log=$(mktemp)
npm_pid=""
server_pid=""
url=""

stop_server() { # stop_server SIGNAL: signals the server process and waits for npm to end
  [ -n "$server_pid" ] || return 0
  kill "-$1" "$server_pid" 2>/dev/null || true
  wait "$npm_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  stop_server KILL
  rm -rf "$data_dir" "$log"
}
trap cleanup EXIT

start_server() { # sets $url and $server_pid once the server prints its ready line
  : >"$log"
  local started line=""
  started=$(date +%s%N)
  PORT=0 LOCAL_DATA_DIR="$data_dir" npm start >"$log" 2>&1 &
  npm_pid=$!
  for _ in $(seq 600); do
    line=$(grep -m1 '^ready in' "$log" || true)
    [ -n "$line" ] && break
    kill -0 "$npm_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$line" ]; then
    cat "$log"
    echo "FAILED: the server did not get ready within 60 s"
    return 1
  fi
  url=$(grep -oE 'http://[^ ]+' <<<"$line")
  server_pid=$(sed -E 's/.*\(pid ([0-9]+)\).*/\1/' <<<"$line")
  echo "time to ready: $((($(date +%s%N) - started) / 1000000)) ms from npm start ($line)"
}

create_item() { # create_item NAME: prints the new item's id
  curl -sS -X POST "$url/" -H 'content-type: application/json' \
    --data-binary "{\"name\":\"$1\",\"description\":\"kept across restarts\"}" |
    grep -oE '"id":"[0-9A-Za-z]{27}"' | cut -d'"' -f4
}

expect_item() { # expect_item ID WHEN: fails unless GET /ID answers 200
  local status
  status=$(curl -sS -o /dev/null -w '%{http_code}' "$url/$1")
  if [ "$status" != 200 ]; then
    echo "FAILED: the item created $2 answers $status after the restart"
    cat "$log"
    return 1
  fi
  echo "ok: the item created $2 is still there"
}

start_server
bash scripts/smoke.sh "$url"

before_restart=$(create_item "before a clean restart")
stop_server TERM
grep -q '^stopped' "$log" || { cat "$log"; echo "FAILED: no clean stop on SIGTERM"; exit 1; }
start_server
expect_item "$before_restart" "before a clean restart"

before_crash=$(create_item "before a crash")
stop_server KILL
start_server
expect_item "$before_restart" "before a clean restart"
expect_item "$before_crash" "before the server was killed (SIGKILL)"
stop_server TERM

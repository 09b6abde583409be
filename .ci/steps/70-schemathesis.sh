#!/usr/bin/env bash
# schemathesis against the local server and its own OpenAPI document (/openapi.json): every
# operation, positive and negative data, the stateful phase over the document's links. Fails on
# any 5xx, any answer the document does not describe (status, content type, headers, body) and
# any schema-valid request refused or invalid one accepted, except where API.md says so
# (.ci/schemathesis.toml). Prints the number of cases. The server is always stopped.
#
# Two checks are off, because API.md contradicts them by design:
# - unsupported_method: an undeclared method answers API Gateway's 404 {"message":"Not Found"}
#   (API.md, Routes), never 405.
# - ensure_resource_availability: schemathesis reuses the Idempotency-Key values it generates
#   across unrelated scenarios, so a create may replay an item that an earlier scenario deleted;
#   API.md has a replay answer exactly as the first request did, so a replayed 201 does not mean
#   the item still exists.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=4.32.5
examples=${SCHEMATHESIS_EXAMPLES:-300}
seed=${SCHEMATHESIS_SEED:-20261124}
venv=.data/ci/schemathesis-$version
log=$(mktemp)
out=$(mktemp)
scratch=$(mktemp -d)
server_pid=""

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server; rm -rf "$log" "$out" "$scratch"' EXIT

if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
[ -f dist/create-item/index.mjs ] || npm run build --silent -- --quiet

# The server itself in one process (no npx or tsx wrapper): its pid is the one to stop. Its
# stage throttle is set high: the deploy's default 50 requests/s would answer schemathesis 429.
ITEMS_API_THROTTLE_RATE_LIMIT=10000 ITEMS_API_THROTTLE_BURST_LIMIT=5000 \
  node --import tsx scripts/local/start.ts --port 0 --in-memory --skip-build >"$log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 300); do
  url=$(grep -m1 -oE '^ready in .*: http://[^ ]+' "$log" | grep -oE 'http://[^ ]+' || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$log"
  echo "FAILED: the local server did not get ready within 30 s"
  exit 1
fi
echo "local server: $url (pid $server_pid)"

status=0
# From a scratch folder: whatever schemathesis or Hypothesis writes stays out of the checkout.
# One worker: with two, Hypothesis parses lambdas' source from two threads at once and CPython
# 3.11's AST constructor can fail with "recursion depth mismatch" (seen once in CI), which
# schemathesis reports as a runtime error of the run, not of the API.
config=$PWD/.ci/schemathesis.toml
(cd "$scratch" && "$OLDPWD/$venv/bin/st" --no-color --config-file "$config" run "$url/openapi.json" \
  --checks all --exclude-checks unsupported_method,ensure_resource_availability \
  --max-examples "$examples" --seed "$seed" --workers 1) | tee "$out" || status=$?

cases=$(grep -oE '[0-9]+ generated' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "schemathesis: $cases cases against $url/openapi.json (seed $seed, up to $examples examples per operation)"
# Belt and braces beside not_a_server_error: the server's own request lines, `... STATUS N ms FN ID`.
if grep -qE ' 5[0-9]{2} [0-9]+ ms [^ ]+ [^ ]+$' "$log"; then
  echo "the server answered a 5xx:"
  grep -E ' 5[0-9]{2} [0-9]+ ms [^ ]+ [^ ]+$' "$log" | head -20
  status=1
fi
[ "$cases" -gt 0 ] || status=1
exit "$status"

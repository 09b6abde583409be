#!/usr/bin/env bash
# End-to-end smoke test of every route, with curl only: create, read, list (walking every page),
# update with and without If-Match, delete, 404 after delete, a 400 and an unknown route.
# Works unchanged against `npm start` and against a deployed API. Stops at the first failure.
#
#   bash scripts/smoke.sh [BASE_URL]          default http://localhost:3000
#   SMOKE_AUTH_HEADER='Authorization: Bearer …'   sent with every request (for a protected API)
#   SMOKE_PAGE_LIMIT=2                        page size of the list walk (small: many pages)
#   SMOKE_MAX_PAGES=1000                      give up walking after this many pages
set -uo pipefail

base=${1:-http://localhost:3000}
base=${base%/}
auth=${SMOKE_AUTH_HEADER:-}
page_limit=${SMOKE_PAGE_LIMIT:-2}
max_pages=${SMOKE_MAX_PAGES:-1000}
work=$(mktemp -d)
checks=0
step="starting"
status=""
body=""
created=()
started_ms=$(($(date +%s) * 1000))
[ -n "${EPOCHREALTIME:-}" ] && started_ms=${EPOCHREALTIME/[.,]/} && started_ms=$((started_ms / 1000))

cleanup() {
  local id
  for id in ${created[@]+"${created[@]}"}; do
    [ -z "$id" ] || curl -sS -o /dev/null --max-time 10 -X DELETE ${auth:+-H "$auth"} "$base/$id" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "smoke: FAILED at \"$step\": $*" >&2
  [ -n "$status" ] && echo "  last answer: HTTP $status ${body:0:400}" >&2
  exit 1
}

# call METHOD PATH [JSON_BODY] [HEADER...]: sets $status, $body; headers land in $work/headers.
call() {
  local method=$1 path=$2 data=${3:-}
  shift $(($# < 3 ? $# : 3))
  local args=(-sS -X "$method" -o "$work/body" -D "$work/headers" -w '%{http_code}' --max-time 35)
  [ -n "$auth" ] && args+=(-H "$auth")
  [ -n "$data" ] && args+=(-H 'content-type: application/json' --data-binary "$data")
  local header
  for header in "$@"; do args+=(-H "$header"); done
  status=$(curl "${args[@]}" "$base$path") || { status=""; fail "curl could not reach $base$path (is the API running?)"; }
  body=$(cat "$work/body")
}

header() { # header NAME: the value of a response header of the last call
  grep -i "^$1:" "$work/headers" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

json_field() { # json_field NAME: a string or number field of the last body ("" when absent)
  if [[ $body =~ \"$1\":\"([^\"]*)\" ]] || [[ $body =~ \"$1\":([-0-9.]+) ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

expect() { # expect WHAT ACTUAL EXPECTED
  [ "$2" = "$3" ] || fail "expected $1 $3, got '$2'"
  checks=$((checks + 1))
}

expect_status() { expect "status" "$status" "$1"; }

expect_media_type() { # expect_media_type TYPE: the last answer's Content-Type (parameters aside)
  local actual
  actual=$(header content-type)
  expect "content type" "${actual%%;*}" "$1"
}

create_item() { # create_item NAME: POSTs an item, checks the answer, sets $id
  call POST / "{\"name\":\"$1\",\"description\":\"made by scripts/smoke.sh ✓ 🚀\"}"
  expect_status 201
  id=$(json_field id)
  [[ $id =~ ^[0-9A-Za-z]{27}$ ]] || fail "expected a 27-character KSUID id, got '$id'"
  created+=("$id")
  expect "Location" "$(header location)" "/$id"
  expect "ETag" "$(header etag)" '"1"'
}

tag="smoke-$(date +%s)-$$"

step="POST / creates an item"
create_item "$tag a"
first=$id
expect_media_type application/json

step="GET /{id} reads it back, Unicode intact"
call GET "/$first"
expect_status 200
expect "name" "$(json_field name)" "$tag a"
expect "description" "$(json_field description)" "made by scripts/smoke.sh ✓ 🚀"
expect "ETag" "$(header etag)" '"1"'

step="GET /{id} with a current If-None-Match answers 304"
call GET "/$first" "" 'If-None-Match: "1"'
expect_status 304

step="POST / creates two more items, for paging"
create_item "$tag b"
create_item "$tag c"

step="GET / walks every page"
path="/?limit=$page_limit"
pages=0
seen=""
while :; do
  call GET "$path"
  expect_status 200
  pages=$((pages + 1))
  [ "$pages" -le "$max_pages" ] || fail "more than $max_pages pages (raise SMOKE_MAX_PAGES)"
  seen="$seen $(grep -oE '"id":"[0-9A-Za-z]{27}"' <<<"$body" | cut -d'"' -f4 | tr '\n' ' ')"
  [[ $body == *'"lk":null'* ]] && break
  lk=$(json_field lk)
  [ -n "$lk" ] || fail "a page has neither \"lk\":null nor a token"
  [[ $(header link) == *"lk=$lk"*'rel="next"'* ]] || fail "no Link rel=\"next\" with the token"
  path="/?limit=$page_limit&lk=$lk"
done
for id in "${created[@]}"; do
  expect "times $id was listed" "$(tr ' ' '\n' <<<"$seen" | grep -c "^$id$")" 1
done

step="PUT /{id} without If-Match replaces the item"
call PUT "/$first" "{\"name\":\"$tag a2\",\"description\":\"updated\"}"
expect_status 200
expect "version" "$(json_field version)" 2
expect "ETag" "$(header etag)" '"2"'

step="PUT /{id} with a stale If-Match answers 412"
call PUT "/$first" "{\"name\":\"$tag lost\",\"description\":\"stale\"}" 'If-Match: "1"'
expect_status 412

step="PUT /{id} with the current If-Match updates"
call PUT "/$first" "{\"name\":\"$tag a3\",\"description\":\"updated again\"}" 'If-Match: "2"'
expect_status 200
expect "name" "$(json_field name)" "$tag a3"
expect "version" "$(json_field version)" 3

step="DELETE /{id} with a stale If-Match answers 412 and keeps the item"
call DELETE "/$first" "" 'If-Match: "2"'
expect_status 412
call GET "/$first"
expect_status 200

step="DELETE /{id} with the current If-Match deletes"
call DELETE "/$first" "" 'If-Match: "3"'
expect_status 204
created[0]=""

step="GET /{id} after delete answers 404"
call GET "/$first"
expect_status 404
expect_media_type application/problem+json

step="DELETE /{id} without If-Match deletes, a second time answers 404"
second=${created[1]}
call DELETE "/$second"
expect_status 204
created[1]=""
call DELETE "/$second"
expect_status 404

step="POST / with an invalid body answers 400"
call POST / '{"name":"","description":"x","extra":1}'
expect_status 400
expect_media_type application/problem+json

step="an unknown route answers API Gateway's 404"
call GET "/$first/no/such/route"
expect_status 404
expect "body" "$body" '{"message":"Not Found"}'

ended_ms=$(($(date +%s) * 1000))
[ -n "${EPOCHREALTIME:-}" ] && ended_ms=${EPOCHREALTIME/[.,]/} && ended_ms=$((ended_ms / 1000))
echo "smoke: ok, $checks checks passed against $base ($pages list pages) in $((ended_ms - started_ms)) ms"

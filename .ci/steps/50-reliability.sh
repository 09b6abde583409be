#!/usr/bin/env bash
# Load: the short mode of `npm run load` (50 connections, 10 s of mixed create, read, list,
# update and delete against the local server as `npm start` runs it), then the consistency check
# of the whole table. Fails on any answer API.md does not allow, any unexpected answer, any
# request error or any difference between the table and the acknowledged writes.
# The full run is `npm run load` (60 s); figures in docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/create-item/index.mjs ] || npm run build --silent -- --quiet
npm run load --silent -- --duration "${LOAD_DURATION:-10}" --connections 50 --skip-build \
  --json .data/ci/load-short.json

#!/usr/bin/env bash
# Conformance: the API integration tests (which between them make every DynamoDB call the code
# makes: PutItem, GetItem, UpdateItem, DeleteItem, Scan, plus the local server's DescribeTable
# and CreateTable) and the reliability tests that run through the whole stack, against DynamoDB
# Local instead of dynalite. They must pass there exactly as they do in `npm test`.
#
# Left out, by design: the tests that start and kill a database of their own (they would not
# touch DynamoDB Local), listed in the file list below by omission.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/steps/lib/dynamodb-local.sh

start_dynamodb_local
# The handlers import their configuration at load, and the server runs their bundles.
[ -f dist/create-item/index.mjs ] || npm run build --silent -- --quiet

files=(
  tests/api/*.test.ts
  tests/reliability/concurrency.test.ts
  tests/reliability/properties.test.ts
  tests/reliability/hostile-input.test.ts
  tests/reliability/database-faults.test.ts
  tests/reliability/gateway-limit.test.ts
)
DYNAMODB_ENDPOINT=$DYNAMODB_LOCAL_ENDPOINT npx ava "${files[@]}"

#!/usr/bin/env bash
# Lints the OpenAPI document, written from the code (scripts/openapi.ts), with two independent
# tools: Redocly CLI (recommended ruleset) and Spectral (spectral:oas). Both the document without
# an authorizer and the one with a JWT authorizer (bearer security, 401, and 403 on routes with
# scopes) must have 0 errors and 0 warnings; rules switched off are in .ci/openapi-lint/*.yaml,
# each with its reason.
#
# The linters are pinned by .ci/openapi-lint/package-lock.json and installed apart from the
# project, into .data/ci/openapi-lint-<hash of the lock> (git-ignored, about 80 MB, reused by
# later runs): no user of the project needs them, so they are not devDependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."

config=.ci/openapi-lint
hash=$(sha256sum "$config/package-lock.json" | cut -c1-12)
tools=.data/ci/openapi-lint-$hash
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

if [ ! -x "$tools/node_modules/.bin/redocly" ] || [ ! -x "$tools/node_modules/.bin/spectral" ]; then
  rm -rf "$tools"
  mkdir -p "$tools"
  cp "$config/package.json" "$config/package-lock.json" "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
echo "redocly $("$tools/node_modules/.bin/redocly" --version), spectral $("$tools/node_modules/.bin/spectral" --version)"

# Without an authorizer, and with one whose routes partly require scopes (401 everywhere, 403
# where a scope is required), each read from the settings as `npm start` reads them.
env -u ITEMS_API_JWT_ISSUER -u ITEMS_API_JWT_AUDIENCE -u ITEMS_API_JWT_ROUTE_SCOPES \
  npx tsx scripts/openapi.ts >"$scratch/openapi.json"
ITEMS_API_JWT_ISSUER=https://issuer.example.com/ ITEMS_API_JWT_AUDIENCE=items-api \
  ITEMS_API_JWT_ROUTE_SCOPES='POST /=items:write; DELETE /{id}=items:write items:admin' \
  npx tsx scripts/openapi.ts >"$scratch/openapi-jwt.json"

status=0
for document in "$scratch/openapi.json" "$scratch/openapi-jwt.json"; do
  name=$(basename "$document")
  # Redocly exits non-zero on errors only: its JSON report's totals count the warnings too.
  "$tools/node_modules/.bin/redocly" lint "$document" --config "$config/redocly.yaml" \
    --format json >"$scratch/redocly.json" 2>"$scratch/redocly.err" || true
  if ! node -e '
    const report = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const { errors, warnings } = report.totals;
    for (const p of report.problems) console.log(`  ${p.severity} ${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer})`);
    console.log(`redocly ${process.argv[2]}: ${errors} errors, ${warnings} warnings`);
    process.exit(errors + warnings === 0 ? 0 : 1);
  ' "$scratch/redocly.json" "$name"; then
    cat "$scratch/redocly.err"
    status=1
  fi
  if "$tools/node_modules/.bin/spectral" lint "$document" --ruleset "$config/spectral.yaml" \
    --fail-severity warn --display-only-failures; then
    echo "spectral $name: 0 errors, 0 warnings"
  else
    echo "spectral $name: failed (above)"
    status=1
  fi
done
exit "$status"

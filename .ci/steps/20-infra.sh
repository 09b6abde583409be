#!/usr/bin/env bash
# The infrastructure check: synthesizes the stack twice (defaults, then every option on) and
# proves both syntheses ship byte-identical zips, scans both with checkov and the committed
# skip list (.checkov.yaml), and lints the GitHub workflows with actionlint. Tools are pinned
# and installed into a cache on first use, so a fresh machine needs nothing done by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CHECKPOINT_DISABLE=1

checkov_version=3.3.30
actionlint_version=v1.7.12
cache="${XDG_CACHE_HOME:-$HOME/.cache}/items-api"
full_out=$(mktemp -d)
trap 'rm -rf "$full_out"' EXIT

zip_digests() { # zip_digests <cdktf outdir>: "<sha256>  <asset path>" per function zip
  (cd "$1/stacks/items-api" && find assets -name '*.zip' | sort | xargs sha256sum)
}

echo "== synth (defaults): npm run synth"
started=$(date +%s%N)
npm run --silent synth >/dev/null
synth_ms=$((($(date +%s%N) - started) / 1000000))
echo "synth time: ${synth_ms} ms"
test -s cdktf.out/stacks/items-api/cdk.tf.json

echo "== synth (every option on: prod stage, JWT, alarms, CORS, S3 state)"
CDKTF_OUTDIR="$full_out" ITEMS_API_STAGE=prod ITEMS_API_ALARM_EMAIL=ops@example.com \
  ITEMS_API_JWT_ISSUER=https://auth.example.com/ ITEMS_API_JWT_AUDIENCE=items-api \
  ITEMS_API_CORS_ALLOW_ORIGINS=https://app.example.com ITEMS_API_STATE_BUCKET=state-bucket \
  npx tsx main.ts

echo "== two syntheses give identical zips"
zip_digests cdktf.out | tee "$full_out/first.sha256"
if ! zip_digests "$full_out" | diff "$full_out/first.sha256" -; then
  echo "the second synthesis produced different zips"
  exit 1
fi
test "$(wc -l <"$full_out/first.sha256")" -eq 5

echo "== checkov $checkov_version"
checkov="$cache/checkov-$checkov_version/bin/checkov"
if [ ! -x "$checkov" ]; then
  python3 -m venv "$cache/checkov-$checkov_version"
  "$cache/checkov-$checkov_version/bin/pip" install --quiet --disable-pip-version-check \
    "checkov==$checkov_version"
fi
skipped_ids=$(sed -nE 's/^ *- (CKV[0-9A-Z_]+).*/\1/p' .checkov.yaml | paste -sd, -)
count() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$@"; }
passed=0 failed=0 skipped=0
for dir in "$PWD/cdktf.out/stacks/items-api" "$full_out/stacks/items-api"; do
  "$checkov" --config-file .checkov.yaml -d "$dir" -o json >"$full_out/gate.json" || true
  # A skip list removes checks instead of counting them as skipped: count what it hides with a
  # report-only run of just those checks (from a folder where no .checkov.yaml is picked up).
  (cd "$full_out" && "$checkov" -d "$dir" --framework terraform_json --skip-download --quiet \
    --soft-fail --check "$skipped_ids" -o json) >"$full_out/skipped.json"
  dir_passed=$(count "$full_out/gate.json" passed)
  dir_failed=$(count "$full_out/gate.json" failed)
  dir_skipped=$(count "$full_out/skipped.json" failed)
  if [ "$dir_passed" -eq 0 ]; then
    echo "checkov found nothing to check in $dir"
    exit 1
  fi
  passed=$((passed + dir_passed)) failed=$((failed + dir_failed)) skipped=$((skipped + dir_skipped))
  # On a finding, show it the way a person reads it.
  [ "$dir_failed" -eq 0 ] || "$checkov" --config-file .checkov.yaml -d "$dir" || true
done
echo "checkov: passed $passed, failed $failed, skipped $skipped (by .checkov.yaml)"

echo "== actionlint $actionlint_version"
actionlint="$cache/actionlint-$actionlint_version/actionlint"
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
if [ ! -x "$actionlint" ]; then
  GOBIN="$cache/actionlint-$actionlint_version" GOFLAGS=-mod=mod \
    go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
fi
"$actionlint" -no-color .github/workflows/*.yml
echo "actionlint: no findings"

echo "infra: synth ${synth_ms} ms; checkov passed $passed, failed $failed, skipped $skipped"
[ "$failed" -eq 0 ]

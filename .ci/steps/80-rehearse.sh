#!/usr/bin/env bash
# The deploy rehearsal (docs/DEPLOY.md, "Rehearsal"): all four configurations applied to
# moto_server on loopback, re-planned, read back and destroyed. The provider is built from the
# Go module proxy on first use and cached with moto's environment under ~/.cache/items-api.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CHECKPOINT_DISABLE=1
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"

missing=()
command -v terraform >/dev/null || missing+=("terraform (1.10 or later, to deploy)")
command -v go >/dev/null || missing+=("go (1.25 or later, to build the AWS provider)")
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=("python3 with venv and pip (to run moto_server)")
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'rehearse: missing %s\n' "${missing[@]}"
  exit 1
fi

npm run --silent rehearse

#!/usr/bin/env bash
# The interactive docs page (/docs of the local server) in headless Chromium: it loads with
# nothing fetched from elsewhere, lists the five operations, and "Try it out" on create answers
# 201. Installs Debian's chromium when it is missing (playwright-core drives the system browser;
# Playwright's own browser download is not used). Leaves test-results/docs-page.png, which the
# GitHub workflow uploads as an artifact.
set -euo pipefail
cd "$(dirname "$0")/../.."

# CHROMIUM_PATH may name another Chromium (GitHub's runners have their own).
browser=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$browser" ]; then
  echo "== installing chromium (Debian package)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
"$browser" --version 2>/dev/null || true
[ -f dist/create-item/index.mjs ] || npm run build --silent -- --quiet

rm -f test-results/docs-page.png
DOCS_PAGE_TEST_REQUIRED=1 npx ava tests/local/docs-page.test.ts
test -s test-results/docs-page.png
echo "docs page: ok, screenshot in test-results/docs-page.png ($(wc -c <test-results/docs-page.png) bytes)"

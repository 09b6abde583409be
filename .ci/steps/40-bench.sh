#!/usr/bin/env bash
# Performance figures of issue 6 in quick mode (under a minute): bundle sizes, cold-load cost,
# warm handler overhead and local server throughput, each next to a baseline from the same run,
# with every budget printed as met or not met. Fails only when the bench itself crashes: timing
# on a shared CI machine is too noisy to gate a merge on (see docs/PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run bench -- --quick

#!/usr/bin/env bash
# Sets up, builds (preset ci unless given) and runs every test suite, including the conformance
# suite against ../shared/golden (skipped with a message when that folder is absent).
set -euo pipefail
preset="${1:-ci}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "$preset"
cd "$root"
ctest --preset "$preset"

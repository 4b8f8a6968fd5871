#!/usr/bin/env bash
# Issue 17 acceptance: SIGKILL and SIGTERM at random moments, then --resume, against an
# uninterrupted run. Runs the board test that does one trial per line
# (tests/board/replay_kill_test.cpp) with TRIALS per signal (default 10) and prints its per-trial
# lines and the verdict. Usage: scripts/kill_resume_trials.sh [BUILD_DIR] [TRIALS] [SEED]
# (BUILD_DIR default build/release; SEED repeats the moments of an earlier run).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
trials=${2:-10}
export L1EMU_KILL_TRIALS=$trials
if [[ $# -ge 3 ]]; then export L1EMU_KILL_SEED=$3; fi
tests=$build/tests/board_tests
[[ -x $tests ]] || { echo "$tests: not built (cmake --build $build --target board_tests l1emu)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$tests" --gtest_filter='ReplayKill.*' >"$log" 2>&1 || status=$?
grep -E '^trial |Failure|L1EMU_KILL_SEED|differs|missing' "$log" || true
if [[ $status -eq 0 ]]; then echo "all trials identical to the uninterrupted run ($trials interrupted runs per signal)"; else echo "FAILED (exit $status)" >&2; exit 1; fi

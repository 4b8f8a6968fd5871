#!/usr/bin/env bash
# Sets up, builds and runs every test suite (what CI runs):
#   scripts/test.sh            the whole CI run, four phases (README "Tests, sanitizers and fuzzing"):
#                              ci     the release suite (every test, including the conformance suite
#                                     against ../shared/golden, skipped with a message when absent)
#                              asan   the labels emu, stream, board, cli under clang's ASan + UBSan
#                              tsan   the tests with threads under TSan
#                              fuzz   every fuzz target for $L1EMU_FUZZ_SECONDS (default 15) seconds
#                                     (scripts/fuzz.sh, in the asan tree)
#   scripts/test.sh PHASE...   those phases only (ci, dev, release, asan, tsan, fuzz)
# The filters and sanitizer options of each suite are its test preset's (CMakePresets.json); any
# sanitizer report fails the test that caused it. Every phase runs even when an earlier one failed
# (a CI log then shows all the failures at once); the exit status is 1 if any phase failed. The wall
# time of each phase is printed, so the budget of a CI run (90 minutes on a 2-core machine) can be
# checked from its log.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
phases=("$@")
[ ${#phases[@]} -gt 0 ] || phases=(ci asan tsan fuzz)
failed=()
total=$SECONDS
for phase in "${phases[@]}"; do
  start=$SECONDS
  if [ "$phase" = fuzz ]; then
    "$root/scripts/fuzz.sh" "${L1EMU_FUZZ_SECONDS:-15}"
  else
    "$root/scripts/setup.sh" "$phase" && (cd "$root" && ctest --preset "$phase")
  fi
  status=$?
  if [ $status -eq 0 ]; then
    echo "test: phase $phase built and passed in $((SECONDS - start)) s"
  else
    echo "test: phase $phase FAILED (exit $status) after $((SECONDS - start)) s"
    failed+=("$phase")
  fi
done
echo "test: ${#phases[@]} phase(s) in $((SECONDS - total)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "test: failed phases: ${failed[*]}"
  exit 1
fi

#!/usr/bin/env bash
# Sets up, builds and runs every test suite (what CI runs):
#   scripts/test.sh            the release suite (preset ci, every test, including the conformance
#                              suite against ../shared/golden, skipped with a message when absent)
#   scripts/test.sh PRESET     that preset's suite only (ci, dev, release, asan, tsan); asan (ASan +
#                              UBSan over the stream label) then also runs every fuzz target for
#                              $L1EMU_FUZZ_SECONDS (default 15) seconds (scripts/fuzz.sh, the same
#                              instrumented tree). Not in the default run yet: its time in a whole
#                              CI run is still to be measured.
# The filters and sanitizer options of each suite are its test preset's (CMakePresets.json); any
# sanitizer report fails the test that caused it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(ci)
for preset in "${presets[@]}"; do
  start=$SECONDS
  "$root/scripts/setup.sh" "$preset"
  (cd "$root" && ctest --preset "$preset")
  echo "test: preset $preset built and passed in $((SECONDS - start)) s"
done
if [[ " ${presets[*]} " == *" asan "* ]]; then
  start=$SECONDS
  "$root/scripts/fuzz.sh" "${L1EMU_FUZZ_SECONDS:-15}"
  echo "test: fuzz targets built and ran in $((SECONDS - start)) s"
fi

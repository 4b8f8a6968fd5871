#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang, ASan + UBSan) and runs each for a bounded time:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 15 s each, every target)
# Seed corpora are generated here from tests/fixtures, examples/, scenarios/ and ../shared
# ($L1EMU_SHARED_DIR; skipped without it); the HDF5 targets write their own seed files. Any crash,
# sanitizer report, leak, timeout or exception other than the project's error types is a finding:
# the input is kept under build/fuzz/artifacts/ and the script exits 1 after running every target.
# L1EMU_FUZZ_SEED=N and L1EMU_FUZZ_RUNS=M make a run repeatable (libFuzzer's -seed and -runs): the
# same inputs in the same order, at most M per target, a slower machine running a prefix of them.
# CI's fuzz phase sets both (scripts/test.sh), so a pass on one machine is a pass on another and a
# new finding comes from a change, not from chance; exploratory runs leave them unset.
set -euo pipefail
seconds="${1:-15}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${L1EMU_SHARED_DIR:-$root/../shared}"
build="$root/build/asan"
all=(model_json cpp_source hls4ml_project event_text test_vector pattern_file scenario csynth_report thresholds
     dataset_h5 decision_log_h5)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# L1EMU_FUZZ_NO_BUILD=1: run the targets already built (e.g. built by hand with fewer jobs).
[ -n "${L1EMU_FUZZ_NO_BUILD:-}" ] || "$root/scripts/setup.sh" fuzz

max_len=65536
seeds="$build/seeds"
rm -rf "$seeds"
# seed TARGET [PREFIX_BYTE] FILE...: files up to max_len bytes; a prefix byte (octal) for the targets
# whose first byte is an option.
seed() {
  local target="$1" prefix="$2"
  shift 2
  mkdir -p "$seeds/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt $max_len ] || continue
    local out="$seeds/$target/$(echo "$f" | sha1sum | cut -c1-16)"
    if [ -n "$prefix" ]; then { printf "\\$prefix"; cat "$f"; } >"$out"; else cp "$f" "$out"; fi
  done
}
# seed_lines TARGET PREFIX_BYTE LINES FILE...: the first LINES lines of each file.
seed_lines() {
  local target="$1" prefix="$2" lines="$3"
  shift 3
  mkdir -p "$seeds/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    { printf "\\$prefix"; head -n "$lines" "$f"; } >"$seeds/$target/$(echo "$f" | sha1sum | cut -c1-16)"
  done
}
shopt -s nullglob globstar
seed model_json "" "$root"/examples/*/model.json "$root"/tests/fixtures/**/*.json "$shared"/golden/**/model.json
seed cpp_source "" "$root"/tests/fixtures/**/*.h "$root"/tests/fixtures/**/*.cpp
fw="$root/tests/fixtures/hls4ml"
seed hls4ml_project 000 "$fw"/*/firmware/myproject.cpp
seed hls4ml_project 001 "$fw"/*/firmware/parameters.h
seed hls4ml_project 002 "$fw"/*/firmware/defines.h
# The first byte is the values per event minus 1 (mod 16): 57 -> 8 (octal 070).
seed_lines event_text 070 20 "$root"/examples/*/inputs.txt "$root"/tests/fixtures/**/inputs.txt "$shared"/golden/**/inputs*.txt
seed_lines test_vector 000 20 "$shared"/golden/**/testvectors/TestVector*.txt
seed pattern_file "" "$root"/tests/fixtures/patterns/*.txt
seed scenario "" "$root"/scenarios/*.yaml
seed csynth_report "" "$root"/tests/board/data/*.xml
seed thresholds "" "$shared"/golden/**/thresholds.json
for t in "${targets[@]}"; do
  case "$t" in
    *_h5) mkdir -p "$seeds/$t" && L1EMU_FUZZ_WRITE_SEED="$seeds/$t" "$build/fuzz/fuzz_$t" ;;
  esac
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:suppressions=$root/fuzz/asan.supp}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
failed=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  log="$build/logs/$t.log"
  mkdir -p "$(dirname "$log")"
  # One job; the work dir is a scratch folder (the targets write their inputs there).
  work="$(mktemp -d /tmp/fuzz-run.XXXXXX)"
  # HDF5 sizes its metadata cache entries from the file (H5C_protect: 0xb00000000010203 bytes for a
  # corrupt decision log) and handles a failed malloc as an error: let ASan return NULL for sizes it
  # cannot serve, as malloc does. Our own allocations above -malloc_limit_mb are still findings.
  options="$ASAN_OPTIONS"
  case "$t" in *_h5) options="$options:allocator_may_return_null=1" ;; esac
  repeat=()
  [ -z "${L1EMU_FUZZ_SEED:-}" ] || repeat+=("-seed=$L1EMU_FUZZ_SEED")
  [ -z "${L1EMU_FUZZ_RUNS:-}" ] || repeat+=("-runs=$L1EMU_FUZZ_RUNS")
  if (cd "$work" && TMPDIR="$work" ASAN_OPTIONS="$options" "$build/fuzz/fuzz_$t" -max_total_time="$seconds" "${repeat[@]}" -timeout=20 \
        -rss_limit_mb=2048 -max_len=$max_len -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$corpus" "$seeds/$t") >"$log" 2>&1; then
    execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz: $t: $execs executions in ${seconds}s, no finding"
  else
    echo "fuzz: $t: FINDING (log $log, input in $artifacts/)"
    grep -aE 'ERROR|SUMMARY|runtime error|terminate|what\(\)' "$log" | head -5 | sed 's/^/  /'
    failed+=("$t")
  fi
  rm -rf "$work"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi

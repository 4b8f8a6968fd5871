#!/bin/bash
# CORPUS=DIR run.sh [L1EMU_BINARY] [SELECTION_TSV]
# Runs `l1emu import hls4ml` (and `l1emu predict` on 20 random events for those that import) over
# the hls4ml project corpus of README.md and prints a line per project, the summary line and the
# blocker table (classify.py). Results go to DIR/results/<binary-name>-<time>/.
#   CORPUS         the folder holding projects/<local_dir> (default: the current directory)
#   L1EMU_BINARY   default: l1emu on PATH
#   SELECTION_TSV  default: projects.tsv beside this script; kind hls4ml and axol1tl are counted
#                  (axol1tl also through `import axol1tl` on the package), other kinds are listed only.
# Uses one core: predict runs with --threads 1.
set -u
C=$(cd "${CORPUS:-.}" && pwd)
export CORPUS=$C
BIN=$(readlink -f "${1:-l1emu}")
SEL=${2:-$(dirname "${BASH_SOURCE[0]}")/projects.tsv}
OUT=$C/results/$(basename "$BIN")-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/models"
printf 'local_dir\tkind\timport_rc\tpredict_rc\tfirst_error_line\n' > "$OUT/results.tsv"
ok=0; tot=0
while IFS=$'\t' read -r dir kind _; do
  [[ -z "$dir" || "$dir" == local_dir || "$dir" == \#* ]] && continue
  name=$(basename "$dir"); d=$C/$dir; json=$OUT/models/$name.json
  hdir=$d; [[ "$kind" == axol1tl ]] && hdir=$d/NN   # AXOL1TL packages: the hls4ml part is NN/
  timeout 300 "$BIN" import hls4ml "$hdir" --output "$json" > "$OUT/models/$name.import.log" 2>&1; rc=$?
  [[ $rc -ge 124 ]] && echo "l1emu import: exit status $rc (timeout or crash)" >> "$OUT/models/$name.import.log"
  err=$(grep -m1 -E 'l1emu|rror|what\(\)|Abort|Segmentation|exit status' "$OUT/models/$name.import.log" | cut -c1-2000)
  if [[ $rc -ne 0 && "$kind" == axol1tl ]]; then
    # then the whole package through the axol1tl importer
    if timeout 300 "$BIN" import axol1tl "$d" --output "$json" > "$OUT/models/$name.import_axol1tl.log" 2>&1; then
      rc=0; err="(import hls4ml refused: ${err}; imported with 'import axol1tl')"
    else err="$err | import axol1tl: $(grep -m1 . "$OUT/models/$name.import_axol1tl.log" | cut -c1-500)"; fi
  fi
  prc=-
  if [[ $rc -eq 0 ]]; then
    [[ "$err" == written* ]] && err=""
    if python3 "$(dirname "${BASH_SOURCE[0]}")/make_inputs.py" "$json" 20 1 > "$OUT/models/$name.events.txt"; then
      timeout 300 "$BIN" predict --model "$json" --input "$OUT/models/$name.events.txt" --threads 1 \
        --output "$OUT/models/$name.pred.txt" > "$OUT/models/$name.predict.log" 2>&1; prc=$?
      if [[ $prc -eq 0 ]]; then
        nl=$(grep -c . "$OUT/models/$name.pred.txt"); [[ $nl -ne 20 ]] && { prc=99; err="predict wrote $nl lines for 20 events"; }
      else err="predict: $(grep -m1 . "$OUT/models/$name.predict.log" | cut -c1-500)"; fi
    else prc=98; err="no inputs in model.json"; fi
  fi
  if [[ "$kind" == hls4ml || "$kind" == axol1tl ]]; then
    tot=$((tot+1)); [[ $rc -eq 0 && "$prc" == 0 ]] && ok=$((ok+1))
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$dir" "$kind" "$rc" "$prc" "${err//$'\t'/ }" >> "$OUT/results.tsv"
  printf '%-4s %-3s %s %s\n' "$rc" "$prc" "$name" "$(echo "$err" | cut -c1-160)"
done < "$SEL"
pct=$(awk -v a=$ok -v b=$tot 'BEGIN{printf "%.1f", b ? 100*a/b : 0}')
echo "SUMMARY: $ok / $tot imported and evaluated ($pct%) with $BIN; details in $OUT/results.tsv"
python3 "$(dirname "${BASH_SOURCE[0]}")/classify.py" "$OUT/results.tsv" "$SEL" > "$OUT/blockers.md" && cat "$OUT/blockers.md"

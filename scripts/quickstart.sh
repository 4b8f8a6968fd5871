#!/usr/bin/env bash
# The main job on the embedded default, with nothing but the repository: sets up, builds, and
# replays scenarios/quickstart.yaml (generated events, uGT links, demo model, simulated VU9P at
# 200 MHz), then computes the trigger rates, signal efficiencies, ROC/AUC and plots.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" release
cd "$root"
out=out/quickstart
./build/release/l1emu replay scenarios/quickstart.yaml --output "$out"
# Rates of the menu's score from the same log: background and the four signals are its samples.
./build/release/l1emu rates --background "$out#background" \
  --signal "ato4l=$out#ato4l" --signal "lq_btau=$out#lq_btau" --signal "htautau=$out#htautau" --signal "htaunu=$out#htaunu" \
  --target-rate 1kHz --target-rate 10kHz --target-rate 100kHz --base-rate zero-bias --output "$out/rates"
echo "quickstart: decisions, summary and resolved scenario in $out/; rates table, plots and report.html in $out/rates/"

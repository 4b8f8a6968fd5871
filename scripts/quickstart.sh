#!/usr/bin/env bash
# The main job on the embedded default, with nothing but the repository: sets up, builds, runs.
# Until the board simulator lands this runs `l1emu predict` on the shipped demo model.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" release
cd "$root"
out="out/quickstart"
mkdir -p "$out"
./build/release/l1emu predict --model examples/demo_vae/model.json --input examples/demo_vae/inputs.txt \
  --output "$out/outputs.txt" --format decimal --trace "$out/trace"
echo "quickstart: wrote $out/outputs.txt and $out/trace/ (one file per layer)"
head -n 5 "$out/outputs.txt"

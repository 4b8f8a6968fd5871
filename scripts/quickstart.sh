#!/usr/bin/env bash
# The main job on the embedded default, with nothing but the repository: sets up, builds, and
# replays scenarios/quickstart.yaml (generated events, demo model, simulated VU9P at 200 MHz).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" release
cd "$root"
./build/release/l1emu replay scenarios/quickstart.yaml --output out/quickstart
echo "quickstart: decisions, summary and resolved scenario in out/quickstart/"

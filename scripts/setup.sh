#!/usr/bin/env bash
# Installs every dependency from Debian's packages (idempotent) and builds l1emu with the given
# CMake preset (default: release). Safe to run again: apt-get and the build only do what is missing.
set -euo pipefail
preset="${1:-release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(cmake g++ ninja-build pkg-config
  libboost-dev libboost-program-options-dev
  nlohmann-json3-dev libfmt-dev libyaml-cpp-dev libhdf5-dev zlib1g-dev libdeflate-dev libisal-dev libpugixml-dev libhwy-dev
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-numpy python3-h5py
  python3-dev pybind11-dev  # the Python module (python/): headers and pybind11
  libboost-mpi-dev libopenmpi-dev openmpi-bin  # mpirun -n N l1emu replay (optional: the build goes on without)
  clang libfuzzer-14-dev  # the presets fuzz (scripts/fuzz.sh: libFuzzer) and the sanitizer runs
  gnuplot-nox  # gnuplot-nox: the plots of 'l1emu rates' (optional at run time, skipped with a warning)
  verilator make)  # 'l1emu verify rtl' simulates HLS Verilog (optional at run time; its tests skip without it)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

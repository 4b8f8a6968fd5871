#include "l1emu/board/device.h"

#include <algorithm>
#include <vector>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l1emu/board/error.h"
#include "l1emu/registry/registry.h"

namespace l1emu::board {
namespace {

// Resource counts from the Xilinx data sheets as quoted in shared/FACTS.md section 2.
// Delays: UltraScale+ -2 carry chains are about 2x faster per bit than 7-series -2 (DS923 vs
// DS183 switching characteristics); the values are the estimator's calibration constants, fitted so
// that the seed paper's DNN VAE gives its Table 3 latency on the VU9P (timing_estimate.cpp).
std::vector<Device> builtin_devices() {
  std::vector<Device> d;
  d.push_back({"xcvu9p-flgb2104-2-e", "virtexuplus", {1182240, 2364480, 6840, 2160, 960}, 76, "GTY", 400.0, 900, 2200});
  d.push_back({"xc7vx690t", "virtex7", {433200, 866400, 3600, 1470, 0}, 80, "GTH", 300.0, 1500, 3600});
  return d;
}

registry::Registry<Device>& devices() {
  static registry::Registry<Device> r("device");
  static const bool builtin = [] {
    for (auto& d : builtin_devices()) r.add(d.name, d);
    return true;
  }();
  (void)builtin;
  return r;
}

}  // namespace

const Device* find_device(std::string_view name) { return devices().find(name); }

const Device& get_device(std::string_view name) { return devices().get(name); }

std::vector<std::string> device_names() { return devices().names(); }

bool register_device(Device device) {
  std::string name = device.name;
  return devices().add(std::move(name), std::move(device));
}

}  // namespace l1emu::board

#include "l1emu/board/device.h"

#include <algorithm>
#include <deque>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l1emu/board/error.h"

namespace l1emu::board {
namespace {

// Resource counts from the Xilinx data sheets as quoted in shared/FACTS.md section 2.
// Delays: UltraScale+ -2 carry chains are about 2x faster per bit than 7-series -2 (DS923 vs
// DS183 switching characteristics); the values are the estimator's calibration constants, fitted so
// that the seed paper's DNN VAE gives its Table 3 latency on the VU9P (timing_estimate.cpp).
std::deque<Device> make_builtin() {
  std::deque<Device> d;
  d.push_back({"xcvu9p-flgb2104-2-e", "virtexuplus", {1182240, 2364480, 6840, 2160, 960}, 76, "GTY", 400.0, 900, 2200});
  d.push_back({"xc7vx690t", "virtex7", {433200, 866400, 3600, 1470, 0}, 80, "GTH", 300.0, 1500, 3600});
  return d;
}

struct Registry {
  std::mutex mutex;
  std::deque<Device> devices = make_builtin();  // deque: registering never moves existing entries
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

const Device* find_device(std::string_view name) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& d : r.devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const Device& get_device(std::string_view name) {
  if (const Device* d = find_device(name)) return *d;
  throw ConfigError(fmt::format("unknown device '{}' (known: {})", name, fmt::join(device_names(), ", ")));
}

std::vector<std::string> device_names() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& d : r.devices) names.push_back(d.name);
  std::sort(names.begin(), names.end());
  return names;
}

bool register_device(Device device) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (auto& d : r.devices) {
    if (d.name == device.name) {
      d = std::move(device);
      return true;
    }
  }
  r.devices.push_back(std::move(device));
  return true;
}

}  // namespace l1emu::board

#pragma once
// FPGA devices a board can be built on (shared/FACTS.md section 2), registered by name
// (shared/STYLE.md: components that vary are picked by name from a scenario).
#include <string>
#include <string_view>
#include <vector>

namespace l1emu::board {

struct DeviceResources {
  long luts = 0;
  long flip_flops = 0;
  long dsps = 0;
  long bram36 = 0;
  long uram = 0;
};

struct Device {
  std::string name;
  std::string family;  // "virtexuplus", "virtex7"
  DeviceResources resources;
  int transceivers = 0;          // multi-gigabit transceivers usable in the package
  std::string transceiver_kind;  // "GTY", "GTH"
  /// Highest fabric clock the estimator accepts for a DSP/carry-chain pipeline (MHz). Above it the
  /// estimate would be meaningless; Vivado would not close timing.
  double max_clock_mhz = 0.0;
  /// Delay of one carry-chain adder level plus local routing, in ps, for this speed grade. The
  /// estimator packs adder-tree levels into clock periods with it (timing_estimate.cpp).
  int adder_level_ps = 0;
  /// Delay of a LUT-built multiplier (8-bit weight x 16-bit data class), in ps.
  int lut_multiplier_ps = 0;
};

/// The device registered under `name`, or nullptr.
[[nodiscard]] const Device* find_device(std::string_view name);
/// The device registered under `name`; throws registry::UnknownNameError naming the known devices.
[[nodiscard]] const Device& get_device(std::string_view name);
/// Registered names, sorted.
[[nodiscard]] std::vector<std::string> device_names();
/// Registers a device (tests, user boards); returns true so it can initialise a static in one line.
/// A second registration of a name replaces the first.
bool register_device(Device device);

}  // namespace l1emu::board

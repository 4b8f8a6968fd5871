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

/// Delays (ps) that Vivado HLS's scheduler assigns to the operations of an hls4ml layer, read from the
/// `.autopilot/db/*.verbose.sched.rpt` schedules of synthesized designs (device.cpp names them).
struct OperationDelays {
  int add_ps = 0;              // one adder (or subtractor) of the accumulator width
  int wide_multiply_ps = 0;    // a product with an operand of 11 bits or more (16 x 16, 16 x 6)
  int narrow_multiply_ps = 0;  // a product of two operands of at most 10 bits (6 x 6)
  int compare_select_ps = 0;   // a comparison and a multiplexer (ReLU, one level of a max tree)
  int rom_read_ps = 0;         // a table (ROM) read; its output is registered (one state boundary)
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
  /// Delays of the operations Vivado HLS chains into a clock period, for this family and speed
  /// grade (timing_estimate.cpp packs them into states; the values and their evidence are in device.cpp).
  OperationDelays delays;
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

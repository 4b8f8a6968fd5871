#pragma once
// FPGA devices a board can be built on (shared/FACTS.md section 2).
#include <string_view>

namespace l1emu::board {

struct Device {
  std::string_view name;
  long luts;
  long flip_flops;
  long dsps;
  long bram36;
  long uram;
};

/// The device registered under `name`, or nullptr.
const Device* find_device(std::string_view name);

}  // namespace l1emu::board

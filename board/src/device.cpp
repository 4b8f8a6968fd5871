#include "l1emu/board/device.h"

#include <array>

namespace l1emu::board {
namespace {

// Resource counts from the Xilinx data sheets as quoted in shared/FACTS.md section 2.
constexpr std::array<Device, 2> kDevices{{
    {"xcvu9p-flgb2104-2-e", 1182240, 2364480, 6840, 2160, 960},
    {"xc7vx690t", 433200, 866400, 3600, 1470, 0},
}};

}  // namespace

const Device* find_device(std::string_view name) {
  for (const auto& d : kDevices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace l1emu::board

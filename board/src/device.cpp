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

// Resource counts from the Xilinx data sheets as quoted in shared/FACTS.md section 2 (the Zynq-7020:
// DS190, Zynq-7000 overview, table 1).
//
// Operation delays: what Vivado HLS 2019.2's scheduler assigned to each operation in the schedules
// of public hls4ml designs whose RTL l1emu co-simulates (`verify rtl`), read from their
// `.autopilot/db/*.verbose.sched.rpt` (Hector-Plata/hls4ml-tutorial at 4ac4f07):
// - UltraScale+ (model_1 and model_3 on the xcu250-figd2104-2L-e, the VU9P's family and speed class):
//   `add`/`sub` 0.54-0.62 ns, `mul` 1.94 ns when an operand is 16 bits (16 x 16 and 16 x 6), 1.23 ns
//   for 6 x 6, `icmp` 0.67 + `select` 0.29 ns (ReLU: 0.96), ROM `load` 1.15 ns (softmax tables).
// - 7-series (model_3 `hls4ml_prj_pynq` on the xc7z020-clg400-1): `add`/`sub` 1.67-2.07 ns, `mul`
//   3.34-3.78 ns, `icmp` 2.42 + `select` 0.80 ns, `load` 3.25 ns. The Virtex-7 690T (-2) takes the
//   same values: no -2 7-series schedule is public, so its estimate is on the slow side.
std::vector<Device> builtin_devices() {
  const OperationDelays ultrascale_plus{620, 1940, 1230, 960, 1150};
  const OperationDelays seven_series{1820, 3780, 3780, 3220, 3250};
  std::vector<Device> d;
  d.push_back({"xcvu9p-flgb2104-2-e", "virtexuplus", {1182240, 2364480, 6840, 2160, 960}, 76, "GTY", 400.0, ultrascale_plus});
  d.push_back({"xc7vx690t", "virtex7", {433200, 866400, 3600, 1470, 0}, 80, "GTH", 300.0, seven_series});
  d.push_back({"xc7z020clg400-1", "zynq7", {53200, 106400, 220, 140, 0}, 0, "", 250.0, seven_series});
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

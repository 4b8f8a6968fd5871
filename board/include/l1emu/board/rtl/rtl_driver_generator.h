#pragma once
// The C++ driver that Verilator compiles with an HLS top module (verilator --cc --exe): it resets
// the design, offers the events' raw input codes through the ports of an RtlPortMap with their
// handshakes, collects every output code and the cycle of each event's start, acceptance and end.
// The host (rtl_cosim.h) writes the input codes to a file and compares what the driver writes
// back; the driver knows nothing of the model.
//
// Files (native-endian uint64): inputs: events x input_values() codes, each masked to its width;
// outputs: events x output_values() codes; timing: per event {presented, accepted, done, back to
// back} cycles (cycle 0 = the first after reset; back to back = 1 when the event was offered in the
// cycle after the previous one was accepted, so that accepted - previous accepted is the II).
#include <string>

#include "l1emu/board/rtl/rtl_port_map.h"

namespace l1emu::board {

/// The driver's source for `map`. Its command line: inputs outputs timing events mode latency ii
/// (mode 0 stream, 1 single, 2 gaps; latency and ii pace a design without handshakes).
[[nodiscard]] std::string generate_rtl_driver(const RtlPortMap& map);

}  // namespace l1emu::board

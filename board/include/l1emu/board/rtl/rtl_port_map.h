#pragma once
// How the ports of an HLS top module carry a model's inputs and outputs (UG902 / UG1399
// "Interface Synthesis"): which port holds which values, and with which handshake.
//   - ap_ctrl_hs block protocol: ap_start / ap_done / ap_ready (ap_idle optional; ap_ctrl_chain's
//     ap_continue held at 1, so that a done is always taken in its cycle); none
//     (ap_ctrl_none, da4ml's Verilog): the design runs freely.
//   - reset ap_rst (active high, Vivado HLS) or ap_rst_n (active low, Vitis HLS and AXI designs).
//   - data ports named after the top function's parameters: `<arg>_V` (Vivado HLS) or `<arg>`
//     (Vitis HLS) for a packed array (ARRAY_RESHAPE: N values of W bits in N x W bits, value 0 in
//     the low bits), `<arg>_<i>_V` / `<arg>_<i>` for one value of a partitioned array,
//     `<arg>_V_data_<i>_V` / `<arg>_data_<i>` for one value of each beat of a stream of arrays,
//     `<arg>_V_data_V` for a stream of a struct packing the values of a beat,
//     `ap_return` / `ap_return_<i>` for a returned value; each ap_none, ap_vld (`_ap_vld`),
//     AXI-Stream (`_TDATA/_TVALID/_TREADY`) or ap_fifo (`_dout/_empty_n/_read` in,
//     `_din/_full_n/_write` out).
// Nothing is guessed: a port that fits no rule, a width that is not a whole number of values, a
// value carried twice or not at all is an error naming the port and what was expected.
#include <cstddef>
#include <string>
#include <vector>

#include "l1emu/board/rtl/verilog_ports.h"

namespace l1emu::board {

/// One top-function parameter as the model sees it.
struct RtlParameter {
  std::string name;
  std::size_t size = 0;          // values
  unsigned value_width = 0;      // bits of one value (the model's type width)
  std::string type;              // for messages: ap_fixed<16,6>
};

enum class RtlProtocol { wire, wire_valid, axi_stream, fifo };

/// One data port: value (beat b, slot j) is the parameter's value offset + b * stride + j.
struct RtlDataPort {
  std::string port;
  unsigned width = 0;
  RtlProtocol protocol = RtlProtocol::wire;
  std::string valid;  // _ap_vld, _TVALID, _empty_n (inputs) or _write (outputs); empty for a plain wire
  std::string ready;  // _TREADY or _read (inputs), _TREADY or _full_n (outputs)
  std::size_t parameter = 0;  // index into inputs or outputs of the map
  std::size_t value_base = 0; // the parameter's first value in the concatenation of all inputs (or outputs)
  unsigned value_width = 0;
  std::size_t offset = 0, per_beat = 1, stride = 1, beats = 1;
};

struct RtlPortMap {
  std::string top;
  std::string clock;        // ap_clk
  std::string reset;        // ap_rst or ap_rst_n, empty when none
  bool reset_active_low = false;
  bool handshake = false;   // ap_ctrl_hs
  std::vector<std::string> held_high;  // ap_ce; ap_continue (ap_ctrl_chain: the driver always takes the result)
  std::vector<RtlParameter> inputs, outputs;
  std::vector<RtlDataPort> input_ports, output_ports;
  std::vector<std::string> notes;  // ports recognised and left alone (hls4ml's const_size_in/out)

  [[nodiscard]] std::size_t input_values() const;
  [[nodiscard]] std::size_t output_values() const;
  /// True when every data port is a wire (ap_none or ap_vld): no stream to pace the events.
  [[nodiscard]] bool wires_only() const;
};

/// Throws BoardError naming the module's file and the port.
[[nodiscard]] RtlPortMap map_rtl_ports(const VerilogModule& top, const std::vector<RtlParameter>& inputs,
                                       const std::vector<RtlParameter>& outputs);

[[nodiscard]] std::string describe(const RtlDataPort& port);

}  // namespace l1emu::board

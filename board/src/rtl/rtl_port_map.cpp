#include "l1emu/board/rtl/rtl_port_map.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "l1emu/board/error.h"

namespace l1emu::board {
namespace {

class PortMapper {
 public:
  explicit PortMapper(const VerilogModule& top) : top_(top) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw BoardError(fmt::format("{}:{}: module {}: {}", top_.file.string(), top_.line, top_.name, what));
  }
  [[noreturn]] void fail(const VerilogPort& p, const std::string& what) const {
    throw BoardError(fmt::format("{}:{}: module {}, port {}: {}", top_.file.string(), p.line, top_.name, p.name, what));
  }

  const VerilogPort* port(const std::string& name, PortDirection dir) {
    const VerilogPort* p = top_.find(name);
    if (p == nullptr) return nullptr;
    if (p->width == 0) fail(*p, fmt::format("the range {} is not made of numbers: expected [N:0] (HLS writes a top's port widths as numbers)", p->range));
    if (p->direction != dir) {
      fail(*p, fmt::format("expected an {} (the HLS convention for this name)", dir == PortDirection::input ? "input" : "output"));
    }
    return p;
  }
  const VerilogPort& required(const std::string& name, PortDirection dir, const std::string& why) {
    const VerilogPort* p = port(name, dir);
    if (p == nullptr) fail(fmt::format("no port {} ({})", name, why));
    return *p;
  }
  // True when `base` is a data port in use or the base name of one (x_V_data_V of x_V_data_V_dout).
  bool carries(const std::string& base) const {
    return std::any_of(used_.begin(), used_.end(), [&](const std::string& u) { return u == base || u.starts_with(base + "_"); });
  }
  void use(const std::string& name) {
    if (!used_.insert(name).second) fail(fmt::format("port {} would carry two things", name));
  }

  // The data port called `base` with its protocol's handshake ports, when it exists.
  std::optional<RtlDataPort> part(const std::string& base, bool input) {
    const PortDirection in = PortDirection::input, out = PortDirection::output;
    const PortDirection data_dir = input ? in : out;
    RtlDataPort d;
    const VerilogPort* data = nullptr;
    if ((data = port(base + "_TDATA", data_dir)) != nullptr) {
      d.protocol = RtlProtocol::axi_stream;
      d.valid = required(base + "_TVALID", data_dir, "AXI-Stream TVALID beside " + data->name).name;
      d.ready = required(base + "_TREADY", input ? out : in, "AXI-Stream TREADY beside " + data->name).name;
    } else if ((data = port(base + (input ? "_dout" : "_din"), data_dir)) != nullptr) {
      d.protocol = RtlProtocol::fifo;
      d.valid = required(base + (input ? "_empty_n" : "_write"), data_dir, "ap_fifo handshake beside " + data->name).name;
      d.ready = required(base + (input ? "_read" : "_full_n"), input ? out : in, "ap_fifo handshake beside " + data->name).name;
    } else if ((data = port(base, data_dir)) != nullptr) {
      const VerilogPort* vld = port(base + "_ap_vld", data_dir);
      d.protocol = vld != nullptr ? RtlProtocol::wire_valid : RtlProtocol::wire;
      if (vld != nullptr) d.valid = vld->name;
    } else {
      return std::nullopt;
    }
    d.port = data->name;
    d.width = data->width;
    for (const auto* name : {&d.port, &d.valid, &d.ready}) {
      if (!name->empty()) use(*name);
    }
    return d;
  }

  // The ports of one parameter, with the values each carries.
  std::vector<RtlDataPort> parameter_ports(const RtlParameter& p, std::size_t index, std::size_t base, bool input) {
    std::vector<RtlDataPort> packed;
    // <arg>_V_data_V: Vivado HLS's name for a stream of a struct whose one member packs the values.
    for (const std::string& name : {p.name + "_V", p.name, p.name + "_V_data_V"}) {
      if (auto d = part(name, input)) packed.push_back(*d);
    }
    std::vector<RtlDataPort> elements;
    for (std::size_t i = 0; i < p.size; ++i) {
      std::vector<RtlDataPort> found;
      for (const std::string& name : {fmt::format("{}_{}_V", p.name, i), fmt::format("{}_{}", p.name, i),
                                      fmt::format("{}_V_data_{}_V", p.name, i), fmt::format("{}_data_{}", p.name, i)}) {
        if (auto d = part(name, input)) found.push_back(*d);
      }
      if (found.size() > 1) fail(fmt::format("ports {} and {} both look like value {} of {}", found[0].port, found[1].port, i, p.name));
      if (found.empty()) break;
      found[0].offset = i;
      elements.push_back(found[0]);
    }
    if (packed.size() + (elements.empty() ? 0 : 1) > 1) {
      fail(fmt::format("{} {} is carried by more than one port spelling ({}{}); remove the stale files or choose the RTL folder",
                       input ? "input" : "output", p.name, packed.front().port, packed.size() > 1 ? ", " + packed[1].port : ", " + elements.front().port));
    }
    std::vector<RtlDataPort> ports = packed.empty() ? elements : packed;
    for (auto& d : ports) {
      const VerilogPort& vp = *top_.find(d.port);
      d.parameter = index;
      d.value_base = base;
      d.value_width = p.value_width;
      if (d.width % p.value_width != 0) {
        fail(vp, fmt::format("{} bits is not a whole number of {}-bit values of {} {} ({}): expected N x {} bits", d.width, p.value_width,
                             input ? "input" : "output", p.name, p.type, p.value_width));
      }
      d.per_beat = d.width / p.value_width;
      const bool stream = d.protocol == RtlProtocol::axi_stream || d.protocol == RtlProtocol::fifo;
      if (!packed.empty()) {
        d.stride = d.per_beat;
        d.beats = stream ? p.size / d.per_beat : 1;
        if (stream ? p.size % d.per_beat != 0 : d.per_beat != p.size) {
          fail(vp, fmt::format("carries {} values of {} bits; {} {} has {} values ({})", d.per_beat, p.value_width, input ? "input" : "output",
                               p.name, p.size, stream ? "expected a divisor of it per beat" : "expected all of them"));
        }
      } else {
        if (d.per_beat != 1) fail(vp, fmt::format("expected one {}-bit value of {} per port, found {} bits", p.value_width, p.name, d.width));
        d.stride = ports.size();
        d.beats = stream ? p.size / ports.size() : 1;
        if (stream ? p.size % ports.size() != 0 : ports.size() != p.size) {
          fail(fmt::format("{} {} has {} values, found {} ports for it ({} .. {})", input ? "input" : "output", p.name, p.size, ports.size(),
                           ports.front().port, ports.back().port));
        }
      }
    }
    return ports;
  }

  // ap_return / ap_return_<i>: the function's return value, which hls4ml tops use for one output.
  std::vector<RtlDataPort> return_ports(const RtlParameter& p, std::size_t index, std::size_t base) {
    std::vector<RtlDataPort> ports;
    if (const VerilogPort* r = port("ap_return", PortDirection::output)) {
      use(r->name);
      RtlDataPort d{r->name, r->width, RtlProtocol::wire, "", "", index, base, p.value_width, 0, r->width / p.value_width, 0, 1};
      d.stride = d.per_beat;
      if (r->width != p.size * p.value_width) {
        fail(*r, fmt::format("{} bits; output {} ({} values of {}) needs {} bits", r->width, p.name, p.size, p.type, p.size * p.value_width));
      }
      ports.push_back(d);
      return ports;
    }
    for (std::size_t i = 0; const VerilogPort* r = port(fmt::format("ap_return_{}", i), PortDirection::output); ++i) {
      use(r->name);
      if (r->width != p.value_width) fail(*r, fmt::format("{} bits; expected one {}-bit value of output {} ({})", r->width, p.value_width, p.name, p.type));
      ports.push_back({r->name, r->width, RtlProtocol::wire, "", "", index, base, p.value_width, i, 1, 0, 1});
    }
    for (auto& d : ports) d.stride = ports.size();
    if (!ports.empty() && ports.size() != p.size) fail(fmt::format("output {} has {} values, found ap_return_0 .. ap_return_{}", p.name, p.size, ports.size() - 1));
    return ports;
  }

  RtlPortMap map(const std::vector<RtlParameter>& inputs, const std::vector<RtlParameter>& outputs) {
    RtlPortMap m;
    m.top = top_.name;
    m.inputs = inputs;
    m.outputs = outputs;
    m.clock = required("ap_clk", PortDirection::input, "the HLS clock").name;
    use(m.clock);
    const VerilogPort* rst = port("ap_rst", PortDirection::input);
    const VerilogPort* rst_n = port("ap_rst_n", PortDirection::input);
    if (rst != nullptr && rst_n != nullptr) fail("both ap_rst and ap_rst_n: expected one reset");
    if (rst != nullptr || rst_n != nullptr) {
      m.reset = (rst != nullptr ? rst : rst_n)->name;
      m.reset_active_low = rst_n != nullptr;
      use(m.reset);
    }
    if (const VerilogPort* start = port("ap_start", PortDirection::input)) {
      m.handshake = true;
      use(start->name);
      use(required("ap_done", PortDirection::output, "ap_ctrl_hs beside ap_start").name);
      use(required("ap_ready", PortDirection::output, "ap_ctrl_hs beside ap_start").name);
      if (const VerilogPort* idle = port("ap_idle", PortDirection::output)) use(idle->name);
    }
    // start_full_n: a dataflow top's start FIFO towards a consumer that is not there: never full.
    for (const char* name : {"ap_ce", "ap_continue", "start_full_n"}) {
      if (const VerilogPort* p = port(name, PortDirection::input)) {
        m.held_high.push_back(p->name);
        use(p->name);
      }
    }
    std::size_t base = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      auto ports = parameter_ports(inputs[i], i, base, true);
      if (ports.empty()) fail(fmt::format("no port for input {} (expected {}_V, {}, {}_0_V, ... or {}_TDATA)", inputs[i].name, inputs[i].name,
                                          inputs[i].name, inputs[i].name, inputs[i].name));
      m.input_ports.insert(m.input_ports.end(), ports.begin(), ports.end());
      base += inputs[i].size;
    }
    base = 0;
    std::optional<std::size_t> returned;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      auto ports = parameter_ports(outputs[i], i, base, false);
      if (ports.empty()) {
        ports = return_ports(outputs[i], i, base);
        if (ports.empty()) fail(fmt::format("no port for output {} (expected {}_0_V, {}_V, {}, {}_TDATA or ap_return)", outputs[i].name, outputs[i].name,
                                            outputs[i].name, outputs[i].name, outputs[i].name));
        if (returned) fail(fmt::format("outputs {} and {} would both be ap_return", outputs[*returned].name, outputs[i].name));
        returned = i;
      }
      m.output_ports.insert(m.output_ports.end(), ports.begin(), ports.end());
      base += outputs[i].size;
    }
    // Outputs that carry no model value, recognised and left alone: hls4ml's `unsigned short
    // &const_size_in_1, &const_size_out_1` (the array sizes, constants, hls4ml before 0.2), the
    // start FIFO of a dataflow top (start_out/start_write) and the blocking status of an ap_vld or
    // ap_hs input (<port>_blk_n).
    static const std::regex const_size("const_size_(in|out)_[0-9]+(_ap_vld)?");
    for (const auto& p : top_.ports) {
      if (used_.contains(p.name)) continue;
      if (p.direction == PortDirection::output) {
        const char* what = std::regex_match(p.name, const_size)                      ? "hls4ml's array size constant"
                           : p.name == "start_out" || p.name == "start_write"         ? "the dataflow start FIFO"
                           : p.name.ends_with("_blk_n") && carries(p.name.substr(0, p.name.size() - 6)) ? "an input's blocking status"
                                                                                       : nullptr;
        if (what != nullptr) {
          m.notes.push_back(fmt::format("port {} ({}) is not compared", p.name, what));
          continue;
        }
      }
      std::string params;
      for (const auto& q : inputs) params += (params.empty() ? "" : ", ") + q.name;
      for (const auto& q : outputs) params += (params.empty() ? "" : ", ") + q.name;
      fail(p, fmt::format("neither an HLS control port (ap_clk, ap_rst[_n], ap_start, ap_done, ap_ready, ap_idle, ap_continue, ap_ce) nor a port of a "
                          "parameter of the top function ({}): is --model the project this RTL was synthesized from?",
                          params));
    }
    return m;
  }

 private:
  const VerilogModule& top_;
  std::set<std::string> used_;
};

}  // namespace

std::size_t RtlPortMap::input_values() const {
  std::size_t n = 0;
  for (const auto& p : inputs) n += p.size;
  return n;
}

std::size_t RtlPortMap::output_values() const {
  std::size_t n = 0;
  for (const auto& p : outputs) n += p.size;
  return n;
}

bool RtlPortMap::wires_only() const {
  for (const auto* list : {&input_ports, &output_ports}) {
    for (const auto& d : *list) {
      if (d.protocol == RtlProtocol::axi_stream || d.protocol == RtlProtocol::fifo) return false;
    }
  }
  return true;
}

std::string describe(const RtlDataPort& d) {
  const char* kind = d.protocol == RtlProtocol::axi_stream ? "AXI-Stream"
                     : d.protocol == RtlProtocol::fifo     ? "ap_fifo"
                     : d.protocol == RtlProtocol::wire_valid ? "ap_vld"
                                                             : "ap_none";
  return fmt::format("{} [{}] {}: {} value(s) x {} bits{}", d.port, d.width, kind, d.per_beat, d.value_width,
                     d.beats > 1 ? fmt::format(", {} beats per event", d.beats) : "");
}

RtlPortMap map_rtl_ports(const VerilogModule& top, const std::vector<RtlParameter>& inputs, const std::vector<RtlParameter>& outputs) {
  return PortMapper(top).map(inputs, outputs);
}

}  // namespace l1emu::board

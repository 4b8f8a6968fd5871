#include "l1emu/board/rtl/rtl_driver_generator.h"

#include <fmt/format.h>

namespace l1emu::board {
namespace {

// The part of the driver that is the same for every design: bit access to Verilator's port types
// (CData/SData/IData/QData hold up to 64 bits, VlWide<N> N 32-bit words), the event pacing and the
// cycle loop. The generated functions before it name the ports.
constexpr const char* kBitAccess = R"DRIVER(
template <class T>
void put(T& port, unsigned lsb, unsigned w, u64 v) {
  const u64 mask = w >= 64 ? ~u64{0} : ((u64{1} << w) - 1);
  port = static_cast<T>((static_cast<u64>(port) & ~(mask << lsb)) | ((v & mask) << lsb));
}
template <std::size_t N>
void put(VlWide<N>& port, unsigned lsb, unsigned w, u64 v) {
  for (unsigned b = 0; b < w;) {
    const unsigned word = (lsb + b) / 32, bit = (lsb + b) % 32, n = std::min(32 - bit, w - b);
    const std::uint32_t m = n == 32 ? ~0u : ((1u << n) - 1);
    port[word] = (port[word] & ~(m << bit)) | (static_cast<std::uint32_t>((v >> b) & m) << bit);
    b += n;
  }
}
template <class T>
u64 get(const T& port, unsigned lsb, unsigned w) {
  const u64 mask = w >= 64 ? ~u64{0} : ((u64{1} << w) - 1);
  return (static_cast<u64>(port) >> lsb) & mask;
}
template <std::size_t N>
u64 get(const VlWide<N>& port, unsigned lsb, unsigned w) {
  u64 v = 0;
  for (unsigned b = 0; b < w;) {
    const unsigned word = (lsb + b) / 32, bit = (lsb + b) % 32, n = std::min(32 - bit, w - b);
    const std::uint32_t m = n == 32 ? ~0u : ((1u << n) - 1);
    v |= static_cast<u64>((port[word] >> bit) & m) << b;
    b += n;
  }
  return v;
}

std::uint64_t lcg_state = 0x2545F4914F6CDD1Dull;
int draw_gap() {  // 0..3 idle cycles, deterministic
  lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
  return static_cast<int>((lcg_state >> 33) % 4);
}

)DRIVER";

// The cycle loop: event pacing, handshakes, timing.
constexpr const char* kRuntime = R"DRIVER(
}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s inputs outputs timing events mode latency ii\n", argv[0]);
    return 2;
  }
  const long long n = std::atoll(argv[4]);
  const int mode = std::atoi(argv[5]);  // 0 stream, 1 single, 2 gaps
  const long long latency = std::atoll(argv[6]), ii = std::atoll(argv[7]);
  std::vector<u64> in(static_cast<std::size_t>(n) * kInputs), out(static_cast<std::size_t>(n) * kOutputs, 0);
  std::vector<long long> timing(static_cast<std::size_t>(n) * 4, -1);
  {
    std::FILE* f = std::fopen(argv[1], "rb");
    if (f == nullptr || std::fread(in.data(), sizeof(u64), in.size(), f) != in.size()) {
      std::fprintf(stderr, "%s: cannot read %lld events of input codes\n", argv[1], n);
      return 2;
    }
    std::fclose(f);
  }
  auto context = std::make_unique<VerilatedContext>();
  context->fatalOnError(false);
  auto top = std::make_unique<Top>(context.get());
  auto cycle_edge = [&] {
    top->eval();
  };
  auto tick = [&] {
    set_clock(top.get(), 1);
    top->eval();
    set_clock(top.get(), 0);
  };
  // Reset: held for 8 cycles with no event offered, as the HLS co-simulation test bench does.
  set_clock(top.get(), 0);
  set_start(top.get(), false);
  set_outputs_ready(top.get());
  for (int c = 0; c < 8; ++c) {
    set_reset(top.get(), true);
    cycle_edge();
    tick();
  }
  set_reset(top.get(), false);
  if (context->gotError()) return 3;

  const u64* event_in = in.data();
  auto event_codes = [&](long long k) { return event_in + static_cast<std::size_t>(k) * kInputs; };
  auto out_codes = [&](long long k) { return out.data() + static_cast<std::size_t>(k) * kOutputs; };
  auto t = [&](long long k, int field) -> long long& { return timing[static_cast<std::size_t>(k) * 4 + static_cast<std::size_t>(field)]; };
  long long cycle = 0, released = 0, accepted = 0, done = 0, last_progress = 0;
  int wait = -1, drawn = 0;
  long long in_event[kInStreams + 1] = {}, in_beat[kInStreams + 1] = {};
  long long out_event[kOutPorts + 1] = {}, out_beat[kOutPorts + 1] = {};
  const long long stall_limit = 100000 + 4 * latency;
  // Progress on long runs: a line every 100,000 events from 400,000 on.
  const long long report_every = n >= 400000 ? 100000 : n + 1;
  long long next_report = report_every;

  if (!kHandshake && kStreams == 0) {
    // A design without handshakes: an event every ii cycles (stream), every latency + ii (single),
    // or ii plus 0..3 idle cycles (gaps); its outputs are read `latency` cycles after it is offered.
    std::vector<long long> at(static_cast<std::size_t>(n));
    long long next = 0;
    for (long long k = 0; k < n; ++k) {
      at[static_cast<std::size_t>(k)] = next;
      t(k, 0) = t(k, 1) = next;
      t(k, 2) = next + latency;
      t(k, 3) = mode != 1 && k > 0 && next - at[static_cast<std::size_t>(k - 1)] == ii ? 1 : 0;
      next += mode == 1 ? latency + ii : ii + (mode == 2 ? draw_gap() : 0);
    }
    long long offered = -1, read = 0;
    for (cycle = 0; read < n; ++cycle) {
      while (offered + 1 < n && at[static_cast<std::size_t>(offered + 1)] <= cycle) ++offered;
      if (offered >= 0) set_wire_inputs(top.get(), event_codes(offered), true);
      cycle_edge();
      while (read < n && at[static_cast<std::size_t>(read)] + latency == cycle) {
        for (int p = 0; p < kOutPorts; ++p) read_output(top.get(), p, out_codes(read), 0);
        ++read;
        if (read >= next_report) {
          std::fprintf(stderr, "verify rtl: %lld of %lld events\n", read, n);
          next_report += report_every;
        }
      }
      tick();
    }
  } else {
    while (done < n) {
      // Release the next event: stream at once, gaps after 0..3 idle cycles, single once the
      // previous one is done.
      const long long taken = kHandshake ? accepted : in_event[0];
      if (released < n && (mode == 1 ? done == released : taken == released)) {
        if (wait < 0) wait = drawn = mode == 2 ? draw_gap() : 0;
        if (wait == 0) {
          t(released, 0) = cycle;
          t(released, 3) = mode != 1 && drawn == 0 && released > 0 ? 1 : 0;
          ++released;
          wait = -1;
        } else {
          --wait;
        }
      }
      const bool start = kHandshake && accepted < released;
      set_start(top.get(), start);
      if (start) set_wire_inputs(top.get(), event_codes(accepted), true);
      else set_wire_inputs(top.get(), nullptr, false);
      bool offer[kInStreams + 1] = {};
      for (int s = 0; s < kInStreams; ++s) {
        offer[s] = in_event[s] < released;
        set_input_beat(top.get(), s, offer[s] ? event_codes(in_event[s]) : nullptr, static_cast<int>(in_beat[s]), offer[s]);
      }
      cycle_edge();
      // Sample what the design shows in this cycle; it takes effect at the coming edge.
      bool progress = false;
      if (start && ap_ready(top.get())) {
        t(accepted, 1) = cycle;
        ++accepted;
        progress = true;
      }
      for (int s = 0; s < kInStreams; ++s) {
        if (!offer[s] || !input_taken(top.get(), s)) continue;
        if (!kHandshake && s == 0 && in_beat[s] == 0) t(in_event[s], 1) = cycle;
        if (++in_beat[s] == kInBeats[s]) {
          in_beat[s] = 0;
          ++in_event[s];
        }
        progress = true;
      }
      for (int p = 0; p < kOutPorts; ++p) {
        if (!output_valid(top.get(), p) || out_event[p] >= n) continue;
        read_output(top.get(), p, out_codes(out_event[p]), static_cast<int>(out_beat[p]));
        if (++out_beat[p] == kOutBeats[p]) {
          out_beat[p] = 0;
          ++out_event[p];
        }
        progress = true;
      }
      if (kHandshake) {
        if (ap_done(top.get()) && done < n) {
          if (done >= accepted) {
            // ap_ctrl_hs: an event is done only after ap_start was taken with ap_ready.
            std::fprintf(stderr, "the RTL raised ap_done in cycle %lld for event %lld, which it had not accepted (ap_start with ap_ready): "
                         "not the ap_ctrl_hs protocol this driver follows\n", cycle, done + 1);
            return 4;
          }
          for (int p = 0; p < kOutPorts; ++p) {
            if (!kOutValid[p]) read_output(top.get(), p, out_codes(done), 0), out_event[p] = done + 1;
          }
          t(done, 2) = cycle;
          ++done;
          progress = true;
        }
      } else {
        long long all = n;
        for (int p = 0; p < kOutPorts; ++p) all = std::min(all, out_event[p]);
        for (; done < all; ++done) t(done, 2) = cycle;
      }
      if (done >= next_report) {
        std::fprintf(stderr, "verify rtl: %lld of %lld events\n", done, n);
        next_report += report_every;
      }
      tick();
      if (context->gotError()) return 3;
      if (progress) last_progress = cycle;
      if (cycle - last_progress > stall_limit) {
        std::fprintf(stderr, "the RTL stopped: nothing accepted or produced for %lld cycles (cycle %lld; %lld events released, %lld accepted, %lld done)\n",
                     stall_limit, cycle, released, accepted, done);
        return 4;
      }
      ++cycle;
    }
    // Outputs with their own valid may trail ap_done by a few cycles.
    for (int extra = 0; extra < 64; ++extra) {
      bool pending = false;
      for (int p = 0; p < kOutPorts; ++p) pending = pending || out_event[p] < n;
      if (!pending) break;
      set_start(top.get(), false);
      cycle_edge();
      for (int p = 0; p < kOutPorts; ++p) {
        if (!output_valid(top.get(), p) || out_event[p] >= n) continue;
        read_output(top.get(), p, out_codes(out_event[p]), static_cast<int>(out_beat[p]));
        if (++out_beat[p] == kOutBeats[p]) out_beat[p] = 0, ++out_event[p];
      }
      tick();
    }
    for (int p = 0; p < kOutPorts; ++p) {
      if (out_event[p] < n) {
        std::fprintf(stderr, "the RTL gave %lld events on output port %d of %lld\n", out_event[p], p, n);
        return 4;
      }
    }
  }
  top->final();
  for (const auto& [path, data, bytes] : {std::tuple{argv[2], static_cast<const void*>(out.data()), out.size() * sizeof(u64)},
                                          std::tuple{argv[3], static_cast<const void*>(timing.data()), timing.size() * sizeof(long long)}}) {
    std::FILE* f = std::fopen(path, "wb");
    if (f == nullptr || std::fwrite(data, 1, bytes, f) != bytes || std::fclose(f) != 0) {
      std::fprintf(stderr, "%s: cannot write\n", path);
      return 2;
    }
  }
  std::printf("cycles %lld\n", cycle);
  return 0;
}
)DRIVER";

std::string member(const std::string& port) { return "t->" + port; }

bool is_stream(const RtlDataPort& d) { return d.protocol == RtlProtocol::axi_stream || d.protocol == RtlProtocol::fifo; }

// Statements putting (or getting) the values of beat `beat` of port d: value (b, j) sits at bits
// [j*W, (j+1)*W) of the port (ARRAY_RESHAPE and stream packing put value 0 in the low bits).
std::string transfer(const RtlDataPort& d, bool put) {
  std::string s;
  for (std::size_t j = 0; j < d.per_beat; ++j) {
    const std::string index = fmt::format("{} + static_cast<std::size_t>(beat) * {} + {}", d.value_base + d.offset, d.stride, j);
    if (put) {
      s += fmt::format("    put({}, {}, {}, ev[{}]);\n", member(d.port), j * d.value_width, d.value_width, index);
    } else {
      s += fmt::format("    ev[{}] = get({}, {}, {});\n", index, member(d.port), j * d.value_width, d.value_width);
    }
  }
  return s;
}

}  // namespace

std::string generate_rtl_driver(const RtlPortMap& m) {
  std::string g;
  g += fmt::format("// Generated by l1emu verify rtl for module {} (board/src/rtl/rtl_driver_generator.cpp). Do not edit.\n", m.top);
  g += "#include <algorithm>\n#include <cstdint>\n#include <cstdio>\n#include <cstdlib>\n#include <memory>\n#include <tuple>\n#include <vector>\n\n";
  g += fmt::format("#include \"V{}.h\"\n#include \"verilated.h\"\n\nnamespace {{\nusing u64 = std::uint64_t;\nusing Top = V{};\n", m.top, m.top);
  std::vector<const RtlDataPort*> wires_in, streams_in;
  for (const auto& d : m.input_ports) (is_stream(d) ? streams_in : wires_in).push_back(&d);
  g += fmt::format("constexpr std::size_t kInputs = {}, kOutputs = {};\n", m.input_values(), m.output_values());
  g += fmt::format("constexpr bool kHandshake = {};\n", m.handshake ? "true" : "false");
  std::size_t streams = streams_in.size();
  for (const auto& d : m.output_ports) streams += is_stream(d) ? 1 : 0;
  g += fmt::format("constexpr int kStreams = {}, kInStreams = {}, kOutPorts = {};\n", streams, streams_in.size(), m.output_ports.size());
  std::string beats_in, beats_out, valid_out;
  for (const auto* d : streams_in) beats_in += fmt::format("{}, ", d->beats);
  for (const auto& d : m.output_ports) {
    beats_out += fmt::format("{}, ", d.beats);
    valid_out += d.valid.empty() ? "false, " : "true, ";
  }
  g += fmt::format("constexpr long long kInBeats[] = {{{}0}};\nconstexpr long long kOutBeats[] = {{{}0}};\nconstexpr bool kOutValid[] = {{{}false}};\n\n",
                   beats_in, beats_out, valid_out);
  g += kBitAccess;
  g += fmt::format("void set_clock(Top* t, int v) {{ {} = v; }}\n", member(m.clock));
  g += "void set_reset(Top* t, bool on) { ";
  if (!m.reset.empty()) g += fmt::format("{} = {}; ", member(m.reset), m.reset_active_low ? "!on" : "on");
  g += m.reset.empty() ? "(void)t; (void)on; " : "";
  for (const auto& high : m.held_high) g += fmt::format("{} = 1; ", member(high));
  g += "}\n";
  g += m.handshake ? "void set_start(Top* t, bool on) { t->ap_start = on; }\nbool ap_ready(Top* t) { return t->ap_ready; }\nbool ap_done(Top* t) { return t->ap_done; }\n"
                   : "void set_start(Top*, bool) {}\nbool ap_ready(Top*) { return false; }\nbool ap_done(Top*) { return false; }\n";
  g += "void set_outputs_ready(Top* t) {\n  (void)t;\n";
  for (const auto& d : m.output_ports) {
    if (is_stream(d)) g += fmt::format("  {} = 1;\n", member(d.ready));
  }
  g += "}\n";
  g += "void set_wire_inputs(Top* t, const u64* ev, bool valid) {\n  (void)t; (void)ev; (void)valid;\n";
  for (const auto* d : wires_in) {
    if (!d->valid.empty()) g += fmt::format("  {} = valid;\n", member(d->valid));
    g += "  if (ev != nullptr) {\n    const int beat = 0; (void)beat;\n" + transfer(*d, true) + "  }\n";
  }
  g += "}\n";
  g += "void set_input_beat(Top* t, int s, const u64* ev, int beat, bool valid) {\n  (void)t; (void)ev; (void)beat; (void)valid;\n  switch (s) {\n";
  for (std::size_t s = 0; s < streams_in.size(); ++s) {
    const auto& d = *streams_in[s];
    g += fmt::format("  case {}:\n    {} = valid;\n    if (!valid) break;\n", s, member(d.valid)) + transfer(d, true) + "    break;\n";
  }
  g += "  default: break;\n  }\n}\n";
  g += "bool input_taken(Top* t, int s) {\n  (void)t;\n  switch (s) {\n";
  for (std::size_t s = 0; s < streams_in.size(); ++s) g += fmt::format("  case {}: return {};\n", s, member(streams_in[s]->ready));
  g += "  default: return false;\n  }\n}\n";
  g += "bool output_valid(Top* t, int p) {\n  (void)t;\n  switch (p) {\n";
  for (std::size_t p = 0; p < m.output_ports.size(); ++p) {
    const auto& d = m.output_ports[p];
    if (!d.valid.empty()) g += fmt::format("  case {}: return {};\n", p, member(d.valid));
  }
  g += "  default: return false;\n  }\n}\n";
  g += "void read_output(Top* t, int p, u64* ev, int beat) {\n  (void)t; (void)ev; (void)beat;\n  switch (p) {\n";
  for (std::size_t p = 0; p < m.output_ports.size(); ++p) g += fmt::format("  case {}:\n", p) + transfer(m.output_ports[p], false) + "    break;\n";
  g += "  default: break;\n  }\n}\n";
  return g + kRuntime;
}

}  // namespace l1emu::board

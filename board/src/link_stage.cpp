#include "l1emu/board/link_stage.h"

#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l1emu/board/error.h"
#include "l1emu/registry/registry.h"
#include "l1emu/stream/fault_injector.h"
#include "l1emu/stream/lhc_constants.h"
#include "l1emu/stream/link_protocol.h"

namespace l1emu::board {
namespace {

registry::Registry<LinkStageFactory>& stages() {
  static registry::Registry<LinkStageFactory> r("link protocol");
  return r;
}

// uGT MP7 links carry 6 frames per BX on each of 16 links (FACTS section 5); "direct" counts the
// frames an error-free link would have carried so rates of frames match the real protocol.
constexpr std::uint64_t kUgtFramesPerEvent = 6 * 16;

class DirectLink final : public LinkStage {
 public:
  [[nodiscard]] std::string_view name() const override { return "direct"; }
  [[nodiscard]] bool history_free() const override { return true; }
  bool transport(const stream::Event& in, stream::Event& out) override {
    out = in;
    ++counters_.events;
    counters_.frames += kUgtFramesPerEvent;
    return true;
  }
  void transport_batch(std::span<const stream::Event> in, std::vector<stream::Event>& out, std::vector<std::uint8_t>& delivered) override {
    out.assign(in.begin(), in.end());
    delivered.assign(in.size(), 1);
    counters_.events += in.size();
    counters_.frames += kUgtFramesPerEvent * in.size();
  }
  // The replay's batches (8192 events of about 0.5 kB) change hands instead of being copied: the
  // copy was about 4 % of a dataset replay's CPU time (perf, 1 M events, direct links).
  void transport_batch_from(std::vector<stream::Event>& in, std::vector<stream::Event>& out, std::vector<std::uint8_t>& delivered) override {
    out.swap(in);
    delivered.assign(out.size(), 1);
    counters_.events += out.size();
    counters_.frames += kUgtFramesPerEvent * out.size();
  }
  [[nodiscard]] const LinkCounters& counters() const override { return counters_; }

 private:
  LinkCounters counters_;
};

const bool kDirect = register_link_stage("direct", [](const LinkStageConfig&) { return std::make_unique<DirectLink>(); });

// A stream LinkProtocol as the link step: encode the batch, inject faults, decode, and match the
// decoded events back to their inputs by global BX (both protocols restore orbit and BX from the
// frames; event ids are not carried, so they are taken from the input).
class ProtocolLink final : public LinkStage {
 public:
  explicit ProtocolLink(const LinkStageConfig& c)
      : protocol_(stream::make_link_protocol({c.protocol, c.tmux, c.frames_per_bx, c.interpacket_gap, c.offset, c.crc})) {
    const stream::FaultConfig faults{c.fault_seed, c.misaligned_packet_rate, c.missing_end_of_packet_rate, c.dropped_frame_rate,
                                     c.repeated_frame_rate, c.bit_flip_rate};
    if (faults.bit_flip_rate > 0 || faults.dropped_frame_rate > 0 || faults.repeated_frame_rate > 0 ||
        faults.missing_end_of_packet_rate > 0 || faults.misaligned_packet_rate > 0) {
      injector_ = std::make_unique<stream::FaultInjector>(faults);
    }
  }
  [[nodiscard]] std::string_view name() const override { return protocol_->name(); }
  // The protocols keep nothing between batches (their members are the configuration); the fault
  // injector's random stream does.
  [[nodiscard]] bool history_free() const override { return injector_ == nullptr; }
  bool transport(const stream::Event& in, stream::Event& out) override {
    std::vector<stream::Event> carried;
    std::vector<std::uint8_t> delivered;
    transport_batch(std::span<const stream::Event>(&in, 1), carried, delivered);
    out = carried.front();
    return delivered.front() != 0;
  }
  void transport_batch(std::span<const stream::Event> in, std::vector<stream::Event>& out, std::vector<std::uint8_t>& delivered) override {
    out.resize(in.size());
    delivered.assign(in.size(), 0);
    if (in.empty()) return;
    protocol_->encode_into(in, frames_);
    if (injector_) injected_ += injector_->inject(frames_).faults.size();
    counters_.frames += frames_.frame_count() * frames_.links.size();
    stream::DecodeOptions options;
    options.first_orbit = in.front().orbit;
    protocol_->decode_into(frames_, options, decoded_);
    const stream::DecodeResult& result = decoded_;
    counters_.errors += result.errors.total();
    counters_.events += in.size();
    const auto global = [](const stream::Event& e) { return e.orbit * stream::kBxPerOrbit + e.bx; };
    // Inputs (checked by encode) and decoded events come in increasing BX: a merge walk finds the
    // input lower_bound would. A BX that goes back (a damaged emp64 header without CRC) restarts
    // the search, so every protocol matches as a binary search per event would.
    std::size_t i = 0;
    std::uint64_t last = 0;
    for (const stream::Event& d : result.events) {
      const std::uint64_t g = global(d);
      if (g < last) {
        i = static_cast<std::size_t>(std::lower_bound(in.begin(), in.end(), g, [&](const stream::Event& e, std::uint64_t x) { return global(e) < x; }) -
                                     in.begin());
      }
      last = g;
      while (i < in.size() && global(in[i]) < g) ++i;
      if (i == in.size() || global(in[i]) != g) continue;  // a BX no input had (cannot come from clean frames)
      out[i] = d;
      out[i].event_id = in[i].event_id;
      delivered[i] = 1;
    }
    // Lost events stay as they went in. An event with no objects may travel as idle frames and not
    // come back as a packet: it is still delivered (the board sees an empty BX) unless its packet
    // was counted as damaged.
    const bool clean = result.errors.total() == 0;
    for (std::size_t k = 0; k < in.size(); ++k) {
      if (delivered[k] != 0) continue;
      out[k] = in[k];
      if (clean && is_empty(in[k])) delivered[k] = 1;
    }
  }
  [[nodiscard]] const LinkCounters& counters() const override { return counters_; }

 private:
  static bool is_empty(const stream::Event& e) {
    stream::Event blank;
    blank.orbit = e.orbit;
    blank.bx = e.bx;
    blank.event_id = e.event_id;
    return blank == e;
  }
  std::unique_ptr<stream::LinkProtocol> protocol_;
  std::unique_ptr<stream::FaultInjector> injector_;
  // Frames and decoded events of the last batch, kept so the next batch reuses their storage.
  stream::LinkFrames frames_;
  stream::DecodeResult decoded_;
  std::uint64_t injected_ = 0;
  LinkCounters counters_;
};

const bool kProtocols = [] {
  for (const char* name : {"ugt-mp7", "emp64"}) {
    register_link_stage(name, [](const LinkStageConfig& c) { return std::make_unique<ProtocolLink>(c); });
  }
  return true;
}();

}  // namespace

void LinkStage::transport_batch(std::span<const stream::Event> in, std::vector<stream::Event>& out, std::vector<std::uint8_t>& delivered) {
  out.resize(in.size());
  delivered.resize(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) delivered[i] = transport(in[i], out[i]) ? 1 : 0;
}

bool register_link_stage(std::string name, LinkStageFactory factory) { return stages().add(std::move(name), std::move(factory)); }

std::vector<std::string> link_stage_names() { return stages().names(); }

std::unique_ptr<LinkStage> make_link_stage(const LinkStageConfig& config) {
  // A copy of the factory: it may run a while, outside the registry's lock.
  const LinkStageFactory factory = stages().get(config.protocol);
  return factory(config);
}

}  // namespace l1emu::board

#pragma once
// The link step between a source and the board: events in, events as the board's deserializer
// sees them out. An interface registered by name so the optical-link protocols of stream/ (ugt-mp7,
// emp64; being built on the links branch) plug in as one more implementation that encodes frames
// per link and decodes them back. Until then "direct" hands the objects over unchanged: exactly
// what an error-free ugt-mp7 link delivers, since the protocol carries the object words verbatim
// (FACTS section 5).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/event.h"

namespace l1emu::board {

struct LinkCounters {
  std::uint64_t events = 0;
  std::uint64_t frames = 0;
  std::uint64_t errors = 0;  // detected faults (CRC, broken packets); the board keeps running
};

class LinkStage {
 public:
  virtual ~LinkStage() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Carries one event across the links; returns false when the event was lost (counted).
  virtual bool transport(const stream::Event& in, stream::Event& out) = 0;
  [[nodiscard]] virtual const LinkCounters& counters() const = 0;
};

struct LinkStageConfig {
  std::string protocol = "direct";
};

using LinkStageFactory = std::function<std::unique_ptr<LinkStage>(const LinkStageConfig&)>;
bool register_link_stage(std::string name, LinkStageFactory factory);
[[nodiscard]] std::vector<std::string> link_stage_names();
/// Throws ConfigError naming the known protocols.
[[nodiscard]] std::unique_ptr<LinkStage> make_link_stage(const LinkStageConfig& config);

}  // namespace l1emu::board

#include "l1emu/board/link_stage.h"

#include <map>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l1emu/board/error.h"

namespace l1emu::board {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, LinkStageFactory, std::less<>> factories;
};

Registry& registry() {
  static Registry r;
  return r;
}

// uGT MP7 links carry 6 frames per BX on each of 16 links (FACTS section 5); "direct" counts the
// frames an error-free link would have carried so rates of frames match the real protocol.
constexpr std::uint64_t kUgtFramesPerEvent = 6 * 16;

class DirectLink final : public LinkStage {
 public:
  [[nodiscard]] std::string_view name() const override { return "direct"; }
  bool transport(const stream::Event& in, stream::Event& out) override {
    out = in;
    ++counters_.events;
    counters_.frames += kUgtFramesPerEvent;
    return true;
  }
  [[nodiscard]] const LinkCounters& counters() const override { return counters_; }

 private:
  LinkCounters counters_;
};

const bool kDirect = register_link_stage("direct", [](const LinkStageConfig&) { return std::make_unique<DirectLink>(); });

}  // namespace

bool register_link_stage(std::string name, LinkStageFactory factory) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.factories[std::move(name)] = std::move(factory);
  return true;
}

std::vector<std::string> link_stage_names() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [n, f] : r.factories) names.push_back(n);
  return names;
}

std::unique_ptr<LinkStage> make_link_stage(const LinkStageConfig& config) {
  LinkStageFactory factory;
  {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    const auto it = r.factories.find(config.protocol);
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    throw ConfigError(fmt::format("unknown link protocol '{}' (known: {}; ugt-mp7 and emp64 arrive with the links branch)",
                                  config.protocol, fmt::join(link_stage_names(), ", ")));
  }
  return factory(config);
}

}  // namespace l1emu::board

#pragma once
// The replay's components, built once from the scenario (internal; the construction phase of
// Replay): every name of the scenario becomes a validated object here, so the run touches only
// objects. Also the output paths and the mutable state a run carries from event to event.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "l1emu/board/decision_log.h"
#include "l1emu/board/device.h"
#include "l1emu/board/event_source.h"
#include "l1emu/board/link_stage.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/pipeline.h"
#include "l1emu/board/replay.h"
#include "l1emu/board/scenario.h"
#include "l1emu/board/shard.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/board/timing_estimate.h"
#include "l1emu/emu/nn/model.h"
#include "l1emu/stream/filling_scheme.h"
#include "bx_stamper.h"
#include "replay_totals.h"

namespace l1emu::board::detail {

// Events per batch: fixed (not per thread, shard or rank) so the work split never changes a result.
inline constexpr std::size_t kBatchEvents = kReplayBatchEvents;
// No limit on the events of a run.
inline constexpr std::uint64_t kNoEnd = UINT64_MAX;

struct ReplayPaths {
  explicit ReplayPaths(const Scenario& scenario);
  std::filesystem::path dir;
  std::filesystem::path h5;
  std::filesystem::path csv;  // empty when the scenario turns the CSV off
  std::filesystem::path summary;
  std::filesystem::path resolved;
};

/// The model stage's timing: estimated for the device and clock, or synthesized (csynth.xml), or
/// set in the scenario.
struct ModelTiming {
  ModelEstimate estimate;
  int latency_cycles = 0;
  int ii_cycles = 0;
};

struct ReplayChain {
  ReplayChain(const Scenario& scenario, const ReplayOptions& options);

  Scenario scenario;
  ReplayOptions options;
  ReplayPaths paths;
  std::string resolved_yaml;  // the scenario with every override and default
  emu::Model model;
  ScoreEngine engine;  // refers to model
  Menu menu;
  std::unique_ptr<LinkStage> link;
  std::unique_ptr<EventSource> source;
  const Device& device;
  PipelineConfig pipeline_config;
  ModelTiming timing;
  std::unique_ptr<stream::FillingScheme> scheme;  // null when the events carry their own BX
  double colliding = 0.0;                         // colliding BX per orbit (zero-bias rate)
  std::uint64_t max_events = 0;                   // 0: the whole source
  EventRange range;                               // the events this run replays (end kNoEnd: to the source's end)
  unsigned threads = 1;
};

/// The decision log's header for the chain's outputs (a replay's, or merged shards').
[[nodiscard]] DecisionLog::Header log_header(const ReplayChain& chain);

/// What a run changes from event to event, in event order.
struct ReplayState {
  explicit ReplayState(const ReplayChain& chain);
  std::unique_ptr<stream::BxAssigner> assigner;  // declared before the stamper that points to it
  BxStamper stamper;
  Pipeline pipeline;
  MenuState menu_state;
  ReplayTotals totals;
  std::uint64_t done = 0;  // events committed (by this and earlier runs)
};

}  // namespace l1emu::board::detail

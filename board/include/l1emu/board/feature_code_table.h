#pragma once
// The model input codes of a keyed feature builder (feature_builder.h: every value a function of
// one small integer per feature) as tables: each key's value converted once, at set-up, by the
// very converter the replay uses per event (emu::FloatRowsToLanes, the specification's float
// constructor), so a code from the table is the code the per-event path computes, by construction.
// Per event what remains is reading each feature's code where the builder says it lies, and one
// table load per feature, written straight into the compiled engine's lanes (16 events at a time
// with AVX-512 gathers). Converting every event's 57 floats (build, convert, transpose)
// was 9-10 % of a dataset replay's CPU (README "Benchmarks").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "l1emu/board/feature_builder.h"
#include "l1emu/emu/compiled/float_rows_to_lanes.h"
#include "l1emu/stream/event.h"

namespace l1emu::board {

class FeatureCodeTable {
 public:
  /// The tables of `builder`'s keys, or null: a builder without keys, or a key whose value the
  /// converter rejects (the per-event path then reports it if an event ever holds that value).
  static std::unique_ptr<FeatureCodeTable> make(const FeatureBuilder& builder, const emu::FloatRowsToLanes& converter);

  /// The input codes of `events` (at most `stride` of them) into `lanes`: value k of event e at
  /// k * stride + e. False when a key lies beyond its table (a code wider than its hardware field):
  /// `lanes` is then partly written and the caller converts the batch the long way.
  [[nodiscard]] bool fill(std::span<const stream::Event> events, std::size_t stride, std::int32_t* lanes) const;

  /// Distinct tables after merging equal ones (features of one object kind and input type share).
  [[nodiscard]] std::size_t distinct_tables() const { return distinct_; }

 private:
  FeatureCodeTable();
  bool sixteens_ = false;                 // 16 events at a time (the CPU has AVX-512)
  std::vector<std::int32_t> codes_;       // every distinct table, one after another
  std::vector<std::size_t> offset_;       // feature k's table within codes_
  std::vector<FeatureKey> keys_;          // where each feature's key comes from
  std::size_t distinct_ = 0;
};

}  // namespace l1emu::board

#include "l1emu/board/test_vector_check.h"

namespace l1emu::board {

TestVectorCheck check_test_vector(const ScoreEngine& engine, const Menu& menu, LinkStage& link,
                                  const std::vector<stream::TestVectorRecord>& records, std::size_t max_listed) {
  TestVectorCheck result;
  result.bx_count = records.size();
  result.expected_fires.assign(menu.size(), 0);
  result.emulated_fires.assign(menu.size(), 0);
  std::vector<stream::Event> sent, events;
  std::vector<std::uint8_t> delivered;
  sent.reserve(records.size());
  for (const auto& r : records) sent.push_back(r.to_event());
  link.transport_batch(sent, events, delivered);
  std::vector<ScoredEvent> scored(records.size());
  auto ws = engine.make_workspace();
  engine.score(ws, events, scored);
  result.scores.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::int64_t score = delivered[i] ? scored[i].score : 0;
    result.scores.push_back(score);
    // A lost event fires nothing (the board sees no valid data in that BX).
    const std::uint64_t bits = delivered[i] ? menu.fire(score, records[i].bx) : 0;
    for (std::size_t b = 0; b < menu.size(); ++b) {
      const bool expected = records[i].algorithm_bit(menu.config().bits[b].bit);
      const bool emulated = ((bits >> b) & 1U) != 0;
      result.expected_fires[b] += expected ? 1 : 0;
      result.emulated_fires[b] += emulated ? 1 : 0;
      if (expected != emulated) {
        ++result.mismatches;
        if (result.first_mismatches.size() < max_listed) {
          result.first_mismatches.push_back({records[i].bx, menu.config().bits[b].bit, expected, emulated, score});
        }
      }
    }
  }
  return result;
}

TestVectorCheck check_cicada_bits(const std::vector<AdAlgorithm>& cicada, const std::vector<stream::TestVectorRecord>& records,
                                  std::size_t max_listed) {
  TestVectorCheck result;
  result.bx_count = records.size();
  result.expected_fires.assign(cicada.size(), 0);
  result.emulated_fires.assign(cicada.size(), 0);
  for (const auto& r : records) {
    const std::int64_t score = cicada_score(r.link11);
    result.scores.push_back(score);
    for (std::size_t b = 0; b < cicada.size(); ++b) {
      const bool expected = r.algorithm_bit(cicada[b].bit);
      const bool emulated = score >= cicada[b].threshold;
      result.expected_fires[b] += expected ? 1 : 0;
      result.emulated_fires[b] += emulated ? 1 : 0;
      if (expected != emulated) {
        ++result.mismatches;
        if (result.first_mismatches.size() < max_listed) result.first_mismatches.push_back({r.bx, cicada[b].bit, expected, emulated, score});
      }
    }
  }
  return result;
}

}  // namespace l1emu::board

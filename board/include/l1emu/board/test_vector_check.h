#pragma once
// Verification against uGT test vectors (shared/golden/axol1tl/README.md): each BX's objects go
// through the link step, the feature builder, the bit-exact model and the menu; the emulated
// pre-prescale bits are compared with the algorithm bits the file records (column 59).
#include <cstdint>
#include <string>
#include <vector>

#include "l1emu/board/link_stage.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/board/ugt_menu_folder.h"
#include "l1emu/stream/test_vector.h"

namespace l1emu::board {

struct TestVectorMismatch {
  std::uint16_t bx = 0;
  int bit = 0;
  bool expected = false;
  bool emulated = false;
  std::int64_t score = 0;
};

struct TestVectorCheck {
  std::size_t bx_count = 0;
  std::size_t mismatches = 0;  // (BX, bit) pairs that differ
  std::vector<TestVectorMismatch> first_mismatches;  // up to max_listed
  std::vector<std::size_t> expected_fires;  // per menu bit
  std::vector<std::size_t> emulated_fires;
  std::vector<std::int64_t> scores;  // per BX
};

/// CICADA algorithms (bits with their cscore thresholds) against the file: the score is what the uGT
/// receives on link 11 (ugt_menu_folder.h cicada_score), so no model runs; a bit fires when score >=
/// threshold (mp7_ugt_legacy cicada_condition.vhd).
[[nodiscard]] TestVectorCheck check_cicada_bits(const std::vector<AdAlgorithm>& cicada, const std::vector<stream::TestVectorRecord>& records,
                                                std::size_t max_listed = 20);

[[nodiscard]] TestVectorCheck check_test_vector(const ScoreEngine& engine, const Menu& menu, LinkStage& link,
                                                const std::vector<stream::TestVectorRecord>& records, std::size_t max_listed = 20);

}  // namespace l1emu::board

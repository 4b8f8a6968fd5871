// The decision log's score column (decision_log_format::ScoreValue): score_code x 2^-F by one
// multiply must be the very double std::ldexp gives, for every F the type system allows and codes
// from the extremes of int64 to small ones (where rounding of the int64 -> double conversion and
// the range ends of the factor are the cases that could differ).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "l1emu/board/decision_log_format.h"

namespace l1emu::board::decision_log_format {
namespace {

TEST(ScoreValue, IsLdexpBitForBitOverEveryFractionalWidth) {
  std::mt19937_64 rng(3);
  std::vector<std::int64_t> codes = {0, 1, -1, 2, 3, -7, 1 << 20, std::numeric_limits<std::int64_t>::max(),
                                     std::numeric_limits<std::int64_t>::min(), (std::int64_t{1} << 53) + 1,
                                     -(std::int64_t{1} << 53) - 3};
  for (int k = 0; k < 200; ++k) codes.push_back(static_cast<std::int64_t>(rng()) >> (rng() % 64));
  for (int f = -1100; f <= 1100; ++f) {
    const ScoreValue value(f);
    for (const std::int64_t code : codes) {
      const double expected = std::ldexp(static_cast<double>(code), -f);
      ASSERT_EQ(std::bit_cast<std::uint64_t>(value(code)), std::bit_cast<std::uint64_t>(expected))
          << "code " << code << ", F " << f;
    }
  }
}

}  // namespace
}  // namespace l1emu::board::decision_log_format

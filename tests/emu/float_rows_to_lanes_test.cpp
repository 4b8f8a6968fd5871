// FloatRowsToLanes (a batch of float rows -> compiled input lanes through the vectorised float32
// kernels) against the specification's scalar form, InputCodeConverter, value by value: random
// models of one to three inputs of random types (every quantization and overflow mode, signed and
// unsigned, WRAP with saturation bits, ap_int-like F = 0, widths to 62 bits), 64-bit lanes always
// and 32-bit lanes where every type fits, batches of 1 to 64 rows, values of every magnitude with
// ties, zeros, subnormals and arbitrary finite bit patterns; lanes past the batch left untouched;
// and a NaN refused as the scalar converter refuses it.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "l1emu/emu/compiled/float_rows_to_lanes.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

constexpr std::size_t kLanes = 64;

float random_value(std::mt19937_64& rng, int i) {
  if (i % 11 == 0) return 0.0F;
  if (i % 13 == 0) return -0.0F;
  if (i % 17 == 0) return std::bit_cast<float>(static_cast<std::uint32_t>(rng() & 0x807fffffU));  // subnormal
  if (i % 5 == 0) {
    float v;
    do v = std::bit_cast<float>(static_cast<std::uint32_t>(rng()));  // any finite bit pattern
    while (!std::isfinite(v));
    return v;
  }
  float v = std::ldexp(std::uniform_real_distribution<float>(-1.0F, 1.0F)(rng), std::uniform_int_distribution<int>(-40, 40)(rng));
  if (i % 7 == 0) v = std::round(v * 8.0F) / 8.0F;  // ties
  return v;
}

template <class Lane>
void expect_lanes_match(const Model& model, const std::vector<float>& rows, std::size_t count, int seed) {
  const FloatRowsToLanes convert(model);
  const std::size_t width = convert.width();
  const Lane sentinel = 0x5a5a5a5;
  std::vector<Lane> lanes(width * kLanes, sentinel);
  FloatRowsToLanes::Scratch<Lane> scratch;
  convert.convert(rows.data(), count, kLanes, lanes.data(), scratch);
  std::size_t k = 0;
  for (const auto& in : model.inputs()) {
    const InputCodeConverter exact(in.type);
    for (std::size_t i = 0; i < in.size; ++i, ++k) {
      for (std::size_t e = 0; e < kLanes; ++e) {
        const Lane got = lanes[k * kLanes + e];
        if (e >= count) {
          ASSERT_EQ(got, sentinel) << "lane past the batch written";
          continue;
        }
        const float v = rows[e * width + k];
        ASSERT_EQ(static_cast<std::int64_t>(got), exact(v))
            << v << " (bits " << std::bit_cast<std::uint32_t>(v) << ") into " << in.type.to_string() << ", model " << seed << ", value " << k;
      }
    }
  }
}

TEST(FloatRowsToLanes, EveryCodeIsInputCodeConvertersOnRandomTypes) {
  std::mt19937_64 rng(2026);
  testing::RandomModelFactory factory(12, 62);
  std::size_t models32 = 0;
  for (int m = 0; m < 400; ++m) {
    std::vector<ArraySpec> inputs;
    const int n_inputs = 1 + static_cast<int>(rng() % 3);
    bool fits32 = true;
    for (int a = 0; a < n_inputs; ++a) {
      FixedType t = factory.type(1);
      if (m % 3 == 0) {  // more types the 32-bit kernels cover
        t.width = std::min(t.width, 24);
        t.saturation_bits = std::min(t.saturation_bits, t.width);
      }
      if (m % 10 == 1) t.integer_bits = t.width;          // integer types (ap_int's rule)
      fits32 = fits32 && t.width <= 32;
      inputs.emplace_back("in" + std::to_string(a), 1 + rng() % 20, t);
    }
    const Model model("rows", Flavor::Paper, inputs);
    const std::size_t count = 1 + rng() % kLanes;
    std::size_t width = 0;
    for (const auto& in : inputs) width += in.size;
    std::vector<float> rows(count * width);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = random_value(rng, static_cast<int>(i));
    expect_lanes_match<std::int64_t>(model, rows, count, m);
    if (fits32) {
      expect_lanes_match<std::int32_t>(model, rows, count, m);
      ++models32;
    }
  }
  EXPECT_GT(models32, 100U);
}

TEST(FloatRowsToLanes, ANanIsRefusedAsTheScalarConverterRefusesIt) {
  const FixedType t{16, 6, true, Quantization::Rnd, Overflow::Sat, 0};
  const Model model("rows", Flavor::Paper, {ArraySpec("in", 4, t)});
  std::vector<float> rows = {1.0F, 2.0F, std::numeric_limits<float>::quiet_NaN(), 0.5F};
  bool scalar_throws = false;
  try {
    (void)InputCodeConverter(t)(rows[2]);
  } catch (const std::exception&) {
    scalar_throws = true;
  }
  ASSERT_TRUE(scalar_throws);
  const FloatRowsToLanes convert(model);
  std::vector<std::int32_t> lanes(4 * kLanes);
  FloatRowsToLanes::Scratch<std::int32_t> scratch;
  EXPECT_ANY_THROW(convert.convert(rows.data(), 1, kLanes, lanes.data(), scratch));
}

}  // namespace
}  // namespace l1emu::emu

// Writes random (value, type) pairs with the code the C++ library gives them (emu::from_double,
// the specification of ap_fixed's double constructor), for test_quantize.py to compare with
// l1emu.quantize. Exact ties (odd multiples of half an LSB), values next to ties, exact codes in
// and beyond the range, random doubles around the type's LSB and range, and special values.
//
// usage: python_quantize_reference OUT_DIR [TYPES] [VALUES_PER_TYPE] [SEED]
// Writes OUT_DIR/types.txt (one spelling per line) and OUT_DIR/pairs.bin, records of
// {int32 type index, int32 kind (0 tie, 1 exact code, 2 next to a tie, 3 near the type, 4 any double,
// 5 special), float64 value, int64 code}, little-endian as the machine writes them.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace {

using l1emu::emu::FixedType;

struct Record {
  std::int32_t type;
  std::int32_t kind;
  double value;
  std::int64_t code;
};
static_assert(sizeof(Record) == 24);

FixedType random_type(std::mt19937_64& rng) {
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const bool is_signed = uniform(0, 1) == 1;
  const int width = uniform(1, 63);  // codes of at most 63 bits fit int64, signed or not
  if (uniform(0, 9) == 0) return FixedType::integer(width, is_signed);
  FixedType t;
  t.width = width;
  t.is_signed = is_signed;
  t.integer_bits = uniform(-20, width + 20);  // F from -20 to width + 20
  t.quantization = static_cast<l1emu::emu::Quantization>(uniform(0, 6));
  t.overflow = static_cast<l1emu::emu::Overflow>(uniform(0, 3));
  t.saturation_bits = t.overflow == l1emu::emu::Overflow::Wrap && uniform(0, 3) == 0 ? uniform(0, width) : 0;
  t.validate();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [TYPES] [VALUES_PER_TYPE] [SEED]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int types = argc > 2 ? std::stoi(argv[2]) : 1000;
  const int per_type = argc > 3 ? std::stoi(argv[3]) : 1000;
  const std::uint64_t seed = argc > 4 ? std::stoull(argv[4]) : 2026;
  std::filesystem::create_directories(dir);
  std::ofstream type_file(dir / "types.txt");
  std::ofstream pairs(dir / "pairs.bin", std::ios::binary);
  std::mt19937_64 rng(seed);
  const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::max(),
                             0.5, -0.5, -0.25, 0.75, 1e-300, -1e-300, 1.5, -1.5, 2.5, -2.5};
  for (int t = 0; t < types; ++t) {
    const FixedType type = random_type(rng);
    type_file << type.to_string() << "\n";
    const int f = type.fractional_bits();
    // Codes from a quarter of the range below the minimum to a quarter above the maximum (so
    // overflow happens), kept within 51 bits so that a tie (2k+1) x 2^-(F+1) is an exact double.
    const auto lo = std::max<long double>(type.min_code().convert_to<long double>(), -std::ldexp(1.0L, 51));
    const auto hi = std::min<long double>(type.max_code().convert_to<long double>(), std::ldexp(1.0L, 51));
    const long double span = hi - lo;
    std::uniform_real_distribution<long double> code_dist(lo - span / 4 - 2, hi + span / 4 + 2);
    std::uniform_int_distribution<std::uint64_t> mantissa(0, (std::uint64_t{1} << 53) - 1);
    for (int j = 0; j < per_type; ++j) {
      Record r{t, j % 6, 0.0, 0};
      const auto k = static_cast<std::int64_t>(std::floor(code_dist(rng)));
      switch (r.kind) {
        case 0: r.value = std::ldexp(static_cast<double>(2 * k + 1), -(f + 1)); break;
        case 1: r.value = std::ldexp(static_cast<double>(k), -f); break;
        case 2: {
          const double tie = std::ldexp(static_cast<double>(2 * k + 1), -(f + 1));
          r.value = std::nextafter(tie, (rng() & 1) != 0 ? INFINITY : -INFINITY);
          break;
        }
        case 3: {
          // A random 53-bit mantissa with an exponent from below the LSB to above the range.
          const int e = std::uniform_int_distribution<int>(-f - 12, type.integer_bits + 4)(rng);
          r.value = std::ldexp(static_cast<double>(mantissa(rng)), e - 53) * ((rng() & 1) != 0 ? 1 : -1);
          break;
        }
        case 4: {
          const int e = std::uniform_int_distribution<int>(-1100, 1000)(rng);
          r.value = std::ldexp(static_cast<double>(mantissa(rng)), e - 53) * ((rng() & 1) != 0 ? 1 : -1);
          break;
        }
        default: r.value = specials[static_cast<std::size_t>(j / 6) % std::size(specials)]; break;
      }
      r.code = l1emu::emu::from_double(r.value, type).convert_to<std::int64_t>();
      pairs.write(reinterpret_cast<const char*>(&r), sizeof r);
    }
  }
  return type_file && pairs ? 0 : 1;
}

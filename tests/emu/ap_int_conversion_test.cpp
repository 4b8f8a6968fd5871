// ap_int<W> / ap_uint<W> conversions against codes produced by Xilinx's own headers
// (tests/fixtures/ap_int/conversions.txt, generated out of tree; its header says how).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../support/import_test_support.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {
namespace {

// The register read back as to_int64() / to_uint64() prints it: the code itself for W <= 64.
BigInt expected_code(const std::string& text, const FixedType& t) {
  BigInt v(text);
  if (!t.is_signed && v < 0) v += BigInt(1) << 64;
  return v;
}

TEST(ApIntConversion, MatchesXilinxHeaders) {
  const auto path = testing::fixture_dir("ap_int/conversions.txt");
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  std::size_t checked = 0, fast_checked = 0, line_no = 0, fixed_checked = 0, quirk_checked = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string source, kind;
    words >> source >> kind;
    const std::string where = path.string() + ":" + std::to_string(line_no) + ": " + line;
    if (source == "fixed") {
      // ap_int<W> / ap_uint<W> assigned from an ap_fixed: ap_fixed_base::to_ap_int_base, toward zero.
      const FixedType from = FixedType::parse(kind);
      int w = 0;
      std::string code, as_int, as_uint;
      words >> w >> code >> as_int >> as_uint;
      ASSERT_FALSE(words.fail()) << where;
      const FixedType i = FixedType::integer(w, true), u = FixedType::integer(w, false);
      EXPECT_EQ(convert_code(BigInt(code), from, i), expected_code(as_int, i)) << where;
      EXPECT_EQ(convert_code(BigInt(code), from, u), expected_code(as_uint, u)) << where;
      ++fixed_checked;
      continue;
    }
    int w = 0;
    std::string value_text, code;
    words >> w >> value_text >> code;
    ASSERT_FALSE(words.fail()) << where;
    const FixedType t = FixedType::integer(w, kind == "ap_int");
    const double value = std::strtod(value_text.c_str(), nullptr);
    const BigInt expected = expected_code(code, t);
    if (source == "double") {
      EXPECT_EQ(from_double(value, t), expected) << where;
    } else {
      const auto f = static_cast<float>(value);
      EXPECT_EQ(from_float(f, t), expected) << where;
      if (w <= 62) {
        EXPECT_EQ(BigInt(input_code(f, t)), expected) << where << " (input_code)";
        EXPECT_EQ(BigInt(InputCodeConverter(t)(f)), expected) << where << " (InputCodeConverter)";
        ++fast_checked;
      }
    }
    if (value < 0 && value > -0.5) ++quirk_checked;
    ++checked;
  }
  // Every kind of line is present: a truncated or emptied fixture must not pass.
  EXPECT_GT(checked, 1500U);
  EXPECT_GT(fast_checked, 200U);
  EXPECT_GT(fixed_checked, 100U);
  EXPECT_GT(quirk_checked, 50U);
}

TEST(ApIntConversion, FloorsNothingAndMapsSmallNegativesToOne) {
  const FixedType i8 = FixedType::integer(8, true), u4 = FixedType::integer(4, false);
  EXPECT_EQ(from_double(-2.5, i8), -2);   // toward zero, not floor
  EXPECT_EQ(from_double(-0.25, i8), 1);   // ap_int_base(double): (-0.5, 0) -> +1
  EXPECT_EQ(from_double(-0.5, i8), 0);
  EXPECT_EQ(from_double(-0.75, i8), 0);
  EXPECT_EQ(from_double(300.7, i8), 44);  // 300 keeps its low 8 bits
  EXPECT_EQ(from_double(-1.5, u4), 15);   // -1 in 4 bits
  EXPECT_EQ(from_float(-0.1F, u4), 1);
  // The fixed-point twin floors: the flag is what makes the difference.
  EXPECT_EQ(from_double(-2.5, FixedType::parse("ap_fixed<8,8>")), -3);
  EXPECT_EQ(from_double(-0.25, FixedType::parse("ap_fixed<8,8,AP_TRN_ZERO>")), 0);
}

}  // namespace
}  // namespace l1emu::emu

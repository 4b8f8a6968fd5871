// Hand-checked conversion tables. Every expected code below was worked out by hand from the rule
// (round the exact value to the destination LSB 2^-F with Q, then apply O to the rounded code);
// the derivation is in the comment next to each group. Each row is checked three or four ways:
// the independent reference (fixed_reference.h), convert_code from a wide exact source type,
// convert(ExactValue) and, where the value is a double, from_double.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixed_reference.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/fixed/exact_value.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {
namespace {

using reference::cpp_int;
using reference::cpp_rational;

BigInt to_big(const cpp_int& x) { return BigInt(x.str()); }

/// A value row: the exact decimal `value` assigned to `type` gives raw code `expected`.
struct ValueRow {
  const char* value;
  const char* type;
  const char* expected;
};

/// A code row: raw code `code` of type `from` assigned to `to` gives raw code `expected`.
struct CodeRow {
  const char* code;
  const char* from;
  const char* to;
  const char* expected;
};

// The wide exact source used for value rows: ap_fixed<64,32> holds every table value exactly.
const FixedType kWide = FixedType::parse("ap_fixed<64,32>");

void check_values(const std::vector<ValueRow>& rows) {
  for (const ValueRow& row : rows) {
    SCOPED_TRACE(std::string(row.value) + " -> " + row.type);
    const FixedType to = FixedType::parse(row.type);
    const cpp_rational v = reference::parse_decimal(row.value);
    const cpp_int expected(row.expected);

    // 1. The reference agrees with the hand result (this checks the reference itself).
    EXPECT_EQ(reference::reference_convert(v, to), expected) << "reference";

    // 2. convert_code from the wide source type.
    const cpp_rational scaled = v * reference::pow2(kWide.fractional_bits());
    ASSERT_EQ(denominator(scaled), 1) << "table value not exact in " << kWide.to_string();
    const cpp_int wide_code = numerator(scaled);
    EXPECT_EQ(convert_code(to_big(wide_code), kWide, to).str(), expected.str()) << "convert_code";

    // 3. convert(ExactValue).
    EXPECT_EQ(convert(ExactValue{to_big(wide_code), kWide.fractional_bits()}, to).str(), expected.str())
        << "convert";

    // 4. from_double (every table value is an exact double).
    const double d = std::stod(row.value);
    ASSERT_EQ(reference::exact_rational(d), v) << "table value not an exact double";
    EXPECT_EQ(from_double(d, to).str(), expected.str()) << "from_double";
  }
}

void check_codes(const std::vector<CodeRow>& rows) {
  for (const CodeRow& row : rows) {
    SCOPED_TRACE(std::string(row.code) + " of " + row.from + " -> " + row.to);
    const FixedType from = FixedType::parse(row.from);
    const FixedType to = FixedType::parse(row.to);
    const cpp_int code(row.code);
    ASSERT_TRUE(from.holds(to_big(code))) << "table code outside its source type";
    const cpp_int expected(row.expected);
    EXPECT_EQ(reference::reference_convert(reference::value_of(code, from), to), expected) << "reference";
    EXPECT_EQ(convert_code(to_big(code), from, to).str(), expected.str()) << "convert_code";
    EXPECT_EQ(convert(ExactValue::of(to_big(code), from), to).str(), expected.str()) << "convert";
  }
}

// ---------------------------------------------------------------------------------------------
// Ties for every rounding mode.

TEST(FixedConversionTable, TiesIntoIntegers) {
  // ap_fixed<8,8,Q>: F = 0, the LSB is 1. Ties at x.5 between floor and floor+1:
  //   value   TRN  TRN_ZERO  RND(+inf)  RND_ZERO  RND_MIN_INF  RND_INF(away)  RND_CONV(even)
  //    2.5     2      2         3          2          2            3              2
  //   -2.5    -3     -2        -2         -2         -3           -3             -2
  //    3.5     3      3         4          3          3            4              4
  //   -3.5    -4     -3        -3         -3         -4           -4             -4
  //    0.5     0      0         1          0          0            1              0
  //   -0.5    -1      0         0          0         -1           -1              0
  // Non-ties: TRN floors, TRN_ZERO truncates, every RND mode takes the nearest:
  //    2.25    2      2         2          2          2            2              2
  //   -2.25   -3     -2        -2         -2         -2           -2             -2
  //    2.75    2      2         3          3          3            3              3
  //   -2.75   -3     -2        -3         -3         -3           -3             -3
  const char* modes[] = {"AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV"};
  struct Line {
    const char* value;
    const char* expected[7];
  };
  const Line lines[] = {
      {"2.5", {"2", "2", "3", "2", "2", "3", "2"}},       {"-2.5", {"-3", "-2", "-2", "-2", "-3", "-3", "-2"}},
      {"3.5", {"3", "3", "4", "3", "3", "4", "4"}},       {"-3.5", {"-4", "-3", "-3", "-3", "-4", "-4", "-4"}},
      {"0.5", {"0", "0", "1", "0", "0", "1", "0"}},       {"-0.5", {"-1", "0", "0", "0", "-1", "-1", "0"}},
      {"2.25", {"2", "2", "2", "2", "2", "2", "2"}},      {"-2.25", {"-3", "-2", "-2", "-2", "-2", "-2", "-2"}},
      {"2.75", {"2", "2", "3", "3", "3", "3", "3"}},      {"-2.75", {"-3", "-2", "-3", "-3", "-3", "-3", "-3"}},
  };
  std::vector<std::string> types;
  for (const char* m : modes) types.push_back(std::string("ap_fixed<8,8,") + m + ",AP_WRAP>");
  std::vector<ValueRow> rows;
  for (const Line& line : lines) {
    for (std::size_t q = 0; q < types.size(); ++q) rows.push_back({line.value, types[q].c_str(), line.expected[q]});
  }
  check_values(rows);
}

TEST(FixedConversionTable, HalfLsbTiesAtOtherScales) {
  std::vector<ValueRow> rows = {
      // ap_fixed<8,2>: F = 6, LSB 1/64. 0.0859375 = 5.5/64: tie between codes 5 and 6.
      {"0.0859375", "ap_fixed<8,2,AP_TRN>", "5"},
      {"0.0859375", "ap_fixed<8,2,AP_TRN_ZERO>", "5"},
      {"0.0859375", "ap_fixed<8,2,AP_RND>", "6"},
      {"0.0859375", "ap_fixed<8,2,AP_RND_ZERO>", "5"},
      {"0.0859375", "ap_fixed<8,2,AP_RND_MIN_INF>", "5"},
      {"0.0859375", "ap_fixed<8,2,AP_RND_INF>", "6"},
      {"0.0859375", "ap_fixed<8,2,AP_RND_CONV>", "6"},  // 6 is even
      // -5.5 LSB: between -6 and -5.
      {"-0.0859375", "ap_fixed<8,2,AP_TRN>", "-6"},
      {"-0.0859375", "ap_fixed<8,2,AP_TRN_ZERO>", "-5"},
      {"-0.0859375", "ap_fixed<8,2,AP_RND>", "-5"},           // toward +inf
      {"-0.0859375", "ap_fixed<8,2,AP_RND_ZERO>", "-5"},
      {"-0.0859375", "ap_fixed<8,2,AP_RND_MIN_INF>", "-6"},
      {"-0.0859375", "ap_fixed<8,2,AP_RND_INF>", "-6"},       // away from 0
      {"-0.0859375", "ap_fixed<8,2,AP_RND_CONV>", "-6"},      // -6 is even
      // ap_fixed<8,10>: F = -2, LSB 4. 10 = 2.5 LSB; -10 = -2.5 LSB.
      {"10", "ap_fixed<8,10,AP_TRN>", "2"},
      {"10", "ap_fixed<8,10,AP_TRN_ZERO>", "2"},
      {"10", "ap_fixed<8,10,AP_RND>", "3"},
      {"10", "ap_fixed<8,10,AP_RND_ZERO>", "2"},
      {"10", "ap_fixed<8,10,AP_RND_MIN_INF>", "2"},
      {"10", "ap_fixed<8,10,AP_RND_INF>", "3"},
      {"10", "ap_fixed<8,10,AP_RND_CONV>", "2"},
      {"-10", "ap_fixed<8,10,AP_TRN>", "-3"},
      {"-10", "ap_fixed<8,10,AP_TRN_ZERO>", "-2"},
      {"-10", "ap_fixed<8,10,AP_RND>", "-2"},
      {"-10", "ap_fixed<8,10,AP_RND_ZERO>", "-2"},
      {"-10", "ap_fixed<8,10,AP_RND_MIN_INF>", "-3"},
      {"-10", "ap_fixed<8,10,AP_RND_INF>", "-3"},
      {"-10", "ap_fixed<8,10,AP_RND_CONV>", "-2"},
      // ap_ufixed<4,2>: F = 2, LSB 1/4. 0.375 = 1.5 LSB: between 1 and 2.
      {"0.375", "ap_ufixed<4,2,AP_TRN>", "1"},
      {"0.375", "ap_ufixed<4,2,AP_TRN_ZERO>", "1"},
      {"0.375", "ap_ufixed<4,2,AP_RND>", "2"},
      {"0.375", "ap_ufixed<4,2,AP_RND_ZERO>", "1"},
      {"0.375", "ap_ufixed<4,2,AP_RND_MIN_INF>", "1"},
      {"0.375", "ap_ufixed<4,2,AP_RND_INF>", "2"},
      {"0.375", "ap_ufixed<4,2,AP_RND_CONV>", "2"},
      // -0.375 = -1.5 LSB into the unsigned type: rounded to -2 or -1, then WRAP keeps the low 4
      // bits: -2 -> 16-2 = 14, -1 -> 15. With SAT every mode gives 0.
      {"-0.375", "ap_ufixed<4,2,AP_TRN>", "14"},           // floor -2
      {"-0.375", "ap_ufixed<4,2,AP_TRN_ZERO>", "15"},      // -1
      {"-0.375", "ap_ufixed<4,2,AP_RND>", "15"},           // tie to +inf: -1
      {"-0.375", "ap_ufixed<4,2,AP_RND_ZERO>", "15"},      // -1
      {"-0.375", "ap_ufixed<4,2,AP_RND_MIN_INF>", "14"},   // -2
      {"-0.375", "ap_ufixed<4,2,AP_RND_INF>", "14"},       // -2
      {"-0.375", "ap_ufixed<4,2,AP_RND_CONV>", "14"},      // -2 is even
      {"-0.375", "ap_ufixed<4,2,AP_RND,AP_SAT>", "0"},
      {"-0.375", "ap_ufixed<4,2,AP_RND_MIN_INF,AP_SAT>", "0"},
  };
  check_values(rows);
}

// ---------------------------------------------------------------------------------------------
// Saturation edges.

TEST(FixedConversionTable, SaturationEdges) {
  std::vector<ValueRow> rows = {
      // ap_fixed<4,4>: codes [-8, 7], LSB 1.
      {"7", "ap_fixed<4,4,AP_TRN,AP_SAT>", "7"},
      {"8", "ap_fixed<4,4,AP_TRN,AP_SAT>", "7"},
      {"100", "ap_fixed<4,4,AP_TRN,AP_SAT>", "7"},
      {"7.9375", "ap_fixed<4,4,AP_TRN,AP_SAT>", "7"},   // floor 7 fits
      {"-8", "ap_fixed<4,4,AP_TRN,AP_SAT>", "-8"},
      {"-9", "ap_fixed<4,4,AP_TRN,AP_SAT>", "-8"},
      {"-8.0625", "ap_fixed<4,4,AP_TRN,AP_SAT>", "-8"},  // floor -9 overflows, clamps to -8
      // SAT_ZERO: anything that does not fit after rounding becomes 0.
      {"7", "ap_fixed<4,4,AP_TRN,AP_SAT_ZERO>", "7"},
      {"8", "ap_fixed<4,4,AP_TRN,AP_SAT_ZERO>", "0"},
      {"-8", "ap_fixed<4,4,AP_TRN,AP_SAT_ZERO>", "-8"},
      {"-9", "ap_fixed<4,4,AP_TRN,AP_SAT_ZERO>", "0"},
      {"-8.5", "ap_fixed<4,4,AP_TRN,AP_SAT_ZERO>", "0"},       // floor -9: overflow
      {"-8.5", "ap_fixed<4,4,AP_TRN_ZERO,AP_SAT_ZERO>", "-8"},  // toward 0: -8 fits
      // SAT_SYM signed: [-7, 7]; the minimum code -8 is never produced, even when it fits.
      {"7", "ap_fixed<4,4,AP_TRN,AP_SAT_SYM>", "7"},
      {"8", "ap_fixed<4,4,AP_TRN,AP_SAT_SYM>", "7"},
      {"-7", "ap_fixed<4,4,AP_TRN,AP_SAT_SYM>", "-7"},
      {"-8", "ap_fixed<4,4,AP_TRN,AP_SAT_SYM>", "-7"},   // -2^(W-1) -> -max
      {"-9", "ap_fixed<4,4,AP_TRN,AP_SAT_SYM>", "-7"},
      {"-7.5", "ap_fixed<4,4,AP_TRN,AP_SAT_SYM>", "-7"},  // floor -8, then -8 -> -7
      {"-7.5", "ap_fixed<4,4,AP_RND,AP_SAT_SYM>", "-7"},  // tie to +inf: -7
      // ap_fixed<8,3,SAT_SYM>: F = 5, codes [-128, 127]; -4 is code -128 -> -127.
      {"-4", "ap_fixed<8,3,AP_TRN,AP_SAT_SYM>", "-127"},
      {"-3.96875", "ap_fixed<8,3,AP_TRN,AP_SAT_SYM>", "-127"},  // code -127 exactly
      // ap_ufixed<4,4>: codes [0, 15].
      {"15", "ap_ufixed<4,4,AP_TRN,AP_SAT>", "15"},
      {"16", "ap_ufixed<4,4,AP_TRN,AP_SAT>", "15"},
      {"-1", "ap_ufixed<4,4,AP_TRN,AP_SAT>", "0"},
      {"-0.5", "ap_ufixed<4,4,AP_TRN,AP_SAT>", "0"},        // floor -1 underflows
      {"-0.5", "ap_ufixed<4,4,AP_TRN_ZERO,AP_WRAP>", "0"},  // toward 0: 0, no wrap
      {"-0.5", "ap_ufixed<4,4,AP_TRN,AP_WRAP>", "15"},      // floor -1, low 4 bits 1111
      {"15", "ap_ufixed<4,4,AP_TRN,AP_SAT_ZERO>", "15"},
      {"16", "ap_ufixed<4,4,AP_TRN,AP_SAT_ZERO>", "0"},
      {"-1", "ap_ufixed<4,4,AP_TRN,AP_SAT_ZERO>", "0"},
      // SAT_SYM on an unsigned type is SAT.
      {"0", "ap_ufixed<4,4,AP_TRN,AP_SAT_SYM>", "0"},
      {"15", "ap_ufixed<4,4,AP_TRN,AP_SAT_SYM>", "15"},
      {"16", "ap_ufixed<4,4,AP_TRN,AP_SAT_SYM>", "15"},
      {"-1", "ap_ufixed<4,4,AP_TRN,AP_SAT_SYM>", "0"},
      // One-bit types. ap_fixed<1,1>: codes {-1, 0}; ap_ufixed<1,1>: {0, 1}.
      {"-1", "ap_fixed<1,1,AP_TRN,AP_SAT_SYM>", "0"},  // -min = max = 0
      {"1", "ap_fixed<1,1,AP_TRN,AP_SAT>", "0"},
      {"1", "ap_fixed<1,1,AP_TRN,AP_WRAP>", "-1"},     // low bit 1, read as the sign
      {"-5", "ap_fixed<1,1,AP_TRN,AP_SAT>", "-1"},
      {"2", "ap_ufixed<1,1,AP_TRN,AP_SAT>", "1"},
      {"2", "ap_ufixed<1,1,AP_TRN,AP_WRAP>", "0"},
  };
  check_values(rows);
}

TEST(FixedConversionTable, RoundingCarryOverflows) {
  std::vector<ValueRow> rows = {
      // 7.75 into ap_fixed<4,4> (codes [-8, 7]): RND gives 8, which does not fit.
      {"7.75", "ap_fixed<4,4,AP_RND,AP_SAT>", "7"},
      {"7.75", "ap_fixed<4,4,AP_RND,AP_WRAP>", "-8"},     // 8 = 1000b read as signed
      {"7.75", "ap_fixed<4,4,AP_RND,AP_SAT_ZERO>", "0"},
      {"7.75", "ap_fixed<4,4,AP_RND,AP_SAT_SYM>", "7"},
      {"7.75", "ap_fixed<4,4,AP_TRN,AP_WRAP>", "7"},      // no carry without rounding up
      {"7.5", "ap_fixed<4,4,AP_RND_CONV,AP_WRAP>", "-8"},  // tie to even 8
      {"7.5", "ap_fixed<4,4,AP_RND_ZERO,AP_WRAP>", "7"},   // tie toward 0: 7
      // -8.5 (tie) into ap_fixed<4,4>: RND_INF goes away from 0 to -9, which wraps to 16-9 = 7.
      {"-8.5", "ap_fixed<4,4,AP_RND_INF,AP_WRAP>", "7"},
      {"-8.5", "ap_fixed<4,4,AP_RND_INF,AP_SAT>", "-8"},
      {"-8.5", "ap_fixed<4,4,AP_RND,AP_WRAP>", "-8"},      // tie to +inf: -8 fits
      // ap_ufixed<3,3> (codes [0, 7]): 7.5 rounds to 8 = 1000b, the low 3 bits are 0.
      {"7.5", "ap_ufixed<3,3,AP_RND,AP_WRAP>", "0"},
      {"7.5", "ap_ufixed<3,3,AP_RND,AP_SAT>", "7"},
      // ap_ufixed<3,0,RND,SAT>: F = 3, max 7/8; 0.9375 = 7.5 LSB rounds to 8 -> 7.
      {"0.9375", "ap_ufixed<3,0,AP_RND,AP_SAT>", "7"},
      {"0.9375", "ap_ufixed<3,0,AP_RND,AP_SAT_ZERO>", "0"},
  };
  check_values(rows);
}

TEST(FixedConversionTable, WrapWithSaturationBits) {
  std::vector<ValueRow> rows = {
      // ap_fixed<4,4,TRN,WRAP,1>: codes [-8, 7]. On overflow the MSB (bit 3) takes the sign of r.
      //   9 -> low bits 1001, MSB := 0 -> 0001 = 1 (plain WRAP would give -7)
      //  -9 -> low bits 0111 (16-9), MSB := 1 -> 1111 = -1 (plain WRAP: 7)
      {"9", "ap_fixed<4,4,AP_TRN,AP_WRAP,1>", "1"},
      {"-9", "ap_fixed<4,4,AP_TRN,AP_WRAP,1>", "-1"},
      {"7", "ap_fixed<4,4,AP_TRN,AP_WRAP,1>", "7"},    // fits: untouched
      {"-8", "ap_fixed<4,4,AP_TRN,AP_WRAP,1>", "-8"},
      {"9", "ap_fixed<4,4,AP_TRN,AP_WRAP>", "-7"},
      {"-9", "ap_fixed<4,4,AP_TRN,AP_WRAP>", "7"},
      // N = 2: also bit 2 := the opposite of the sign.
      //   9 -> 1001 -> MSB 0, bit2 1 -> 0101 = 5
      //  -9 -> 0111 -> MSB 1, bit2 0 -> 1011 = -5
      //  12 -> 1100 -> 0100 = 4;  20 -> low bits 0100 -> 0100 = 4
      // -12 -> 0100 (16-12) -> MSB 1, bit2 0 -> 1000 = -8
      {"9", "ap_fixed<4,4,AP_TRN,AP_WRAP,2>", "5"},
      {"-9", "ap_fixed<4,4,AP_TRN,AP_WRAP,2>", "-5"},
      {"12", "ap_fixed<4,4,AP_TRN,AP_WRAP,2>", "4"},
      {"20", "ap_fixed<4,4,AP_TRN,AP_WRAP,2>", "4"},
      {"-12", "ap_fixed<4,4,AP_TRN,AP_WRAP,2>", "-8"},
      {"6", "ap_fixed<4,4,AP_TRN,AP_WRAP,2>", "6"},
      {"7.5", "ap_fixed<4,4,AP_RND,AP_WRAP,2>", "4"},  // carry to 8 = 1000 -> 0100
      // N = W: MSB := sign, all other bits := opposite: exactly SAT.
      {"9", "ap_fixed<4,4,AP_TRN,AP_WRAP,4>", "7"},
      {"-9", "ap_fixed<4,4,AP_TRN,AP_WRAP,4>", "-8"},
      // ap_ufixed<4,4,TRN,WRAP,1>: bit 3 := 1 on overflow and on underflow.
      //  17 -> 0001 -> 1001 = 9;  -7 -> 1001 (16-7) -> 9;  -9 -> 0111 -> 1111 = 15
      {"17", "ap_ufixed<4,4,AP_TRN,AP_WRAP,1>", "9"},
      {"-7", "ap_ufixed<4,4,AP_TRN,AP_WRAP,1>", "9"},
      {"-9", "ap_ufixed<4,4,AP_TRN,AP_WRAP,1>", "15"},
      {"15", "ap_ufixed<4,4,AP_TRN,AP_WRAP,1>", "15"},
      {"17", "ap_ufixed<4,4,AP_TRN,AP_WRAP>", "1"},
      // N = 2: bits 2 and 3 := 1.
      //  17 -> 0001 -> 1101 = 13;  20 -> 0100 -> 1100 = 12;  -3 -> 1101 -> 13;  -9 -> 0111 -> 15
      {"17", "ap_ufixed<4,4,AP_TRN,AP_WRAP,2>", "13"},
      {"20", "ap_ufixed<4,4,AP_TRN,AP_WRAP,2>", "12"},
      {"-3", "ap_ufixed<4,4,AP_TRN,AP_WRAP,2>", "13"},
      {"-9", "ap_ufixed<4,4,AP_TRN,AP_WRAP,2>", "15"},
      {"3", "ap_ufixed<4,4,AP_TRN,AP_WRAP,2>", "3"},
  };
  check_values(rows);
}

TEST(FixedConversionTable, NegativeAndLargeIntegerBits) {
  std::vector<ValueRow> rows = {
      // ap_fixed<4,-2>: F = 6, LSB 1/64, codes [-8, 7] = values [-0.125, 0.109375].
      {"0.109375", "ap_fixed<4,-2>", "7"},
      {"0.046875", "ap_fixed<4,-2>", "3"},
      {"-0.125", "ap_fixed<4,-2>", "-8"},
      {"0.125", "ap_fixed<4,-2,AP_TRN,AP_WRAP>", "-8"},  // code 8 wraps
      {"0.125", "ap_fixed<4,-2,AP_TRN,AP_SAT>", "7"},
      {"0.0078125", "ap_fixed<4,-2,AP_TRN>", "0"},       // 1/128 = half an LSB
      {"0.0078125", "ap_fixed<4,-2,AP_RND>", "1"},
      {"0.0078125", "ap_fixed<4,-2,AP_RND_CONV>", "0"},
      {"-0.0078125", "ap_fixed<4,-2,AP_RND_INF>", "-1"},
      // ap_ufixed<3,-1>: F = 4, LSB 1/16, codes [0, 7].
      {"0.25", "ap_ufixed<3,-1>", "4"},
      {"0.5", "ap_ufixed<3,-1,AP_TRN,AP_WRAP>", "0"},    // code 8 = 1000b: low 3 bits 0
      {"0.5", "ap_ufixed<3,-1,AP_TRN,AP_SAT>", "7"},
      // ap_fixed<4,8>: F = -4, LSB 16, codes [-8, 7] = values [-128, 112].
      {"100", "ap_fixed<4,8,AP_TRN>", "6"},              // 6.25 LSB
      {"100", "ap_fixed<4,8,AP_RND>", "6"},
      {"120", "ap_fixed<4,8,AP_TRN>", "7"},              // 7.5 LSB
      {"120", "ap_fixed<4,8,AP_RND,AP_WRAP>", "-8"},     // rounds to 8
      {"120", "ap_fixed<4,8,AP_RND_CONV,AP_SAT>", "7"},  // tie to even 8, clamps
      {"-128", "ap_fixed<4,8>", "-8"},
      {"-136", "ap_fixed<4,8,AP_TRN,AP_SAT>", "-8"},     // -8.5 LSB: floor -9
      {"-136", "ap_fixed<4,8,AP_TRN,AP_WRAP>", "7"},     // -9 wraps to 7
      // ap_ufixed<2,6>: F = -4, codes [0, 3] = values [0, 48]. 40 = 2.5 LSB.
      {"40", "ap_ufixed<2,6,AP_RND>", "3"},
      {"40", "ap_ufixed<2,6,AP_RND_CONV>", "2"},
      {"56", "ap_ufixed<2,6,AP_RND_CONV,AP_WRAP>", "0"},  // 3.5 LSB -> 4 -> low 2 bits 0
  };
  check_values(rows);
}

TEST(FixedConversionTable, WidestTypesAtTheirExtremes) {
  // 2^127 = 170141183460469231731687303715884105728, 2^128 = 340282366920938463463374607431768211456.
  const std::vector<CodeRow> rows = {
      // ap_fixed<128,128> max 2^127-1 fits ap_ufixed<128,128>.
      {"170141183460469231731687303715884105727", "ap_fixed<128,128>", "ap_ufixed<128,128>",
       "170141183460469231731687303715884105727"},
      // Its min -2^127: SAT to 0; WRAP keeps the pattern 1000...0 = 2^127 unsigned.
      {"-170141183460469231731687303715884105728", "ap_fixed<128,128>", "ap_ufixed<128,128,AP_TRN,AP_SAT>", "0"},
      {"-170141183460469231731687303715884105728", "ap_fixed<128,128>", "ap_ufixed<128,128>",
       "170141183460469231731687303715884105728"},
      // SAT_SYM: -2^127 -> -(2^127-1).
      {"-170141183460469231731687303715884105728", "ap_fixed<128,128>", "ap_fixed<128,128,AP_TRN,AP_SAT_SYM>",
       "-170141183460469231731687303715884105727"},
      // ap_ufixed<128,128> max 2^128-1 into ap_fixed<128,128>: SAT 2^127-1, WRAP -1, SAT_ZERO 0.
      {"340282366920938463463374607431768211455", "ap_ufixed<128,128>", "ap_fixed<128,128,AP_TRN,AP_SAT>",
       "170141183460469231731687303715884105727"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,128>", "ap_fixed<128,128>", "-1"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,128>", "ap_fixed<128,128,AP_TRN,AP_SAT_ZERO>", "0"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,128>", "ap_fixed<128,128,AP_TRN,AP_SAT_SYM>",
       "170141183460469231731687303715884105727"},
      // WRAP,2: all ones 111...1, MSB := 0, bit 126 := 1 -> 0111...1 = 2^127-1.
      {"340282366920938463463374607431768211455", "ap_ufixed<128,128>", "ap_fixed<128,128,AP_TRN,AP_WRAP,2>",
       "170141183460469231731687303715884105727"},
      // ap_ufixed<128,0> max = 1 - 2^-128 into ap_fixed<128,1> (F = 127, codes [-2^127, 2^127-1]):
      // (2^128-1)/2 = 2^127 - 1/2, a tie. TRN 2^127-1 fits; RND and RND_CONV (2^127 is even) round
      // up to 2^127, which SAT clamps to 2^127-1 and WRAP turns into -2^127.
      {"340282366920938463463374607431768211455", "ap_ufixed<128,0>", "ap_fixed<128,1,AP_TRN,AP_SAT>",
       "170141183460469231731687303715884105727"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,0>", "ap_fixed<128,1,AP_RND,AP_SAT>",
       "170141183460469231731687303715884105727"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,0>", "ap_fixed<128,1,AP_RND,AP_WRAP>",
       "-170141183460469231731687303715884105728"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,0>", "ap_fixed<128,1,AP_RND_CONV,AP_WRAP>",
       "-170141183460469231731687303715884105728"},
      {"340282366920938463463374607431768211455", "ap_ufixed<128,0>", "ap_fixed<128,1,AP_RND_ZERO,AP_WRAP>",
       "170141183460469231731687303715884105727"},
      // ap_fixed<128,64> min = -2^63: fits ap_fixed<64,64> exactly; into ap_fixed<64,63> (F = 1)
      // it is code -2^64, whose low 64 bits are 0.
      {"-170141183460469231731687303715884105728", "ap_fixed<128,64>", "ap_fixed<64,64,AP_TRN,AP_SAT>",
       "-9223372036854775808"},
      {"-170141183460469231731687303715884105728", "ap_fixed<128,64>", "ap_fixed<64,63>", "0"},
      {"-170141183460469231731687303715884105728", "ap_fixed<128,64>", "ap_fixed<64,63,AP_TRN,AP_SAT>",
       "-9223372036854775808"},
      // The smallest positive value of ap_fixed<128,-8> (2^-136) into ap_fixed<128,120> (LSB 2^-8):
      // far below half an LSB, so 0 except for TRN of a negative value (floor -> -1).
      {"1", "ap_fixed<128,-8>", "ap_fixed<128,120,AP_RND_INF>", "0"},
      {"-1", "ap_fixed<128,-8>", "ap_fixed<128,120,AP_TRN>", "-1"},
      {"-1", "ap_fixed<128,-8>", "ap_fixed<128,120,AP_TRN_ZERO>", "0"},
  };
  check_codes(rows);
}

TEST(FixedConversionTable, FromFloatPointOne) {
  // 0.1f is exactly 13421773 * 2^-27 = 0.100000001490116119384765625.
  // ap_fixed<16,6>: F = 10; 0.1f * 2^10 = 13421773 / 2^17 = 102 + 52429/131072 = 102.4000015...
  // Not a tie, fraction below 1/2: 102 in every mode; -0.1f: TRN floors to -103, everything else
  // (toward 0 or nearest) gives -102. Nothing overflows, so every O agrees.
  // ap_fixed<8,1>: F = 7; 0.1f * 2^7 = 13421773 / 2^20 = 12 + 838861/1048576 = 12.8000001...
  // TRN and TRN_ZERO 12, RND* 13; -0.1f: TRN -13, TRN_ZERO -12, RND* -13.
  const char* modes[] = {"AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV"};
  const char* overflows[] = {"AP_WRAP", "AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM"};
  const float tenth = 0.1F;
  ASSERT_EQ(reference::exact_rational(static_cast<double>(tenth)),
            cpp_rational(cpp_int(13421773), cpp_int(1) << 27));
  for (int q = 0; q < 7; ++q) {
    for (const char* o : overflows) {
      const std::string t16 = std::string("ap_fixed<16,6,") + modes[q] + "," + o + ">";
      const std::string t8 = std::string("ap_fixed<8,1,") + modes[q] + "," + o + ">";
      const bool truncating = q <= 1;
      const FixedType a = FixedType::parse(t16);
      const FixedType b = FixedType::parse(t8);
      EXPECT_EQ(from_float(tenth, a), 102) << t16;
      EXPECT_EQ(from_float(-tenth, a), q == 0 ? -103 : -102) << t16;
      EXPECT_EQ(from_float(tenth, b), truncating ? 12 : 13) << t8;
      EXPECT_EQ(from_float(-tenth, b), q == 1 ? -12 : -13) << t8;
      // The reference agrees.
      EXPECT_EQ(reference::reference_convert(reference::exact_rational(tenth), a), 102) << t16;
      EXPECT_EQ(reference::reference_convert(reference::exact_rational(-tenth), b), q == 1 ? -12 : -13) << t8;
    }
  }
  // And the decimal of the result: 102/1024 = 0.099609375, printed with F = 10 digits.
  EXPECT_EQ(to_decimal(BigInt(102), FixedType::parse("ap_fixed<16,6>")), "0.0996093750");
}

TEST(FixedConversionTable, ToDecimal) {
  struct Row {
    const char* code;
    const char* type;
    const char* text;
  };
  const Row rows[] = {
      {"-559", "ap_fixed<16,6>", "-0.5458984375"},  // 559/1024
      {"0", "ap_fixed<16,6>", "0.0000000000"},
      {"1024", "ap_fixed<16,6>", "1.0000000000"},
      {"-3", "ap_fixed<8,10>", "-12"},                // F = -2: -3 * 4
      {"7", "ap_fixed<4,4>", "7"},                    // F = 0: no point
      {"1", "ap_ufixed<3,-1>", "0.0625"},             // F = 4
      {"-1", "ap_fixed<2,-1>", "-0.125"},             // F = 3
      {"1", "ap_ufixed<1,0>", "0.5"},
      {"-170141183460469231731687303715884105728", "ap_fixed<128,128>", "-170141183460469231731687303715884105728"},
      {"3", "ap_ufixed<2,130>", "1020847100762815390390123822295304634368"},  // F = -128: 3 * 2^128
  };
  for (const Row& row : rows) {
    EXPECT_EQ(to_decimal(BigInt(row.code), FixedType::parse(row.type)), row.text) << row.code << " " << row.type;
  }
}

}  // namespace
}  // namespace l1emu::emu

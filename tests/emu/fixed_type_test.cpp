#include "l1emu/emu/fixed/fixed_type.h"

#include <gtest/gtest.h>

#include "l1emu/emu/error.h"

namespace l1emu::emu {
namespace {

TEST(FixedType, ParsesVivadoSpellings) {
  const auto t = FixedType::parse("ap_fixed<16,6>");
  EXPECT_EQ(t.width, 16);
  EXPECT_EQ(t.integer_bits, 6);
  EXPECT_TRUE(t.is_signed);
  EXPECT_EQ(t.quantization, Quantization::Trn);
  EXPECT_EQ(t.overflow, Overflow::Wrap);
  EXPECT_EQ(t.fractional_bits(), 10);

  const auto u = FixedType::parse(" ap_ufixed< 10 , 6, AP_RND_CONV , AP_SAT > ");
  EXPECT_FALSE(u.is_signed);
  EXPECT_EQ(u.quantization, Quantization::RndConv);
  EXPECT_EQ(u.overflow, Overflow::Sat);
  EXPECT_EQ(u.to_string(), "ap_ufixed<10,6,AP_RND_CONV,AP_SAT>");

  const auto n = FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,2>");
  EXPECT_EQ(n.saturation_bits, 2);
  EXPECT_EQ(n.to_string(), "ap_fixed<8,3,AP_TRN,AP_WRAP,2>");
}

TEST(FixedType, ParsesHls4mlSpellingsAndIntegers) {
  const auto t = FixedType::parse("fixed<18,8,RND,SAT_SYM>");
  EXPECT_TRUE(t.is_signed);
  EXPECT_EQ(t.quantization, Quantization::Rnd);
  EXPECT_EQ(t.overflow, Overflow::SatSym);
  EXPECT_EQ(FixedType::parse("ufixed<6,0>").to_string(), "ap_ufixed<6,0>");
}

TEST(FixedType, IntegerTypesStayIntegers) {
  const auto i = FixedType::parse("ap_int<8>");
  EXPECT_TRUE(i.is_integer);
  EXPECT_TRUE(i.is_signed);
  EXPECT_EQ(i.width, 8);
  EXPECT_EQ(i.integer_bits, 8);
  // ap_fixed_base::to_ap_int_base: the fraction is dropped toward zero, the low W bits kept.
  EXPECT_EQ(i.quantization, Quantization::TrnZero);
  EXPECT_EQ(i.overflow, Overflow::Wrap);
  EXPECT_EQ(i.to_string(), "ap_int<8>");
  const auto u = FixedType::parse("uint<3>");
  EXPECT_TRUE(u.is_integer);
  EXPECT_FALSE(u.is_signed);
  EXPECT_EQ(u.to_string(), "ap_uint<3>");
  EXPECT_EQ(u, FixedType::integer(3, false));
  // The same bits as a fixed-point type are a different type: it floors and prints as ap_fixed.
  EXPECT_NE(FixedType::parse("ap_fixed<8,8>"), i);
  EXPECT_NE(FixedType::parse("ap_fixed<8,8,AP_TRN_ZERO>"), i);
  EXPECT_FALSE(FixedType::parse("ap_fixed<8,8>").is_integer);
  FixedType bad = i;
  bad.integer_bits = 7;
  EXPECT_THROW(bad.validate(), TypeError);
}

TEST(FixedType, AcceptsEnumeratorNamesWhereCxxTakesAnInteger) {
  // ap_decl.h: enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM }, enum
  // ap_q_mode { AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV, AP_TRN, AP_TRN_ZERO }.
  const auto t = FixedType::parse("ap_fixed<15,12,AP_RND,AP_SAT,AP_SAT>");
  EXPECT_EQ(t.saturation_bits, 0);
  EXPECT_EQ(t.overflow, Overflow::Sat);
  EXPECT_EQ(t, FixedType::parse("ap_fixed<15,12,AP_RND,AP_SAT>"));
  EXPECT_EQ(FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,AP_WRAP>").saturation_bits, 3);
  EXPECT_EQ(FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,AP_SAT_SYM>").saturation_bits, 2);
  EXPECT_EQ(FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,AP_TRN_ZERO>").saturation_bits, 6);
  EXPECT_EQ(FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,AP_WRAP_SM>").saturation_bits, 4);
  EXPECT_EQ(FixedType::parse("ap_fixed<8,AP_RND_CONV>").integer_bits, 4);
  EXPECT_EQ(FixedType::parse("ap_int<AP_TRN>").width, 5);
  // N is read only under AP_WRAP (ap_fixed_base::overflow_adjust); with another mode it changes nothing.
  EXPECT_EQ(FixedType::parse("ap_fixed<8,3,AP_TRN,AP_SAT,2>"), FixedType::parse("ap_fixed<8,3,AP_TRN,AP_SAT>"));
  // Only the real enumerator names, with their prefix.
  EXPECT_THROW((void)FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,SAT>"), TypeError);
  EXPECT_THROW((void)FixedType::parse("ap_fixed<8,3,AP_TRN,AP_WRAP,AP_CLAMP>"), TypeError);
}

TEST(FixedType, AcceptsNegativeAndLargeIntegerBits) {
  EXPECT_EQ(FixedType::parse("ap_fixed<4,-2>").fractional_bits(), 6);
  EXPECT_EQ(FixedType::parse("ap_fixed<4,10>").fractional_bits(), -6);
}

TEST(FixedType, CodeRanges) {
  const auto s = FixedType::parse("ap_fixed<8,3>");
  EXPECT_EQ(s.min_code(), -128);
  EXPECT_EQ(s.max_code(), 127);
  const auto u = FixedType::parse("ap_ufixed<8,3>");
  EXPECT_EQ(u.min_code(), 0);
  EXPECT_EQ(u.max_code(), 255);
  const auto w = FixedType::parse("ap_ufixed<128,0>");
  EXPECT_EQ(w.max_code(), (BigInt(1) << 128) - 1);
}

TEST(FixedType, RejectsBadTypesWithAClearMessage) {
  for (const char* bad : {"ap_fixed<0,0>", "ap_fixed<200,10>", "ap_fixed<16,6,AP_ROUND>", "ap_fixed<16,6,AP_RND,AP_CLAMP>",
                          "ap_fixed<16>", "ap_fixed<16,x>", "float", "ap_fixedd<16,6>", "ap_fixed<8,3,AP_TRN,AP_SAT,9>",
                          "ap_fixed<8,3,AP_TRN,AP_WRAP,9>", "", "ap_fixed<16,6"}) {
    EXPECT_THROW((void)FixedType::parse(bad), TypeError) << bad;
  }
  try {
    (void)FixedType::parse("ap_fixed<200,10>");
    FAIL();
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("128"), std::string::npos) << e.what();
  }
}

TEST(FixedType, PrintParseRoundTrip) {
  for (const char* text : {"ap_fixed<16,6>", "ap_ufixed<7,4,AP_RND_CONV,AP_SAT>", "ap_fixed<12,4,AP_RND>",
                           "ap_fixed<14,5,AP_RND_ZERO,AP_SAT_SYM>", "ap_fixed<128,64,AP_TRN_ZERO,AP_SAT_ZERO>", "ap_int<8>",
                           "ap_uint<1>", "ap_int<128>"}) {
    EXPECT_EQ(FixedType::parse(text).to_string(), text);
  }
}

}  // namespace
}  // namespace l1emu::emu

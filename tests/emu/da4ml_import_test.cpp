// da4ml distributed arithmetic (tests/fixtures/hls4ml/da4ml_mlp: dense_da_N functions of typed
// bit_shift / + / - statements, an ap_int input, constants, shifted variables) imports as the Dense
// layers it provably equals and reproduces hls4ml's own C simulation of it (expected/README.md) on
// both engines; a statement whose type can round or overflow is refused, naming its line.
#include <gtest/gtest.h>

#include "code_gen_fixtures.h"
#include "hls4ml_codes_check.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/nn/layers/dense.h"

namespace l1emu::emu {
namespace {

using testing::expect_hls4ml_codes;

TEST(Da4mlImport, ReproducesHls4mlsOwnCSimulation) {
  testing::ScratchDir scratch("da4ml_project");
  testing::write_da4ml_project(scratch.path());
  const auto& dir = scratch.path();
  const Model model = import_hls4ml_project(dir, std::nullopt, nullptr);
  ASSERT_EQ(model.layers().size(), 3U);
  const auto* first = dynamic_cast<const Dense*>(model.layers()[0].get());
  const auto* second = dynamic_cast<const Dense*>(model.layers()[2].get());
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->name(), "dense");
  EXPECT_EQ(first->output_size(), 5U);
  EXPECT_EQ(second->output_size(), 3U);
  // The constants of dense_da_4 become biases; dense_da_2 has none.
  for (const auto& b : first->config().biases) EXPECT_EQ(b, 0);
  std::size_t nonzero_biases = 0;
  for (const auto& b : second->config().biases) nonzero_biases += b != 0 ? 1 : 0;
  EXPECT_EQ(nonzero_biases, 3U);
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 400U);
}

std::string import_error_after(const std::string& from, const std::string& to) {
  return testing::import_error_after_code_gen_edit(testing::write_da4ml_project, from, to);
}

TEST(Da4mlImport, RefusesAStatementThatCanRound) {
  // v0 = -x5/2 - x0 has half-integer values: ap_fixed<9,9> drops that bit.
  const std::string e = import_error_after("ap_fixed<10, 9> v0 =", "ap_fixed<9, 9> v0 =");
  EXPECT_NE(e.find("nnet_code_gen.h:" + std::to_string(testing::kDa4mlFirstLine + 3) + ": dense_da_2: v0 needs 1 fractional bits"), std::string::npos) << e;
  EXPECT_NE(e.find("can round"), std::string::npos) << e;
}

TEST(Da4mlImport, RefusesAStatementThatCanOverflow) {
  // v0 ranges over [-190.5, 192]: ap_fixed<9,8> holds [-128, 127.5].
  const std::string e = import_error_after("ap_fixed<10, 9> v0 =", "ap_fixed<9, 8> v0 =");
  EXPECT_NE(e.find("nnet_code_gen.h:" + std::to_string(testing::kDa4mlFirstLine + 3) + ": dense_da_2: v0 ranges over [-190.5, 192.0]"), std::string::npos) << e;
  EXPECT_NE(e.find("can overflow"), std::string::npos) << e;
}

TEST(Da4mlImport, RefusesCodeThatIsNotAnAdderGraph) {
  const std::string e = import_error_after("v0 + bit_shift<1>(v1);", "v0 * v1;");
  EXPECT_NE(e.find("nnet_code_gen.h:" + std::to_string(testing::kDa4mlFirstLine + 5) + ": dense_da_2: expected ';'"), std::string::npos) << e;
  const std::string unknown = import_error_after("v0 + bit_shift<1>(v1);", "v0 + bit_shift<1>(v99);");
  EXPECT_NE(unknown.find("'v99' is used before it is assigned"), std::string::npos) << unknown;
}

}  // namespace
}  // namespace l1emu::emu

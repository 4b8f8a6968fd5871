// Top functions with scalar int ports that fill the network's input before the layer calls (the
// ATLAS L1Topo AD projects' shape; emu/src/io/scalar_port_prelude.h): the fixture
// tests/fixtures/hls4ml/scalar_ports imports as Pack, BitShift and Linear layers in front of the
// network and reproduces its own C simulation (expected/README.md) on both engines, through
// model.json too; the BitShift rules on their own; the C int reading of the text values; and
// every statement outside the forms read is refused naming its line. With L1EMU_ATLAS_L1AD_DIR
// set, the three ATLAS projects themselves against codes of their own C++ (tests/emu/data/atlas_l1ad).
#include <gtest/gtest.h>

#include <cstdlib>

#include "hls4ml_codes_check.h"
#include "import_test_support.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/bit_shift.h"
#include "l1emu/emu/nn/layers/pack.h"

namespace l1emu::emu {
namespace {

using testing::expect_hls4ml_codes;

TEST(ScalarPortImport, ReproducesTheProjectsOwnCSimulation) {
  const auto dir = testing::fixture_dir("hls4ml/scalar_ports");
  std::vector<std::string> notes;
  const Model model = import_hls4ml_project(dir, std::nullopt, &notes);
  ASSERT_EQ(model.inputs().size(), 6U);
  for (const auto& in : model.inputs()) {
    EXPECT_EQ(in.size, 1U);
    EXPECT_EQ(in.type.to_string(), "ap_int<32>");
    EXPECT_EQ(in.reading, InputReading::CInt);
  }
  EXPECT_EQ(model.inputs()[0].name, "in_a_pt");
  EXPECT_EQ(model.inputs()[5].name, "in_met_phi");
  ASSERT_EQ(model.layers().size(), 6U);
  const auto* pack = dynamic_cast<const Pack*>(model.layers()[0].get());
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->name(), "preshift");
  EXPECT_EQ(pack->result_type().to_string(), "ap_fixed<14,10>");
  const auto* shift = dynamic_cast<const BitShift*>(model.layers()[1].get());
  ASSERT_NE(shift, nullptr);
  EXPECT_EQ(shift->right_shifts(), (std::vector<long>{3, 0, -2, 5, 1, -1}));
  EXPECT_EQ(model.layers()[2]->name(), "inputs");
  EXPECT_EQ(model.layers()[2]->result_type().to_string(), "ap_fixed<10,4,AP_RND,AP_SAT>");
  EXPECT_EQ(model.layers()[3]->name(), "fc1");
  bool said = false;
  for (const auto& n : notes) said = said || n.find("6 scalar int ports") != std::string::npos;
  EXPECT_TRUE(said);
  EXPECT_EQ(expect_hls4ml_codes(model, dir), 600U);
  // model.json keeps the ports' reading and the shifts.
  const std::string json = write_model_json(model);
  EXPECT_NE(json.find("\"c_type\": \"int\""), std::string::npos);
  const Model reread = parse_model_json(json, "written");
  EXPECT_EQ(write_model_json(reread), json);
  EXPECT_EQ(expect_hls4ml_codes(reread, dir), 600U);
}

TEST(ScalarPortImport, TheOracleCatchesAWrongShiftOrReading) {
  const auto dir = testing::fixture_dir("hls4ml/scalar_ports");
  const std::string json = write_model_json(import_hls4ml_project(dir, std::nullopt, nullptr));
  // Every occurrence of `from` replaced by `to`.
  const auto mismatches_after = [&](const std::string& from, const std::string& to) {
    std::string edited = json;
    EXPECT_NE(edited.find(from), std::string::npos) << from;
    for (auto at = edited.find(from); at != std::string::npos; at = edited.find(from, at + to.size())) edited.replace(at, from.size(), to);
    return testing::compare_hls4ml_codes(parse_model_json(edited, "mutant"), dir, true).mismatches;
  };
  EXPECT_GT(mismatches_after("[3, 0, -2, 5, 1, -1]", "[3, 0, -1, 5, 1, -1]"), 0U);  // a left shift off by one
  EXPECT_GT(mismatches_after("[3, 0, -2, 5, 1, -1]", "[2, 0, -2, 5, 1, -1]"), 0U);  // a right shift off by one
  EXPECT_GT(mismatches_after("\"result_t\": \"ap_fixed<14,10>\"", "\"result_t\": \"ap_fixed<24,20>\""), 0U);  // ints not wrapped into the preshift type
}

TEST(BitShift, ShiftsTheRawBitsInTheSameType) {
  const FixedType t = FixedType::parse("ap_fixed<8,4>");
  const BitShift layer("s", ArraySpec{"x", 4, t}, {1, 2, -1, -3});
  const FixedArray x{t, {BigInt(-3), BigInt(-4), BigInt(100), BigInt(17)}};
  const FixedArray* in[] = {&x};
  const auto y = layer.evaluate(in);
  EXPECT_EQ(y[0], BigInt(-2));  // -3 >> 1 = -2: arithmetic, toward minus infinity
  EXPECT_EQ(y[1], BigInt(-1));  // -4 >> 2
  EXPECT_EQ(y[2], BigInt(-56));  // 100 << 1 = 200 wraps in 8 bits to -56
  EXPECT_EQ(y[3], BigInt(-120));  // 17 << 3 = 136 wraps to -120
  EXPECT_EQ(layer.result_type(), t);
  const FixedType u = FixedType::parse("ap_ufixed<6,6>");
  const BitShift unsigned_layer("u", ArraySpec{"x", 1, u}, {-2});
  const FixedArray ux{u, {BigInt(50)}};
  const FixedArray* uin[] = {&ux};
  EXPECT_EQ(unsigned_layer.evaluate(uin)[0], BigInt(8));  // 200 mod 64
  EXPECT_THROW(BitShift("w", ArraySpec{"x", 1, t}, {8}), ModelError);  // a shift by the width
  EXPECT_THROW(BitShift("i", ArraySpec{"x", 1, FixedType::parse("ap_int<8>")}, {1}), ModelError);
  EXPECT_THROW(BitShift("n", ArraySpec{"x", 2, t}, {1}), ModelError);
}

TEST(ScalarPortImport, CIntValuesAreReadAsCConvertsThem) {
  testing::ScratchDir scratch("c_int_values");
  const Model model = import_hls4ml_project(testing::fixture_dir("hls4ml/scalar_ports"), std::nullopt, nullptr);
  const auto readings = input_readings(model);
  testing::write_text(scratch.path() / "in.txt", "2147483647 -2147483648 -3.7 0.9 -0.4 16777217\n1 2 3 4 5 2147483648\n");
  EventTextReader reader(scratch.path() / "in.txt", input_width(model));
  std::vector<double> values;
  ASSERT_TRUE(reader.next(values, readings));
  EXPECT_EQ(values, (std::vector<double>{2147483647.0, -2147483648.0, -3.0, 0.0, 0.0, 16777217.0}));  // exact, toward zero
  const auto codes = input_codes(model, values);
  EXPECT_EQ(codes[5][0], BigInt(16777217));  // beyond float32's exact integers
  try {
    (void)reader.next(values, readings);
    ADD_FAILURE() << "a value beyond int was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("in.txt:2: value 6"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("C int port"), std::string::npos) << e.what();
  }
  // The float path of the other commands refuses such a model instead of rounding through float32.
  EXPECT_THROW((void)input_codes(model, std::vector<float>(6, 1.0F)), InputError);
}

// The import error after replacing `from` with `to` in the fixture's myproject.cpp.
std::string import_error_after(const std::string& from, const std::string& to) {
  testing::ScratchDir scratch("scalar_ports_edit");
  testing::copy_fixture("hls4ml/scalar_ports", scratch.path());
  const auto cpp = scratch.path() / "firmware" / "myproject.cpp";
  std::string text = testing::read_text(cpp);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return {};
  text.replace(at, from.size(), to);
  testing::write_text(cpp, text);
  try {
    (void)import_hls4ml_project(scratch.path(), std::nullopt, nullptr);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(imported)";
}

TEST(ScalarPortImport, RefusesStatementsItDoesNotRead) {
  // myproject.cpp: line 37 is `inputs[2] = preshift[2] >> -2;`, 31 `preshift[3] = ...`.
  std::string e = import_error_after("inputs[2] = preshift[2] >> -2;", "inputs[2] = preshift[2] * 4;");
  EXPECT_NE(e.find("myproject.cpp:37: myproject: 'inputs[2] = preshift[2] * 4;'"), std::string::npos) << e;
  e = import_error_after("inputs[2] = preshift[2] >> -2;", "inputs[2] = preshift[3] >> -2;");
  EXPECT_NE(e.find("myproject.cpp:37"), std::string::npos) << e;
  EXPECT_NE(e.find("reads 'preshift[3]'"), std::string::npos) << e;
  e = import_error_after("preshift[3] = input_preshift_t(in_b_eta);", "preshift[2] = input_preshift_t(in_b_eta);");
  EXPECT_NE(e.find("myproject.cpp:31: myproject: element 2 of 'preshift' is assigned again"), std::string::npos) << e;
  e = import_error_after("preshift[3] = input_preshift_t(in_b_eta);", "preshift[3] = input_preshift_t(in_b_eta + 1);");
  EXPECT_NE(e.find("myproject.cpp:31"), std::string::npos) << e;
  e = import_error_after("    int in_b_eta,", "    short in_b_eta,");
  EXPECT_NE(e.find("port 'in_b_eta' has type 'short'"), std::string::npos) << e;
  e = import_error_after("        loaded_weights = true;", "        loaded_weights = in_a_pt > 0;");
  EXPECT_NE(e.find("uses the port 'in_a_pt'"), std::string::npos) << e;
  e = import_error_after("    inputs[5] = preshift[5] >> -1;\n", "");
  EXPECT_NE(e.find("element 5 of 'inputs' is never assigned"), std::string::npos) << e;
  e = import_error_after("    nnet::relu<layer2_t, layer3_t, relu_config3>(layer2_out, layer3_out); // relu1",
                         "    nnet::relu<layer2_t, layer3_t, relu_config3>(layer2_out, layer3_out); // relu1\n    inputs[0] = preshift[0] >> 2;");
  EXPECT_NE(e.find("assigned again"), std::string::npos) << e;
}

// The three ATLAS projects (max-cohen54/AD_trigger_training at 4364bf7, L1AD/HLS) when
// L1EMU_ATLAS_L1AD_DIR names the folder holding them: every output code of the events of
// tests/emu/data/atlas_l1ad against their own C++ (tests/emu/data/atlas_l1ad/README.md).
TEST(ScalarPortImport, AtlasL1adProjectsReproduceTheirOwnCpp) {
  const char* env = std::getenv("L1EMU_ATLAS_L1AD_DIR");
  if (env == nullptr || *env == '\0') {
    GTEST_SKIP() << "L1EMU_ATLAS_L1AD_DIR is not set (the folder L1AD/HLS of max-cohen54/AD_trigger_training at 4364bf7): ATLAS projects not checked";
  }
  const std::filesystem::path data = std::filesystem::path(L1EMU_SOURCE_DIR) / "tests" / "emu" / "data" / "atlas_l1ad";
  for (const char* project : {"FiorDiLatte_DenseBN_Topo2A_trigger_VAE_GAN_LUT_NoData", "FiorDiLatte_DenseBN_Topo2A_trigger_VAE_NoData",
                              "FiorDiLatte_Topo2A_trigger_VAE_Nodata"}) {
    SCOPED_TRACE(project);
    const Model model = import_hls4ml_project(std::filesystem::path(env) / project, std::nullopt, nullptr);
    testing::ScratchDir scratch("atlas_l1ad");
    std::filesystem::copy_file(data / "inputs.txt", scratch.path() / "inputs.txt");
    testing::write_text(scratch.path() / "expected" / "outputs_raw.txt", testing::read_text(data / (std::string(project) + ".expected.txt")));
    EXPECT_EQ(expect_hls4ml_codes(model, scratch.path()), 426U);
  }
}

}  // namespace
}  // namespace l1emu::emu

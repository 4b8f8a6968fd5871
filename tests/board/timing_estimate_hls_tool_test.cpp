// The HLS tool in the latency estimate: Vitis HLS schedules hls4ml's Dense sums and sub-function calls
// differently from Vivado HLS 2019.2, and 7-series devices multiply differently from UltraScale+
// (README "l1emu estimate"; the evidence is cited in board/src/timing_estimate.cpp). Models of our own.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hls4ml_shaped_models.h"
#include "l1emu/board/device.h"
#include "l1emu/board/error.h"
#include "l1emu/board/timing_estimate.h"
#include "l1emu/emu/io/model_loader.h"
#include "scratch_dir.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

const Device& zynq() { return get_device("xc7z020clg400-1"); }

// One Dense of ap_ufixed<6,0> inputs (or `input_t`) and one output of weight codes `codes`
// (ap_fixed<6,1>: code / 32) and a nonzero bias, summed in ap_fixed<16,6> (or `accum_t`).
emu::Model one_output_dense(const fs::path& dir, const std::vector<int>& codes, const std::string& input_t = "ap_ufixed<6,0>",
                            const std::string& accum_t = "ap_fixed<16,6>") {
  nlohmann::json weight = nlohmann::json::array();
  for (int c : codes) weight.push_back({c / 32.0});
  nlohmann::json model = {{"project", "one_output"}, {"inputs", {{{"name", "x"}, {"size", codes.size()}, {"type", input_t}}}},
                          {"layers", {{{"name", "fc"}, {"class", "Dense"}, {"input", "x"}, {"n_out", 1}, {"weight", weight}, {"bias", {0.25}},
                                       {"weight_t", "ap_fixed<6,1>"}, {"bias_t", "ap_fixed<6,1>"}, {"accum_t", accum_t},
                                       {"result_t", accum_t}}}},
                          {"outputs", {"fc"}}};
  fs::create_directories(dir);
  std::ofstream(dir / "model.json") << model.dump(1);
  return emu::load_model(dir / "model.json");
}

EstimateOptions vitis(const std::string& tool) {
  EstimateOptions o;
  o.clock_uncertainty = 0.27;  // Vitis HLS's default
  o.hls_tool = parse_hls_tool(tool);
  return o;
}

TEST(HlsTool, ParsesNamesAndDefaults) {
  EXPECT_EQ(parse_hls_tool("vivado").name(), "vivado-2019.2");
  EXPECT_EQ(parse_hls_tool("vitis").name(), "vitis-2024.1");
  EXPECT_EQ(parse_hls_tool("vitis-2023").name(), "vitis-2023.1");
  EXPECT_EQ(parse_hls_tool("vitis-2024.2").name(), "vitis-2024.2");
  EXPECT_TRUE(parse_hls_tool("vitis-2024.2").at_least(2024, 2));
  EXPECT_FALSE(parse_hls_tool("vitis-2024.1").at_least(2024, 2));
  EXPECT_FALSE(parse_hls_tool("vivado-2019.2").vitis());
  for (const char* bad : {"", "quartus", "vitis-24", "vitis-2024.x", "vivado2019"}) EXPECT_THROW((void)parse_hls_tool(bad), ConfigError) << bad;
}

class HlsToolEstimate : public testing::ScratchDirTest {};

// Where the tool came from is said: the caller's (the commands' --hls-tool or model.json's
// hls_synthesis), or an assumption with a note on how to choose.
TEST_F(HlsToolEstimate, SaysWhichToolItAssumed) {
  const emu::Model model = one_output_dense(dir_, std::vector<int>(16, 2));
  const ModelEstimate assumed = estimate_model(model, zynq(), {});
  EXPECT_EQ(assumed.hls_tool, "vivado-2019.2");
  EXPECT_EQ(assumed.hls_tool_source, "assumed");
  ASSERT_EQ(assumed.notes.size(), 1u);
  EXPECT_NE(assumed.notes[0].find("--hls-tool"), std::string::npos) << assumed.notes[0];
  EstimateOptions stated;
  std::string note;
  stated.hls_tool = hls_tool_of({"vitis_hls", "2024.2", "", 0.0, ""}, &note);
  stated.hls_tool_source = "model.json";
  EXPECT_TRUE(note.empty());
  const ModelEstimate e = estimate_model(model, zynq(), stated);
  EXPECT_EQ(e.hls_tool, "vitis-2024.2");
  EXPECT_EQ(e.hls_tool_source, "model.json");
  EXPECT_TRUE(e.notes.empty());
  EXPECT_EQ(hls_tool_of({"vitis_hls", "", "", 0.0, "cfg.yml"}, &note).name(), "vitis-2024.1");
  EXPECT_NE(note.find("without a version (from cfg.yml)"), std::string::npos) << note;
  EXPECT_EQ(hls_tool_of({"vivado_hls", "2019.2", "", 0.0, ""}, nullptr).name(), "vivado-2019.2");
  EXPECT_THROW((void)hls_tool_of({"quartus", "", "", 0.0, ""}, nullptr), ConfigError);
}

// Vitis HLS on the xc7z020: one adder of the sum per state (2.13 ns of 3.65); a balanced tree of 16
// shifted inputs and the bias is 5 adders, 5 states (latency 4). Vivado HLS chains two adders of 1.82
// ns per state of 4.375: 3 states.
TEST_F(HlsToolEstimate, VitisSumsOneAdderPerStateOnSevenSeries) {
  const emu::Model shifts = one_output_dense(dir_, std::vector<int>(16, 2));
  EXPECT_EQ(estimate_model(shifts, zynq(), vitis("vitis-2024.1")).latency_cycles, 4);
  EXPECT_EQ(estimate_model(shifts, zynq(), {}).latency_cycles, 2);
}

// A weight of code -1 is a subtraction Vitis HLS does not move: the runs between such terms are summed
// apart and chained, two adders per subtraction. 16 terms with three of code -1 (inputs 4, 8, 12):
// the first run (4 terms and the bias) 3 adders, then 2 per subtraction: 9 states, latency 8, against 4
// for the same weights of code +2. Vivado HLS 2019.2 balances all 17 terms whatever their signs.
TEST_F(HlsToolEstimate, VitisChainsTheRunsBetweenCodeMinusOneTerms) {
  std::vector<int> codes(16, 2);
  codes[4] = codes[8] = codes[12] = -1;
  const emu::Model chained = one_output_dense(dir_, codes);
  EXPECT_EQ(estimate_model(chained, zynq(), vitis("vitis-2024.1")).latency_cycles, 8);
  EXPECT_EQ(estimate_model(chained, zynq(), {}).latency_cycles, 2);
  codes[4] = codes[8] = codes[12] = 1;
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "plus", codes), zynq(), vitis("vitis-2024.1")).latency_cycles, 4);
}

// Vitis HLS: a weight of two signed digits (3 = 4 - 1) or a negative power of two (-2 = 0 - 2x) costs
// one adder before the sum; one of three digits (11) a multiplier core on 7-series, of two states on
// data of 11 bits or more (a DSP48E1: MinhNguy3n h_dense's `mul_12s_8s_19_2_0`) and five on narrower
// data (LUTs: its h_dense_1's `mul_8ns_7s_15_5_0`). The sum's tree keeps its shape, so the late term
// passes all 3 levels of a 5-leaf tree: 2 + 3 states (latency 4) or 5 + 3 (latency 7).
TEST_F(HlsToolEstimate, VitisTermsAndMultiplierCores) {
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "s", {2, 2, 2, 2}), zynq(), vitis("vitis-2024.1")).latency_cycles, 2);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "d", {3, 2, 2, 2}), zynq(), vitis("vitis-2024.1")).latency_cycles, 3);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "n", {-2, 2, 2, 2}), zynq(), vitis("vitis-2024.1")).latency_cycles, 3);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "m", {11, 2, 2, 2}, "ap_fixed<12,5>"), zynq(), vitis("vitis-2024.1")).latency_cycles, 4);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "u", {11, 2, 2, 2}, "ap_ufixed<10,6>"), zynq(), vitis("vitis-2024.1")).latency_cycles, 7);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "w", {11, 2, 2, 2}, "ap_ufixed<6,0>"), zynq(), vitis("vitis-2024.1")).latency_cycles, 7);
}

// Vitis HLS on 7-series: the sum's adders take the delay of its width, 1.81 ns at 14 bits (two per
// state of 3.65 ns: MinhNguy3n h_dense_3's `add i14`), 2.07 at 16 (one per state). 16 shifted terms
// and the bias, 5 adders: 3 states (latency 2) in ap_fixed<14,6>, 5 (latency 4) in ap_fixed<16,6>.
TEST_F(HlsToolEstimate, VitisSumAdderDelayFollowsItsWidth) {
  const std::vector<int> codes(16, 2);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "14", codes, "ap_ufixed<6,0>", "ap_fixed<14,6>"), zynq(), vitis("vitis-2024.1")).latency_cycles, 2);
  EXPECT_EQ(estimate_model(one_output_dense(dir_ / "16", codes, "ap_ufixed<6,0>", "ap_fixed<16,6>"), zynq(), vitis("vitis-2024.1")).latency_cycles, 4);
}

// A ReLU then HGQ's quantizer of its output (MinhNguy3n's re_lu + h_dense_relu_quantizer) on `n` inputs
// of ap_fixed<12,8>; the quantizer rounds with `rounding` and wraps.
emu::Model relu_quantizer(const fs::path& dir, const std::string& rounding) {
  constexpr int n = 4;
  nlohmann::json model = {{"project", "relu_q"}, {"inputs", {{{"name", "x"}, {"size", n}, {"type", "ap_fixed<12,8>"}}}},
                          {"layers", {{{"name", "re_lu"}, {"class", "ReLU"}, {"input", "x"}, {"result_t", "ap_ufixed<10,6>"}},
                                      {{"name", "q"}, {"class", "FixedPointQuantizer"}, {"input", "re_lu"}, {"keep_negative", std::vector<int>(n, 0)},
                                       {"bits", {5, 0, 9, 6}}, {"integer_bits", {4, 0, 5, 4}}, {"rounding", rounding}, {"overflow", "AP_WRAP"},
                                       {"result_t", "ap_ufixed<10,6>"}}}},
                          {"outputs", {"q"}}};
  fs::create_directories(dir);
  std::ofstream(dir / "model.json") << model.dump(1);
  return emu::load_model(dir / "model.json");
}

// A quantizer that truncates (AP_TRN) and wraps keeps a slice of its input's bits: no operation, so
// the ReLU's compare-select is the pair's only delay and both end in state 0 (MinhNguy3n's relu calls,
// Vitis HLS: one state of 2.23-2.61 ns, the quantizer a `trunc`). One that rounds (AP_RND) adds: the
// adder does not fit after the compare-select, state 1. The same under Vivado HLS's delays.
TEST_F(HlsToolEstimate, TruncatingQuantizerIsWiring) {
  const ModelEstimate trn = estimate_model(relu_quantizer(dir_ / "trn", "AP_TRN"), zynq(), vitis("vitis-2024.2"));
  EXPECT_EQ(trn.latency_cycles, 0);
  EXPECT_EQ(trn.layers[1].latency_cycles, 0);
  EXPECT_EQ(trn.layers[1].resources.lut, 0);
  EXPECT_EQ(estimate_model(relu_quantizer(dir_ / "rnd", "AP_RND"), zynq(), vitis("vitis-2024.2")).latency_cycles, 1);
  EXPECT_EQ(estimate_model(relu_quantizer(dir_ / "trn", "AP_TRN"), zynq(), {}).latency_cycles, 0);
  EXPECT_EQ(estimate_model(relu_quantizer(dir_ / "rnd", "AP_RND"), zynq(), {}).latency_cycles, 1);
}

// Vitis HLS on 7-series: a compare-select takes 2.61 ns at most (MinhNguy3n's relu schedules: `icmp`
// 1.54 + `select` 0.68 ns; calls of 2.23-2.61), not Vivado HLS 2019.2's 3.22: two ReLUs chain in one
// state of 5.41 ns (135 MHz, 27 %) under Vitis HLS, not with Vivado HLS's delays.
TEST_F(HlsToolEstimate, VitisCompareSelectOnSevenSeries) {
  nlohmann::json model = {{"project", "two_relu"}, {"inputs", {{{"name", "x"}, {"size", 4}, {"type", "ap_fixed<12,8>"}}}},
                          {"layers", {{{"name", "a"}, {"class", "ReLU"}, {"input", "x"}, {"result_t", "ap_fixed<12,8>"}},
                                      {{"name", "b"}, {"class", "ReLU"}, {"input", "a"}, {"result_t", "ap_fixed<12,8>"}}}},
                          {"outputs", {"b"}}};
  fs::create_directories(dir_);
  std::ofstream(dir_ / "model.json") << model.dump(1);
  const emu::Model m = emu::load_model(dir_ / "model.json");
  EstimateOptions o = vitis("vitis-2024.2");
  o.clock_mhz = 135.0;
  EXPECT_EQ(estimate_model(m, zynq(), o).latency_cycles, 0);
  o.hls_tool = parse_hls_tool("vivado-2019.2");
  EXPECT_EQ(estimate_model(m, zynq(), o).latency_cycles, 1);
}

// Vitis HLS 2024.2 spends latency + 2 states of the top pipeline on a call of latency 1 or more (Vitis
// HLS 2024.1 and Vivado HLS latency + 1): the Dense of 9 states above is latency 8 as a layer either
// way, and 9 as the model under 2024.2.
TEST_F(HlsToolEstimate, Vitis2024Point2CallsTakeOneStateMore) {
  std::vector<int> codes(16, 2);
  codes[4] = codes[8] = codes[12] = -1;
  const emu::Model model = one_output_dense(dir_, codes);
  const ModelEstimate v1 = estimate_model(model, zynq(), vitis("vitis-2024.1"));
  const ModelEstimate v2 = estimate_model(model, zynq(), vitis("vitis-2024.2"));
  EXPECT_EQ(v1.layers[0].latency_cycles, 8);
  EXPECT_EQ(v2.layers[0].latency_cycles, 8);
  EXPECT_EQ(v1.latency_cycles, 8);
  EXPECT_EQ(v2.latency_cycles, 9);
}

// 7-series softmax: the product of the inverse sum and each exp value is a DSP48E1 pipeline of three
// stages and a state that writes it: model_3's shape on the xc7z020 gets the Softmax latency 13 of
// hls4ml_prj_pynq's csynth (Vivado HLS 2019.2), where the VU9P's chained product gives 3 (model_3).
TEST_F(HlsToolEstimate, SevenSeriesSoftmaxProductIsADspPipeline) {
  const emu::Model model = emu::load_model(testing::write_pruned_jet_tagger(dir_));
  const ModelEstimate z = estimate_model(model, zynq(), {});
  const ModelEstimate u = estimate_model(model, get_device("xcvu9p-flgb2104-2-e"), {});
  EXPECT_EQ(z.layers.back().class_name, "Softmax");
  EXPECT_EQ(z.layers.back().latency_cycles, 13);
  EXPECT_EQ(u.layers.back().latency_cycles, 3);
}

}  // namespace
}  // namespace l1emu::board

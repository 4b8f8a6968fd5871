// Dense with the Resource strategy and a reuse factor above n_in: hls4ml's rf_gt_nin kernels add
// the same products in other orders, which a wrapping accumulator makes irrelevant. Checked against
// hls4ml's own kernels (tests/fixtures/dense_rf_gt_nin/README.md) and against the Latency layer on
// random models; a saturating accumulator is refused.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "import_test_support.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::emu {
namespace {

using testing::fixture_dir;

TEST(DenseResource, ReuseFactorsAboveTheInputsReproduceHls4mlsKernels) {
  for (const char* r : {"10", "12"}) {
    const auto dir = fixture_dir("dense_rf_gt_nin");
    const Model model = parse_model_json(testing::read_text(dir / (std::string("r") + r + ".json")), std::string("r") + r + ".json");
    const auto& dense = dynamic_cast<const Dense&>(*model.layers()[0]);
    EXPECT_EQ(resource_kernel_name(5, dense.config().reuse_factor), std::string(r) == "10" ? "DenseResource_rf_gt_nin_rem0" : "DenseResource_rf_gt_nin");
    const ReferenceEvaluator reference(model);
    const CompiledModel compiled(model);
    auto ws = compiled.make_workspace();
    std::istringstream expected(testing::read_text(dir / (std::string("expected_r") + r + ".txt")));
    EventTextReader reader(dir / "inputs.txt", input_width(model));
    std::vector<float> values;
    std::size_t events = 0;
    while (reader.next(values)) {
      const auto codes = input_codes(model, values);
      const auto outputs = reference.outputs(reference.evaluate(codes));
      std::vector<std::int64_t> flat, fast(compiled.output_width());
      for (const auto& c : codes[0]) flat.push_back(c.convert_to<std::int64_t>());
      compiled.evaluate(ws, flat.data(), 1, fast.data());
      for (std::size_t j = 0; j < outputs.size(); ++j) {
        long long want = 0;
        expected >> want;
        ASSERT_EQ(outputs[j], want) << "R " << r << " event " << events << " output " << j;
        ASSERT_EQ(fast[j], want) << "R " << r << " event " << events << " output " << j;
      }
      ++events;
    }
    EXPECT_EQ(events, 500U);
    // model.json names the kernel and reads it back.
    const std::string json = write_model_json(model);
    EXPECT_NE(json.find(resource_kernel_name(5, dense.config().reuse_factor)), std::string::npos);
    EXPECT_EQ(write_model_json(parse_model_json(json, "again")), json);
  }
}

TEST(DenseResource, AboveTheInputsAWrappingAccumulatorGivesTheLatencySums) {
  std::mt19937_64 rng(77);
  for (int m = 0; m < 40; ++m) {
    const std::size_t n_in = 1 + rng() % 9, n_out = 1 + rng() % 9;
    const ArraySpec in{"x", n_in, FixedType::parse("ap_fixed<10,3>")};
    Dense::Config c;
    c.n_out = n_out;
    c.weight_t = FixedType::parse("ap_fixed<8,2>");
    c.bias_t = c.weight_t;
    c.accum_t = FixedType::parse("ap_fixed<11,3>");  // narrow: the sums wrap often
    c.result_t = FixedType::parse("ap_fixed<9,4,AP_RND,AP_SAT>");
    for (std::size_t k = 0; k < n_in * n_out; ++k) c.weights.push_back(BigInt(static_cast<long>(rng() % 256) - 128));
    for (std::size_t k = 0; k < n_out; ++k) c.biases.push_back(BigInt(static_cast<long>(rng() % 256) - 128));
    Dense::Config resource = c;
    resource.strategy = DenseStrategy::Resource;
    resource.reuse_factor = n_in + 1 + rng() % (3 * n_in);
    Model a("latency", Flavor::Head, {in}), b("resource", Flavor::Head, {in});
    a.add_layer(std::make_unique<Dense>("d", in, c));
    b.add_layer(std::make_unique<Dense>("d", in, resource));
    a.set_outputs({"d"});
    b.set_outputs({"d"});
    const ReferenceEvaluator ea(a), eb(b);
    for (int e = 0; e < 50; ++e) {
      const auto inputs = testing::random_input_codes(a, rng);
      ASSERT_EQ(ea.outputs(ea.evaluate(inputs)), eb.outputs(eb.evaluate(inputs))) << "model " << m;
    }
  }
}

TEST(DenseResource, AboveTheInputsASaturatingAccumulatorIsRefused) {
  const ArraySpec in{"x", 4, FixedType::parse("ap_fixed<10,3>")};
  Dense::Config c;
  c.n_out = 2;
  c.weight_t = c.bias_t = FixedType::parse("ap_fixed<8,2>");
  c.accum_t = FixedType::parse("ap_fixed<12,4,AP_TRN,AP_SAT>");
  c.result_t = c.accum_t;
  c.weights.assign(8, BigInt(1));
  c.biases.assign(2, BigInt(0));
  c.strategy = DenseStrategy::Resource;
  c.reuse_factor = 8;
  try {
    Dense d("d", in, c);
    ADD_FAILURE() << "imported";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("saturating accum_t"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace l1emu::emu

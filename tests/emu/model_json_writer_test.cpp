// write_model_json: parse(write(m)) evaluates exactly like m on every golden model.
#include <gtest/gtest.h>

#include <random>

#include "l1emu/emu/io/model_json.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "shared_data.h"

namespace l1emu::emu {
namespace {

// Random raw codes anywhere in each input type's range (the writer must keep every parameter
// exact, so the comparison covers saturation and wrap paths too).
std::vector<std::vector<BigInt>> random_inputs(const Model& model, std::mt19937_64& rng) {
  std::vector<std::vector<BigInt>> inputs;
  for (const auto& spec : model.inputs()) {
    const BigInt span = spec.type.max_code() - spec.type.min_code() + 1;
    std::vector<BigInt> codes;
    for (std::size_t i = 0; i < spec.size; ++i) {
      const BigInt r = (BigInt(rng()) << 64) + BigInt(rng());
      codes.push_back(spec.type.min_code() + r % span);
    }
    inputs.push_back(std::move(codes));
  }
  return inputs;
}

TEST(ModelJsonWriterTest, RoundTripsEveryGoldenModel) {
  L1EMU_REQUIRE_SHARED();
  std::vector<std::filesystem::path> models;
  for (const char* group : {"hls4ml", "axol1tl"}) {
    for (const auto& entry : std::filesystem::directory_iterator(testing::golden_dir() / group)) {
      if (std::filesystem::is_regular_file(entry.path() / "model.json")) models.push_back(entry.path() / "model.json");
    }
  }
  ASSERT_FALSE(models.empty());
  std::mt19937_64 rng(7);
  for (const auto& path : models) {
    SCOPED_TRACE(path.string());
    const Model original = load_model_json(path);
    const std::string text = write_model_json(original);
    const Model copy = parse_model_json(text, "written " + path.string());
    EXPECT_EQ(write_model_json(copy), text);
    ASSERT_EQ(copy.layers().size(), original.layers().size());
    const ReferenceEvaluator a(original), b(copy);
    for (int event = 0; event < 40; ++event) {
      const auto inputs = random_inputs(original, rng);
      const EventArrays x = a.evaluate(inputs), y = b.evaluate(inputs);
      ASSERT_EQ(x.size(), y.size());
      for (std::size_t k = 0; k < x.size(); ++k) {
        ASSERT_EQ(x[k].type, y[k].type) << "array " << k;
        ASSERT_EQ(x[k].codes, y[k].codes) << "array " << k << ", event " << event;
      }
    }
  }
}

}  // namespace
}  // namespace l1emu::emu

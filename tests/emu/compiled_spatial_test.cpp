// The compiled spatial kernels (convolution im2col columns, lane pooling, gathers) are
// bit-identical to the reference layers on random models: random image shapes, windows, strides
// and pads (partial and padded windows), every quantization and overflow mode in every type (SAT
// and WRAP accumulators, ap_ufixed inputs whose max-pooling pad value is large), random weights
// with zeros, the Latency and Resource (reuse factors dividing K) convolution orders, random
// inputs; under every instruction set this machine has.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>

#include "under_vector_isa.h"
#include "compiled_compare.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/vector_isa.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/pooling.h"
#include "l1emu/emu/nn/layers/reshape.h"
#include "l1emu/emu/nn/layers/resizing.h"
#include "random_model.h"

namespace l1emu::emu {
namespace {

using testing::RandomModelFactory;

std::size_t product(const std::vector<std::size_t>& dims) {
  std::size_t n = 1;
  for (std::size_t d : dims) n *= d;
  return n;
}

// A window along one axis of `in` cells: size 1..3, stride 1..3, pads 0..2 (with `pooling`, each
// pad below the window so that no window is all padding), widened so that the window fits.
void random_axis(RandomModelFactory& f, std::size_t in, bool pooling, std::size_t& window, std::size_t& stride, std::size_t& pad_lo,
                 std::size_t& pad_hi, std::size_t& out) {
  window = static_cast<std::size_t>(f.uniform(1, 3));
  stride = static_cast<std::size_t>(f.uniform(1, 3));
  const int max_pad = pooling ? static_cast<int>(window) - 1 : 2;
  pad_lo = static_cast<std::size_t>(f.uniform(0, max_pad));
  pad_hi = static_cast<std::size_t>(f.uniform(0, max_pad));
  if (in + pad_lo + pad_hi < window) window = in + pad_lo + pad_hi;
  out = (in + pad_lo + pad_hi - window) / stride + 1;
}

WindowGeometry random_geometry(RandomModelFactory& f, const ArraySpec& in, bool pooling) {
  WindowGeometry g;
  g.rank = in.shape.size() == 3 ? 2 : 1;
  g.in_height = g.rank == 2 ? in.shape[0] : 1;
  g.in_width = in.shape[g.rank == 2 ? 1 : 0];
  g.channels = in.shape.back();
  if (g.rank == 2) random_axis(f, g.in_height, pooling, g.window_height, g.stride_height, g.pad_top, g.pad_bottom, g.out_height);
  random_axis(f, g.in_width, pooling, g.window_width, g.stride_width, g.pad_left, g.pad_right, g.out_width);
  return g;
}

// Accumulators like hls4ml's defaults (narrow, TRN, WRAP) a third of the time, so that the
// modular wrap-sum path runs as often as the ordered one.
FixedType accumulator(RandomModelFactory& f) {
  FixedType t = f.type(2);
  if (f.uniform(0, 2) == 0) {
    t = FixedType{f.uniform(6, 16), 0, true, Quantization::Trn, Overflow::Wrap, 0};
    t.integer_bits = f.uniform(1, t.width);
  }
  return t;
}

std::unique_ptr<Layer> random_spatial_layer(RandomModelFactory& f, const std::string& name, const ArraySpec& in) {
  const int rank = in.shape.size() == 3 ? 2 : 1;
  switch (f.uniform(0, 7)) {
    case 0:
    case 1: {
      Convolution::Config c;
      c.geometry = random_geometry(f, in, false);
      c.n_filt = static_cast<std::size_t>(f.uniform(1, 3));
      c.weight_t = f.type();
      c.bias_t = f.type();
      c.accum_t = accumulator(f);
      c.result_t = f.type(2);
      const std::size_t k = c.geometry.window_height * c.geometry.window_width * c.geometry.channels;
      c.weights = f.codes(c.weight_t, k * c.n_filt, 25);
      c.biases = f.codes(c.bias_t, c.n_filt);
      if (f.uniform(0, 2) == 0) {
        // conv_*_resource_cl with a reuse factor dividing K: the window kernel adds in its order,
        // the conv-as-Dense path only takes it with a modular (WRAP) accumulator.
        std::vector<std::size_t> divisors;
        for (std::size_t d = 1; d <= k; ++d) {
          if (k % d == 0) divisors.push_back(d);
        }
        c.strategy = DenseStrategy::Resource;
        c.reuse_factor = divisors[static_cast<std::size_t>(f.uniform(0, static_cast<int>(divisors.size()) - 1))];
      }
      if (rank == 2) return std::make_unique<Conv2D>(name, in, std::move(c));
      return std::make_unique<Conv1D>(name, in, std::move(c));
    }
    case 2:
    case 3: {
      Pooling::Config c;
      c.op = f.uniform(0, 1) ? PoolingOp::Max : PoolingOp::Average;
      c.global = f.uniform(0, 3) == 0;
      c.geometry = random_geometry(f, in, true);
      if (c.global) {
        c.geometry.window_height = c.geometry.in_height;
        c.geometry.window_width = c.geometry.in_width;
        c.geometry.stride_height = c.geometry.stride_width = 1;
        c.geometry.pad_top = c.geometry.pad_bottom = c.geometry.pad_left = c.geometry.pad_right = 0;
        c.geometry.out_height = c.geometry.out_width = 1;
      }
      c.accum_t = f.uniform(0, 3) == 0 ? in.type : accumulator(f);
      c.result_t = f.type(2);
      return std::make_unique<Pooling>(name, in, std::move(c));
    }
    case 4:
    case 5: {
      ImageResize s;
      s.rank = rank;
      s.in_height = rank == 2 ? in.shape[0] : 1;
      s.in_width = in.shape[rank == 2 ? 1 : 0];
      s.n_chan = in.shape.back();
      const bool crop = f.uniform(0, 1) == 0;
      const auto margin = [&](std::size_t limit) { return static_cast<std::size_t>(f.uniform(0, static_cast<int>(std::min<std::size_t>(limit, 2)))); };
      if (rank == 2) {
        s.top = margin(crop ? s.in_height - 1 : 2);
        s.bottom = margin(crop ? s.in_height - 1 - s.top : 2);
      }
      s.left = margin(crop ? s.in_width - 1 : 2);
      s.right = margin(crop ? s.in_width - 1 - s.left : 2);
      const FixedType result_t = f.uniform(0, 1) ? in.type : f.type(2);
      if (crop) {
        s.out_height = s.in_height - s.top - s.bottom;
        s.out_width = s.in_width - s.left - s.right;
        return std::make_unique<Cropping>(name, in, result_t, s);
      }
      s.out_height = s.in_height + s.top + s.bottom;
      s.out_width = s.in_width + s.left + s.right;
      return std::make_unique<ZeroPadding>(name, in, result_t, s);
    }
    case 6: {
      ImageResize s;
      s.rank = rank;
      s.in_height = rank == 2 ? in.shape[0] : 1;
      s.in_width = in.shape[rank == 2 ? 1 : 0];
      s.n_chan = in.shape.back();
      s.out_height = rank == 2 ? s.in_height * static_cast<std::size_t>(f.uniform(1, 3)) : 1;
      s.out_width = s.in_width * static_cast<std::size_t>(f.uniform(1, 3));
      return std::make_unique<UpSampling>(name, in, s);
    }
    default: {
      // (H, W, C) -> (H*W, C) as in case pooling, or (W, C) -> (W, 1, C).
      auto layer = std::make_unique<Reshape>(name, in, false);
      if (rank == 2) {
        layer->set_shape({in.shape[0] * in.shape[1], in.shape[2]});
      } else {
        layer->set_shape({in.shape[0], 1, in.shape[1]});
      }
      return layer;
    }
  }
}

// One channels-last input image (rank 1 or 2) and a chain of 1..4 spatial layers, each reading the
// previous array; the last and sometimes an earlier one are outputs.
Model random_spatial_model(RandomModelFactory& f) {
  ArraySpec input;
  input.name = "image";
  input.type = f.type(2);
  const std::size_t w = static_cast<std::size_t>(f.uniform(1, 7)), c = static_cast<std::size_t>(f.uniform(1, 3));
  input.shape = f.uniform(0, 1) ? std::vector<std::size_t>{static_cast<std::size_t>(f.uniform(1, 6)), w, c} : std::vector<std::size_t>{w, c};
  input.size = product(input.shape);
  Model model("spatial", Flavor::Head, {input});
  ArraySpec current = input;
  std::vector<std::string> outputs;
  const int layers = f.uniform(1, 4);
  for (int l = 0; l < layers; ++l) {
    const std::string name = "layer" + std::to_string(l);
    auto layer = random_spatial_layer(f, name, current);
    if (layer->shape().size() < 2) {  // a global pooling ends the chain (its output has no image shape)
      model.add_layer(std::move(layer));
      current = model.array_spec(model.array_count() - 1);
      break;
    }
    model.add_layer(std::move(layer));
    current = model.array_spec(model.array_count() - 1);
    if (f.uniform(0, 3) == 0) outputs.push_back(name);
  }
  if (outputs.empty() || outputs.back() != current.name) outputs.push_back(current.name);
  model.set_outputs(outputs);
  return model;
}

class CompiledSpatialUnderIsa : public testing::UnderVectorIsa {};

TEST_P(CompiledSpatialUnderIsa, RandomSpatialModelsMatchTheReference) {
  constexpr std::uint64_t kSeed = 0x5EA7;
  int models = 0, compiled_layers = 0, layers = 0;
  for (int m = 0; m < 150; ++m) {
    RandomModelFactory factory(kSeed + static_cast<std::uint64_t>(m), m % 3 == 0 ? 30 : 14);
    const Model model = random_spatial_model(factory);
    if (!CompiledModel::supports(model)) continue;
    const CompiledModel compiled(model);
    for (const std::string& line : compiled.describe()) {
      ++layers;
      if (line.find("reference") == std::string::npos) ++compiled_layers;
    }
    ASSERT_EQ(testing::compiled_mismatches(model, testing::random_input_events(factory, model, 70),
                                           "spatial model " + std::to_string(m) + " under " + GetParam()),
              0U);
    ++models;
  }
  EXPECT_GT(models, 140);
  // The kernels, not the per-event fallback, must be what was compared: nearly every layer fits
  // the lanes with these widths.
  EXPECT_GT(compiled_layers * 10, layers * 9) << compiled_layers << " of " << layers << " layers compiled";
}

// Average pooling divides each window's sum by its cell count, truncating toward zero. The int32
// kernel multiplies by the double nearest 1/d and corrects by one where c/d is an integer k and the
// product lands short of it: for d = 49 (7 x 7), 98, 103, 107, ... that happens for many k (never
// for d up to 48). Windows of those sizes, sums that are exact multiples (every cell equal) and
// random sums, both signs.
TEST(CompiledSpatial, AveragePoolingDividesExactlyByEveryWindowSize) {
  std::mt19937_64 rng(49);
  for (const std::size_t side : {std::size_t{7}, std::size_t{14}}) {
    for (const std::size_t width : {std::size_t{1}, std::size_t{7}, std::size_t{103}, std::size_t{107}}) {
      Pooling::Config c;
      c.op = PoolingOp::Average;
      c.geometry.in_height = c.geometry.window_height = c.geometry.stride_height = side;
      c.geometry.in_width = c.geometry.window_width = c.geometry.stride_width = width;
      c.geometry.channels = 2;
      c.accum_t = FixedType::parse("ap_fixed<30,22>");
      c.result_t = c.accum_t;
      const ArraySpec in{"x", c.geometry.input_size(), FixedType::parse("ap_fixed<16,10>")};
      Model model("avg", Flavor::Head, {in});
      model.add_layer(std::make_unique<Pooling>("pool", in, c));
      model.set_outputs({"pool"});
      std::vector<std::vector<std::int64_t>> events;
      for (int e = 0; e < 200; ++e) {
        const std::int64_t same = static_cast<std::int64_t>(rng() % 65536) - 32768;
        std::vector<std::int64_t> codes;
        for (std::size_t i = 0; i < in.size; ++i) codes.push_back(e % 2 == 0 ? same : static_cast<std::int64_t>(rng() % 65536) - 32768);
        events.push_back(std::move(codes));
      }
      EXPECT_EQ(testing::compiled_mismatches(model, events, "window " + std::to_string(side) + " x " + std::to_string(width)), 0U);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, CompiledSpatialUnderIsa, ::testing::ValuesIn(available_vector_isas()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace l1emu::emu

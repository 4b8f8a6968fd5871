#pragma once
// Random models for property tests of the evaluators: random layer mixes, sizes, types (every
// quantization and overflow mode, signed and unsigned, WRAP with saturation bits, negative and
// large integer bits), weights and inputs. Built directly from the layer classes.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::testing {

using emu::ArraySpec;
using emu::BigInt;
using emu::FixedType;

class RandomModelFactory {
 public:
  explicit RandomModelFactory(std::uint64_t seed, int max_width = 24) : rng_(seed), max_width_(max_width) {}

  FixedType type(int min_width = 1) {
    FixedType t;
    t.width = uniform(min_width, max_width_);
    t.integer_bits = uniform(-4, t.width + 4);
    t.is_signed = uniform(0, 4) != 0;
    t.quantization = static_cast<emu::Quantization>(uniform(0, 6));
    t.overflow = static_cast<emu::Overflow>(uniform(0, 3));
    if (t.overflow == emu::Overflow::Wrap && uniform(0, 9) == 0) t.saturation_bits = uniform(1, t.width);
    return t;
  }

  BigInt random_code(const FixedType& t) {
    const long long lo = t.min_code().convert_to<long long>(), hi = t.max_code().convert_to<long long>();
    std::uniform_int_distribution<long long> d(lo, hi);
    if (uniform(0, 7) == 0) return uniform(0, 1) ? BigInt(lo) : BigInt(hi);
    if (uniform(0, 7) == 0) return 0;
    return d(rng_);
  }

  std::vector<BigInt> codes(const FixedType& t, std::size_t n, int zero_percent = 10) {
    std::vector<BigInt> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(uniform(0, 99) < zero_percent ? BigInt(0) : random_code(t));
    return out;
  }

  /// A model of `layers` random layers after one input.
  emu::Model model(int layers) {
    const auto flavor = uniform(0, 1) ? emu::Flavor::Paper : emu::Flavor::Head;
    const ArraySpec input{"input", static_cast<std::size_t>(uniform(1, 12)), type(2), {}};
    emu::Model m("random", flavor, {input});
    std::vector<ArraySpec> arrays{input};
    for (int l = 0; l < layers; ++l) {
      const std::string name = "layer" + std::to_string(l);
      const ArraySpec in = arrays[static_cast<std::size_t>(uniform(0, static_cast<int>(arrays.size()) - 1))];
      std::unique_ptr<emu::Layer> layer;
      switch (uniform(0, 9)) {
        case 0:
        case 1:
        case 2: {
          emu::Dense::Config c;
          c.n_out = static_cast<std::size_t>(uniform(1, 10));
          c.weight_t = type();
          c.bias_t = type();
          c.accum_t = type(2);
          c.result_t = type(2);
          if (uniform(0, 2) == 0) {
            // hls4ml's defaults: narrow weights and a truncating, wrapping accumulator of <= 16 bits.
            c.weight_t.width = uniform(2, 8);
            c.weight_t.integer_bits = uniform(-1, c.weight_t.width);
            c.accum_t = FixedType{uniform(6, 16), 0, true, emu::Quantization::Trn, emu::Overflow::Wrap, 0};
            c.accum_t.integer_bits = uniform(1, c.accum_t.width);
          }
          c.weights = codes(c.weight_t, in.size * c.n_out, 25);
          c.biases = codes(c.bias_t, c.n_out);
          layer = std::make_unique<emu::Dense>(name, in, std::move(c));
          break;
        }
        case 3: {
          emu::BatchNormalization::Config c;
          c.rounding = emu::default_rounding(flavor);
          c.scale_t = type();
          c.bias_t = type();
          c.result_t = type(2);
          c.scale = codes(c.scale_t, in.size);
          c.bias = codes(c.bias_t, in.size);
          layer = std::make_unique<emu::BatchNormalization>(name, in, std::move(c));
          break;
        }
        case 4:
          layer = std::make_unique<emu::ReLU>(name, in, type(2));
          break;
        case 5: {
          emu::LeakyReLU::Config c;
          c.flavor = flavor;
          c.alpha = std::uniform_real_distribution<double>(0.0, 0.5)(rng_);
          c.param_t = type(2);
          c.result_t = type(2);
          layer = std::make_unique<emu::LeakyReLU>(name, in, c);
          break;
        }
        case 6:
          layer = std::make_unique<emu::Linear>(name, in, type(2));
          break;
        case 7: {
          // Two-input layers need an equal-size partner: use `in` itself or a Linear copy.
          if (uniform(0, 1)) {
            // Every merge operation; the partner is an earlier array of the same size when there is one.
            ArraySpec partner = in;
            for (const auto& a : arrays) {
              if (a.size == in.size && a.name != in.name && uniform(0, 1)) partner = a;
            }
            if (uniform(0, 3) == 0) {
              layer = std::make_unique<emu::Concatenate>(name, std::vector<ArraySpec>{in, partner}, -1, 1, type(2));
            } else {
              const auto op = static_cast<emu::MergeOp>(uniform(0, 5));
              layer = std::make_unique<emu::ElementwiseMerge>(name, op, std::vector<ArraySpec>{in, partner}, type(2));
            }
          } else {
            layer = std::make_unique<emu::Dot>(name, std::vector<ArraySpec>{in, in}, type(2), type(2));
          }
          break;
        }
        case 8: {
          if (uniform(0, 1)) {
            layer = std::make_unique<emu::SumSquares>(name, in, type(2));
          } else {
            emu::KLLoss::Config c;
            c.accum_t = type(4);
            c.exp_table_t = type(4);
            c.result_t = type(4);
            c.table_size = 1 << uniform(4, 10);
            c.exp_range = 1 << uniform(0, 3);
            layer = std::make_unique<emu::KLLoss>(name, std::vector<ArraySpec>{in, in}, c);
          }
          break;
        }
        default: {
          emu::InputScale::Config c;
          c.offset_t = type();
          c.shift_t = FixedType{5, 5, true, emu::Quantization::Trn, emu::Overflow::Wrap, 0};
          c.unscaled_t = type(2);
          c.result_t = type(2);
          c.offsets = codes(c.offset_t, in.size);
          for (std::size_t i = 0; i < in.size; ++i) c.shifts.push_back(uniform(-3, 7));
          layer = std::make_unique<emu::InputScale>(name, in, std::move(c));
          break;
        }
      }
      arrays.push_back(layer->output_spec());
      m.add_layer(std::move(layer));
    }
    std::vector<std::string> outputs{arrays.back().name};
    if (arrays.size() > 2 && uniform(0, 1)) outputs.push_back(arrays[1].name);
    m.set_outputs(outputs);
    return m;
  }

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  int max_width_;
};

}  // namespace l1emu::testing

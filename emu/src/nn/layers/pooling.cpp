#include "l1emu/emu/nn/layers/pooling.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

constexpr WindowKeys kPoolKeys{"n_filt", "pool_height", "pool_width"};

}  // namespace

Pooling::Pooling(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {std::move(input)}, config.result_t,
            config.geometry.out_height * config.geometry.out_width * config.geometry.channels),
      config_(std::move(config)) {
  const auto& g = config_.geometry;
  if (inputs()[0].size != g.input_size()) throw ModelError("layer '" + this->name() + "': the input size does not match the geometry");
  // A window made of padding only would average over no cell (a division by zero in the
  // firmware) or take the pad value as its maximum; Keras padding never produces one.
  for (std::size_t oh = 0; oh < g.out_height; ++oh) {
    for (std::size_t ow = 0; ow < g.out_width; ++ow) {
      if (g.overlap(oh, ow) == 0) {
        throw ModelError("layer '" + this->name() + "': output (" + std::to_string(oh) + ", " + std::to_string(ow) +
                         ")'s window lies entirely in the padding");
      }
    }
  }
  if (config_.global) {
    set_shape({g.channels});
  } else {
    set_shape(g.output_dims(g.channels));
  }
}

std::string_view Pooling::class_name() const {
  static constexpr std::string_view kNames[2][2][2] = {
      {{"MaxPooling1D", "GlobalMaxPooling1D"}, {"MaxPooling2D", "GlobalMaxPooling2D"}},
      {{"AveragePooling1D", "GlobalAveragePooling1D"}, {"AveragePooling2D", "GlobalAveragePooling2D"}}};
  return kNames[config_.op == PoolingOp::Average ? 1 : 0][config_.geometry.rank == 2 ? 1 : 0][config_.global ? 1 : 0];
}

BigInt Pooling::pad_code() const {
  // pad_val<data_T, Max>: a data_T with only bit W-1 set. Signed, that is -2^(W-1) (the minimum);
  // an ap_ufixed reads it as +2^(W-1), which can exceed real cells (hls4ml2 README, Pooling).
  const FixedType& t = inputs()[0].type;
  const BigInt top = BigInt(1) << (t.width - 1);
  return t.is_signed ? BigInt(-top) : top;
}

std::unique_ptr<Layer> Pooling::parse_as(LayerBuildContext& c, PoolingOp op, int rank, bool global) {
  c.require_inputs(1);
  auto& f = c.params;
  Config cfg;
  cfg.op = op;
  cfg.global = global;
  cfg.geometry = global ? WindowGeometry::read_global(f, rank, c.inputs[0], "n_filt") : WindowGeometry::read(f, rank, c.inputs[0], kPoolKeys);
  if (!global && f.boolean_or("count_pad", false)) {
    // count_pad true divides by the full window; hls4ml's Keras path never sets it, and no golden
    // case pins its rule, so it is refused rather than guessed.
    f.fail("count_pad", "true is not reproduced (the divisor is the number of cells inside the input)");
  }
  cfg.accum_t = f.type("accum_t");
  cfg.result_t = f.type("result_t");
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<Pooling>(c.name, c.inputs[0], std::move(cfg));
  } catch (const ModelError& e) {
    f.fail(rank == 2 ? "pad_bottom" : "pad_right", e.what());
  }
  return layer;
}

void Pooling::write_params(LayerParamWriter& out) const {
  config_.geometry.write(out, kPoolKeys, config_.global);
  if (!config_.global) out.boolean("count_pad", false);
  out.type("accum_t", config_.accum_t);
}

std::vector<BigInt> Pooling::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const auto& g = config_.geometry;
  const FixedType& acc_t = config_.accum_t;
  const BigInt pad = pad_code();
  std::vector<BigInt> y(output_size());
  for (std::size_t oh = 0; oh < g.out_height; ++oh) {
    for (std::size_t ow = 0; ow < g.out_width; ++ow) {
      for (std::size_t f = 0; f < g.channels; ++f) {
        BigInt m = 0, s = 0;  // max: the data_T maximum so far; average: the accum_t sum
        std::size_t overlap = 0;
        bool first = true;
        for (std::size_t kk = 0; kk < g.window_height; ++kk) {
          for (std::size_t ll = 0; ll < g.window_width; ++ll) {
            const long r = g.row(oh, kk), q = g.column(ow, ll);
            const bool in = g.inside(r, q);
            overlap += in ? 1 : 0;
            if (config_.op == PoolingOp::Max) {
              // Both are codes of the input type, so comparing codes compares values.
              const BigInt cell = in ? x.codes[g.input_index(r, q, f)] : pad;
              if (first || cell > m) m = cell;  // m = cell_0; then m = cell > m ? cell : m
            } else if (in) {
              // s = (accum_t)(s + cell); a padded cell adds 0, which leaves s unchanged.
              s = convert(add(ExactValue::of(s, acc_t), x.value(g.input_index(r, q, f))), acc_t);
            }
            first = false;
          }
        }
        BigInt out;
        if (config_.op == PoolingOp::Max) {
          // res = (res_T)(accum_t) max: two conversions.
          out = convert_code(convert_code(m, x.type, acc_t), acc_t, config_.result_t);
        } else {
          // s /= overlap: the int division of an ap_fixed divides the code, rounding toward zero
          // (BigInt division truncates, as C's does).
          const BigInt quotient = s / BigInt(overlap);
          out = convert_code(quotient, acc_t, config_.result_t);
        }
        const std::size_t index = config_.global ? f : (oh * g.out_width + ow) * g.channels + f;
        y[index] = out;
      }
    }
  }
  return y;
}

}  // namespace l1emu::emu

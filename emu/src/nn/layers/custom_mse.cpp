#include "l1emu/emu/nn/layers/custom_mse.h"

#include <cmath>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/nn/reduce.h"

namespace l1emu::emu {
namespace {

// The raw W-bit pattern of a code (two's complement for signed types) as an unsigned number.
BigInt pattern_of(const BigInt& code, const FixedType& t) { return code.sign() < 0 ? code + (BigInt(1) << t.width) : code; }

// The code whose W-bit pattern is `pattern`.
BigInt code_of_pattern(const BigInt& pattern, const FixedType& t) {
  if (t.is_signed && pattern >= (BigInt(1) << (t.width - 1))) return pattern - (BigInt(1) << t.width);
  return pattern;
}

}  // namespace

CustomMSE::CustomMSE(std::string name, std::vector<ArraySpec> inputs, Config config)
    : Layer(std::move(name), std::move(inputs), config.result_t, 1), config_(config) {
  const std::size_t n = kObjects * 3;
  for (const auto& in : this->inputs()) {
    if (in.size != n) throw ModelError("layer '" + this->name() + "': CustomMSE reads 57 values per input (19 objects x pT, eta, phi), '" + in.name + "' has " + std::to_string(in.size));
  }
  if (config_.table_size < 2 || (config_.table_size & (config_.table_size - 1)) != 0 || config_.table_size > (1 << 20)) {
    throw ModelError("layer '" + this->name() + "': table_size must be a power of two in [2, 2^20]");
  }
  index_bits_ = 0;
  while ((1 << index_bits_) < config_.table_size) ++index_bits_;  // nnet_helpers.h ceillog2
  const FixedType& pred_t = this->inputs()[2].type;
  if (pred_t.width < index_bits_) {
    throw ModelError("layer '" + this->name() + "': the tanh table is addressed by the top " + std::to_string(index_bits_) + " bits of the prediction, whose type " +
                     pred_t.to_string() + " has fewer");
  }
  // nnet_activation.h (AE_L1_paper) init_tanh_table: x = (float) of data_T with only the top N bits
  // set to i; table_t tanhx = tanh(x), tanh of the float x.
  for (int i = 0; i < config_.table_size; ++i) {
    const BigInt code = code_of_pattern(BigInt(i) << (pred_t.width - index_bits_), pred_t);
    const float x = static_cast<float>(to_double(code, pred_t));
    tanh_table_.push_back(from_float(std::tanh(x), config_.table_t));
  }
  // custom_mse: table_t mults[N_PARTS] = {1, 3, 3, 3, 3, 2.1, 2.1, 2.1, 2.1, 4, ...}: the double
  // literals assigned to table_t (4 wraps or saturates in a table_t without room for it).
  for (std::size_t p = 0; p < kObjects; ++p) {
    const double m = p == 0 ? 1.0 : p < 5 ? 3.0 : p < 9 ? 2.1 : 4.0;
    mults_.push_back(from_double(m, config_.table_t));
  }
  pi_ = from_double(M_PI, config_.table_t);
  inverse_n_ = from_double(1. / static_cast<double>(n), config_.squared_error_t);
}

std::vector<BigInt> CustomMSE::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& origin = *inputs[0];
  const FixedArray& truth = *inputs[1];
  const FixedArray& pred = *inputs[2];
  const FixedType& t = config_.table_t;
  std::vector<BigInt> squares(origin.size());
  for (std::size_t i = 0; i < origin.size(); ++i) {
    BigInt predicted;
    if (i % 3 == 0) {
      predicted = convert_code(pred.codes[i], pred.type, t);  // tanh_pred[3i] = pred_pt[i]
    } else {
      // tanh_idx_from_real_val: the top N bits of the prediction's register, unsigned.
      const BigInt index = pattern_of(pred.codes[i], pred.type) >> (pred.type.width - index_bits_);
      const BigInt& tanh = tanh_table_[index.convert_to<std::size_t>()];
      const BigInt& factor = i % 3 == 1 ? mults_[i / 3] : pi_;
      predicted = convert(multiply(ExactValue::of(tanh, t), ExactValue::of(factor, t)), t);
    }
    // The mask: where the unscaled input is 0, both the prediction and the scaled input are 0.
    const bool masked = origin.codes[i].sign() == 0;
    const ExactValue true_value = masked ? ExactValue{} : truth.value(i);
    const ExactValue predicted_value = masked ? ExactValue{} : ExactValue::of(predicted, t);
    // nnet::mse: error[i] = a[i] - b[i] (error_t); error_squared[i] = error[i] * error[i].
    const BigInt error = convert(subtract(true_value, predicted_value), config_.error_t);
    squares[i] = convert(multiply(ExactValue::of(error, config_.error_t), ExactValue::of(error, config_.error_t)), config_.squared_error_t);
  }
  const BigInt sum = reduce_add(squares, config_.squared_error_t);
  const BigInt mean = convert(multiply(ExactValue::of(sum, config_.squared_error_t), ExactValue::of(inverse_n_, config_.squared_error_t)), config_.accum_t);
  return {convert_code(mean, config_.accum_t, config_.result_t)};
}

std::unique_ptr<Layer> CustomMSE::parse(LayerBuildContext& c) {
  c.require_inputs(3);
  auto& f = c.params;
  Config cfg;
  cfg.table_t = f.type("table_t");
  cfg.error_t = f.type("error_t");
  cfg.squared_error_t = f.type("squared_error_t");
  cfg.accum_t = f.type("accum_t");
  cfg.result_t = f.type("result_t");
  cfg.table_size = static_cast<int>(f.integer_in("table_size", 2, 1L << 20));
  return std::make_unique<CustomMSE>(c.name, c.inputs, cfg);
}

void CustomMSE::write_params(LayerParamWriter& out) const {
  out.type("table_t", config_.table_t);
  out.integer("table_size", config_.table_size);
  out.type("error_t", config_.error_t);
  out.type("squared_error_t", config_.squared_error_t);
  out.type("accum_t", config_.accum_t);
}

}  // namespace l1emu::emu

#include "l1emu/emu/nn/layers/kl_loss.h"

#include <cmath>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/nn/reduce.h"

namespace l1emu::emu {

std::unique_ptr<Layer> KLLoss::parse(LayerBuildContext& c) {
  c.require_inputs(2);
  c.require_equal_sizes();
  auto& f = c.params;
  Config cfg;
  cfg.accum_t = f.type("accum_t");
  cfg.exp_table_t = f.type("exp_table_t");
  cfg.result_t = f.type("result_t");
  const long table_size = f.integer_or("table_size", 1024);
  const long exp_range = f.integer_or("exp_range", 8);
  if (const auto problem = check_table(table_size, exp_range)) f.fail(problem->key, problem->expected);
  cfg.table_size = static_cast<int>(table_size);
  cfg.exp_range = static_cast<int>(exp_range);
  return std::make_unique<KLLoss>(c.name, c.inputs, cfg);
}

std::optional<KLLoss::TableProblem> KLLoss::check_table(long table_size, long exp_range) {
  if (table_size < 2 || table_size > (1L << 20)) return TableProblem{"table_size", "must be in [2, 2^20]"};
  if (exp_range < 1 || exp_range > 1024) return TableProblem{"exp_range", "must be in [1, 1024]"};
  return std::nullopt;
}

void KLLoss::write_params(LayerParamWriter& out) const {
  out.type("accum_t", config_.accum_t);
  out.type("exp_table_t", config_.exp_table_t);
  out.integer("table_size", config_.table_size);
  out.integer("exp_range", config_.exp_range);
}

KLLoss::KLLoss(std::string name, std::vector<ArraySpec> inputs, Config config)
    : Layer(std::move(name), std::move(inputs), config.result_t, 1), config_(config) {
  if (const auto problem = check_table(config_.table_size, config_.exp_range)) {
    throw ModelError(this->name() + ": " + problem->key + " " + problem->expected);
  }
  // init_klloss_exp_table: in_val = float(2*R*(k - N/2.0)/N) computed in double, then
  // exp_fcn_float(in_val) = std::exp(float) in float, assigned to exp_table_t.
  const int n = config_.table_size;
  exp_table_.reserve(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    const auto x = static_cast<float>(2.0 * config_.exp_range * (k - static_cast<double>(n) / 2.0) / static_cast<double>(n));
    exp_table_.push_back(from_float(std::exp(x), config_.exp_table_t));
  }
}

std::vector<BigInt> KLLoss::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& mean = *inputs[0];
  const FixedArray& log_var = *inputs[1];
  const FixedType& a_t = config_.accum_t;
  const std::size_t n = mean.size();
  const int table_size = config_.table_size;
  // table_scale = (unsigned)(N / (2R)), index_scale = (unsigned)(R * table_scale)
  const auto table_scale = static_cast<long>(std::floor(static_cast<double>(table_size) / (2.0 * config_.exp_range)));
  const auto index_scale = static_cast<long>(std::floor(static_cast<double>(config_.exp_range) * static_cast<double>(table_scale)));
  const BigInt one_v = from_double(1.0, log_var.type);  // data2_T(1.)

  std::vector<BigInt> kl(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ExactValue m = mean.value(i);
    const ExactValue v = log_var.value(i);
    const BigInt mean_sq = convert(multiply(m, m), a_t);                     // mean_sq[i] = mean[i]*mean[i]
    BigInt k = convert(add(ExactValue::of(one_v, log_var.type), v), a_t);   // kl[i] = data2_T(1.) + log_var[i]
    // index = log_var[i]*table_scale + index_scale (exact), clamped to [0, N-1], then floor.
    const ExactValue t = add(multiply(v, ExactValue{table_scale, 0}), ExactValue{index_scale, 0});
    long index = 0;
    if (t.sign() < 0) {
      index = 0;
    } else {
      const BigInt whole = t.fractional_bits >= 0 ? floor_shift(t.mantissa, static_cast<unsigned>(t.fractional_bits))
                                                  : BigInt(t.mantissa << static_cast<unsigned>(-t.fractional_bits));
      index = whole > table_size - 1 ? table_size - 1 : whole.convert_to<long>();
    }
    // kl[i] -= exp_table[index]; kl[i] -= mean_sq[i]  (each assigned back to accum_t)
    k = convert(subtract(ExactValue::of(k, a_t), ExactValue::of(exp_table_[static_cast<std::size_t>(index)], config_.exp_table_t)), a_t);
    k = convert(subtract(ExactValue::of(k, a_t), ExactValue::of(mean_sq, a_t)), a_t);
    kl[i] = k;
  }
  // kl_sum = reduce<accum_t, n, Op_add<accum_t>>(kl)
  BigInt sum = reduce_add(kl, a_t);
  // The mean: kl_sum * (accum_t)(1.0/n), assigned to accum_t.
  const BigInt inv_n = from_double(1.0 / static_cast<double>(n), a_t);
  sum = convert(multiply(ExactValue::of(sum, a_t), ExactValue::of(inv_n, a_t)), a_t);
  // res[0] = res_T(-0.5) * kl_sum
  const BigInt minus_half = from_double(-0.5, result_type());
  return {convert(multiply(ExactValue::of(minus_half, result_type()), ExactValue::of(sum, a_t)), result_type())};
}

}  // namespace l1emu::emu

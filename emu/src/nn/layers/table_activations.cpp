#include "l1emu/emu/nn/layers/table_activations.h"

#include <cmath>
#include <limits>

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

// The largest table accepted: the in-values below are exact in float32 up to 2^24, and 2^20 entries
// are far beyond any hls4ml configuration.
constexpr long kMaxTableSize = 1L << 20;

// The float32 table function of each init_*_table in nnet_activation.h, with the in-value computed
// as there. Every expression keeps the C++ operand types: float where both operands are float,
// double as soon as a double constant enters. std::exp(float) is expf and std::tanh(float) is tanhf:
// the goldens were made with glibc 2.36 on x86-64, and this build calls the same C library functions.
// glibc's tanhf is not correctly rounded (1 ulp off on 146 of the 1024 arguments of a 1024-entry
// table, shared/golden/hls4ml2/activations_tables/meta.json `platform_note`); only a table type with
// more than about 20 fractional bits sees that, and calling the C library's tanhf reproduces it.
// Keep these calls to the C library; do not substitute a correctly rounded or double tanh.
float table_entry(TableFunction f, long k, long n) {
  const double nd = static_cast<double>(static_cast<float>(n));  // float(N_TABLE)
  const auto kd = static_cast<double>(k);
  switch (f) {
    case TableFunction::Sigmoid: {
      // in_val = 2 * 8.0 * (ii - float(N)/2.0) / float(N); sigmoid_fcn_float: 1.0 / (1 + std::exp(-input))
      const auto t = static_cast<float>(2 * 8.0 * (kd - nd / 2.0) / nd);
      const float d = 1 + std::exp(-t);  // int + float: a float32 addition
      return static_cast<float>(1.0 / static_cast<double>(d));
    }
    case TableFunction::TanH: {
      // in_val = 2 * 4.0 * (ii - float(N)/2.0) / float(N); tanh_table[ii] = std::tanh(in_val) (float)
      const auto t = static_cast<float>(2 * 4.0 * (kd - nd / 2.0) / nd);
      return std::tanh(t);
    }
    case TableFunction::Softplus: {
      // softplus_fcn_float: std::log(std::exp(input) + 1.), the log in double
      const auto t = static_cast<float>(2 * 8.0 * (kd - nd / 2.0) / nd);
      return static_cast<float>(std::log(static_cast<double>(std::exp(t)) + 1.0));
    }
    case TableFunction::Softsign: {
      // softsign_fcn_float: input / (std::abs(input) + 1.), in double
      const auto t = static_cast<float>(2 * 8.0 * (kd - nd / 2.0) / nd);
      return static_cast<float>(static_cast<double>(t) / (static_cast<double>(std::abs(t)) + 1.0));
    }
    case TableFunction::ELU: {
      // in_val = -8.0 * ii / float(N); elu_fcn_float: std::exp(input) - 1.
      const auto t = static_cast<float>(-8.0 * kd / nd);
      return static_cast<float>(static_cast<double>(std::exp(t)) - 1.0);
    }
    case TableFunction::SELU: {
      // selu_fcn_float: 1.0507... * (1.6732... * (std::exp(input) - 1.)), the constants as doubles
      const auto t = static_cast<float>(-8.0 * kd / nd);
      return static_cast<float>(1.0507009873554805 * (1.6732632423543772 * (static_cast<double>(std::exp(t)) - 1.0)));
    }
  }
  return 0.0F;
}

std::string_view function_name(TableFunction f) {
  switch (f) {
    case TableFunction::Sigmoid: return "Sigmoid";
    case TableFunction::TanH: return "TanH";
    case TableFunction::Softplus: return "Softplus";
    case TableFunction::Softsign: return "Softsign";
    case TableFunction::ELU: return "ELU";
    case TableFunction::SELU: return "SELU";
  }
  return "?";
}

}  // namespace

long table_index_part(const BigInt& code, int frac, long multiplier, long divisor) {
  // data * M / D: the product is exact and the quotient keeps the code's LSB 2^-F, rounded toward
  // zero; the int conversion then drops the F fraction bits toward zero. trunc0(trunc0(a/b)/c) =
  // trunc0(a/(b*c)), so one exact division gives the same integer. (BigInt / truncates toward zero.)
  BigInt numerator = code * multiplier;
  BigInt denominator = BigInt(divisor);
  if (frac >= 0) {
    denominator <<= static_cast<unsigned>(frac);
  } else {
    numerator <<= static_cast<unsigned>(-frac);
  }
  const BigInt q = numerator / denominator;
  if (q > std::numeric_limits<long>::max() / 2) return std::numeric_limits<long>::max() / 2;
  if (q < std::numeric_limits<long>::min() / 2) return std::numeric_limits<long>::min() / 2;
  return q.convert_to<long>();
}

long clamped_table_index(const BigInt& code, int frac, long multiplier, long divisor, long offset, long size) {
  // index = data_round + offset; if (index < 0) index = 0; if (index > N-1) index = N-1;
  const long index = table_index_part(code, frac, multiplier, divisor) + offset;
  return index < 0 ? 0 : (index > size - 1 ? size - 1 : index);
}

template <TableFunction F>
std::unique_ptr<Layer> TableActivation::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& p = c.params;
  Config cfg;
  cfg.function = F;
  // Any N >= 2 follows the same formulas (in-value with N/2.0, index offset the integer (8*N)/16 or
  // (4*N)/8); the golden data hold powers of two only.
  cfg.table_size = p.integer_in("table_size", 2, kMaxTableSize);
  cfg.table_t = p.type("table_t");
  cfg.result_t = p.type("result_t");
  if constexpr (F == TableFunction::ELU) {
    cfg.alpha = p.number("alpha");
    cfg.param_t = p.type("param_t");
    cfg.param_literal = p.string_or("param_literal", "");
  }
  return std::make_unique<TableActivation>(c.name, c.inputs[0], cfg);
}

template std::unique_ptr<Layer> TableActivation::parse<TableFunction::Sigmoid>(LayerBuildContext&);
template std::unique_ptr<Layer> TableActivation::parse<TableFunction::TanH>(LayerBuildContext&);
template std::unique_ptr<Layer> TableActivation::parse<TableFunction::Softplus>(LayerBuildContext&);
template std::unique_ptr<Layer> TableActivation::parse<TableFunction::Softsign>(LayerBuildContext&);
template std::unique_ptr<Layer> TableActivation::parse<TableFunction::ELU>(LayerBuildContext&);
template std::unique_ptr<Layer> TableActivation::parse<TableFunction::SELU>(LayerBuildContext&);

std::string_view TableActivation::class_name() const { return function_name(config_.function); }

void TableActivation::write_params(LayerParamWriter& out) const {
  out.integer("table_size", config_.table_size);
  out.type("table_t", config_.table_t);
  if (config_.function == TableFunction::ELU) {
    out.number("alpha", config_.alpha);
    out.type("param_t", config_.param_t);
    if (!config_.param_literal.empty()) out.string("param_literal", config_.param_literal);
  }
}

TableActivation::TableActivation(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {
  // typename CONFIG_T::table_t real_val = *_fcn_float(in_val): float32 -> table_t (from_float).
  table_.reserve(static_cast<std::size_t>(config_.table_size));
  for (long k = 0; k < config_.table_size; ++k) table_.push_back(from_float(table_entry(config_.function, k, config_.table_size), config_.table_t));
  // elu(data, const param_T alpha, res): alpha arrives as param_T (hls4ml writes the literal).
  if (config_.function == TableFunction::ELU) alpha_code_ = from_double(config_.alpha, config_.param_t);
}

long TableActivation::index_divisor() const {
  switch (config_.function) {
    case TableFunction::TanH: return 8;                         // tanh: data * N / 8
    case TableFunction::ELU: case TableFunction::SELU: return -8;  // elu, selu: data * N / -8
    default: return 16;                                         // sigmoid, softplus, softsign: data * N / 16
  }
}

long TableActivation::index_offset() const {
  switch (config_.function) {
    case TableFunction::TanH: return 4 * config_.table_size / 8;  // + 4 * N / 8
    case TableFunction::ELU: case TableFunction::SELU: return 0;
    default: return 8 * config_.table_size / 16;                  // + 8 * N / 16
  }
}

long TableActivation::index(const BigInt& code) const {
  return clamped_table_index(code, inputs()[0].type.fractional_bits(), config_.table_size, index_divisor(), index_offset(), config_.table_size);
}

FixedType TableActivation::selu_lambda_type() {
  FixedType t;  // typedef ap_ufixed<16, 1> selu_const_t (TRN, WRAP)
  t.width = 16;
  t.integer_bits = 1;
  t.is_signed = false;
  return t;
}

BigInt TableActivation::selu_lambda_code() {
  static const BigInt code = from_double(1.0507009873554805, selu_lambda_type());  // 34429
  return code;
}

BigInt TableActivation::entry_result(long k) const {
  const BigInt& entry = table_[static_cast<std::size_t>(k)];
  // elu: res[ii] = alpha * elu_table[index] (exact product -> res_T); the others: (res_T)table[index].
  if (config_.function == TableFunction::ELU) {
    return convert(multiply(ExactValue::of(alpha_code_, config_.param_t), ExactValue::of(entry, config_.table_t)), result_type());
  }
  return convert_code(entry, config_.table_t, result_type());
}

BigInt TableActivation::linear_result(const BigInt& code) const {
  const FixedType& in = inputs()[0].type;
  // selu: res[ii] = lambda * datareg (exact product -> res_T); elu: res[ii] = datareg.
  if (config_.function == TableFunction::SELU) {
    return convert(multiply(ExactValue::of(selu_lambda_code(), selu_lambda_type()), ExactValue::of(code, in)), result_type());
  }
  return convert_code(code, in, result_type());
}

std::vector<BigInt> TableActivation::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    // elu, selu: if (datareg >= 0) the linear branch, else the table at the negative input's index.
    if (has_linear_branch() && x.codes[i] >= 0) {
      y[i] = linear_result(x.codes[i]);
    } else {
      y[i] = entry_result(index(x.codes[i]));
    }
  }
  return y;
}

}  // namespace l1emu::emu

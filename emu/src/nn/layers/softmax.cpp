#include "l1emu/emu/nn/layers/softmax.h"

#include <bit>
#include <cmath>

#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/nn/layers/table_activations.h"
#include "l1emu/emu/nn/reduce.h"

namespace l1emu::emu {
namespace {

constexpr long kMaxTableSize = 1L << 20;

// float(val_T(i)): the value has at most B <= 20 significant bits, so the float is exact.
float value_as_float(long i, const FixedType& t, int bits) {
  const BigInt code = softmax_value(i, t, bits);
  const long top = (code >> static_cast<unsigned>(t.width - bits)).convert_to<long>();  // i, or i - 2^B when negative
  return static_cast<float>(std::ldexp(static_cast<double>(top), t.width - bits - t.fractional_bits()));
}

std::string implementation_name(SoftmaxImplementation i) {
  switch (i) {
    case SoftmaxImplementation::Stable: return "stable";
    case SoftmaxImplementation::Latency: return "latency";
    case SoftmaxImplementation::Legacy: return "legacy";
    case SoftmaxImplementation::Argmax: return "argmax";
  }
  return "?";
}

}  // namespace

FixedType softmax_difference_type(const FixedType& input) {
  FixedType t = input;
  t.is_signed = true;
  t.is_integer = false;
  t.quantization = Quantization::Rnd;
  t.overflow = Overflow::Sat;
  t.saturation_bits = 0;
  return t;
}

int softmax_address_bits(long size) { return static_cast<int>(std::bit_width(static_cast<unsigned long>(size - 1))); }

long softmax_index(const BigInt& code, const FixedType& t, int bits) {
  // ap_uint<N> y = x(x.width - 1, x.width - N): the register's top bits, the sign bit included.
  BigInt reg = code;
  if (reg < 0) reg += BigInt(1) << static_cast<unsigned>(t.width);
  return (reg >> static_cast<unsigned>(t.width - bits)).convert_to<long>();
}

BigInt softmax_value(long i, const FixedType& t, int bits) {
  // data_T x(0); x(x.width - 1, x.width - N) = i;
  BigInt code = BigInt(i) << static_cast<unsigned>(t.width - bits);
  if (t.is_signed && i >= (1L << (bits - 1))) code -= BigInt(1) << static_cast<unsigned>(t.width);
  return code;
}

std::unique_ptr<Layer> Softmax::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& p = c.params;
  Config cfg;
  const std::string impl = p.string("implementation");
  if (impl == "stable") {
    cfg.implementation = SoftmaxImplementation::Stable;
  } else if (impl == "latency") {
    cfg.implementation = SoftmaxImplementation::Latency;
  } else if (impl == "legacy") {
    cfg.implementation = SoftmaxImplementation::Legacy;
  } else if (impl == "argmax") {
    cfg.implementation = SoftmaxImplementation::Argmax;
  } else {
    p.fail("implementation", "must be \"stable\", \"latency\", \"legacy\" or \"argmax\", found \"" + impl + "\"");
  }
  const auto n = static_cast<long>(c.inputs[0].size);
  cfg.tables = p.has("table_size") && !p.has("exp_table_size") ? SoftmaxTables::Shared : SoftmaxTables::Split;
  const bool shared = cfg.tables == SoftmaxTables::Shared;
  cfg.n_in = p.integer("n_in");
  // hls4ml before 1.2 has no multi-dimensional softmax: its configs have no slice members.
  cfg.n_slice = shared ? p.integer_or("n_slice", n) : p.integer("n_slice");
  cfg.n_outer = shared ? p.integer_or("n_outer", 1) : p.integer("n_outer");
  cfg.n_inner = shared ? p.integer_or("n_inner", 1) : p.integer("n_inner");
  if (cfg.n_in != n) p.fail("n_in", "must equal the input size " + std::to_string(n) + ", found " + std::to_string(cfg.n_in));
  // softmax_multidim (n_outer or n_inner > 1) gathers strided slices; only one slice is reproduced.
  if (cfg.n_outer != 1) p.fail("n_outer", "only one slice is reproduced (n_outer = 1), found " + std::to_string(cfg.n_outer));
  if (cfg.n_inner != 1) p.fail("n_inner", "only one slice is reproduced (n_inner = 1), found " + std::to_string(cfg.n_inner));
  if (cfg.n_slice != n) p.fail("n_slice", "only one slice is reproduced (n_slice = n_in = " + std::to_string(n) + "), found " + std::to_string(cfg.n_slice));
  if (shared) {
    // One table for e^x addressed by data_T, one for 1/x addressed by exp_table_t, and the sum
    // kept in exp_table_t (nnet_activation.h before 1.2: init_exp_table<data_T>,
    // init_invert_table<exp_table_t>, reduce<exp_table_t>).
    cfg.exp_table_size = cfg.inv_table_size = p.integer_in("table_size", 2, kMaxTableSize);
    cfg.exp_table_t = cfg.implementation == SoftmaxImplementation::Legacy && !p.has("exp_table_t") ? p.type("table_t") : p.type("exp_table_t");
    cfg.inv_table_t = cfg.implementation == SoftmaxImplementation::Legacy && !p.has("inv_table_t") ? p.type("table_t") : p.type("inv_table_t");
    cfg.accum_t = cfg.inv_inp_t = cfg.inp_norm_t = cfg.exp_table_t;
  } else {
    cfg.exp_table_size = p.integer_in("exp_table_size", 2, kMaxTableSize);
    cfg.inv_table_size = p.integer_in("inv_table_size", 2, kMaxTableSize);
    cfg.exp_scale = p.number("exp_scale");
    cfg.exp_table_t = p.type("exp_table_t");
    cfg.inv_table_t = p.type("inv_table_t");
    cfg.accum_t = p.type("accum_t");
    cfg.inv_inp_t = p.type("inv_inp_t");
    cfg.inp_norm_t = p.type("inp_norm_t");
  }
  cfg.has_table_t = p.has("table_t") || cfg.implementation == SoftmaxImplementation::Legacy;
  if (cfg.has_table_t) cfg.table_t = p.type("table_t");
  cfg.result_t = p.type("result_t");

  // stable and latency address their tables with the top B bits of a code: a size that is not a
  // power of two would read past the table in the C++, and B must not exceed the addressing type.
  if (cfg.implementation == SoftmaxImplementation::Stable || cfg.implementation == SoftmaxImplementation::Latency) {
    for (const char* key : {"exp_table_size", "inv_table_size"}) {
      const long size = std::string(key) == "exp_table_size" ? cfg.exp_table_size : cfg.inv_table_size;
      if (!std::has_single_bit(static_cast<unsigned long>(size))) p.fail(key, "must be a power of two (the index is the top address bits of a code), found " + std::to_string(size));
    }
    const FixedType& exp_index_t = cfg.implementation == SoftmaxImplementation::Stable && !shared ? cfg.inp_norm_t : c.inputs[0].type;
    if (softmax_address_bits(cfg.exp_table_size) > exp_index_t.width) {
      p.fail(shared ? "table_size" : "exp_table_size",
             "needs more address bits than the " + std::to_string(exp_index_t.width) + "-bit type " + exp_index_t.to_string() + " has");
    }
    if (softmax_address_bits(cfg.inv_table_size) > cfg.inv_inp_t.width) {
      p.fail(shared ? "table_size" : "inv_table_size", "needs more address bits than " + std::string(shared ? "exp_table_t " : "inv_inp_t ") +
                                                            cfg.inv_inp_t.to_string() + " has");
    }
  }
  return std::make_unique<Softmax>(c.name, c.inputs[0], cfg);
}

void Softmax::write_params(LayerParamWriter& out) const {
  out.string("implementation", implementation_name(config_.implementation));
  out.integer("n_in", config_.n_in);
  out.integer("n_slice", config_.n_slice);
  out.integer("n_outer", config_.n_outer);
  out.integer("n_inner", config_.n_inner);
  if (config_.tables == SoftmaxTables::Shared) {
    out.integer("table_size", config_.exp_table_size);
    out.type("exp_table_t", config_.exp_table_t);
    out.type("inv_table_t", config_.inv_table_t);
  } else {
    out.integer("exp_table_size", config_.exp_table_size);
    out.integer("inv_table_size", config_.inv_table_size);
    out.number("exp_scale", config_.exp_scale);
    out.type("exp_table_t", config_.exp_table_t);
    out.type("inv_table_t", config_.inv_table_t);
    out.type("accum_t", config_.accum_t);
    out.type("inv_inp_t", config_.inv_inp_t);
    out.type("inp_norm_t", config_.inp_norm_t);
  }
  if (config_.has_table_t) out.type("table_t", config_.table_t);
}

const FixedType& Softmax::exp_index_type() const {
  return config_.implementation == SoftmaxImplementation::Stable && config_.tables == SoftmaxTables::Split ? config_.inp_norm_t : inputs()[0].type;
}

Softmax::Softmax(std::string name, ArraySpec input, Config config)
    : Layer(std::move(name), {input}, config.result_t, input.size), config_(std::move(config)) {
  const long e_size = config_.exp_table_size, v_size = config_.inv_table_size;
  switch (config_.implementation) {
    case SoftmaxImplementation::Stable:
    case SoftmaxImplementation::Latency: {
      // init_exp_table<inp_norm_t or data_T>(exp_table, negative): float x = float(val(i)) * exp_scale
      // (exp_scale is a constexpr float), negated for stable (exp(-(x_max - x))); exp_x = std::exp(x).
      // Before 1.2 both implementations tabulate exp(x) over data_T (stable reads it at x - x_max <= 0).
      const bool negative = config_.implementation == SoftmaxImplementation::Stable && config_.tables == SoftmaxTables::Split;
      const FixedType& index_t = exp_index_type();
      const int be = softmax_address_bits(e_size);
      const auto scale = static_cast<float>(config_.exp_scale);
      for (long i = 0; i < e_size; ++i) {
        float x = value_as_float(i, index_t, be) * scale;
        if (negative) x = -x;
        exp_table_.push_back(from_float(std::exp(x), config_.exp_table_t));
      }
      // init_invert_table<inv_inp_t>: inv_x = 1 / x in float; i = 0 gives +inf, which ap_fixed
      // converts like 2^1024 (the maximum under AP_SAT, 0 under AP_WRAP): from_float does that.
      const int bv = softmax_address_bits(v_size);
      for (long i = 0; i < v_size; ++i) inv_table_.push_back(from_float(1.0F / value_as_float(i, config_.inv_inp_t, bv), config_.inv_table_t));
      break;
    }
    case SoftmaxImplementation::Legacy: {
      // init_exp_table_legacy: in_val = float(2 * 8.0 * (ii - float(N)/2.0) / float(N)); std::exp(float).
      const auto ed = static_cast<double>(static_cast<float>(e_size));
      for (long k = 0; k < e_size; ++k) {
        const auto t = static_cast<float>(2 * 8.0 * (static_cast<double>(k) - ed / 2.0) / ed);
        exp_table_.push_back(from_float(std::exp(t), config_.table_t));
      }
      // init_invert_table_legacy: in_val = float(64.0 * ii / float(N)); 1.0 / in_val (double), 0 at 0.
      const auto vd = static_cast<double>(static_cast<float>(v_size));
      for (long k = 0; k < v_size; ++k) {
        const auto in_val = static_cast<float>(64.0 * static_cast<double>(k) / vd);
        inv_table_.push_back(in_val > 0.0F ? from_double(1.0 / static_cast<double>(in_val), config_.table_t) : BigInt(0));
      }
      break;
    }
    case SoftmaxImplementation::Argmax:
      break;
  }
}

std::vector<BigInt> Softmax::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  const std::size_t n = x.size();
  const Config& c = config_;
  std::vector<BigInt> y(n);
  switch (c.implementation) {
    case SoftmaxImplementation::Stable:
    case SoftmaxImplementation::Latency: {
      const int be = softmax_address_bits(c.exp_table_size);
      const int bv = softmax_address_bits(c.inv_table_size);
      std::vector<BigInt> e(n);
      if (c.implementation == SoftmaxImplementation::Stable && c.tables == SoftmaxTables::Shared) {
        // Before 1.2: ap_fixed<data_T::width, data_T::iwidth, AP_RND, AP_SAT> d = data[i] - x_max;
        // exp_res[i] = exp_table[softmax_idx_from_real_val<data_T>(d)] (d passed as a data_T).
        BigInt m = x.codes[0];
        for (const auto& code : x.codes) m = code > m ? code : m;
        const FixedType diff_t = softmax_difference_type(x.type);
        for (std::size_t i = 0; i < n; ++i) {
          const BigInt d = convert(subtract(x.value(i), ExactValue::of(m, x.type)), diff_t);
          const BigInt as_data = convert_code(d, diff_t, x.type);
          e[i] = exp_table_[static_cast<std::size_t>(softmax_index(as_data, x.type, be))];
        }
      } else if (c.implementation == SoftmaxImplementation::Stable) {
        // x_max = reduce<data_T, n, Op_max>(data): the maximum (exact, whatever the tree).
        BigInt m = x.codes[0];
        for (const auto& code : x.codes) m = code > m ? code : m;
        for (std::size_t i = 0; i < n; ++i) {
          // d_xi_xmax[i] = x_max - data[i]  (-> inp_norm_t); exp_res[i] = exp_table[idx(d)]  (-> accum_t)
          const BigInt d = convert(subtract(ExactValue::of(m, x.type), x.value(i)), c.inp_norm_t);
          e[i] = convert_code(exp_table_[static_cast<std::size_t>(softmax_index(d, c.inp_norm_t, be))], c.exp_table_t, c.accum_t);
        }
      } else {
        // exp_res[i] = exp_table[idx_data_T(data[i])]  (-> accum_t)
        for (std::size_t i = 0; i < n; ++i) {
          e[i] = convert_code(exp_table_[static_cast<std::size_t>(softmax_index(x.codes[i], x.type, be))], c.exp_table_t, c.accum_t);
        }
      }
      // exp_sum = reduce<accum_t, n, Op_add<accum_t>>(exp_res)  (inv_inp_t)
      const BigInt sum = convert_code(reduce_add(e, c.accum_t), c.accum_t, c.inv_inp_t);
      // inv_exp_sum = invert_table[idx_inv_inp_t(exp_sum)]
      const BigInt& r = inv_table_[static_cast<std::size_t>(softmax_index(sum, c.inv_inp_t, bv))];
      // res[i] = exp_res[i] * inv_exp_sum  (exact product -> res_T)
      for (std::size_t i = 0; i < n; ++i) y[i] = convert(multiply(ExactValue::of(e[i], c.accum_t), ExactValue::of(r, c.inv_table_t)), result_type());
      break;
    }
    case SoftmaxImplementation::Legacy: {
      const long e_size = c.exp_table_size, v_size = c.inv_table_size;
      const BigInt one = from_double(1.0, c.table_t);
      const int fx = x.type.fractional_bits();
      for (std::size_t i = 0; i < n; ++i) {
        BigInt a = 0;  // exp_res[ii] = 0
        for (std::size_t j = 0; j < n; ++j) {
          BigInt term;
          if (i == j) {
            term = one;  // exp_diff_res = 1
          } else {
            // data_round = (data[jj] - data[ii]) * E / 16; index = data_round + 8 * E / 16; clamped
            const BigInt diff = x.codes[j] - x.codes[i];  // exact, at the input's LSB
            term = exp_table_[static_cast<std::size_t>(clamped_table_index(diff, fx, e_size, 16, 8 * e_size / 16, e_size))];
          }
          a = convert(add(ExactValue::of(a, c.table_t), ExactValue::of(term, c.table_t)), c.table_t);  // exp_res[ii] += exp_diff_res
        }
        // exp_res_index = exp_res[ii] * V / 64, clamped; res[ii] = (res_T)invert_table[exp_res_index]
        const long k = clamped_table_index(a, c.table_t.fractional_bits(), v_size, 64, 0, v_size);
        y[i] = convert_code(inv_table_[static_cast<std::size_t>(k)], c.table_t, result_type());
      }
      break;
    }
    case SoftmaxImplementation::Argmax: {
      // res[i] = 0; the first strict maximum gets res[idx] = (res_T)1.
      std::size_t best = 0;
      for (std::size_t i = 1; i < n; ++i) {
        if (x.codes[i] > x.codes[best]) best = i;
      }
      y[best] = from_double(1.0, result_type());
      break;
    }
  }
  return y;
}

}  // namespace l1emu::emu

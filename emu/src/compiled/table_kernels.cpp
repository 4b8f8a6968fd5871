// Table and parametric activations and Softmax, compiled. Each kernel mirrors its reference layer
// (emu/src/nn/layers/table_activations.cpp, parametric_activations.cpp, softmax.cpp) on raw codes;
// tables are converted to the codes the layer finally writes at plan time, so a lane does integer
// index arithmetic and one lookup.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/parametric_activations.h"
#include "l1emu/emu/nn/layers/softmax.h"
#include "l1emu/emu/nn/layers/table_activations.h"

namespace l1emu::emu::compiled {
namespace {

std::string lane_name(std::size_t bytes) { return bytes == 4 ? "int32" : "int64"; }

Int128 gcd(Int128 a, Int128 b) {  // std::gcd does not take __int128 in ISO mode
  while (b != 0) {
    const Int128 r = a % b;
    a = b;
    b = r;
  }
  return a;
}

Int128 to_int128(const BigInt& v) {
  const Int128 m = max_abs({v});
  return v < 0 ? -m : m;
}

// The table index rule of nnet_activation.h on lanes: idx = clamp(trunc0(x*M/D) + offset, 0, size-1)
// for x = c * 2^-frac (clamped_table_index in the reference). x*M/D = c*mult/div with mult and div
// the reduced fraction M*2^max(0,-frac) / (D*2^max(0,frac)), the sign of D moved into mult so that
// div > 0 (a power of two: trunc0 is a shift with a bias for negative a). trunc0 is monotone in c, and |trunc0| >= size+1 clamps to an end whatever the offset
// (0 <= offset <= size), so c is first clamped to [-cmax, cmax] with cmax the smallest code that
// reaches size+1: the product then stays small, and the result is unchanged.
template <class T>
struct TableIndex {
  T cmax = 0, mult = 1, div = 1, offset = 0, last = 0;
  int div_shift = 0;  // div = 2^div_shift

  // Builds the rule for codes of `frac` fractional bits; false if it does not fit lanes of T.
  bool make(int frac, long multiplier, long divisor, long offset_, long size) {
    if (frac > 100 || frac < -100) return false;
    Int128 num = multiplier, den = divisor < 0 ? -static_cast<Int128>(divisor) : static_cast<Int128>(divisor);
    if (divisor < 0) num = -num;
    // The reduced fraction: bring out the powers of two first so that 2^|frac| never overflows.
    int shift_den = std::max(frac, 0), shift_num = std::max(-frac, 0);
    while (shift_den > 0 && (num % 2 == 0)) {
      num /= 2;
      --shift_den;
    }
    while (shift_num > 0 && (den % 2 == 0)) {
      den /= 2;
      --shift_num;
    }
    if (shift_den > 120 || shift_num > 60) return false;
    den <<= shift_den;
    num <<= shift_num;
    if (den <= 0 || den > (static_cast<Int128>(1) << 100)) return false;
    const Int128 g = gcd(num < 0 ? -num : num, den);
    if (g != 0) {
      num /= g;
      den /= g;
    }
    const Int128 abs_num = num < 0 ? -num : num;
    if (abs_num == 0) return false;
    const Int128 reach = static_cast<Int128>(size + 1) * den;
    const Int128 c_max = (reach + abs_num - 1) / abs_num;  // ceil: |c|*|mult| >= (size+1)*div
    const Int128 bound = c_max * abs_num + den;
    if (!fits_signed({-bound, bound}, kLaneBits<T>) || !fits_signed({-den, den}, kLaneBits<T>)) return false;
    // The divisors of nnet_activation.h (16, 8, -8, 64) times 2^F are powers of two, so trunc0 is a
    // shift; any other divisor is refused rather than given an untested division path.
    if ((den & (den - 1)) != 0) return false;
    cmax = static_cast<T>(c_max);
    mult = static_cast<T>(num);
    div = static_cast<T>(den);
    div_shift = static_cast<int>(std::bit_width(static_cast<unsigned long long>(den)) - 1);
    offset = static_cast<T>(offset_);
    last = static_cast<T>(size - 1);
    return true;
  }

  T operator()(T c) const {
    const T cc = std::clamp(c, static_cast<T>(-cmax), cmax);
    const T a = static_cast<T>(cc * mult);
    // trunc0(a / 2^s): floor after adding 2^s - 1 to a negative a.
    const T negative = static_cast<T>(a >> (kLaneBits<T> - 1));
    const T q = static_cast<T>(static_cast<T>(a + (negative & static_cast<T>(div - 1))) >> div_shift);
    return std::clamp(static_cast<T>(q + offset), T{0}, last);
  }
};

// Sigmoid, TanH, Softplus, Softsign, ELU, SELU: y = lut[idx(x)], where lut[k] is the layer's result
// code for table entry k (table[k]->res_T, or (alpha*table[k])->res_T for ELU); ELU and SELU take
// the linear branch (x->res_T, or (lambda*x)->res_T) where x >= 0.
template <class T>
class TableActivationKernel final : public Kernel<T> {
 public:
  TableIndex<T> index;
  std::vector<T> lut;
  bool linear_branch = false;
  T lambda = 1;           // the linear branch multiplies by lambda (1 for ELU)
  LaneConverter linear;   // lambda*x -> res
  std::size_t size = 0;

  static void table_only(const T* __restrict x, T* __restrict y, std::size_t total, const TableIndex<T>& index, const T* __restrict lut) {
    for (std::size_t e = 0; e < total; ++e) y[e] = lut[index(x[e])];
  }
  template <class C>
  static void with_linear(const T* __restrict x, T* __restrict y, std::size_t total, const TableIndex<T>& index, const T* __restrict lut,
                          T lambda, C convert) {
    for (std::size_t e = 0; e < total; ++e) {
      const T c = x[e];
      const T from_table = lut[index(c)];
      y[e] = c >= 0 ? convert(static_cast<T>(lambda * c)) : from_table;
    }
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t total = size * arrays.batch;  // every lane (lanes past n hold earlier valid codes)
    const T* x = arrays.row(this->inputs[0], 0);
    T* y = arrays.row(this->output, 0);
    if (!linear_branch) {
      table_only(x, y, total, index, lut.data());
      return;
    }
    lanes::with_converter<T>(linear, [&](auto c) { with_linear(x, y, total, index, lut.data(), lambda, c); });
  }
  std::string describe() const override {
    return lane_name(sizeof(T)) + " table activation (" + std::to_string(lut.size()) + " entries)";
  }
};

template <class T>
KernelPtr<T> make_table_activation(const TableActivation& layer) {
  const ArraySpec& in = layer.inputs()[0];
  const auto& cfg = layer.config();
  auto k = std::make_unique<TableActivationKernel<T>>();
  k->size = in.size;
  if (!k->index.make(in.type.fractional_bits(), cfg.table_size, layer.index_divisor(), layer.index_offset(), cfg.table_size)) return nullptr;
  for (long i = 0; i < cfg.table_size; ++i) k->lut.push_back(layer.entry_result(i).template convert_to<T>());
  if (layer.has_linear_branch()) {
    k->linear_branch = true;
    CodeRange product = code_range(in.type);
    int frac = in.type.fractional_bits();
    if (cfg.function == TableFunction::SELU) {
      const Int128 l = to_int128(TableActivation::selu_lambda_code());
      product = product_range(product, {l, l});
      frac += TableActivation::selu_lambda_type().fractional_bits();
      k->lambda = static_cast<T>(l);
    }
    if (!fits_signed(product, kLaneBits<T>)) return nullptr;
    if (!make_converter<T>(frac, product, layer.result_type(), k->linear)) return nullptr;
  }
  return k;
}

// PReLU: y = x > 0 ? x->res : (alpha_i*x)->res, as LeakyReLU in two passes (the scaled branch for
// every lane, then x where x > 0) so that the two converters are not nested.
template <class T>
class PReluKernel final : public Kernel<T> {
 public:
  std::vector<T> alpha;
  LaneConverter positive, negative;
  std::size_t size = 0;
  template <class C>
  static void scaled(const T* __restrict x, T* __restrict y, std::size_t n, T a, C neg) {
    for (std::size_t e = 0; e < n; ++e) y[e] = neg(static_cast<T>(a * x[e]));
  }
  template <class C>
  static void positive_part(const T* __restrict x, T* __restrict y, std::size_t n, C pos) {
    for (std::size_t e = 0; e < n; ++e) y[e] = x[e] > 0 ? pos(x[e]) : y[e];
  }
  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t batch = arrays.batch;
    const T* x = arrays.row(this->inputs[0], 0);
    T* y = arrays.row(this->output, 0);
    lanes::with_converter<T>(negative, [&](auto c) {
      for (std::size_t i = 0; i < size; ++i) scaled(x + i * batch, y + i * batch, batch, alpha[i], c);
    });
    lanes::with_converter<T>(positive, [&](auto c) { positive_part(x, y, size * batch, c); });
  }
  std::string describe() const override { return lane_name(sizeof(T)) + " prelu"; }
};

template <class T>
KernelPtr<T> make_prelu(const PReLU& layer) {
  const ArraySpec& in = layer.inputs()[0];
  const auto& cfg = layer.config();
  auto k = std::make_unique<PReluKernel<T>>();
  k->size = in.size;
  if (!fits_signed(code_range(cfg.param_t), kLaneBits<T>)) return nullptr;
  const Int128 a = max_abs(cfg.alpha);
  const CodeRange p = product_range(code_range(in.type), {-a, a});
  if (!fits_signed(p, kLaneBits<T>)) return nullptr;
  if (!make_converter<T>(in.type.fractional_bits() + cfg.param_t.fractional_bits(), p, layer.result_type(), k->negative)) return nullptr;
  if (!make_converter<T>(in.type.fractional_bits(), code_range(in.type), layer.result_type(), k->positive)) return nullptr;
  for (const auto& c : cfg.alpha) k->alpha.push_back(c.template convert_to<T>());
  return k;
}

// ThresholdedReLU: x > theta compares exactly; for an integer code c at the input's LSB that is
// c > floor(theta * 2^F_x), a threshold code computed once.
template <class T>
class ThresholdKernel final : public Kernel<T> {
 public:
  T threshold = 0;
  LaneConverter positive;
  std::size_t size = 0;
  template <class C>
  static void pass(const T* __restrict x, T* __restrict y, std::size_t n, T t, C pos) {
    for (std::size_t e = 0; e < n; ++e) y[e] = x[e] > t ? pos(x[e]) : T{0};
  }
  void run(LaneArrays<T>& arrays, std::size_t) const override {
    lanes::with_converter<T>(positive, [&](auto c) { pass(arrays.row(this->inputs[0], 0), arrays.row(this->output, 0), size * arrays.batch, threshold, c); });
  }
  std::string describe() const override { return lane_name(sizeof(T)) + " thresholded relu"; }
};

template <class T>
KernelPtr<T> make_threshold(const ThresholdedReLU& layer) {
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<ThresholdKernel<T>>();
  k->size = in.size;
  const int shift = in.type.fractional_bits() - layer.config().param_t.fractional_bits();
  const BigInt& t = layer.theta_code();
  BigInt floor_t = shift >= 0 ? BigInt(t << static_cast<unsigned>(shift)) : floor_shift(t, static_cast<unsigned>(-shift));
  // Outside the input's codes the comparison is all-true or all-false: clamp to a lane value.
  floor_t = std::clamp(floor_t, BigInt(in.type.min_code() - 1), in.type.max_code());
  if (!fits_signed({to_int128(floor_t), to_int128(floor_t)}, kLaneBits<T>)) return nullptr;
  k->threshold = floor_t.template convert_to<T>();
  if (!make_converter<T>(in.type.fractional_bits(), code_range(in.type), layer.result_type(), k->positive)) return nullptr;
  return k;
}

// HardSigmoid / HardTanh: h = slope*c (aligned) + shift at frac F, clamped to [0, 2^F] (the
// value 1); tanh: 2h - 2^F; then -> res.
template <class T>
class HardKernel final : public Kernel<T> {
 public:
  bool tanh = false;
  T slope = 0, shift = 0, one = 0;
  int product_shift = 0;
  LaneConverter to_result;
  std::size_t size = 0;
  template <class C>
  static void pass(const T* __restrict x, T* __restrict y, std::size_t n, T slope, int ps, T shift, T one, bool tanh, C convert) {
    for (std::size_t e = 0; e < n; ++e) {
      T h = static_cast<T>(shl(static_cast<T>(slope * x[e]), ps) + shift);
      h = h > one ? one : (h < 0 ? T{0} : h);
      y[e] = convert(tanh ? static_cast<T>(2 * h - one) : h);
    }
  }
  void run(LaneArrays<T>& arrays, std::size_t) const override {
    lanes::with_converter<T>(to_result, [&](auto c) {
      pass(arrays.row(this->inputs[0], 0), arrays.row(this->output, 0), size * arrays.batch, slope, product_shift, shift, one, tanh, c);
    });
  }
  std::string describe() const override { return lane_name(sizeof(T)) + (tanh ? " hard tanh" : " hard sigmoid"); }
};

template <class T>
KernelPtr<T> make_hard(const HardActivation& layer) {
  const ArraySpec& in = layer.inputs()[0];
  const auto& cfg = layer.config();
  auto k = std::make_unique<HardKernel<T>>();
  k->size = in.size;
  k->tanh = cfg.kind == HardActivation::Kind::Tanh;
  const int fp = cfg.slope_t.fractional_bits() + in.type.fractional_bits();
  const int fs = cfg.shift_t.fractional_bits();
  const int f = std::max(fp, fs);
  if (f < 0 || f > 60 || f - fs > 60) return nullptr;
  k->product_shift = f - fp;
  const Int128 s = to_int128(layer.slope_code());
  const Int128 b = to_int128(layer.shift_code()) << (f - fs);
  if (!fits_signed({s, s}, kLaneBits<T>)) return nullptr;
  const CodeRange p = product_range(code_range(in.type), {s, s});
  if (!fits_signed(p, kLaneBits<T>)) return nullptr;
  const CodeRange ps = shifted(p, k->product_shift);
  const Int128 one = static_cast<Int128>(1) << f;
  if (!fits_signed(ps, kLaneBits<T>) || !fits_signed(sum(ps, {b, b}), kLaneBits<T>) ||
      !fits_signed({-2 * one, 2 * one}, kLaneBits<T>)) {
    return nullptr;
  }
  k->slope = static_cast<T>(s);
  k->shift = static_cast<T>(b);
  k->one = static_cast<T>(one);
  const CodeRange h = k->tanh ? CodeRange{-one, one} : CodeRange{0, one};
  if (!make_converter<T>(f, h, layer.result_type(), k->to_result)) return nullptr;
  return k;
}

// Softmax, per event (n values through the integer steps of the reference, every table converted
// at plan time to the codes that are used next).
template <class T>
class SoftmaxKernel final : public Kernel<T> {
 public:
  SoftmaxImplementation implementation = SoftmaxImplementation::Stable;
  std::size_t size = 0;
  // stable / latency
  LaneConverter to_norm;        // (x_max - x) -> inp_norm_t
  bool shared_tables = false;   // hls4ml before 1.2: stable reads exp(x - x_max) from a data_T-addressed table
  LaneConverter to_diff;        // (x - x_max) -> ap_fixed<W, I, AP_RND, AP_SAT> of the input
  LaneConverter diff_to_data;   // that difference -> data_T (softmax_idx_from_real_val's parameter)
  LaneConverter add;            // pairwise sums -> accum_t (same LSB)
  LaneConverter to_inv_inp;     // accum_t -> inv_inp_t
  LaneConverter to_result;      // e * r -> res; legacy: unused
  std::vector<T> exp_accum;     // exp table entries -> accum_t
  std::vector<T> inv;           // inv table codes (inv_table_t)
  int exp_width = 0, exp_drop = 0, inv_width = 0, inv_drop = 0;  // idx_T: (code mod 2^W) >> (W - B)
  // legacy
  TableIndex<T> diff_index, sum_index;
  LaneConverter table_add;      // a + term -> table_t (same LSB)
  std::vector<T> exp_table;     // table_t codes
  std::vector<T> inv_result;    // inv table entries -> res
  T one_table = 0;
  // argmax
  T one_result = 0;

  static long top_bits(T code, int width, int drop) {
    const auto reg = static_cast<std::uint64_t>(static_cast<std::int64_t>(code)) & (width >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1));
    return static_cast<long>(reg >> drop);
  }
  // nnet::reduce with Op_add<accum_t>: left subtree 2^floor(log2(n-1)).
  T reduce(const T* v, std::size_t n) const {
    if (n == 1) return v[0];
    const std::size_t left = std::bit_floor(n - 1);
    return lanes::convert_code<T>(static_cast<T>(reduce(v, left) + reduce(v + left, n - left)), add);
  }

  void run(LaneArrays<T>& arrays, std::size_t n_events) const override {
    std::vector<T> x(size), e(size), y(size);
    for (std::size_t ev = 0; ev < n_events; ++ev) {
      for (std::size_t i = 0; i < size; ++i) x[i] = arrays.row(this->inputs[0], i)[ev];
      event(x.data(), e.data(), y.data());
      for (std::size_t i = 0; i < size; ++i) arrays.row(this->output, i)[ev] = y[i];
    }
  }

  void event(const T* x, T* e, T* y) const {
    switch (implementation) {
      case SoftmaxImplementation::Stable:
      case SoftmaxImplementation::Latency: {
        if (implementation == SoftmaxImplementation::Stable && shared_tables) {
          const T m = *std::max_element(x, x + size);
          for (std::size_t i = 0; i < size; ++i) {
            const T d = lanes::convert_code<T>(lanes::convert_code<T>(static_cast<T>(x[i] - m), to_diff), diff_to_data);
            e[i] = exp_accum[static_cast<std::size_t>(top_bits(d, exp_width, exp_drop))];
          }
        } else if (implementation == SoftmaxImplementation::Stable) {
          const T m = *std::max_element(x, x + size);
          for (std::size_t i = 0; i < size; ++i) {
            e[i] = exp_accum[static_cast<std::size_t>(top_bits(lanes::convert_code<T>(static_cast<T>(m - x[i]), to_norm), exp_width, exp_drop))];
          }
        } else {
          for (std::size_t i = 0; i < size; ++i) e[i] = exp_accum[static_cast<std::size_t>(top_bits(x[i], exp_width, exp_drop))];
        }
        const T s = lanes::convert_code<T>(reduce(e, size), to_inv_inp);
        const T r = inv[static_cast<std::size_t>(top_bits(s, inv_width, inv_drop))];
        for (std::size_t i = 0; i < size; ++i) y[i] = lanes::convert_code<T>(static_cast<T>(e[i] * r), to_result);
        return;
      }
      case SoftmaxImplementation::Legacy: {
        for (std::size_t i = 0; i < size; ++i) {
          T a = 0;
          for (std::size_t j = 0; j < size; ++j) {
            const T term = i == j ? one_table : exp_table[static_cast<std::size_t>(diff_index(static_cast<T>(x[j] - x[i])))];
            a = lanes::convert_code<T>(static_cast<T>(a + term), table_add);
          }
          y[i] = inv_result[static_cast<std::size_t>(sum_index(a))];
        }
        return;
      }
      case SoftmaxImplementation::Argmax: {
        std::size_t best = 0;
        for (std::size_t i = 1; i < size; ++i) {
          if (x[i] > x[best]) best = i;
        }
        for (std::size_t i = 0; i < size; ++i) y[i] = i == best ? one_result : T{0};
        return;
      }
    }
  }
  std::string describe() const override { return lane_name(sizeof(T)) + " softmax (per event)"; }
};

template <class T>
KernelPtr<T> make_softmax(const Softmax& layer) {
  const ArraySpec& in = layer.inputs()[0];
  const auto& cfg = layer.config();
  auto k = std::make_unique<SoftmaxKernel<T>>();
  k->size = in.size;
  k->implementation = cfg.implementation;
  const int bits = kLaneBits<T>;
  const FixedType& res = layer.result_type();
  const auto fits_type = [&](const FixedType& t) { return fits_signed(code_range(t), bits); };
  switch (cfg.implementation) {
    case SoftmaxImplementation::Stable:
    case SoftmaxImplementation::Latency: {
      const FixedType& index_t = layer.exp_index_type();
      if (!fits_type(cfg.accum_t) || !fits_type(cfg.inv_inp_t) || !fits_type(cfg.inv_table_t) || !fits_type(index_t)) return nullptr;
      if (cfg.implementation == SoftmaxImplementation::Stable && cfg.tables == SoftmaxTables::Shared) {
        // The reference's steps (softmax.cpp): x - x_max (<= 0) into the RND/SAT twin of data_T, then data_T.
        const CodeRange x = code_range(in.type);
        if (!fits_signed({x.lo - x.hi, 0}, bits)) return nullptr;
        const FixedType diff_t = softmax_difference_type(in.type);
        k->shared_tables = true;
        if (!make_converter<T>(in.type.fractional_bits(), {x.lo - x.hi, 0}, diff_t, k->to_diff)) return nullptr;
        if (!make_converter<T>(diff_t.fractional_bits(), code_range(diff_t), in.type, k->diff_to_data)) return nullptr;
      } else if (cfg.implementation == SoftmaxImplementation::Stable) {
        const CodeRange x = code_range(in.type);
        if (!fits_signed({0, x.hi - x.lo}, bits)) return nullptr;  // x_max - x on the lane
        if (!make_converter<T>(in.type.fractional_bits(), {0, x.hi - x.lo}, cfg.inp_norm_t, k->to_norm)) return nullptr;
      }
      k->exp_width = index_t.width;
      k->exp_drop = index_t.width - softmax_address_bits(cfg.exp_table_size);
      k->inv_width = cfg.inv_inp_t.width;
      k->inv_drop = cfg.inv_inp_t.width - softmax_address_bits(cfg.inv_table_size);
      const CodeRange acc = code_range(cfg.accum_t);
      if (!fits_signed(sum(acc, acc), bits)) return nullptr;
      if (!make_converter<T>(cfg.accum_t.fractional_bits(), sum(acc, acc), cfg.accum_t, k->add)) return nullptr;
      if (!make_converter<T>(cfg.accum_t.fractional_bits(), acc, cfg.inv_inp_t, k->to_inv_inp)) return nullptr;
      for (const auto& c : layer.exp_table()) k->exp_accum.push_back(convert_code(c, cfg.exp_table_t, cfg.accum_t).template convert_to<T>());
      for (const auto& c : layer.inv_table()) k->inv.push_back(c.template convert_to<T>());
      const Int128 r = max_abs(layer.inv_table());
      const CodeRange p = product_range(acc, {-r, r});
      if (!fits_signed(p, bits)) return nullptr;
      if (!make_converter<T>(cfg.accum_t.fractional_bits() + cfg.inv_table_t.fractional_bits(), p, res, k->to_result)) return nullptr;
      return k;
    }
    case SoftmaxImplementation::Legacy: {
      if (!fits_type(cfg.table_t)) return nullptr;
      const CodeRange x = code_range(in.type);
      if (!fits_signed(difference(x, x), bits)) return nullptr;
      if (!k->diff_index.make(in.type.fractional_bits(), cfg.exp_table_size, 16, 8 * cfg.exp_table_size / 16, cfg.exp_table_size)) return nullptr;
      if (!k->sum_index.make(cfg.table_t.fractional_bits(), cfg.inv_table_size, 64, 0, cfg.inv_table_size)) return nullptr;
      const CodeRange t = code_range(cfg.table_t);
      if (!fits_signed(sum(t, t), bits)) return nullptr;
      if (!make_converter<T>(cfg.table_t.fractional_bits(), sum(t, t), cfg.table_t, k->table_add)) return nullptr;
      for (const auto& c : layer.exp_table()) k->exp_table.push_back(c.template convert_to<T>());
      for (const auto& c : layer.inv_table()) k->inv_result.push_back(convert_code(c, cfg.table_t, res).template convert_to<T>());
      k->one_table = from_double(1.0, cfg.table_t).template convert_to<T>();
      return k;
    }
    case SoftmaxImplementation::Argmax:
      k->one_result = from_double(1.0, res).template convert_to<T>();
      return k;
  }
  return nullptr;
}

}  // namespace

template <class T>
KernelPtr<T> make_table_kernel(const Layer& layer) {
  if (const auto* t = dynamic_cast<const TableActivation*>(&layer)) return make_table_activation<T>(*t);
  if (const auto* p = dynamic_cast<const PReLU*>(&layer)) return make_prelu<T>(*p);
  if (const auto* r = dynamic_cast<const ThresholdedReLU*>(&layer)) return make_threshold<T>(*r);
  if (const auto* h = dynamic_cast<const HardActivation*>(&layer)) return make_hard<T>(*h);
  if (const auto* s = dynamic_cast<const Softmax*>(&layer)) return make_softmax<T>(*s);
  return nullptr;
}

template KernelPtr<std::int32_t> make_table_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_table_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

// Layers that reduce an array to one value, compiled: SumSquares, Dot, KLLoss.
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/fixed/conversion.h"
#include "table_index_gather.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/reduce.h"

namespace l1emu::emu::compiled {
namespace {

template <class T, class C>
void add_rows(const T* __restrict a, const T* __restrict b, T* __restrict out, std::size_t n, C convert) {
  for (std::size_t e = 0; e < n; ++e) out[e] = convert(static_cast<T>(a[e] + b[e]));
}

// nnet::reduce over lane rows: rows[0..count) of type t, each pairwise sum converted by `add`
// (same LSB, overflow only). Writes the result into out.
template <class T>
void reduce_rows(std::vector<const T*>& rows, std::size_t first, std::size_t count, std::size_t n, const LaneConverter& add,
                 T* out, std::vector<std::vector<T>>& scratch, std::size_t depth) {
  if (count == 1) {
    for (std::size_t e = 0; e < n; ++e) out[e] = rows[first][e];
    return;
  }
  const std::size_t left = reduce_left_size(count);
  if (scratch.size() < 2 * (depth + 1)) scratch.resize(2 * (depth + 1), std::vector<T>(256));
  T* a = scratch[2 * depth].data();
  T* b = scratch[2 * depth + 1].data();
  reduce_rows(rows, first, left, n, add, a, scratch, depth + 1);
  reduce_rows(rows, first + left, count - left, n, add, b, scratch, depth + 1);
  lanes::with_converter<T>(add, [&](auto c) { add_rows(a, b, out, n, c); });
}

// SumSquares: sq[i] = (x[i]*x[i])->res; reduce with Op_add<res>.
template <class T>
class SumSquaresKernel final : public Kernel<T> {
 public:
  LaneConverter square, add;
  std::size_t size = 0;
  template <class C>
  static void squares(const T* __restrict x, T* __restrict out, std::size_t n, C convert) {
    for (std::size_t e = 0; e < n; ++e) out[e] = convert(static_cast<T>(x[e] * x[e]));
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t batch = arrays.batch, total = size * batch;
    thread_local std::vector<T> sq;
    thread_local std::vector<const T*> rows;
    thread_local std::vector<std::vector<T>> scratch;
    sq.resize(total);
    rows.clear();
    const T* x = arrays.row(this->inputs[0], 0);
    lanes::with_converter<T>(square, [&](auto c) { squares(x, sq.data(), total, c); });
    for (std::size_t i = 0; i < size; ++i) rows.push_back(sq.data() + i * batch);
    reduce_rows(rows, 0, size, batch, add, arrays.row(this->output, 0), scratch, 0);
  }
  std::string describe() const override { return std::string(sizeof(T) == 4 ? "int32" : "int64") + " sum-of-squares"; }
};

// Dot (nnet::dot1d): acc = 0; acc = (acc + (a*b)->accum)->accum in order; y = acc->res.
// The arithmetic runs on lanes of W, which may be wider than the plan's T: AXOL1TL v5 squares
// 18-bit codes into a 37-bit accumulator inside an int32 plan, and widening only the products here
// costs a fraction of copying the layer's arrays to 64 bits and back (the widened kernel).
template <class T, class W = T>
class DotKernel final : public Kernel<T> {
 public:
  LaneConverter product, add, result;  // made for lanes of W
  std::size_t size = 0;
  // Per value: the rounded products of all lanes, then the in-order accumulation, each a fused
  // loop (the converters' shapes are template parameters, dispatched once per step).
  template <class C>
  static void products(const T* __restrict a, const T* __restrict b, W* __restrict out, std::size_t n, C convert) {
    for (std::size_t e = 0; e < n; ++e) out[e] = convert(static_cast<W>(static_cast<W>(a[e]) * static_cast<W>(b[e])));
  }
  template <class C>
  static void accumulate(W* __restrict acc, const W* __restrict term, std::size_t n, C overflow) {
    for (std::size_t e = 0; e < n; ++e) acc[e] = overflow(static_cast<W>(acc[e] + term[e]));
  }
  template <class C>
  static void finish(const W* __restrict acc, T* __restrict y, std::size_t n, C convert) {
    for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(convert(acc[e]));  // result codes fit T (the plan's arrays do)
  }

  // One pass per value with the sum taken modulo the lane (make_dot's sum_mod): the products
  // neither round nor saturate (exact, or shifted left) and every overflow step on the way is a
  // signed WRAP into accum_t, whose low bits do not depend on when it wraps; so the products are
  // summed modulo 2^lane and wrapped once at the end (or never, where nothing can overflow).
  bool sum_mod = false, wrap_at_end = false;
  LaneConverter final_wrap;  // accum_t's WRAP, overflow only

  template <class N>
  static void multiply_add(const T* __restrict a, const T* __restrict b, W* __restrict acc, N n, int up) {
    using U = std::make_unsigned_t<W>;
    for (std::size_t e = 0; e < n; ++e) {
      acc[e] = static_cast<W>(static_cast<U>(acc[e]) + (static_cast<U>(static_cast<W>(static_cast<W>(a[e]) * static_cast<W>(b[e]))) << up));
    }
  }

  void run_sum_mod(LaneArrays<T>& arrays) const {
    alignas(64) W acc[256];
    const int up = product.shift < 0 ? -product.shift : 0;
    // Rows of a constant kBatch lanes (with_batch): whole vectors, no remainder code per row.
    with_batch(arrays.batch, [&](auto n) {
      for (std::size_t e = 0; e < n; ++e) acc[e] = 0;
      for (std::size_t i = 0; i < size; ++i) multiply_add(arrays.row(this->inputs[0], i), arrays.row(this->inputs[1], i), acc, n, up);
      T* y = arrays.row(this->output, 0);
      const auto finish_with = [&](auto wrap) {
        lanes::with_converter<W>(result, [&](auto c) {
          for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(c(wrap(acc[e])));  // result codes fit T (the plan's arrays do)
        });
      };
      if (wrap_at_end) {
        finish_with(lanes::make_fused<W, 0, 1>(final_wrap));
      } else {
        finish_with(lanes::make_fused<W, 0, 0>(final_wrap));
      }
    });
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    if (sum_mod) {
      run_sum_mod(arrays);
      return;
    }
    const std::size_t batch = arrays.batch;  // every lane (lanes past n hold earlier valid codes)
    alignas(64) W acc[256] = {};
    alignas(64) W term[256];
    LaneConverter overflow_only = add;  // the sum of two accum_t codes has accum_t's LSB
    overflow_only.shift = 0;
    for (std::size_t i = 0; i < size; ++i) {
      const T* a = arrays.row(this->inputs[0], i);
      const T* b = arrays.row(this->inputs[1], i);
      lanes::with_converter<W>(product, [&](auto c) { products(a, b, term, batch, c); });
      lanes::with_converter<W>(overflow_only, [&](auto c) { accumulate(acc, term, batch, c); });
    }
    lanes::with_converter<W>(result, [&](auto c) { finish(acc, arrays.row(this->output, 0), batch, c); });
  }
  std::string describe() const override {
    std::string d = std::string(sizeof(T) == 4 ? "int32" : "int64") + " dot";
    if constexpr (sizeof(W) != sizeof(T)) d += " (products and sums on int64 lanes)";
    if (sum_mod) d += wrap_at_end ? " (one pass, the sum modulo the lane wrapped once)" : " (one pass, no overflow possible)";
    return d;
  }
};

// A Dot kernel whose arithmetic fits lanes of W (nullptr if it does not).
template <class T, class W>
KernelPtr<T> make_dot(const Dot& dot) {
  const ArraySpec& a = dot.inputs()[0];
  const ArraySpec& b = dot.inputs()[1];
  auto k = std::make_unique<DotKernel<T, W>>();
  k->size = a.size;
  const CodeRange p = product_range(code_range(a.type), code_range(b.type));
  const CodeRange acc = code_range(dot.accum_type());
  if (!fits_signed(p, kLaneBits<W>)) return nullptr;
  if (!make_converter<W>(a.type.fractional_bits() + b.type.fractional_bits(), p, dot.accum_type(), k->product)) return nullptr;
  if (!make_converter<W>(dot.accum_type().fractional_bits(), {acc.lo * 2, acc.hi * 2 + 1}, dot.accum_type(), k->add)) return nullptr;
  if (!make_converter<W>(dot.accum_type().fractional_bits(), acc, dot.result_type(), k->result)) return nullptr;
  // The sum modulo the lane (DotKernel::sum_mod): products that neither round nor saturate, and
  // overflow steps that are signed WRAPs or none (AXOL1TL v5's ap_fixed<37,23> accumulator; the
  // per-term wrap is then the identity modulo 2^37, taken once at the end).
  const lanes::ConverterShape ps = lanes::converter_shape(k->product), as = lanes::converter_shape(k->add);
  if ((ps.rounding == 0 || ps.rounding == 4) && ps.overflow <= 1 && as.overflow <= 1 && k->product.shift > -kLaneBits<W>) {
    k->sum_mod = true;
    k->wrap_at_end = ps.overflow == 1 || as.overflow == 1;
    k->final_wrap = k->add;
    k->final_wrap.shift = 0;
    k->final_wrap.check_overflow = true;
    if (k->wrap_at_end && (!k->final_wrap.is_signed || k->final_wrap.overflow != Overflow::Wrap || k->final_wrap.saturation_bits != 0)) k->sum_mod = false;
  }
  return k;
}

// KLLoss (AE_L1_paper nnet::klloss); see emu/src/nn/layers/kl_loss.cpp for each step.
template <class T>
class KLLossKernel final : public Kernel<T> {
 public:
  LaneConverter mean_sq;      // m*m -> A
  LaneConverter one_plus_v;   // (1->V) + v -> A, with v aligned
  LaneConverter sub_table;    // k - table -> A (aligned)
  LaneConverter sub_mean;     // k - mean_sq -> A (overflow only)
  LaneConverter add;          // pairwise sums -> A (overflow only)
  LaneConverter scale_mean;   // s * inv_n -> A
  LaneConverter result;       // minus_half * s -> res
  T one_v = 0;                // 1.0 in V, aligned to the (1 + v) sum
  int shift_v = 0, shift_one = 0;
  int shift_k = 0, shift_table = 0;  // alignment of k and table entries for the subtraction
  std::vector<T> table;       // exp table codes
  T table_scale = 0, index_offset = 0;  // index = floor((v*table_scale + index_offset) / 2^frac_v)
  int frac_v = 0;
  T inv_n = 0, minus_half = 0;
  std::size_t size = 0;
  int table_size = 0;

  // Each step is one loop with its conversion fused in (the converter's shape is a template
  // parameter); the loops take everything by value and restrict pointers so they vectorise.
  template <class C>
  static void square_row(const T* __restrict m, T* __restrict out, std::size_t n, C convert) {
    for (std::size_t e = 0; e < n; ++e) out[e] = convert(static_cast<T>(m[e] * m[e]));
  }
  template <class C>
  static void one_plus_row(const T* __restrict v, T* __restrict out, std::size_t n, T one, int shift_v, C convert) {
    for (std::size_t e = 0; e < n; ++e) out[e] = convert(static_cast<T>(one + shl(v[e], shift_v)));
  }
  template <class C>
  static void minus_table_row(const T* __restrict v, T* __restrict k, std::size_t n, const T* __restrict table, T scale, T offset,
                              int frac, T last, int shift_k, int shift_table, C convert) {
    for (std::size_t e = 0; e < n; ++e) {
      const T t = static_cast<T>(v[e] * scale + offset);  // the index scaled by 2^frac_v
      T index = t < 0 ? T{0} : static_cast<T>(t >> frac);
      index = index > last ? last : index;
      k[e] = convert(static_cast<T>(shl(k[e], shift_k) - shl(table[index], shift_table)));
    }
  }
  // The same after the look-up (int32 lanes: gather_clamped_index made `looked_up`).
  template <class C>
  static void minus_looked_up_row(T* __restrict k, const T* __restrict looked_up, std::size_t n, int shift_k, int shift_table, C convert) {
    for (std::size_t e = 0; e < n; ++e) k[e] = convert(static_cast<T>(shl(k[e], shift_k) - shl(looked_up[e], shift_table)));
  }
  template <class C>
  static void minus_row(T* __restrict k, const T* __restrict msq, std::size_t n, C convert) {
    for (std::size_t e = 0; e < n; ++e) k[e] = convert(static_cast<T>(k[e] - msq[e]));
  }
  template <class C>
  static void times_row(T* __restrict y, std::size_t n, T factor, C convert) {
    for (std::size_t e = 0; e < n; ++e) y[e] = convert(static_cast<T>(y[e] * factor));
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t batch = arrays.batch, total = size * batch;
    thread_local std::vector<T> kl, msq;
    thread_local std::vector<const T*> rows;
    thread_local std::vector<std::vector<T>> scratch;
    kl.resize(total);
    msq.resize(total);
    // The rows of each input array are contiguous: every step is one loop over all of them.
    const T* m = arrays.row(this->inputs[0], 0);
    const T* v = arrays.row(this->inputs[1], 0);
    T* k = kl.data();
    lanes::with_converter<T>(mean_sq, [&](auto c) { square_row(m, msq.data(), total, c); });
    lanes::with_converter<T>(one_plus_v, [&](auto c) { one_plus_row(v, k, total, shl(one_v, shift_one), shift_v, c); });
    if constexpr (sizeof(T) == 4) {
      // A vector gather of the table codes, then the subtraction as a plain lane loop.
      thread_local std::vector<T> looked_up;
      looked_up.resize(total);
      gather_clamped_index(v, total, table_scale, index_offset, frac_v, static_cast<T>(table_size - 1), table.data(), looked_up.data());
      lanes::with_converter<T>(sub_table, [&](auto c) { minus_looked_up_row(k, looked_up.data(), total, shift_k, shift_table, c); });
    } else {
      lanes::with_converter<T>(sub_table, [&](auto c) {
        minus_table_row(v, k, total, table.data(), table_scale, index_offset, frac_v, static_cast<T>(table_size - 1), shift_k, shift_table, c);
      });
    }
    lanes::with_converter<T>(sub_mean, [&](auto c) { minus_row(k, msq.data(), total, c); });
    rows.clear();
    for (std::size_t i = 0; i < size; ++i) rows.push_back(k + i * batch);
    T* y = arrays.row(this->output, 0);
    reduce_rows(rows, 0, size, batch, add, y, scratch, 0);
    lanes::with_converter<T>(scale_mean, [&](auto c) { times_row(y, batch, inv_n, c); });
    lanes::with_converter<T>(result, [&](auto c) { times_row(y, batch, minus_half, c); });
  }
  std::string describe() const override { return std::string(sizeof(T) == 4 ? "int32" : "int64") + " kl-loss"; }
};


template <class T>
KernelPtr<T> make_kl_loss(const KLLoss& layer) {
  const auto& cfg = layer.config();
  const ArraySpec& m = layer.inputs()[0];
  const ArraySpec& v = layer.inputs()[1];
  const FixedType& a = cfg.accum_t;
  auto k = std::make_unique<KLLossKernel<T>>();
  k->size = m.size;
  k->table_size = cfg.table_size;
  const CodeRange rm = code_range(m.type), rv = code_range(v.type), ra = code_range(a), rt = code_range(cfg.exp_table_t);
  const int fa = a.fractional_bits(), fv = v.type.fractional_bits(), ft = cfg.exp_table_t.fractional_bits();
  if (fv < 0 || fv > 40) return nullptr;
  k->frac_v = fv;
  if (!make_converter<T>(2 * m.type.fractional_bits(), product_range(rm, rm), a, k->mean_sq)) return nullptr;
  if (!fits_signed(product_range(rm, rm), kLaneBits<T>)) return nullptr;
  // (1.0 -> V) + v: both at fraction fv.
  k->one_v = from_double(1.0, v.type).convert_to<T>();
  if (!make_converter<T>(fv, {rv.lo * 2, rv.hi * 2 + 1}, a, k->one_plus_v)) return nullptr;
  // k - table: align accum and table fractions.
  const int f = std::max(fa, ft);
  k->shift_k = f - fa;
  k->shift_table = f - ft;
  const CodeRange ka = shifted(ra, k->shift_k), kt = shifted(rt, k->shift_table);
  if (!fits_signed(unite(ka, kt), kLaneBits<T>)) return nullptr;
  if (!make_converter<T>(f, {ka.lo - kt.hi, ka.hi - kt.lo}, a, k->sub_table)) return nullptr;
  if (!make_converter<T>(fa, {ra.lo * 2, ra.hi * 2 + 1}, a, k->sub_mean)) return nullptr;
  k->add = k->sub_mean;
  // index: t = v*ts + is, evaluated as (v_code*ts + is*2^fv) / 2^fv.
  const auto ts = static_cast<long>(std::floor(static_cast<double>(cfg.table_size) / (2.0 * cfg.exp_range)));
  const auto is = static_cast<long>(std::floor(static_cast<double>(cfg.exp_range) * static_cast<double>(ts)));
  k->table_scale = static_cast<T>(ts);
  const CodeRange t_range{rv.lo * ts + (static_cast<Int128>(is) << fv), rv.hi * ts + (static_cast<Int128>(is) << fv)};
  if (!fits_signed(t_range, kLaneBits<T>)) return nullptr;
  k->index_offset = static_cast<T>(static_cast<Int128>(is) << fv);
  for (const auto& c : layer.exp_table()) k->table.push_back(c.convert_to<T>());
  // mean: s * (1.0/n -> A), then -0.5 -> res times that.
  const BigInt inv = from_double(1.0 / static_cast<double>(m.size), a);
  k->inv_n = inv.convert_to<T>();
  const Int128 inv_abs = max_abs({inv});
  if (!fits_signed(product_range(ra, {-inv_abs, inv_abs}), kLaneBits<T>)) return nullptr;
  if (!make_converter<T>(2 * fa, product_range(ra, {-inv_abs, inv_abs}), a, k->scale_mean)) return nullptr;
  const BigInt half = from_double(-0.5, layer.result_type());
  k->minus_half = half.convert_to<T>();
  const Int128 half_abs = max_abs({half});
  if (!fits_signed(product_range(ra, {-half_abs, half_abs}), kLaneBits<T>)) return nullptr;
  if (!make_converter<T>(fa + layer.result_type().fractional_bits(), product_range(ra, {-half_abs, half_abs}), layer.result_type(),
                         k->result)) {
    return nullptr;
  }
  return k;
}

}  // namespace

template <class T>
KernelPtr<T> make_reduction_kernel(const Layer& layer) {
  if (const auto* kl = dynamic_cast<const KLLoss*>(&layer)) return make_kl_loss<T>(*kl);
  if (const auto* ss = dynamic_cast<const SumSquares*>(&layer)) {
    const ArraySpec& in = ss->inputs()[0];
    auto k = std::make_unique<SumSquaresKernel<T>>();
    k->size = in.size;
    const CodeRange x = code_range(in.type);
    const CodeRange sq = product_range(x, x);
    const CodeRange r = code_range(ss->result_type());
    if (!fits_signed(sq, kLaneBits<T>)) return nullptr;
    if (!make_converter<T>(2 * in.type.fractional_bits(), sq, ss->result_type(), k->square)) return nullptr;
    if (!make_converter<T>(ss->result_type().fractional_bits(), {r.lo * 2, r.hi * 2 + 1}, ss->result_type(), k->add)) return nullptr;
    return k;
  }
  if (const auto* dot = dynamic_cast<const Dot*>(&layer)) {
    KernelPtr<T> k = make_dot<T, T>(*dot);
    if constexpr (std::is_same_v<T, std::int32_t>) {
      if (!k) k = make_dot<T, std::int64_t>(*dot);
    }
    return k;
  }
  return nullptr;
}

template KernelPtr<std::int32_t> make_reduction_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_reduction_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

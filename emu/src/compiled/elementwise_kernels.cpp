// Element-wise layers compiled: BatchNormalization, ReLU, LeakyReLU, Linear, InputScale.
// Each step mirrors the reference layer (emu/src/nn/layers/) on raw codes.
#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "batch_norm_rows.h"
#include "input_scale_rows.h"
#include "kernel.h"
#include "relu_clamp.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"

namespace l1emu::emu::compiled {
namespace {

// Codes of a at fraction fa and of b at fraction fb brought to a common fraction: the shifts that
// align them (one of them is zero).
struct Alignment {
  int shift_a = 0, shift_b = 0, frac = 0;
};
Alignment align(int fa, int fb) {
  Alignment al;
  al.frac = std::max(fa, fb);
  al.shift_a = al.frac - fa;
  al.shift_b = al.frac - fb;
  return al;
}

constexpr std::size_t kMaxLanes = 256;  // >= CompiledModel::kBatch

// BatchNormalization: y = (x*scale + bias)->res (head) or ((x*scale)->res + bias)->res (paper).
template <class T>
class BatchNormKernel final : public Kernel<T> {
 public:
  BatchNormRounding rounding = BatchNormRounding::Once;
  std::vector<T> scale, bias;
  int shift_product = 0, shift_bias = 0;  // head: alignment of x*scale and bias
  LaneConverter to_result;                // head: sum -> res; paper: product -> res
  LaneConverter second;                   // paper: (res + bias) -> res
  // paper: to_result without its overflow step, used instead of it where the second conversion's
  // wrap makes that step redundant (make_batch_norm).
  LaneConverter rounding_only;
  bool skip_first_wrap = false;
  std::size_t size = 0;
  // hls4ml's default shape on int32 lanes (x and scale of at most 16 bits, TRN, WRAP or no
  // overflow): the pmaddwd rows of batch_norm_rows.h instead of the loops below.
  bool rows16 = false;
  BatchNorm16Rows fast;

  // Every lane of the batch is computed (lanes past n hold earlier valid codes). Each step is one
  // pass over the whole array with its conversion fused in (the converter's shape is a template
  // parameter, picked once per layer), so the codes go through the registers once per step.
  template <class C>
  static void head_row(const T* __restrict x, T* __restrict y, std::size_t batch, T s, int sp, T bb, C convert) {
    for (std::size_t e = 0; e < batch; ++e) y[e] = convert(static_cast<T>(shl(static_cast<T>(x[e] * s), sp) + bb));
  }
  template <class C>
  static void scale_row(const T* __restrict x, T* __restrict y, std::size_t batch, T s, C to_res) {
    for (std::size_t e = 0; e < batch; ++e) y[e] = to_res(static_cast<T>(x[e] * s));
  }
  template <class C>
  static void bias_row(T* __restrict y, std::size_t batch, int sp, T bb, C add_bias) {
    for (std::size_t e = 0; e < batch; ++e) y[e] = add_bias(static_cast<T>(shl(y[e], sp) + bb));
  }
  template <class C1, class C2>
  static void paper_row(const T* __restrict x, T* __restrict y, std::size_t batch, T s, C1 to_res, int sp, T bb, C2 add_bias) {
    for (std::size_t e = 0; e < batch; ++e) y[e] = add_bias(static_cast<T>(shl(to_res(static_cast<T>(x[e] * s)), sp) + bb));
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t batch = arrays.batch;
    const T* x = arrays.row(this->inputs[0], 0);
    T* y = arrays.row(this->output, 0);
    if constexpr (sizeof(T) == 4) {
      if (rows16) {
        batch_norm_16(fast, x, y, size, batch);
        return;
      }
    }
    if (rounding == BatchNormRounding::Once) {
      lanes::with_converter<T>(to_result, [&](auto convert) {
        for (std::size_t i = 0; i < size; ++i) head_row(x + i * batch, y + i * batch, batch, scale[i], shift_product, shl(bias[i], shift_bias), convert);
      });
      return;
    }
    // One pass when both conversions have one of hls4ml's default shapes (only those pairs are
    // instantiated); else two passes (nesting every pair of shapes would instantiate 900 loops).
    const LaneConverter& first = skip_first_wrap ? rounding_only : to_result;
    if (lanes::is_common_shape(first) && lanes::is_common_shape(second)) {
      lanes::with_common_converter<T>(first, [&](auto to_res) {
        lanes::with_common_converter<T>(second, [&](auto add_bias) {
          for (std::size_t i = 0; i < size; ++i) {
            paper_row(x + i * batch, y + i * batch, batch, scale[i], to_res, shift_product, shl(bias[i], shift_bias), add_bias);
          }
        });
      });
      return;
    }
    lanes::with_converter<T>(to_result, [&](auto to_res) {
      for (std::size_t i = 0; i < size; ++i) scale_row(x + i * batch, y + i * batch, batch, scale[i], to_res);
    });
    lanes::with_converter<T>(second, [&](auto add_bias) {
      for (std::size_t i = 0; i < size; ++i) bias_row(y + i * batch, batch, shift_product, shl(bias[i], shift_bias), add_bias);
    });
  }
  std::string describe() const override {
    std::string d = std::string(sizeof(T) == 4 ? "int32" : "int64") + " batchnorm";
    if (rows16) return d + (fast.folded ? " (16-bit pmaddwd products, one pass, TRN folded into the wrap)" : " (16-bit pmaddwd products, one pass)");
    if (rounding == BatchNormRounding::Twice) {
      d += lanes::is_common_shape(skip_first_wrap ? rounding_only : to_result) && lanes::is_common_shape(second) ? " (one pass" : " (two passes";
      d += skip_first_wrap ? ", one wrap)" : ")";
    }
    return d;
  }
};

// Takes the pmaddwd rows (batch_norm_rows.h) when they compute what the loops do: x and the
// scales fit 16 bits (the product is then exact in one pmaddwd), every rounding is TRN (a plain
// arithmetic shift) and every overflow a signed WRAP or none. Paper: a first wrap is kept only
// where the second makes it invisible (its W2 <= W1 + align, both plain signed wraps).
template <class T>
void plan_rows16(BatchNormKernel<T>& k, const FixedType& x_t, Int128 s_abs) {
  if (!fits_signed(code_range(x_t), 16) || !fits_signed({-s_abs, s_abs}, 16)) return;
  const auto trn = [](const LaneConverter& c) { return c.shift >= 0 && c.shift < 32 && c.bias == 0 && c.neg_bias == 0 && !c.parity; };
  const auto plain_wrap = [](const LaneConverter& c) { return c.overflow == Overflow::Wrap && c.saturation_bits == 0 && c.is_signed; };
  const auto drop_of = [&](const LaneConverter& c, int& drop) {
    if (!c.check_overflow) {
      drop = 0;
      return true;
    }
    if (!plain_wrap(c) || c.width > 32) return false;
    drop = 32 - c.width;
    return true;
  };
  BatchNorm16Rows f;
  f.paper = k.rounding == BatchNormRounding::Twice;
  f.align = k.shift_product;
  if (f.paper) {
    const LaneConverter& first = k.skip_first_wrap ? k.rounding_only : k.to_result;
    if (!trn(first) || k.second.shift != 0 || !drop_of(k.second, f.drop)) return;
    if (first.check_overflow &&
        !(plain_wrap(first) && k.second.check_overflow && plain_wrap(k.second) && k.second.width <= first.width + k.shift_product)) {
      return;
    }
    f.first_shift = first.shift;
  } else {
    if (!trn(k.to_result) || !drop_of(k.to_result, f.drop)) return;
    f.final_shift = k.to_result.shift;
  }
  if (f.align < 0 || f.align + f.drop > 31) return;
  f.folded = f.paper && f.align == 0 && f.first_shift <= f.drop;
  for (std::size_t i = 0; i < k.size; ++i) {
    f.scale.push_back(static_cast<std::int32_t>(static_cast<std::uint16_t>(k.scale[i])));
    f.bias.push_back(static_cast<std::int32_t>(shl(k.bias[i], k.shift_bias)));
  }
  k.fast = std::move(f);
  k.rows16 = true;
}

template <class T>
KernelPtr<T> make_batch_norm(const BatchNormalization& layer) {
  const auto& cfg = layer.config();
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<BatchNormKernel<T>>();
  k->rounding = cfg.rounding;
  k->size = in.size;
  const Int128 s_abs = max_abs(cfg.scale);
  const CodeRange p = product_range(code_range(in.type), {-s_abs, s_abs});
  const int fp = in.type.fractional_bits() + cfg.scale_t.fractional_bits();
  const CodeRange b = code_range(cfg.bias_t);
  if (!fits_signed(p, kLaneBits<T>)) return nullptr;
  if (cfg.rounding == BatchNormRounding::Once) {
    const Alignment al = align(fp, cfg.bias_t.fractional_bits());
    k->shift_product = al.shift_a;
    k->shift_bias = al.shift_b;
    const CodeRange total = sum(shifted(p, al.shift_a), shifted(b, al.shift_b));
    if (!fits_signed(unite(shifted(p, al.shift_a), shifted(b, al.shift_b)), kLaneBits<T>)) return nullptr;
    if (!make_converter<T>(al.frac, total, cfg.result_t, k->to_result)) return nullptr;
  } else {
    if (!make_converter<T>(fp, p, cfg.result_t, k->to_result)) return nullptr;
    const Alignment al = align(cfg.result_t.fractional_bits(), cfg.bias_t.fractional_bits());
    k->shift_product = al.shift_a;
    k->shift_bias = al.shift_b;
    const CodeRange r = code_range(cfg.result_t);
    const CodeRange total = sum(shifted(r, al.shift_a), shifted(b, al.shift_b));
    if (!fits_signed(unite(shifted(r, al.shift_a), shifted(b, al.shift_b)), kLaneBits<T>)) return nullptr;
    if (!make_converter<T>(al.frac, total, cfg.result_t, k->second)) return nullptr;
    // When both conversions only wrap (no rounding in the second), the first keeps the rounded
    // product modulo 2^W1 and the second the sum modulo 2^W2: with W2 <= W1 + shift, every bit the
    // first wrap changes is dropped by the second, so the first is skipped (hls4ml's default
    // ap_fixed<16,6> BatchNorm), provided the unwrapped sum fits the lane.
    const auto first_shape = lanes::converter_shape(k->to_result), second_shape = lanes::converter_shape(k->second);
    const auto only_wraps = [](const lanes::ConverterShape& c) { return c.overflow == 1 || c.overflow == 2; };
    const CodeRange unwrapped = shifted(k->to_result.rounded, al.shift_a);
    if (only_wraps(first_shape) && only_wraps(second_shape) && second_shape.rounding == 0 &&
        k->second.width <= k->to_result.width + al.shift_a && fits_signed(unite(unwrapped, shifted(b, al.shift_b)), kLaneBits<T>) &&
        fits_signed(sum(unwrapped, shifted(b, al.shift_b)), kLaneBits<T>)) {
      k->rounding_only = k->to_result;
      k->rounding_only.check_overflow = false;
      k->skip_first_wrap = true;
    }
  }
  // One scale and bias per element (a per-channel layer's entries repeated: element i uses i % n_filt).
  for (std::size_t i = 0; i < in.size; ++i) {
    k->scale.push_back(cfg.scale[layer.parameter_index(i)].template convert_to<T>());
    k->bias.push_back(cfg.bias[layer.parameter_index(i)].template convert_to<T>());
  }
  if constexpr (sizeof(T) == 4) plan_rows16(*k, in.type, s_abs);
  return k;
}

// ReLU, Linear, LeakyReLU: y = x > 0 ? x->res : (0 | x->res | (alpha*x)->res).
template <class T>
class ActivationKernel final : public Kernel<T> {
 public:
  enum class Kind { Relu, Linear, Leaky } kind = Kind::Linear;
  LaneConverter positive;  // x -> res
  LaneConverter negative;  // alpha*x -> res (LeakyReLU)
  T alpha = 0;
  std::size_t size = 0;
  bool by_previous = false;  // the producing kernel applies it in its epilogue (absorb)
  // ReLU as one clamping conversion, where that is the same function (relu_clamp.h).
  bool relu_clamps = false;
  LaneConverter clamp;

  bool epilogue_activation(EpilogueActivation& out) const override {
    if (kind == Kind::Leaky) {
      out.leaky = true;
      out.positive = positive;
      out.negative = negative;
      out.alpha = alpha;
      return true;
    }
    out.relu = kind == Kind::Relu && !relu_clamps;
    out.positive = relu_clamps ? clamp : positive;
    return true;
  }
  void computed_by_previous() override { by_previous = true; }

  // One fused pass over the whole array (lanes past n hold earlier valid codes). The loops take
  // everything by value and restrict pointers, so nothing they store can alias what they read.
  template <class Pos>
  static void relu(const T* __restrict x, T* __restrict y, std::size_t total, Pos pos) {
    for (std::size_t e = 0; e < total; ++e) y[e] = x[e] > 0 ? pos(x[e]) : T{0};
  }
  template <class Pos>
  static void linear(const T* __restrict x, T* __restrict y, std::size_t total, Pos pos) {
    for (std::size_t e = 0; e < total; ++e) y[e] = pos(x[e]);
  }
  template <class Neg>
  static void scaled(const T* __restrict x, T* __restrict y, std::size_t total, T alpha, Neg neg) {
    for (std::size_t e = 0; e < total; ++e) y[e] = neg(static_cast<T>(alpha * x[e]));
  }
  template <class Neg>
  static void leaky_identity(const T* __restrict x, T* __restrict y, std::size_t total, T alpha, Neg neg) {
    for (std::size_t e = 0; e < total; ++e) y[e] = x[e] > 0 ? x[e] : neg(static_cast<T>(alpha * x[e]));
  }
  template <class Pos>
  static void positive_part(const T* __restrict x, T* __restrict y, std::size_t total, Pos pos) {
    for (std::size_t e = 0; e < total; ++e) y[e] = x[e] > 0 ? pos(x[e]) : y[e];
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    if (by_previous) return;
    const std::size_t total = size * arrays.batch;
    const T* x = arrays.row(this->inputs[0], 0);
    T* y = arrays.row(this->output, 0);
    // LeakyReLU in one pass where x -> res changes nothing (the usual case: same type), else in two
    // (alpha*x for every lane, then x where x > 0) rather than with the two converters nested,
    // which would instantiate every pair of shapes.
    if (kind == Kind::Leaky && positive.shift == 0 && !positive.check_overflow) {
      lanes::with_converter<T>(negative, [&](auto neg) { leaky_identity(x, y, total, alpha, neg); });
      return;
    }
    if (relu_clamps) {
      lanes::with_converter<T>(clamp, [&](auto c) { linear(x, y, total, c); });
      return;
    }
    if (kind == Kind::Leaky) lanes::with_converter<T>(negative, [&](auto neg) { scaled(x, y, total, alpha, neg); });
    lanes::with_converter<T>(positive, [&](auto pos) {
      switch (kind) {
        case Kind::Linear: linear(x, y, total, pos); break;
        case Kind::Relu: relu(x, y, total, pos); break;
        case Kind::Leaky: positive_part(x, y, total, pos); break;
      }
    });
  }
  std::string describe() const override {
    if (by_previous) return "computed by the previous layer's kernel (its epilogue)";
    return std::string(sizeof(T) == 4 ? "int32" : "int64") + " activation" + (relu_clamps ? " (ReLU as a clamp at zero)" : "");
  }
};

template <class T>
KernelPtr<T> make_activation(const Layer& layer) {
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<ActivationKernel<T>>();
  k->size = in.size;
  const CodeRange x = code_range(in.type);
  if (dynamic_cast<const ReLU*>(&layer) != nullptr) {
    k->kind = ActivationKernel<T>::Kind::Relu;
  } else if (dynamic_cast<const Linear*>(&layer) != nullptr) {
    k->kind = ActivationKernel<T>::Kind::Linear;
  } else if (const auto* leaky = dynamic_cast<const LeakyReLU*>(&layer)) {
    k->kind = ActivationKernel<T>::Kind::Leaky;
    const BigInt& a = leaky->alpha_code();
    const CodeRange p = product_range(x, {a < 0 ? Int128(a.convert_to<long long>()) : 0, a > 0 ? Int128(a.convert_to<long long>()) : 0});
    if (!fits_signed(code_range(leaky->alpha_type()), kLaneBits<T>) || !fits_signed(p, kLaneBits<T>)) return nullptr;
    // Both branches are computed for every lane (then selected), so the range covers all x.
    if (!make_converter<T>(in.type.fractional_bits() + leaky->alpha_type().fractional_bits(), p, layer.result_type(), k->negative)) return nullptr;
    k->alpha = a.convert_to<T>();
  } else {
    return nullptr;
  }
  if (!make_converter<T>(in.type.fractional_bits(), x, layer.result_type(), k->positive)) return nullptr;
  if (k->kind == ActivationKernel<T>::Kind::Relu) k->relu_clamps = relu_as_clamp(k->positive, k->clamp);
  return k;
}

// InputScale: tmp = (x - offset)->unscaled; tmp = tmp >> shift (floor) or << -shift (wrap); y = tmp->res.
template <class T>
class InputScaleKernel final : public Kernel<T> {
 public:
  std::vector<T> offsets;  // aligned to the difference's fraction
  std::vector<int> shifts;
  int shift_x = 0;
  LaneConverter to_unscaled, wrap_unscaled, to_result;
  std::size_t size = 0;
  // One pass per row where plan_one_pass proves it exact: row i's unscaled and shifted code is
  // ((x << left[i]) - offset_at[i]) >> right[i] (a left and a right shift, modulo the lane), then
  // to_result, fused in the same loop.
  bool one_pass = false;
  std::vector<T> left, offset_at, right;
  // The same on int32 lanes as Highway rows with the per-lane shifts (input_scale_rows.h), where
  // the result conversion has one of its shapes.
  bool rows32 = false;
  InputScaleRows fast;

  template <class C, class N>
  static void one_pass_row(const T* __restrict x, T* __restrict y, N n, int l, T off, int r, C to_res) {
    using U = std::make_unsigned_t<T>;  // the subtraction is modulo the lane (plan_one_pass)
    for (std::size_t e = 0; e < n; ++e) y[e] = to_res(static_cast<T>(static_cast<T>(static_cast<U>(shl(x[e], l)) - static_cast<U>(off)) >> r));
  }
  // Passes over the whole array (lanes past n hold earlier valid codes), each with its conversion
  // fused in and dispatched once: the offset and the per-value shift (one pass where the offset's
  // conversion has one of hls4ml's default shapes, else two), then the result type.
  template <class C>
  static void offset_row(const T* __restrict x, T* __restrict y, std::size_t n, int shift_x, T off, C convert) {
    for (std::size_t e = 0; e < n; ++e) y[e] = convert(static_cast<T>(shl(x[e], shift_x) - off));
  }
  static void floor_row(T* __restrict y, std::size_t n, int s) {
    for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(y[e] >> s);  // floor, in unscaled_t
  }
  template <class C>
  static void left_row(T* __restrict y, std::size_t n, int s, C wrap) {
    for (std::size_t e = 0; e < n; ++e) y[e] = wrap(shl(y[e], s));  // keep the low bits of unscaled_t
  }
  template <class C, class N>
  static void offset_floor_row(const T* __restrict x, T* __restrict y, N n, int shift_x, T off, C convert, int s) {
    for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(convert(static_cast<T>(shl(x[e], shift_x) - off)) >> s);
  }
  template <class C, class Wrap, class N>
  static void offset_left_row(const T* __restrict x, T* __restrict y, N n, int shift_x, T off, C convert, int s, Wrap wrap) {
    for (std::size_t e = 0; e < n; ++e) y[e] = wrap(shl(convert(static_cast<T>(shl(x[e], shift_x) - off)), s));
  }
  template <class C>
  static void convert_all(T* __restrict y, std::size_t n, C convert) {
    for (std::size_t e = 0; e < n; ++e) y[e] = convert(y[e]);
  }

  // The offset and the shift of row i in one pass (wrap_unscaled is a plain WRAP: make_input_scale).
  template <class C, class N>
  void offset_and_shift_row(const T* x, T* y, N batch, std::size_t i, C convert) const {
    if (shifts[i] >= 0) {
      offset_floor_row(x, y, batch, shift_x, offsets[i], convert, shifts[i]);
    } else if (wrap_unscaled.is_signed) {
      offset_left_row(x, y, batch, shift_x, offsets[i], convert, -shifts[i], lanes::make_fused<T, 0, 1>(wrap_unscaled));
    } else {
      offset_left_row(x, y, batch, shift_x, offsets[i], convert, -shifts[i], lanes::make_fused<T, 0, 2>(wrap_unscaled));
    }
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t batch = arrays.batch;
    const T* x = arrays.row(this->inputs[0], 0);
    T* y = arrays.row(this->output, 0);
    if constexpr (sizeof(T) == 4) {
      if (rows32 && batch % 16 == 0) {
        input_scale_rows(fast, x, y, size, batch);
        return;
      }
    }
    if (one_pass) {
      // Rows of a constant kBatch lanes (with_batch): whole vectors, no remainder code per row.
      with_batch(batch, [&](auto lanes_per_row) {
        lanes::with_converter<T>(to_result, [&](auto c) {
          for (std::size_t i = 0; i < size; ++i) {
            one_pass_row(x + i * lanes_per_row, y + i * lanes_per_row, lanes_per_row, static_cast<int>(left[i]), offset_at[i],
                         static_cast<int>(right[i]), c);
          }
        });
      });
      return;
    }
    if (lanes::is_common_shape(to_unscaled)) {
      // Rows of a constant kBatch lanes (with_batch): the per-row loops are whole vectors, with
      // no remainder or alignment code around each row of 64 lanes.
      with_batch(batch, [&](auto lanes_per_row) {
        lanes::with_common_converter<T>(to_unscaled, [&](auto c) {
          for (std::size_t i = 0; i < size; ++i) offset_and_shift_row(x + i * lanes_per_row, y + i * lanes_per_row, lanes_per_row, i, c);
        });
      });
    } else {
      lanes::with_converter<T>(to_unscaled, [&](auto c) {
        for (std::size_t i = 0; i < size; ++i) offset_row(x + i * batch, y + i * batch, batch, shift_x, offsets[i], c);
      });
      lanes::with_converter<T>(wrap_unscaled, [&](auto wrap) {
        for (std::size_t i = 0; i < size; ++i) {
          if (shifts[i] >= 0) {
            floor_row(y + i * batch, batch, shifts[i]);
          } else {
            left_row(y + i * batch, batch, -shifts[i], wrap);
          }
        }
      });
    }
    lanes::with_converter<T>(to_result, [&](auto c) { convert_all(y, size * batch, c); });
  }
  std::string describe() const override {
    return std::string(sizeof(T) == 4 ? "int32" : "int64") + " input-scale" +
           (rows32 ? " (one pass: two shifts and the result conversion, per-lane shifts)" : one_pass ? " (one pass: two shifts and the result conversion)" : "");
  }
};

// The one-pass rows on int32 lanes as Highway code: the result conversion's numbers, as
// lanes::make_fused has them, where input_scale_rows has its shape and every count is below 32.
template <class T>
void plan_rows32(InputScaleKernel<T>& k) {
  const lanes::ConverterShape shape = lanes::converter_shape(k.to_result);
  if (!input_scale_rows_shape(shape.rounding, shape.overflow) || k.to_result.shift > 31 || k.to_result.shift < -31 ||
      k.to_result.width > 32) {
    return;
  }
  InputScaleRows f;
  f.rounding = shape.rounding;
  f.overflow = shape.overflow;
  const auto c = lanes::make_fused<std::int32_t, 0, 0>(k.to_result);  // the numbers; the shape is f's
  f.shift = shape.rounding == 4 ? 0 : c.s;
  f.left_shift = shape.rounding == 4 ? -c.s : 0;
  f.drop = c.drop;
  f.bias = c.bias;
  f.neg_bias = c.neg_bias;
  f.lo = c.lo;
  f.hi = c.hi;
  f.mask = static_cast<std::int32_t>(c.mask);
  for (std::size_t i = 0; i < k.size; ++i) {
    f.left.push_back(static_cast<std::int32_t>(k.left[i]));
    f.offset.push_back(static_cast<std::int32_t>(k.offset_at[i]));
    f.right.push_back(static_cast<std::int32_t>(k.right[i]));
  }
  k.fast = std::move(f);
  k.rows32 = true;
}

// The offset, the unscaled_t assignment and the shift as two shifts and a subtraction, where the
// unscaled_t assignment neither rounds nor saturates (a left shift by k0 >= 0, then a signed WRAP
// or no overflow: AXOL1TL's unscaled_t ap_fixed<18,13> and offset_t ap_fixed<10,10>), so that
// only its low W bits matter. With d = lane bits - W and t = (x << shift_x) - offset (exact, by
// make_input_scale's proofs) and z = t * 2^k0:
//  - tmp0 = wrap_W(z), and wrap_W(z) * 2^d is the lane value z * 2^d modulo 2^lane read as signed
//    (it lies in the lane's signed range), so tmp0 >> s (a floor) is (z * 2^d) >> (d + s);
//    for d + s past the lane's last bit, tmp0 >> s is tmp0's sign, the same as >> (lane bits - 1);
//  - tmp0 << -s kept to W bits (the reference's WRAP) is wrap_W(z * 2^-s), i.e. (z * 2^(d-s)) >> d;
//  - z * 2^a modulo the lane is (x << (shift_x + k0 + a)) - (offset << (k0 + a)) modulo the lane.
// Not taken (the passes above) when a left shift would reach the lane's last bit.
template <class T>
void plan_one_pass(InputScaleKernel<T>& k, int width) {
  const LaneConverter& u = k.to_unscaled;
  const bool plain = !u.check_overflow || (u.overflow == Overflow::Wrap && u.saturation_bits == 0);
  if (u.shift > 0 || !plain || !u.is_signed || !k.wrap_unscaled.is_signed || width > kLaneBits<T>) return;
  const int d = kLaneBits<T> - width, k0 = -u.shift;
  std::vector<T> left, offset_at, right;
  for (std::size_t i = 0; i < k.size; ++i) {
    const int s = k.shifts[i];
    const int a = s >= 0 ? k0 + d : k0 + d - s;  // the left shift applied to t
    if (k.shift_x + a > kLaneBits<T> - 1 || a > kLaneBits<T> - 1) return;
    left.push_back(static_cast<T>(k.shift_x + a));
    offset_at.push_back(shl(k.offsets[i], a));
    right.push_back(static_cast<T>(s >= 0 ? std::min(d + s, kLaneBits<T> - 1) : d));
  }
  k.left = std::move(left);
  k.offset_at = std::move(offset_at);
  k.right = std::move(right);
  k.one_pass = true;
  if constexpr (sizeof(T) == 4) plan_rows32(k);
}

template <class T>
KernelPtr<T> make_input_scale(const InputScale& layer) {
  const auto& cfg = layer.config();
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<InputScaleKernel<T>>();
  k->size = in.size;
  k->shifts = cfg.shifts;
  const Alignment al = align(in.type.fractional_bits(), cfg.offset_t.fractional_bits());
  k->shift_x = al.shift_a;
  const CodeRange rx = shifted(code_range(in.type), al.shift_a), ro = shifted(code_range(cfg.offset_t), al.shift_b);
  if (!fits_signed(unite(rx, ro), kLaneBits<T>) || al.shift_b > 62) return nullptr;
  if (!make_converter<T>(al.frac, difference(rx, ro), cfg.unscaled_t, k->to_unscaled)) return nullptr;
  const CodeRange u = code_range(cfg.unscaled_t);
  int max_left = 0;
  for (int s : cfg.shifts) max_left = std::max(max_left, -s);
  if (max_left > 0 && !fits_signed(shifted(u, max_left), kLaneBits<T>)) return nullptr;
  if (!make_converter<T>(cfg.unscaled_t.fractional_bits(), shifted(u, max_left), cfg.unscaled_t, k->wrap_unscaled)) return nullptr;
  k->wrap_unscaled.overflow = Overflow::Wrap;  // the shift operators keep the type and wrap
  k->wrap_unscaled.saturation_bits = 0;
  k->wrap_unscaled.check_overflow = true;
  if (!make_converter<T>(cfg.unscaled_t.fractional_bits(), u, cfg.result_t, k->to_result)) return nullptr;
  for (const auto& c : cfg.offsets) k->offsets.push_back(shl(c.convert_to<T>(), al.shift_b));
  plan_one_pass(*k, cfg.unscaled_t.width);
  return k;
}

}  // namespace

template <class T>
KernelPtr<T> make_elementwise_kernel(const Layer& layer) {
  if (const auto* bn = dynamic_cast<const BatchNormalization*>(&layer)) return make_batch_norm<T>(*bn);
  if (const auto* scale = dynamic_cast<const InputScale*>(&layer)) return make_input_scale<T>(*scale);
  return make_activation<T>(layer);
}

template KernelPtr<std::int32_t> make_elementwise_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_elementwise_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

#pragma once
// Internal pieces of the compiled plan: lane storage and the kernel interface.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu::compiled {

/// 64-byte aligned storage, so that lane rows start on vector (and cache-line) boundaries.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  explicit AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{64}); }
  bool operator==(const AlignedAllocator&) const { return true; }
};

/// All arrays of one batch, structure of arrays: value i of array a for event e is at
/// base[a][i * batch + e], where base[a] is data + offset[a] after bind(), except that the model's
/// input arrays may point at the caller's lanes (evaluate_lanes reads them in place; no kernel
/// writes an input array).
template <class T>
struct LaneArrays {
  std::size_t batch = 0;
  std::vector<std::size_t> offset;
  std::vector<T, AlignedAllocator<T>> data;
  std::vector<T*> base;

  /// Points every array at its own storage.
  void bind() {
    base.resize(offset.size());
    for (std::size_t a = 0; a < offset.size(); ++a) base[a] = data.data() + offset[a];
  }
  T* row(std::size_t array, std::size_t value) { return base[array] + value * batch; }
  const T* row(std::size_t array, std::size_t value) const { return base[array] + value * batch; }
};

/// An element-wise activation that the kernel producing its input can apply in its own epilogue,
/// while the rows are still in the L1 cache: nnet::relu (y = x > 0 ? x->result_t : 0),
/// nnet::linear (y = x->result_t) or nnet::leaky_relu (y = x > 0 ? x->result_t :
/// (alpha*x)->result_t), `positive` being x -> result_t and `negative` alpha*x -> result_t.
struct EpilogueActivation {
  bool relu = false;
  LaneConverter positive;
  bool leaky = false;
  std::int64_t alpha = 0;
  LaneConverter negative;
};

/// One layer of the plan. `inputs` and `output` are array indices (Model numbering).
template <class T>
class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void run(LaneArrays<T>& arrays, std::size_t n) const = 0;
  [[nodiscard]] virtual std::string describe() const = 0;
  /// Plan-time fusion: takes over the work of `next` (the following layer's kernel) when both can
  /// run as one pass; then `next` does nothing. Default: no.
  virtual bool absorb(Kernel& /*next*/) { return false; }
  /// For absorb: true, with what to apply, when this kernel is an activation that a producer can
  /// apply to its own output rows (it must then write this kernel's output array too).
  virtual bool epilogue_activation(EpilogueActivation& /*out*/) const { return false; }
  /// Called by the producer that took over this activation: run() then does nothing.
  virtual void computed_by_previous() {}
  /// Called once the plan has set `inputs` and `output` (kernels that delegate pass them on).
  virtual void arrays_bound() {}
  /// True when the output is the input unchanged, row for row (a Flatten or Reshape of channels-last
  /// data): the plan then lets the output share the input's storage and calls alias() instead of
  /// running the copy.
  [[nodiscard]] virtual bool copies_input_unchanged() const { return false; }
  virtual void alias() {}

  std::vector<std::size_t> inputs;
  std::size_t output = 0;
};

/// Lane width in bits of T.
template <class T>
constexpr int kLaneBits = static_cast<int>(sizeof(T) * 8);

/// Converter from a code range of `source_frac` fraction bits into `to`; false if T cannot hold it.
template <class T>
bool make_converter(int source_frac, const CodeRange& source, const FixedType& to, LaneConverter& out) {
  return LaneConverter::make(source_frac, source, to, kLaneBits<T>, out);
}

/// The largest |code| in a list of codes (for product-range proofs).
Int128 max_abs(const std::vector<BigInt>& codes);

/// Range arithmetic for the plan-time proofs.
CodeRange product_range(const CodeRange& a, const CodeRange& b);
inline CodeRange shifted(const CodeRange& r, int s) { return {r.lo * (static_cast<Int128>(1) << s), r.hi * (static_cast<Int128>(1) << s)}; }
inline CodeRange sum(const CodeRange& a, const CodeRange& b) { return {a.lo + b.lo, a.hi + b.hi}; }
inline CodeRange difference(const CodeRange& a, const CodeRange& b) { return {a.lo - b.hi, a.hi - b.lo}; }
inline CodeRange unite(const CodeRange& a, const CodeRange& b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

/// v * 2^s on a lane, modulo the lane width (the proofs guarantee no bits are lost where it matters).
template <class T>
T shl(T v, int s) {
  return static_cast<T>(static_cast<std::make_unsigned_t<T>>(v) << s);
}

/// hls4ml's dense accumulation (dense_latency, and each convolution window) on lanes of T:
/// acc = (accum_t)bias; acc = (acc + (x*w)->accum_t)->accum_t per term; y = acc->result_t. With a
/// plain WRAP accumulator narrower than the lane, the products are rounded, summed modulo 2^lane
/// and wrapped once: the low bits of a WRAP sum do not depend on when it wraps.
template <class T>
struct DenseArithmetic {
  LaneConverter product;           // x*w -> accum_t
  LaneConverter product_rounding;  // the same, rounding only (the wrap-sum wraps once at the end)
  LaneConverter accumulate;        // acc + t -> accum_t (overflow only: same LSB)
  LaneConverter result;            // acc -> result_t
  bool wrap_sum = false;           // accum_t is AP_WRAP: sum modulo 2^lane, wrap once
  std::vector<T> bias;             // (accum_t)bias, per output

  /// Plans the steps for inputs of type x_t and these weight and bias codes, with the range
  /// proofs; false where one does not fit T.
  bool plan(const FixedType& x_t, const std::vector<BigInt>& weights, const FixedType& weight_t, const std::vector<BigInt>& biases,
            const FixedType& bias_t, const FixedType& accum_t, const FixedType& result_t) {
    // Products: x times w; range from the actual weights.
    const Int128 w_abs = max_abs(weights);
    const CodeRange p_range = product_range(code_range(x_t), {-w_abs, w_abs});
    if (!fits_signed(p_range, kLaneBits<T>)) return false;
    if (!make_converter<T>(x_t.fractional_bits() + weight_t.fractional_bits(), p_range, accum_t, product)) return false;
    // acc + t: both accum_t codes, so one more bit than accum_t; only the overflow mode applies.
    const CodeRange acc_range = code_range(accum_t);
    const CodeRange sum_range{acc_range.lo * 2, acc_range.hi * 2 + 1};
    if (!make_converter<T>(accum_t.fractional_bits(), sum_range, accum_t, accumulate)) return false;
    if (!make_converter<T>(accum_t.fractional_bits(), acc_range, result_t, result)) return false;
    wrap_sum = accum_t.overflow == Overflow::Wrap && accum_t.saturation_bits == 0 && accum_t.width < kLaneBits<T>;
    if (wrap_sum) {
      // Rounded products must themselves be exact in the lane before the modular sum.
      if (!fits_signed(product.rounded, kLaneBits<T>)) return false;
      accumulate.check_overflow = true;  // the final wrap of the modular sum
      product_rounding = product;
      product_rounding.check_overflow = false;
    }
    LaneConverter bias_conv;
    if (!make_converter<T>(bias_t.fractional_bits(), code_range(bias_t), accum_t, bias_conv)) return false;
    bias.clear();
    for (const BigInt& b : biases) bias.push_back(lanes::convert_code<T>(b.convert_to<T>(), bias_conv));
    return true;
  }
};

/// Calls f(n) with n = the batch as a compile-time constant (std::integral_constant) when it is
/// CompiledModel::kBatch, as in every workspace, else as the run-time value: loops over one row
/// of a batch then compile to whole vectors, with no remainder or alignment code, which costs more
/// than the work itself on rows of 64 lanes.
template <class F>
void with_batch(std::size_t batch, F&& f) {
  if (batch == CompiledModel::kBatch) {
    f(std::integral_constant<std::size_t, CompiledModel::kBatch>{});
  } else {
    f(batch);
  }
}

template <class T>
using KernelPtr = std::unique_ptr<Kernel<T>>;

/// Factories: nullptr when the layer cannot be proven to fit lanes of T (the plan then uses the
/// reference kernel for it).
template <class T>
KernelPtr<T> make_dense_kernel(const Layer& layer);
template <class T>
KernelPtr<T> make_elementwise_kernel(const Layer& layer);
template <class T>
KernelPtr<T> make_reduction_kernel(const Layer& layer);
template <class T>
KernelPtr<T> make_merge_kernel(const Layer& layer);
/// A convolution as the Dense over its whole input that it equals (nullptr when too large).
template <class T>
KernelPtr<T> make_convolution_as_dense(const Layer& layer);
/// A convolution window by window on int32 lanes with a WRAP accumulator (nullptr otherwise and
/// for 64-bit plans); it absorbs a following ReLU or Linear layer.
template <class T>
KernelPtr<T> make_convolution_direct(const Layer& layer);
/// Convolutions, pooling and the gather layers (padding, cropping, upsampling, reshape).
template <class T>
KernelPtr<T> make_spatial_kernel(const Layer& layer);
/// Table activations (Sigmoid, TanH, ...), PReLU, ThresholdedReLU, HardSigmoid/HardTanh, Softmax.
template <class T>
KernelPtr<T> make_table_kernel(const Layer& layer);
/// HGQ's per-element quantizer (FixedPointQuantizer): two conversions or a zero per element.
template <class T>
KernelPtr<T> make_quantizer_kernel(const Layer& layer);
/// Embedding: a lane gather from its table (converted to result_t at plan time).
template <class T>
KernelPtr<T> make_embedding_kernel(const Layer& layer);
/// The seed paper's CustomMSE score, per event on 64-bit lanes (nullptr for 32-bit plans: widened).
template <class T>
KernelPtr<T> make_custom_mse_kernel(const Layer& layer);
/// Wraps a 64-bit kernel for a plan of 32-bit lanes (its input and output arrays fit 32 bits):
/// widens the inputs, runs it, narrows the output. `array_sizes` gives each array's value count.
KernelPtr<std::int32_t> make_widened_kernel(KernelPtr<std::int64_t> inner, std::vector<std::size_t> array_sizes);
/// Runs the reference Layer::evaluate per event (always possible while result codes fit T).
template <class T>
KernelPtr<T> make_reference_kernel(const Layer& layer);

}  // namespace l1emu::emu::compiled

// FixedPointQuantizer compiled (HGQ's per-element quantizer): lane passes per element, mirroring
// the reference (emu/src/nn/layers/fixed_point_quantizer.cpp) on raw codes.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"

namespace l1emu::emu::compiled {
namespace {

// One ap_fixed conversion on lanes, for any pair of types up to 62 bits. Where the direct
// LaneConverter cannot prove its intermediates fit the lane (a binary point moved by more bits
// than the lane has to spare, as between HGQ's ap_ufixed<4,12> and a fine input), the code is first
// replaced by one that converts to the same result and keeps the shift within the lane:
//  - Fold (the destination's LSB is finer by k bits: codes move left, nothing rounds): a code whose
//    value fits the destination is kept; any other keeps its low m = W - k bits (all the
//    destination's wrapped bits can hold) and becomes the smallest code of its sign beyond the
//    range with those bits: low + 2^m, or low - 2^(m+1). Every overflow mode then gives the same
//    code (WRAP keeps the same low bits, the saturating modes see the same side, WRAP with N
//    saturation bits both). Shifts beyond W + 1 leave no bit and are taken as W + 1.
//  - Sign (more than 62 bits dropped: |value| < 1/2, no tie): the value becomes +-1/4, which every
//    rounding mode takes to the same code (floor: -1 for negatives, the others 0).
template <class T>
struct SafeConversion {
  enum class Pre { None, Fold, Sign } pre = Pre::None;
  T lo = 0, hi = 0;  // Fold: codes whose value fits the destination
  int m = 0;         // Fold: low bits kept
  LaneConverter convert;

  bool plan(int source_frac, const CodeRange& source, const FixedType& to) {
    if (make_converter<T>(source_frac, source, to, convert)) return true;
    if (to.width > 62 || kLaneBits<T> < to.width + 2) return false;
    const int k = to.fractional_bits() - source_frac;
    if (k > 0) {
      pre = Pre::Fold;
      const int used = std::min(k, to.width + 1);
      const CodeRange dest = code_range(to);
      // Codes c with c * 2^k inside dest: ceil(lo / 2^k) .. floor(hi / 2^k) (none but 0 when k >= W).
      lo = k >= to.width ? 0 : static_cast<T>(-((-dest.lo) >> k));
      hi = k >= to.width ? 0 : static_cast<T>(dest.hi >> k);
      m = std::max(to.width - k, 0);
      const Int128 span = static_cast<Int128>(1) << (m + 1);
      return make_converter<T>(to.fractional_bits() - used, unite({lo, hi}, {-span, span - 1}), to, convert);
    }
    if (k < -62) {
      pre = Pre::Sign;
      return make_converter<T>(to.fractional_bits() + 2, {-1, 1}, to, convert);
    }
    return false;
  }

  // x and y may be the same array (each code is read before its own slot is written).
  static void fold(const T* x, T* y, std::size_t n, T lo, T hi, int m) {
    const T low = static_cast<T>((static_cast<std::make_unsigned_t<T>>(1) << m) - 1);
    const T above = static_cast<T>(T{1} << m), below = static_cast<T>(-(static_cast<T>(T{1} << m) * 2));
    for (std::size_t e = 0; e < n; ++e) {
      const T c = x[e];
      y[e] = c >= lo && c <= hi ? c : static_cast<T>((c & low) + (c > hi ? above : below));
    }
  }
  static void sign(const T* x, T* y, std::size_t n) {
    for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>((x[e] > 0) - (x[e] < 0));
  }

  // y = x converted (y may be x).
  void run(const T* x, T* y, std::size_t n) const {
    if (pre == Pre::None) {
      lanes::convert<T>(x, y, n, convert);
      return;
    }
    if (pre == Pre::Fold) {
      fold(x, y, n, lo, hi, m);
    } else {
      sign(x, y, n);
    }
    lanes::convert<T>(y, y, n, convert);
  }
  // The conversion changes no code of `source` (same LSB, every code in range).
  [[nodiscard]] bool is_exact() const { return pre == Pre::None && convert.shift == 0 && !convert.check_overflow; }
};

template <class T>
class QuantizerKernel final : public Kernel<T> {
 public:
  struct Element {
    bool zero = false;               // out[i] = 0;
    SafeConversion<T> to_element;    // inp[i] -> ap_[u]fixed<b,i,Q,O>
    SafeConversion<T> to_result;     // that value -> output_t
  };
  std::vector<Element> elements;

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    const std::size_t batch = arrays.batch;
    // Every lane of the batch is converted (lanes past n hold earlier valid codes); each element's
    // converters have their own shape, chosen once per row (lanes::convert).
    for (std::size_t i = 0; i < elements.size(); ++i) {
      const Element& el = elements[i];
      T* y = arrays.row(this->output, i);
      if (el.zero) {
        std::fill(y, y + batch, T{0});
        continue;
      }
      el.to_element.run(arrays.row(this->inputs[0], i), y, batch);
      if (!el.to_result.is_exact()) el.to_result.run(y, y, batch);
    }
  }
  std::string describe() const override {
    std::size_t reduced = 0;
    for (const Element& el : elements) reduced += (el.to_element.pre != SafeConversion<T>::Pre::None) + (el.to_result.pre != SafeConversion<T>::Pre::None);
    return std::string(sizeof(T) == 4 ? "int32" : "int64") + " fixed-point quantizer" +
           (reduced > 0 ? " (" + std::to_string(reduced) + " conversions through a reduced code)" : std::string());
  }
};

}  // namespace

template <class T>
KernelPtr<T> make_quantizer_kernel(const Layer& layer) {
  const auto* q = dynamic_cast<const FixedPointQuantizer*>(&layer);
  if (q == nullptr) return nullptr;
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<QuantizerKernel<T>>();
  for (const auto& t : q->config().element_t) {
    typename QuantizerKernel<T>::Element el;
    el.zero = !t;
    // The range proofs of LaneConverter::make: every intermediate of both conversions fits T.
    if (t && !el.to_element.plan(in.type.fractional_bits(), code_range(in.type), *t)) return nullptr;
    if (t && !el.to_result.plan(t->fractional_bits(), code_range(*t), layer.result_type())) return nullptr;
    k->elements.push_back(el);
  }
  return k;
}

template KernelPtr<std::int32_t> make_quantizer_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_quantizer_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

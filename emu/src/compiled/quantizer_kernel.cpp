// FixedPointQuantizer compiled (HGQ's per-element quantizer): a lane pass per element, mirroring
// the reference (emu/src/nn/layers/fixed_point_quantizer.cpp) on raw codes.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"

namespace l1emu::emu::compiled {
namespace {

template <class T>
class QuantizerKernel final : public Kernel<T> {
 public:
  struct Element {
    bool zero = false;           // out[i] = 0;
    LaneConverter to_element;    // inp[i] -> ap_[u]fixed<b,i,Q,O>
    LaneConverter to_result;     // that value -> output_t
    bool result_is_exact = false;  // the second conversion changes no code (same LSB, in range)
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
      lanes::convert<T>(arrays.row(this->inputs[0], i), y, batch, el.to_element);
      if (!el.result_is_exact) lanes::convert<T>(y, y, batch, el.to_result);
    }
  }
  std::string describe() const override { return std::string(sizeof(T) == 4 ? "int32" : "int64") + " fixed-point quantizer"; }
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
    if (!t) {
      el.zero = true;
      k->elements.push_back(el);
      continue;
    }
    // The range proofs of LaneConverter::make: every intermediate of both conversions fits T.
    if (!make_converter<T>(in.type.fractional_bits(), code_range(in.type), *t, el.to_element)) return nullptr;
    if (!make_converter<T>(t->fractional_bits(), el.to_element.result_range(), layer.result_type(), el.to_result)) return nullptr;
    el.result_is_exact = el.to_result.shift == 0 && !el.to_result.check_overflow;
    k->elements.push_back(el);
  }
  return k;
}

template KernelPtr<std::int32_t> make_quantizer_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_quantizer_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

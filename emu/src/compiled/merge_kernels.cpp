// Merge layers compiled: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate. Each
// computes the reference's exact intermediate on aligned codes, proven to fit the lane, then
// converts it once to the result type, as the reference does.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/nn/layers/merge.h"

namespace l1emu::emu::compiled {
namespace {

template <class T>
class ElementwiseMergeKernel final : public Kernel<T> {
 public:
  MergeOp op = MergeOp::Add;
  int shift_a = 0, shift_b = 0;
  LaneConverter to_result;
  std::size_t size = 0;
  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    for (std::size_t i = 0; i < size; ++i) {
      const T* a = arrays.row(this->inputs[0], i);
      const T* b = arrays.row(this->inputs[1], i);
      T* y = arrays.row(this->output, i);
      const int sa = shift_a, sb = shift_b;
      switch (op) {
        case MergeOp::Add:
        case MergeOp::Average:  // (a + b) read with one more fraction bit: the exact half
          for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(shl(a[e], sa) + shl(b[e], sb));
          break;
        case MergeOp::Subtract:
          for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(shl(a[e], sa) - shl(b[e], sb));
          break;
        case MergeOp::Multiply:
          for (std::size_t e = 0; e < n; ++e) y[e] = static_cast<T>(a[e] * b[e]);
          break;
        case MergeOp::Maximum:
          for (std::size_t e = 0; e < n; ++e) y[e] = std::max(shl(a[e], sa), shl(b[e], sb));
          break;
        case MergeOp::Minimum:
          for (std::size_t e = 0; e < n; ++e) y[e] = std::min(shl(a[e], sa), shl(b[e], sb));
          break;
      }
      lanes::convert<T>(y, y, n, to_result);
    }
  }
  std::string describe() const override { return std::string(sizeof(T) == 4 ? "int32" : "int64") + " elementwise merge"; }
};

template <class T>
KernelPtr<T> make_elementwise_merge(const ElementwiseMerge& layer) {
  const ArraySpec& a = layer.inputs()[0];
  const ArraySpec& b = layer.inputs()[1];
  auto k = std::make_unique<ElementwiseMergeKernel<T>>();
  k->op = layer.op();
  k->size = a.size;
  const int fa = a.type.fractional_bits(), fb = b.type.fractional_bits();
  CodeRange source;
  int frac = 0;
  if (layer.op() == MergeOp::Multiply) {
    source = product_range(code_range(a.type), code_range(b.type));
    frac = fa + fb;
  } else {
    frac = std::max(fa, fb);
    k->shift_a = frac - fa;
    k->shift_b = frac - fb;
    const CodeRange ra = shifted(code_range(a.type), k->shift_a), rb = shifted(code_range(b.type), k->shift_b);
    if (!fits_signed(unite(ra, rb), kLaneBits<T>)) return nullptr;
    switch (layer.op()) {
      case MergeOp::Subtract: source = difference(ra, rb); break;
      case MergeOp::Maximum:
      case MergeOp::Minimum: source = unite(ra, rb); break;
      default: source = sum(ra, rb); break;
    }
    if (layer.op() == MergeOp::Average) frac += 1;
  }
  if (!fits_signed(source, kLaneBits<T>)) return nullptr;
  if (!make_converter<T>(frac, source, layer.result_type(), k->to_result)) return nullptr;
  return k;
}

// Concatenate: each output row is an input row converted to the result type.
template <class T>
class ConcatenateKernel final : public Kernel<T> {
 public:
  std::vector<std::pair<int, std::size_t>> sources;
  LaneConverter from[2];
  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    for (std::size_t k = 0; k < sources.size(); ++k) {
      const auto [which, i] = sources[k];
      lanes::convert<T>(arrays.row(this->inputs[static_cast<std::size_t>(which)], i), arrays.row(this->output, k), n,
                        from[which]);
    }
  }
  std::string describe() const override { return std::string(sizeof(T) == 4 ? "int32" : "int64") + " concatenate"; }
};

template <class T>
KernelPtr<T> make_concatenate(const Concatenate& layer) {
  auto k = std::make_unique<ConcatenateKernel<T>>();
  k->sources = layer.sources();
  for (int w = 0; w < 2; ++w) {
    const FixedType& t = layer.inputs()[static_cast<std::size_t>(w)].type;
    if (!make_converter<T>(t.fractional_bits(), code_range(t), layer.result_type(), k->from[w])) return nullptr;
  }
  return k;
}

}  // namespace

template <class T>
KernelPtr<T> make_merge_kernel(const Layer& layer) {
  if (const auto* m = dynamic_cast<const ElementwiseMerge*>(&layer)) return make_elementwise_merge<T>(*m);
  if (const auto* c = dynamic_cast<const Concatenate*>(&layer)) return make_concatenate<T>(*c);
  return nullptr;
}

template KernelPtr<std::int32_t> make_merge_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_merge_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

// The fallback kernel: a layer that no compiled kernel can prove exact in the lane width runs its
// reference evaluate() per event, on codes copied out of and back into the lanes.
#include <cstdint>
#include <string>
#include <vector>

#include "kernel.h"

namespace l1emu::emu::compiled {
namespace {

template <class T>
class ReferenceKernel final : public Kernel<T> {
 public:
  const Layer* layer = nullptr;
  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    const auto& specs = layer->inputs();
    std::vector<FixedArray> values(specs.size());
    std::vector<const FixedArray*> args;
    for (std::size_t a = 0; a < specs.size(); ++a) {
      values[a].type = specs[a].type;
      values[a].codes.resize(specs[a].size);
      args.push_back(&values[a]);
    }
    for (std::size_t e = 0; e < n; ++e) {
      for (std::size_t a = 0; a < specs.size(); ++a) {
        for (std::size_t i = 0; i < specs[a].size; ++i) values[a].codes[i] = arrays.row(this->inputs[a], i)[e];
      }
      const std::vector<BigInt> y = layer->evaluate(args);
      for (std::size_t i = 0; i < y.size(); ++i) arrays.row(this->output, i)[e] = y[i].template convert_to<T>();
    }
  }
  std::string describe() const override { return "reference (per event, exact integers)"; }
};

}  // namespace

template <class T>
KernelPtr<T> make_reference_kernel(const Layer& layer) {
  auto k = std::make_unique<ReferenceKernel<T>>();
  k->layer = &layer;
  return k;
}

template KernelPtr<std::int32_t> make_reference_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_reference_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

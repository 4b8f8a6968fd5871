#include "l1emu/emu/nn/layers/gather_layer.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

GatherLayer::GatherLayer(std::string name, ArraySpec input, FixedType result_t, std::vector<long> sources)
    : Layer(std::move(name), {std::move(input)}, result_t, sources.size()), sources_(std::move(sources)) {
  for (long s : sources_) {
    if (s >= static_cast<long>(inputs()[0].size)) throw ModelError("layer '" + this->name() + "': a cell reads past the input array");
  }
}

std::vector<BigInt> GatherLayer::evaluate(std::span<const FixedArray* const> inputs) const {
  const FixedArray& x = *inputs[0];
  std::vector<BigInt> y(output_size());
  for (std::size_t o = 0; o < y.size(); ++o) {
    // A padded cell is the literal 0, whose code is 0 in every type.
    if (sources_[o] >= 0) y[o] = convert(x.value(static_cast<std::size_t>(sources_[o])), result_type());
  }
  return y;
}

bool GatherLayer::is_identity() const {
  if (!(result_type() == inputs()[0].type) || sources_.size() != inputs()[0].size) return false;
  for (std::size_t o = 0; o < sources_.size(); ++o) {
    if (sources_[o] != static_cast<long>(o)) return false;
  }
  return true;
}

}  // namespace l1emu::emu

#include "l1emu/emu/nn/layer.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

void Layer::set_shape(std::vector<std::size_t> shape) {
  std::size_t product = 1;
  std::string text;
  for (std::size_t d : shape) {
    product *= d;
    text += (text.empty() ? "" : ", ") + std::to_string(d);
  }
  if (shape.empty() || product != output_size_) {
    throw ModelError("layer '" + name_ + "': shape [" + text + "] does not hold its " + std::to_string(output_size_) + " output values");
  }
  shape_ = std::move(shape);
}

std::vector<BigInt> LayerParamReader::codes(const std::string& key, const std::vector<std::size_t>& dims, const FixedType& type) {
  std::vector<BigInt> out;
  for (double v : tensor(key, dims)) out.push_back(from_double(v, type));
  return out;
}

}  // namespace l1emu::emu

#include "l1emu/emu/nn/layers/pack.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

std::size_t total_size(const std::vector<ArraySpec>& inputs) {
  std::size_t n = 0;
  for (const auto& in : inputs) n += in.size;
  return n;
}

}  // namespace

Pack::Pack(std::string name, std::vector<ArraySpec> inputs, FixedType result_t) : Layer(std::move(name), inputs, result_t, total_size(inputs)) {
  if (inputs.empty()) throw ModelError("layer '" + this->name() + "': Pack needs at least one input");
  set_shape({output_size()});
}

std::unique_ptr<Layer> Pack::parse(LayerBuildContext& c) {
  if (c.inputs.empty()) c.params.fail("inputs", "expected at least one input array");
  return std::make_unique<Pack>(c.name, c.inputs, c.params.type("result_t"));
}

void Pack::write_params(LayerParamWriter&) const {}  // the inputs and result_t say everything

std::vector<BigInt> Pack::evaluate(std::span<const FixedArray* const> inputs) const {
  std::vector<BigInt> y;
  y.reserve(output_size());
  for (const FixedArray* x : inputs) {
    // a[k] = T(x): ap_fixed's constructor from x's type rounds, then overflows, in T's modes.
    for (const BigInt& code : x->codes) y.push_back(convert_code(code, x->type, result_type()));
  }
  return y;
}

}  // namespace l1emu::emu

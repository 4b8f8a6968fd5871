#include "l1emu/emu/nn/layers/reshape.h"

#include <numeric>

#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

std::vector<long> identity(std::size_t n) {
  std::vector<long> sources(n);
  std::iota(sources.begin(), sources.end(), 0L);
  return sources;
}

}  // namespace

Reshape::Reshape(std::string name, ArraySpec input, bool flatten)
    : GatherLayer(std::move(name), input, input.type, identity(input.size)), flatten_(flatten) {
  // Not the input's shape (what an element-wise layer keeps): Flatten is one-dimensional, and a
  // Reshape's target shape comes from its "shape" key.
  set_shape({input.size});
}

std::unique_ptr<Layer> Reshape::parse_as(LayerBuildContext& c, bool flatten) {
  c.require_inputs(1);
  auto& f = c.params;
  // The output is the input array under another name (a C++ reference in io_parallel): it has
  // the input's type, and a different result_t would be a conversion hls4ml never performs.
  if (const FixedType result_t = f.type("result_t"); !(result_t == c.inputs[0].type)) {
    f.fail("result_t", "must equal the input's type " + c.inputs[0].type.to_string() + " (" + (flatten ? "Flatten" : "Reshape") +
                           " reinterprets the array), found " + result_t.to_string());
  }
  if (flatten && f.has("shape") && f.integers("shape").size() != 1) f.fail("shape", "a Flatten output is one-dimensional");
  return std::make_unique<Reshape>(c.name, c.inputs[0], flatten);
}

}  // namespace l1emu::emu

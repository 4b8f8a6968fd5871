#include "l1emu/emu/nn/layers/transpose.h"

#include <algorithm>

#include "l1emu/emu/error.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

// sources[i] = the input index of output i: nnet_transpose.h transfer_idx, which walks the output
// coordinates from the last axis, each times the input stride of axis perm[d].
std::vector<long> transposed_sources(const std::vector<std::size_t>& from_shape, const std::vector<std::size_t>& perm) {
  const std::size_t dims = from_shape.size();
  std::vector<std::size_t> stride(dims, 1);
  for (std::size_t d = dims; d-- > 1;) stride[d - 1] = stride[d] * from_shape[d];
  std::size_t n = 1;
  for (const std::size_t s : from_shape) n *= s;
  std::vector<long> sources(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t index = i, from = 0;
    for (std::size_t d = dims; d-- > 0;) {
      const std::size_t extent = from_shape[perm[d]];
      from += (index % extent) * stride[perm[d]];
      index /= extent;
    }
    sources[i] = static_cast<long>(from);
  }
  return sources;
}

std::vector<std::size_t> permuted(const std::vector<std::size_t>& shape, const std::vector<std::size_t>& perm) {
  std::vector<std::size_t> out;
  for (const std::size_t p : perm) out.push_back(shape[p]);
  return out;
}

}  // namespace

Transpose::Transpose(std::string name, ArraySpec input, FixedType result_t, std::vector<std::size_t> from_shape, std::vector<std::size_t> perm)
    : GatherLayer(std::move(name), input, result_t, transposed_sources(from_shape, perm)), from_shape_(std::move(from_shape)), perm_(std::move(perm)) {
  set_shape(permuted(from_shape_, perm_));
}

std::unique_ptr<Layer> Transpose::parse(LayerBuildContext& c) {
  c.require_inputs(1);
  auto& f = c.params;
  const std::vector<long> shape = f.integers("from_shape");
  const std::vector<long> perm = f.integers("perm", shape.size());
  std::vector<std::size_t> from_shape, order;
  std::size_t n = 1;
  for (const long s : shape) {
    if (s < 1 || s > (1L << 24)) f.fail("from_shape", "dimensions must be in [1, 2^24], found " + std::to_string(s));
    from_shape.push_back(static_cast<std::size_t>(s));
    n *= static_cast<std::size_t>(s);
  }
  if (n != c.inputs[0].size) {
    f.fail("from_shape", "holds " + std::to_string(n) + " values, but the input '" + c.inputs[0].name + "' has " + std::to_string(c.inputs[0].size));
  }
  if (!c.inputs[0].shape.empty() && c.inputs[0].shape != from_shape) f.fail("from_shape", "differs from the shape of the input '" + c.inputs[0].name + "'");
  std::vector<bool> seen(shape.size(), false);
  for (const long p : perm) {
    if (p < 0 || static_cast<std::size_t>(p) >= shape.size() || seen[static_cast<std::size_t>(p)]) {
      f.fail("perm", "must list each of the axes 0.." + std::to_string(shape.size() - 1) + " once");
    }
    seen[static_cast<std::size_t>(p)] = true;
    order.push_back(static_cast<std::size_t>(p));
  }
  return std::make_unique<Transpose>(c.name, c.inputs[0], f.type("result_t"), std::move(from_shape), std::move(order));
}

void Transpose::write_params(LayerParamWriter& out) const {
  out.integers("from_shape", std::vector<long>(from_shape_.begin(), from_shape_.end()));
  out.integers("perm", std::vector<long>(perm_.begin(), perm_.end()));
}

}  // namespace l1emu::emu

#pragma once
// GatherLayer: a layer whose output element o is one input element converted to result_t, or 0.
// ZeroPadding, Cropping, UpSampling, Flatten and Reshape are all of this form (they move cells,
// never combine them); the compiled engine runs them through one gather kernel.
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class GatherLayer : public Layer {
 public:
  /// `sources[o]`: the input index output o copies, or -1 for a cell that is 0.
  GatherLayer(std::string name, ArraySpec input, FixedType result_t, std::vector<long> sources);

  /// y[o] = sources[o] < 0 ? 0 : x[sources[o]]->result_t (res[o] = (res_T) data[...]).
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const std::vector<long>& sources() const { return sources_; }
  /// True when the output is the input array itself: same type, sources[o] = o.
  [[nodiscard]] bool is_identity() const;

 private:
  std::vector<long> sources_;
};

}  // namespace l1emu::emu

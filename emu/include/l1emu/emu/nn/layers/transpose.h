#pragma once
// Transpose (Keras Permute; hls4ml nnet_transpose.h `transpose`, and transpose_2d / transpose_3d of
// nnet_array.h before it): output element i, in C order over to_shape, is the input element whose
// coordinate along input axis perm[d] is output coordinate d (res[i] = data[transfer_idx(i)]),
// assigned to result_t. model.json keys: "from_shape" (the input's dimensions, channels last as
// io_parallel lays them out) and "perm" (0-based, a permutation of the input axes); the output's
// shape is from_shape[perm[d]].
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layers/gather_layer.h"

namespace l1emu::emu {

class Transpose final : public GatherLayer {
 public:
  Transpose(std::string name, ArraySpec input, FixedType result_t, std::vector<std::size_t> from_shape, std::vector<std::size_t> perm);
  [[nodiscard]] std::string_view class_name() const override { return "Transpose"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Wiring; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;

 private:
  std::vector<std::size_t> from_shape_, perm_;
};

}  // namespace l1emu::emu

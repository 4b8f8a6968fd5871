#pragma once
// Max and average pooling, io_parallel: nnet::pooling2d_cl, pooling1d_cl, global_pooling2d_cl,
// global_pooling1d_cl (shared/golden/hls4ml2/README.md, "Pooling").
// - Max: padded cells hold pad_val, the input type with only its top bit set (the most negative
//   ap_fixed, half the range of an ap_ufixed); m = max over the window in row-major order,
//   y = (m->accum_t)->result_t.
// - Average: padded cells add 0; s = (s + cell)->accum_t per cell; count_pad false, so s's code
//   is divided by the number of cells inside the input, rounded toward zero; y = s->result_t.
// Global pooling is the window covering the whole input, unpadded.
#include <memory>

#include "l1emu/emu/nn/layer.h"
#include "l1emu/emu/nn/layers/window_geometry.h"

namespace l1emu::emu {

enum class PoolingOp { Max, Average };

class Pooling final : public Layer {
 public:
  struct Config {
    PoolingOp op = PoolingOp::Max;
    bool global = false;
    WindowGeometry geometry;  // channels = n_filt, window = pool_height x pool_width
    FixedType accum_t, result_t;
  };
  Pooling(std::string name, ArraySpec input, Config config);

  /// MaxPooling2D, AveragePooling1D, GlobalMaxPooling2D, ...: the op, rank and global-ness.
  [[nodiscard]] std::string_view class_name() const override;
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Pooling; }
  /// The parse function of one class name (layer_catalogue.cpp names one per class).
  template <PoolingOp Op, int Rank, bool Global>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) {
    return parse_as(context, Op, Rank, Global);
  }
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  /// The max-pooling pad value: the code of the input type with only its top bit set.
  [[nodiscard]] BigInt pad_code() const;

 private:
  static std::unique_ptr<Layer> parse_as(LayerBuildContext& context, PoolingOp op, int rank, bool global);
  Config config_;
};

}  // namespace l1emu::emu

#pragma once
// Layers that move cells of a channels-last image without combining them
// (shared/golden/hls4ml2/README.md, "ZeroPadding2D / ZeroPadding1D", "UpSampling2D"):
// - ZeroPadding2D/1D (nnet::zeropad2d_cl / zeropad1d_cl): the input framed by zero cells,
//   every copied cell ->result_t.
// - Cropping2D/1D (nnet::cropping2d_cl / cropping1d_cl): output (i, j, c) is input
//   (i + crop_top, j + crop_left, c) ->result_t.
// - UpSampling2D/1D (nnet::resize_nearest; hls4ml makes UpSampling1D a height-1 resize): output
//   (i, j, c) copies input ((i*ry) >> 16, (j*rx) >> 16, c) with ry = (in_height << 16)/out_height + 1,
//   rx likewise; the output array is data_T, so result_t must be the input's type.
#include <memory>

#include "l1emu/emu/nn/layers/gather_layer.h"

namespace l1emu::emu {

/// The sizes of a padding, cropping or resize: rank 1 has height 1 and no top/bottom.
struct ImageResize {
  int rank = 2;
  std::size_t n_chan = 1, in_height = 1, in_width = 1, out_height = 1, out_width = 1;
  std::size_t top = 0, bottom = 0, left = 0, right = 0;  // pads or crops
};

/// What the three share: the sizes, a gather of input cells, no arithmetic of their own.
class ImageResizeLayer : public GatherLayer {
 public:
  ImageResizeLayer(std::string name, ArraySpec input, FixedType result_t, std::vector<long> sources, ImageResize sizes)
      : GatherLayer(std::move(name), std::move(input), result_t, std::move(sources)), sizes_(sizes) {}
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Wiring; }
  [[nodiscard]] const ImageResize& sizes() const { return sizes_; }

 protected:
  ImageResize sizes_;
};

class ZeroPadding final : public ImageResizeLayer {
 public:
  ZeroPadding(std::string name, ArraySpec input, FixedType result_t, ImageResize sizes);
  [[nodiscard]] std::string_view class_name() const override { return sizes_.rank == 2 ? "ZeroPadding2D" : "ZeroPadding1D"; }
  template <int Rank>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) {
    return parse_rank(context, Rank);
  }
  void write_params(LayerParamWriter& out) const override;

 private:
  static std::unique_ptr<Layer> parse_rank(LayerBuildContext& context, int rank);
};

class Cropping final : public ImageResizeLayer {
 public:
  Cropping(std::string name, ArraySpec input, FixedType result_t, ImageResize sizes);
  [[nodiscard]] std::string_view class_name() const override { return sizes_.rank == 2 ? "Cropping2D" : "Cropping1D"; }
  template <int Rank>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) {
    return parse_rank(context, Rank);
  }
  void write_params(LayerParamWriter& out) const override;

 private:
  static std::unique_ptr<Layer> parse_rank(LayerBuildContext& context, int rank);
};

class UpSampling final : public ImageResizeLayer {
 public:
  UpSampling(std::string name, ArraySpec input, ImageResize sizes);
  [[nodiscard]] std::string_view class_name() const override { return sizes_.rank == 2 ? "UpSampling2D" : "UpSampling1D"; }
  template <int Rank>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context) {
    return parse_rank(context, Rank);
  }
  void write_params(LayerParamWriter& out) const override;

 private:
  static std::unique_ptr<Layer> parse_rank(LayerBuildContext& context, int rank);
};

}  // namespace l1emu::emu

#pragma once
// The sliding-window geometry shared by convolutions and pooling: hls4ml's config fields
// in_height, in_width, the window size, stride_*, pad_*, out_height, out_width. A 1-D layer is the
// 2-D one with height 1 and no vertical padding (conv_1d_latency_cl / pooling1d_cl index the same
// way along the width only). Tensors are channels last: cell (r, q, c) of an H x W x C input is
// stored at (r*W + q)*C + c (shared/golden/hls4ml2/README.md, "Tensor layout").
#include <cstddef>
#include <vector>

#include "l1emu/emu/nn/fixed_array.h"
#include "l1emu/emu/nn/layer_params.h"

namespace l1emu::emu {

/// The key names a layer class uses for the channel count and the window size.
struct WindowKeys {
  const char* channels;       // "n_chan" (convolution) or "n_filt" (pooling)
  const char* window_height;  // "filt_height" or "pool_height"
  const char* window_width;   // "filt_width" or "pool_width"
};

struct WindowGeometry {
  int rank = 2;  // 1 (width only) or 2
  std::size_t in_height = 1, in_width = 1, channels = 1;
  std::size_t window_height = 1, window_width = 1;
  std::size_t stride_height = 1, stride_width = 1;
  std::size_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  std::size_t out_height = 1, out_width = 1;

  /// Input row of window row kh for output row oh; outside [0, in_height) it is a padded cell.
  [[nodiscard]] long row(std::size_t oh, std::size_t kh) const {
    return static_cast<long>(oh * stride_height + kh) - static_cast<long>(pad_top);
  }
  /// Input column of window column kw for output column ow.
  [[nodiscard]] long column(std::size_t ow, std::size_t kw) const {
    return static_cast<long>(ow * stride_width + kw) - static_cast<long>(pad_left);
  }
  [[nodiscard]] bool inside(long r, long q) const {
    return r >= 0 && q >= 0 && r < static_cast<long>(in_height) && q < static_cast<long>(in_width);
  }
  /// Flat index of input cell (r, q, c), channels last; (r, q) must be inside.
  [[nodiscard]] std::size_t input_index(long r, long q, std::size_t c) const {
    return (static_cast<std::size_t>(r) * in_width + static_cast<std::size_t>(q)) * channels + c;
  }
  [[nodiscard]] std::size_t input_size() const { return in_height * in_width * channels; }
  /// Number of window cells of output (oh, ow) that lie inside the input.
  [[nodiscard]] std::size_t overlap(std::size_t oh, std::size_t ow) const;
  /// The input tensor's shape: {in_height, in_width, channels}, or {in_width, channels} for rank 1.
  [[nodiscard]] std::vector<std::size_t> input_dims() const;
  /// The output tensor's shape with `out_channels` channels, of the same rank.
  [[nodiscard]] std::vector<std::size_t> output_dims(std::size_t out_channels) const;

  /// Reads and validates a sliding window's keys: sizes >= 1, pads >= 0, the input size (and
  /// shape, when the input has one) equal to in_height*in_width*channels, and out_* equal to
  /// hls4ml's (in + pads - window)/stride + 1. Fails through params.fail naming the key.
  static WindowGeometry read(LayerParamReader& params, int rank, const ArraySpec& input, const WindowKeys& keys);
  /// A window covering the whole input with no padding (global pooling: in_height, in_width and
  /// the channel key only).
  static WindowGeometry read_global(LayerParamReader& params, int rank, const ArraySpec& input, const char* channels_key);
  /// Writes the keys `read` reads (read_global's keys when `global`).
  void write(LayerParamWriter& out, const WindowKeys& keys, bool global = false) const;
};

/// Fails through params.fail(key) unless the input array holds `dims` (its size is their product
/// and, when it has a shape, the shape equals dims). `key` names the first size key of the layer.
void require_input_dims(LayerParamReader& params, const char* key, const ArraySpec& input, const std::vector<std::size_t>& dims);

}  // namespace l1emu::emu

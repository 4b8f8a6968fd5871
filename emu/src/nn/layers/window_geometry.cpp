#include "l1emu/emu/nn/layers/window_geometry.h"

#include <string>

namespace l1emu::emu {
namespace {

constexpr long kMaxSize = 1L << 24;

std::string dims_text(const std::vector<std::size_t>& dims) {
  std::string text;
  for (std::size_t d : dims) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

std::size_t size_key(LayerParamReader& f, const char* key) { return static_cast<std::size_t>(f.integer_in(key, 1, kMaxSize)); }
std::size_t pad_key(LayerParamReader& f, const char* key) { return static_cast<std::size_t>(f.integer_in(key, 0, kMaxSize)); }

// hls4ml sizes a valid or "same" window as out = (in + pads - window)/stride + 1 (the pads are
// what it computed from the Keras padding; shared/golden/hls4ml2/README.md, Conv2D keys).
void check_out(LayerParamReader& f, const char* key, std::size_t out, std::size_t in, std::size_t pads, std::size_t window,
               std::size_t stride, const char* window_key) {
  if (in + pads < window) {
    f.fail(window_key, std::to_string(window) + " exceeds the padded input size " + std::to_string(in + pads));
  }
  const std::size_t expected = (in + pads - window) / stride + 1;
  if (out != expected) {
    f.fail(key, "expected (in + pads - window)/stride + 1 = " + std::to_string(expected) + ", found " + std::to_string(out));
  }
}

}  // namespace

void require_input_dims(LayerParamReader& f, const char* key, const ArraySpec& input, const std::vector<std::size_t>& dims) {
  std::size_t product = 1;
  for (std::size_t d : dims) product *= d;
  if (product != input.size) {
    f.fail(key, "the sizes describe a " + dims_text(dims) + " tensor of " + std::to_string(product) + " values, input '" + input.name +
                    "' has " + std::to_string(input.size));
  }
  // A flat (rank-1) array reads as any shape of its size: io_parallel arrays are flat C arrays, and
  // a top-function input or a Dense output says no more (hls4ml's own Reshape is a reference).
  if (!input.shape.empty() && input.shape.size() > 1 && input.shape != dims) {
    f.fail(key, "the sizes describe a " + dims_text(dims) + " tensor, input '" + input.name + "' has shape " + dims_text(input.shape));
  }
}

std::size_t WindowGeometry::overlap(std::size_t oh, std::size_t ow) const {
  std::size_t n = 0;
  for (std::size_t kh = 0; kh < window_height; ++kh) {
    for (std::size_t kw = 0; kw < window_width; ++kw) n += inside(row(oh, kh), column(ow, kw)) ? 1 : 0;
  }
  return n;
}

std::vector<std::size_t> WindowGeometry::input_dims() const {
  return rank == 1 ? std::vector<std::size_t>{in_width, channels} : std::vector<std::size_t>{in_height, in_width, channels};
}

std::vector<std::size_t> WindowGeometry::output_dims(std::size_t out_channels) const {
  return rank == 1 ? std::vector<std::size_t>{out_width, out_channels} : std::vector<std::size_t>{out_height, out_width, out_channels};
}

WindowGeometry WindowGeometry::read(LayerParamReader& f, int rank, const ArraySpec& input, const WindowKeys& keys) {
  WindowGeometry g;
  g.rank = rank;
  if (rank == 2) g.in_height = size_key(f, "in_height");
  g.in_width = size_key(f, "in_width");
  g.channels = size_key(f, keys.channels);
  require_input_dims(f, rank == 2 ? "in_height" : "in_width", input, g.input_dims());
  if (rank == 2) g.window_height = size_key(f, keys.window_height);
  g.window_width = size_key(f, keys.window_width);
  if (rank == 2) g.stride_height = size_key(f, "stride_height");
  g.stride_width = size_key(f, "stride_width");
  if (rank == 2) {
    g.pad_top = pad_key(f, "pad_top");
    g.pad_bottom = pad_key(f, "pad_bottom");
  }
  g.pad_left = pad_key(f, "pad_left");
  g.pad_right = pad_key(f, "pad_right");
  if (rank == 2) {
    g.out_height = size_key(f, "out_height");
    check_out(f, "out_height", g.out_height, g.in_height, g.pad_top + g.pad_bottom, g.window_height, g.stride_height, keys.window_height);
  }
  g.out_width = size_key(f, "out_width");
  check_out(f, "out_width", g.out_width, g.in_width, g.pad_left + g.pad_right, g.window_width, g.stride_width, keys.window_width);
  return g;
}

WindowGeometry WindowGeometry::read_global(LayerParamReader& f, int rank, const ArraySpec& input, const char* channels_key) {
  WindowGeometry g;
  g.rank = rank;
  if (rank == 2) g.in_height = size_key(f, "in_height");
  g.in_width = size_key(f, "in_width");
  g.channels = size_key(f, channels_key);
  require_input_dims(f, rank == 2 ? "in_height" : "in_width", input, g.input_dims());
  g.window_height = g.in_height;
  g.window_width = g.in_width;
  return g;
}

void WindowGeometry::write(LayerParamWriter& out, const WindowKeys& keys, bool global) const {
  const auto put = [&](const char* key, std::size_t v) { out.integer(key, static_cast<long>(v)); };
  if (rank == 2) put("in_height", in_height);
  put("in_width", in_width);
  put(keys.channels, channels);
  if (global) return;
  if (rank == 2) put(keys.window_height, window_height);
  put(keys.window_width, window_width);
  if (rank == 2) put("stride_height", stride_height);
  put("stride_width", stride_width);
  if (rank == 2) {
    put("pad_top", pad_top);
    put("pad_bottom", pad_bottom);
  }
  put("pad_left", pad_left);
  put("pad_right", pad_right);
  if (rank == 2) put("out_height", out_height);
  put("out_width", out_width);
}

}  // namespace l1emu::emu

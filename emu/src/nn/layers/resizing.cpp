#include "l1emu/emu/nn/layers/resizing.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/nn/layers/window_geometry.h"

namespace l1emu::emu {
namespace {

constexpr long kMaxSize = 1L << 24;

std::vector<std::size_t> in_dims(const ImageResize& s) {
  return s.rank == 1 ? std::vector<std::size_t>{s.in_width, s.n_chan} : std::vector<std::size_t>{s.in_height, s.in_width, s.n_chan};
}
std::vector<std::size_t> out_dims(const ImageResize& s) {
  return s.rank == 1 ? std::vector<std::size_t>{s.out_width, s.n_chan} : std::vector<std::size_t>{s.out_height, s.out_width, s.n_chan};
}

void check_input(const std::string& name, const ArraySpec& input, const ImageResize& s) {
  if (input.size != s.in_height * s.in_width * s.n_chan) {
    throw ModelError("layer '" + name + "': the input size does not match in_height*in_width*n_chan");
  }
}

// Output cell (i, j, c) reads input (i + dy, j + dx, c), or is 0 outside the input
// (padding: dy = -pad_top, dx = -pad_left; cropping: dy = crop_top, dx = crop_left).
std::vector<long> shifted_sources(const std::string& name, const ArraySpec& input, const ImageResize& s, long dy, long dx) {
  check_input(name, input, s);
  std::vector<long> sources;
  sources.reserve(s.out_height * s.out_width * s.n_chan);
  for (std::size_t i = 0; i < s.out_height; ++i) {
    for (std::size_t j = 0; j < s.out_width; ++j) {
      const long r = static_cast<long>(i) + dy, q = static_cast<long>(j) + dx;
      const bool inside = r >= 0 && q >= 0 && r < static_cast<long>(s.in_height) && q < static_cast<long>(s.in_width);
      for (std::size_t c = 0; c < s.n_chan; ++c) {
        sources.push_back(inside ? (r * static_cast<long>(s.in_width) + q) * static_cast<long>(s.n_chan) + static_cast<long>(c) : -1);
      }
    }
  }
  return sources;
}

// resize_nearest: y_ratio = (height << 16)/new_height + 1, y2 = (i*y_ratio) >> 16 (int arithmetic;
// the sizes accepted keep every product far below 2^31 only for small images, so it is computed
// in 64 bits and each index checked).
std::vector<long> nearest_sources(const std::string& name, const ArraySpec& input, const ImageResize& s) {
  check_input(name, input, s);
  const long ry = static_cast<long>((s.in_height << 16) / s.out_height) + 1;
  const long rx = static_cast<long>((s.in_width << 16) / s.out_width) + 1;
  std::vector<long> sources;
  for (std::size_t i = 0; i < s.out_height; ++i) {
    for (std::size_t j = 0; j < s.out_width; ++j) {
      const long y2 = (static_cast<long>(i) * ry) >> 16, x2 = (static_cast<long>(j) * rx) >> 16;
      if (y2 >= static_cast<long>(s.in_height) || x2 >= static_cast<long>(s.in_width)) {
        throw ModelError("layer '" + name + "': resize_nearest would read outside the input for output (" + std::to_string(i) + ", " +
                         std::to_string(j) + ")");
      }
      for (std::size_t c = 0; c < s.n_chan; ++c) {
        sources.push_back((y2 * static_cast<long>(s.in_width) + x2) * static_cast<long>(s.n_chan) + static_cast<long>(c));
      }
    }
  }
  return sources;
}

std::size_t size_key(LayerParamReader& f, const std::string& key) { return static_cast<std::size_t>(f.integer_in(key, 1, kMaxSize)); }
std::size_t margin_key(LayerParamReader& f, const std::string& key) { return static_cast<std::size_t>(f.integer_in(key, 0, kMaxSize)); }

// The keys every class here has: n_chan, in_height, in_width, out_height, out_width (rank 2) or
// n_chan, in_width, out_width (rank 1), and the margins under `prefix` ("pad_" or "crop_").
ImageResize read_sizes(LayerBuildContext& c, int rank, const char* prefix) {
  auto& f = c.params;
  ImageResize s;
  s.rank = rank;
  s.n_chan = size_key(f, "n_chan");
  if (rank == 2) s.in_height = size_key(f, "in_height");
  s.in_width = size_key(f, "in_width");
  require_input_dims(f, rank == 2 ? "in_height" : "in_width", c.inputs[0], in_dims(s));
  if (rank == 2) s.out_height = size_key(f, "out_height");
  s.out_width = size_key(f, "out_width");
  if (prefix != nullptr) {
    const std::string p = prefix;
    if (rank == 2) {
      s.top = margin_key(f, p + "top");
      s.bottom = margin_key(f, p + "bottom");
    }
    s.left = margin_key(f, p + "left");
    s.right = margin_key(f, p + "right");
  } else if (rank == 1) {
    // hls4ml's UpSampling1D config is a resize of height 1.
    if (f.integer_or("in_height", 1) != 1) f.fail("in_height", "must be 1 for UpSampling1D");
    if (f.integer_or("out_height", 1) != 1) f.fail("out_height", "must be 1 for UpSampling1D");
  }
  return s;
}

void write_sizes(LayerParamWriter& out, const ImageResize& s, const char* prefix) {
  const auto put = [&](const std::string& key, std::size_t v) { out.integer(key, static_cast<long>(v)); };
  put("n_chan", s.n_chan);
  if (s.rank == 2) put("in_height", s.in_height);
  put("in_width", s.in_width);
  if (s.rank == 2) put("out_height", s.out_height);
  put("out_width", s.out_width);
  if (prefix == nullptr) return;
  const std::string p = prefix;
  if (s.rank == 2) {
    put(p + "top", s.top);
    put(p + "bottom", s.bottom);
  }
  put(p + "left", s.left);
  put(p + "right", s.right);
}

}  // namespace

ZeroPadding::ZeroPadding(std::string name, ArraySpec input, FixedType result_t, ImageResize sizes)
    : ImageResizeLayer(name, input, result_t,
                       shifted_sources(name, input, sizes, -static_cast<long>(sizes.top), -static_cast<long>(sizes.left)), sizes) {
  if (sizes_.out_height != sizes_.in_height + sizes_.top + sizes_.bottom || sizes_.out_width != sizes_.in_width + sizes_.left + sizes_.right) {
    throw ModelError("layer '" + this->name() + "': the output size must be the input size plus the pads");
  }
  set_shape(out_dims(sizes_));
}

std::unique_ptr<Layer> ZeroPadding::parse_rank(LayerBuildContext& c, int rank) {
  c.require_inputs(1);
  auto& f = c.params;
  const ImageResize s = read_sizes(c, rank, "pad_");
  if (rank == 2 && s.out_height != s.in_height + s.top + s.bottom) {
    f.fail("out_height", "expected in_height + pad_top + pad_bottom = " + std::to_string(s.in_height + s.top + s.bottom) + ", found " +
                             std::to_string(s.out_height));
  }
  if (s.out_width != s.in_width + s.left + s.right) {
    f.fail("out_width", "expected in_width + pad_left + pad_right = " + std::to_string(s.in_width + s.left + s.right) + ", found " +
                            std::to_string(s.out_width));
  }
  return std::make_unique<ZeroPadding>(c.name, c.inputs[0], f.type("result_t"), s);
}

void ZeroPadding::write_params(LayerParamWriter& out) const { write_sizes(out, sizes_, "pad_"); }

Cropping::Cropping(std::string name, ArraySpec input, FixedType result_t, ImageResize sizes)
    : ImageResizeLayer(name, input, result_t, shifted_sources(name, input, sizes, static_cast<long>(sizes.top), static_cast<long>(sizes.left)),
                       sizes) {
  if (sizes_.out_height + sizes_.top + sizes_.bottom != sizes_.in_height || sizes_.out_width + sizes_.left + sizes_.right != sizes_.in_width) {
    throw ModelError("layer '" + this->name() + "': the output size must be the input size less the crops");
  }
  set_shape(out_dims(sizes_));
}

std::unique_ptr<Layer> Cropping::parse_rank(LayerBuildContext& c, int rank) {
  c.require_inputs(1);
  auto& f = c.params;
  const ImageResize s = read_sizes(c, rank, "crop_");
  if (rank == 2 && s.out_height + s.top + s.bottom != s.in_height) {
    f.fail("out_height", "expected in_height - crop_top - crop_bottom, found " + std::to_string(s.out_height));
  }
  if (s.out_width + s.left + s.right != s.in_width) {
    f.fail("out_width", "expected in_width - crop_left - crop_right, found " + std::to_string(s.out_width));
  }
  return std::make_unique<Cropping>(c.name, c.inputs[0], f.type("result_t"), s);
}

void Cropping::write_params(LayerParamWriter& out) const { write_sizes(out, sizes_, "crop_"); }

UpSampling::UpSampling(std::string name, ArraySpec input, ImageResize sizes)
    : ImageResizeLayer(name, input, input.type, nearest_sources(name, input, sizes), sizes) {
  set_shape(out_dims(sizes_));
}

std::unique_ptr<Layer> UpSampling::parse_rank(LayerBuildContext& c, int rank) {
  c.require_inputs(1);
  auto& f = c.params;
  const ImageResize s = read_sizes(c, rank, nullptr);
  if (const std::string algorithm = f.string("algorithm"); algorithm != "nearest") {
    f.fail("algorithm", "only \"nearest\" (resize_nearest) is reproduced, found \"" + algorithm + "\"");
  }
  // resize_nearest<data_T, CONFIG_T> writes a data_T array: the layer's type is its input's.
  if (const FixedType result_t = f.type("result_t"); !(result_t == c.inputs[0].type)) {
    f.fail("result_t", "must equal the input's type " + c.inputs[0].type.to_string() + " (resize_nearest copies data_T), found " +
                           result_t.to_string());
  }
  std::unique_ptr<Layer> layer;
  try {
    layer = std::make_unique<UpSampling>(c.name, c.inputs[0], s);
  } catch (const ModelError& e) {
    f.fail("out_width", e.what());
  }
  return layer;
}

void UpSampling::write_params(LayerParamWriter& out) const {
  write_sizes(out, sizes_, nullptr);
  out.string("algorithm", "nearest");
}

}  // namespace l1emu::emu

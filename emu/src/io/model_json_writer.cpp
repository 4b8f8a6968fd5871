#include "l1emu/emu/io/model_json_writer.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/kl_loss.h"

namespace l1emu::emu {
namespace {

std::string quote(const std::string& s) { return nlohmann::json(s).dump(); }

// Exact decimals of codes: to_decimal prints code * 2^-F with every digit.
std::string decimals(const std::vector<BigInt>& codes, const FixedType& type, std::size_t begin, std::size_t count) {
  std::string out = "[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += to_decimal(codes[begin + i], type);
  }
  return out + "]";
}

// A double that reads back as itself (17 significant digits).
std::string exact_double(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  std::string s = buffer;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

class ObjectWriter {
 public:
  explicit ObjectWriter(std::string indent) : indent_(std::move(indent)) {}
  void raw(const std::string& key, const std::string& value) { items_.push_back(indent_ + "  " + quote(key) + ": " + value); }
  void str(const std::string& key, const std::string& value) { raw(key, quote(value)); }
  void type(const std::string& key, const FixedType& t) { str(key, t.to_string()); }
  [[nodiscard]] std::string finish() const {
    std::string out = "{\n";
    for (std::size_t i = 0; i < items_.size(); ++i) out += items_[i] + (i + 1 < items_.size() ? ",\n" : "\n");
    return out + indent_ + "}";
  }

 private:
  std::string indent_;
  std::vector<std::string> items_;
};

std::string write_layer(const Layer& layer, Flavor flavor) {
  ObjectWriter w("    ");
  w.str("name", layer.name());
  w.str("class", std::string(layer.class_name()));
  if (layer.inputs().size() == 1) {
    w.str("input", layer.inputs()[0].name);
  } else {
    std::string names = "[";
    for (std::size_t i = 0; i < layer.inputs().size(); ++i) names += (i > 0 ? ", " : "") + quote(layer.inputs()[i].name);
    w.raw("inputs", names + "]");
  }
  if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
    const auto& c = dense->config();
    const std::size_t n_in = layer.inputs()[0].size;
    w.raw("n_out", std::to_string(c.n_out));
    std::string rows = "[\n";
    for (std::size_t i = 0; i < n_in; ++i) rows += "        " + decimals(c.weights, c.weight_t, i * c.n_out, c.n_out) + (i + 1 < n_in ? ",\n" : "\n");
    w.raw("weight", rows + "      ]");
    w.raw("bias", decimals(c.biases, c.bias_t, 0, c.n_out));
    w.type("weight_t", c.weight_t);
    w.type("bias_t", c.bias_t);
    w.type("accum_t", c.accum_t);
  } else if (const auto* bn = dynamic_cast<const BatchNormalization*>(&layer)) {
    const auto& c = bn->config();
    w.raw("scale", decimals(c.scale, c.scale_t, 0, c.scale.size()));
    w.raw("bias", decimals(c.bias, c.bias_t, 0, c.bias.size()));
    w.type("scale_t", c.scale_t);
    w.type("bias_t", c.bias_t);
    // Written only where it differs from what the model's flavor implies (model_json.cpp).
    if (c.rounding != default_rounding(flavor)) w.str("rounding", std::string(to_string(c.rounding)));
  } else if (const auto* lrelu = dynamic_cast<const LeakyReLU*>(&layer)) {
    w.raw("alpha", exact_double(lrelu->config().alpha));
    if (lrelu->config().flavor == Flavor::Head) w.type("param_t", lrelu->config().param_t);
  } else if (const auto* kl = dynamic_cast<const KLLoss*>(&layer)) {
    const auto& c = kl->config();
    w.type("accum_t", c.accum_t);
    w.type("exp_table_t", c.exp_table_t);
    w.raw("table_size", std::to_string(c.table_size));
    w.raw("exp_range", std::to_string(c.exp_range));
  } else if (const auto* scale = dynamic_cast<const InputScale*>(&layer)) {
    const auto& c = scale->config();
    w.raw("offsets", decimals(c.offsets, c.offset_t, 0, c.offsets.size()));
    std::string shifts = "[";
    for (std::size_t i = 0; i < c.shifts.size(); ++i) shifts += (i > 0 ? ", " : "") + std::to_string(c.shifts[i]);
    w.raw("shifts", shifts + "]");
    w.type("offset_t", c.offset_t);
    w.type("shift_t", c.shift_t);
    w.type("unscaled_t", c.unscaled_t);
  } else if (const auto* dot = dynamic_cast<const Dot*>(&layer)) {
    w.type("accum_t", dot->accum_type());
  } else if (dynamic_cast<const ReLU*>(&layer) == nullptr && dynamic_cast<const Linear*>(&layer) == nullptr &&
             dynamic_cast<const SumSquares*>(&layer) == nullptr && dynamic_cast<const Subtract*>(&layer) == nullptr) {
    throw ModelError("model.json writer: layer '" + layer.name() + "' has class " + std::string(layer.class_name()) +
                     ", which the writer does not know");
  }
  w.type("result_t", layer.result_type());
  return w.finish();
}

}  // namespace

std::string write_model_json(const Model& model) {
  ObjectWriter top("");
  top.str("project", model.project());
  top.str("flavor", std::string(to_string(model.flavor())));
  top.str("io_type", "io_parallel");
  top.str("strategy", "latency");
  top.raw("reuse_factor", "1");
  std::string inputs = "[\n";
  for (std::size_t i = 0; i < model.inputs().size(); ++i) {
    const auto& in = model.inputs()[i];
    inputs += "    {\"name\": " + quote(in.name) + ", \"size\": " + std::to_string(in.size) + ", \"type\": " + quote(in.type.to_string()) + "}" +
              (i + 1 < model.inputs().size() ? ",\n" : "\n");
  }
  top.raw("inputs", inputs + "  ]");
  std::string layers = "[\n";
  for (std::size_t l = 0; l < model.layers().size(); ++l) {
    layers += "    " + write_layer(*model.layers()[l], model.flavor()) + (l + 1 < model.layers().size() ? ",\n" : "\n");
  }
  top.raw("layers", layers + "  ]");
  std::string outputs = "[";
  for (std::size_t i = 0; i < model.outputs().size(); ++i) outputs += (i > 0 ? ", " : "") + quote(model.outputs()[i]);
  top.raw("outputs", outputs + "]");
  return top.finish() + "\n";
}

}  // namespace l1emu::emu

#include "l1emu/emu/io/model_json_writer.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/dense.h"

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

std::string shape_list(const std::vector<std::size_t>& dims) {
  std::string out = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(dims[i]);
  return out + "]";
}

class ObjectWriter final : public LayerParamWriter {
 public:
  explicit ObjectWriter(std::string indent) : indent_(std::move(indent)) {}
  void raw(const std::string& key, const std::string& value) { items_.push_back(indent_ + "  " + quote(key) + ": " + value); }
  void str(const std::string& key, const std::string& value) { raw(key, quote(value)); }
  void string(const std::string& key, const std::string& value) override { str(key, value); }
  void integer(const std::string& key, long value) override { raw(key, std::to_string(value)); }
  void boolean(const std::string& key, bool value) override { raw(key, value ? "true" : "false"); }
  void number(const std::string& key, double value) override { raw(key, exact_double(value)); }
  void type(const std::string& key, const FixedType& t) override { str(key, t.to_string()); }
  void integers(const std::string& key, const std::vector<long>& values) override {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(values[i]);
    raw(key, out + "]");
  }
  // Nested lists, innermost rows on one line each (a Dense kernel prints one row per input).
  void codes(const std::string& key, const std::vector<BigInt>& codes, const FixedType& t, const std::vector<std::size_t>& dims) override {
    if (dims.size() <= 1) {
      raw(key, decimals(codes, t, 0, codes.size()));
      return;
    }
    std::size_t begin = 0;
    const auto nest = [&](const auto& self, std::size_t depth, const std::string& pad) -> std::string {
      if (depth + 1 == dims.size()) {
        std::string row = decimals(codes, t, begin, dims[depth]);
        begin += dims[depth];
        return row;
      }
      std::string out = "[\n";
      for (std::size_t i = 0; i < dims[depth]; ++i) out += pad + "  " + self(self, depth + 1, pad + "  ") + (i + 1 < dims[depth] ? ",\n" : "\n");
      return out + pad + "]";
    };
    raw(key, nest(nest, 0, indent_ + "  "));
  }
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
  w.model_flavor = flavor;
  w.str("name", layer.name());
  w.str("class", std::string(layer.class_name()));
  if (layer.inputs().size() == 1) {
    w.str("input", layer.inputs()[0].name);
  } else {
    std::string names = "[";
    for (std::size_t i = 0; i < layer.inputs().size(); ++i) names += (i > 0 ? ", " : "") + quote(layer.inputs()[i].name);
    w.raw("inputs", names + "]");
  }
  layer.write_params(w);
  w.type("result_t", layer.result_type());
  if (layer.shape().size() > 1) w.raw("shape", shape_list(layer.shape()));
  return w.finish();
}

}  // namespace

std::string write_model_json(const Model& model) {
  ObjectWriter top("");
  top.str("project", model.project());
  top.str("flavor", std::string(to_string(model.flavor())));
  top.str("io_type", "io_parallel");
  top.str("strategy", "latency");
  // The model's ReuseFactor: the largest of its Dense layers' (each writes its own, the project's
  // parameters.h value), since the slowest layer sets the pipeline's II; 1 with none above 1.
  std::size_t reuse = 1;
  for (const auto& layer : model.layers()) {
    if (const auto* dense = dynamic_cast<const Dense*>(layer.get())) reuse = std::max(reuse, dense->config().reuse_factor);
  }
  top.raw("reuse_factor", std::to_string(reuse));
  std::string inputs = "[\n";
  for (std::size_t i = 0; i < model.inputs().size(); ++i) {
    const auto& in = model.inputs()[i];
    inputs += "    {\"name\": " + quote(in.name) + ", \"size\": " + std::to_string(in.size) +
              (in.shape.size() > 1 ? ", \"shape\": " + shape_list(in.shape) : std::string()) + ", \"type\": " + quote(in.type.to_string()) +
              (in.reading == InputReading::CInt ? ", \"c_type\": \"int\"" : "") + "}" +
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

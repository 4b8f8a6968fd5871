#include "l1emu/emu/io/model_json.h"

#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "json_fields.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/kl_loss.h"

namespace l1emu::emu {
namespace {

using detail::JsonFields;

struct LayerContext {
  JsonFields& fields;
  const Model& model;
  Flavor flavor;
  std::string name;
  std::vector<ArraySpec> inputs;  // resolved from "input" or "inputs"
};

// Weights, biases, scales: read as double, converted to their type (hls4ml: text -> double -> type).
std::vector<BigInt> quantize_all(const std::vector<double>& values, const FixedType& t) {
  std::vector<BigInt> codes;
  codes.reserve(values.size());
  for (double v : values) codes.push_back(from_double(v, t));
  return codes;
}

void require_inputs(const LayerContext& c, std::size_t count) {
  if (c.inputs.size() != count) {
    c.fields.fail(count == 1 ? "input" : "inputs",
                  "expected " + std::to_string(count) + " input array(s), found " + std::to_string(c.inputs.size()));
  }
}

void require_equal_sizes(const LayerContext& c) {
  for (const auto& in : c.inputs) {
    if (in.size != c.inputs[0].size) {
      c.fields.fail("inputs", "arrays must have equal sizes: '" + c.inputs[0].name + "' has " +
                                  std::to_string(c.inputs[0].size) + ", '" + in.name + "' has " + std::to_string(in.size));
    }
  }
}

std::unique_ptr<Layer> parse_dense(LayerContext& c) {
  require_inputs(c, 1);
  auto& f = c.fields;
  Dense::Config cfg;
  const long n_out = f.integer("n_out");
  if (n_out < 1) f.fail("n_out", "must be at least 1");
  cfg.n_out = static_cast<std::size_t>(n_out);
  cfg.weight_t = f.type("weight_t");
  cfg.bias_t = f.type("bias_t");
  cfg.accum_t = f.type("accum_t");
  cfg.result_t = f.type("result_t");
  cfg.weights = quantize_all(f.matrix("weight", c.inputs[0].size, cfg.n_out), cfg.weight_t);
  cfg.biases = quantize_all(f.numbers("bias", cfg.n_out), cfg.bias_t);
  return std::make_unique<Dense>(c.name, c.inputs[0], std::move(cfg));
}

std::unique_ptr<Layer> parse_batch_normalization(LayerContext& c) {
  require_inputs(c, 1);
  auto& f = c.fields;
  BatchNormalization::Config cfg;
  // The model's flavor gives the default; "rounding" says it for this layer (an hls4ml 0.7/0.8
  // project rounds once, as head does, but types LeakyReLU's alpha as data_T, as paper does).
  cfg.rounding = default_rounding(c.flavor);
  if (f.has("rounding")) {
    const std::string r = f.string("rounding");
    if (r == "once") {
      cfg.rounding = BatchNormRounding::Once;
    } else if (r == "twice") {
      cfg.rounding = BatchNormRounding::Twice;
    } else {
      f.fail("rounding", "expected \"once\" or \"twice\", found \"" + r + "\"");
    }
  }
  cfg.scale_t = f.type("scale_t");
  cfg.bias_t = f.type("bias_t");
  cfg.result_t = f.type("result_t");
  cfg.scale = quantize_all(f.numbers("scale", c.inputs[0].size), cfg.scale_t);
  cfg.bias = quantize_all(f.numbers("bias", c.inputs[0].size), cfg.bias_t);
  return std::make_unique<BatchNormalization>(c.name, c.inputs[0], std::move(cfg));
}

std::unique_ptr<Layer> parse_relu(LayerContext& c) {
  require_inputs(c, 1);
  return std::make_unique<ReLU>(c.name, c.inputs[0], c.fields.type("result_t"));
}

std::unique_ptr<Layer> parse_linear(LayerContext& c) {
  require_inputs(c, 1);
  return std::make_unique<Linear>(c.name, c.inputs[0], c.fields.type("result_t"));
}

std::unique_ptr<Layer> parse_leaky_relu(LayerContext& c) {
  require_inputs(c, 1);
  auto& f = c.fields;
  LeakyReLU::Config cfg;
  cfg.flavor = c.flavor;
  cfg.alpha = f.number("alpha");
  cfg.result_t = f.type("result_t");
  if (c.flavor == Flavor::Head) {
    cfg.param_t = f.type("param_t");
  } else {
    f.ignore({"param_t"});  // AE_L1_paper types alpha as the input's data_T; param_t has no effect there
  }
  return std::make_unique<LeakyReLU>(c.name, c.inputs[0], cfg);
}

std::unique_ptr<Layer> parse_kl_loss(LayerContext& c) {
  require_inputs(c, 2);
  require_equal_sizes(c);
  auto& f = c.fields;
  KLLoss::Config cfg;
  cfg.accum_t = f.type("accum_t");
  cfg.exp_table_t = f.type("exp_table_t");
  cfg.result_t = f.type("result_t");
  const long table_size = f.integer_or("table_size", 1024);
  const long exp_range = f.integer_or("exp_range", 8);
  if (table_size < 2 || table_size > (1L << 20)) f.fail("table_size", "must be in [2, 2^20]");
  if (exp_range < 1 || exp_range > 1024) f.fail("exp_range", "must be in [1, 1024]");
  cfg.table_size = static_cast<int>(table_size);
  cfg.exp_range = static_cast<int>(exp_range);
  return std::make_unique<KLLoss>(c.name, c.inputs, cfg);
}

std::unique_ptr<Layer> parse_input_scale(LayerContext& c) {
  require_inputs(c, 1);
  auto& f = c.fields;
  InputScale::Config cfg;
  cfg.offset_t = f.type("offset_t");
  cfg.shift_t = f.type("shift_t");
  cfg.unscaled_t = f.type("unscaled_t");
  cfg.result_t = f.type("result_t");
  const std::size_t n = c.inputs[0].size;
  cfg.offsets = quantize_all(f.numbers("offsets", n), cfg.offset_t);
  for (const BigInt& code : quantize_all(f.numbers("shifts", n), cfg.shift_t)) {
    // The shift amount is the integer part of the shift_t value (ap_fixed to_int: toward zero).
    const int frac = cfg.shift_t.fractional_bits();
    BigInt whole = frac <= 0 ? BigInt(code << static_cast<unsigned>(-frac)) : BigInt(abs(code) >> static_cast<unsigned>(frac));
    if (frac > 0 && code < 0) whole = -whole;
    if (whole > 1024 || whole < -1024) f.fail("shifts", "shift amount out of range: " + whole.str());
    cfg.shifts.push_back(whole.convert_to<int>());
  }
  return std::make_unique<InputScale>(c.name, c.inputs[0], std::move(cfg));
}

std::unique_ptr<Layer> parse_sum_squares(LayerContext& c) {
  require_inputs(c, 1);
  return std::make_unique<SumSquares>(c.name, c.inputs[0], c.fields.type("result_t"));
}

std::unique_ptr<Layer> parse_subtract(LayerContext& c) {
  require_inputs(c, 2);
  require_equal_sizes(c);
  return std::make_unique<Subtract>(c.name, c.inputs, c.fields.type("result_t"));
}

std::unique_ptr<Layer> parse_dot(LayerContext& c) {
  require_inputs(c, 2);
  require_equal_sizes(c);
  return std::make_unique<Dot>(c.name, c.inputs, c.fields.type("accum_t"), c.fields.type("result_t"));
}

// Layer classes known to model.json, by class name.
const std::map<std::string, std::function<std::unique_ptr<Layer>(LayerContext&)>>& layer_parsers() {
  static const std::map<std::string, std::function<std::unique_ptr<Layer>(LayerContext&)>> parsers{
      {"Dense", parse_dense},
      {"BatchNormalization", parse_batch_normalization},
      {"ReLU", parse_relu},
      {"Linear", parse_linear},
      {"LeakyReLU", parse_leaky_relu},
      {"KLLoss", parse_kl_loss},
      {"InputScale", parse_input_scale},
      {"SumSquares", parse_sum_squares},
      {"Subtract", parse_subtract},
      {"Dot", parse_dot},
  };
  return parsers;
}

std::string known_classes() {
  std::string out;
  for (const auto& [name, parser] : layer_parsers()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

Model parse_model_json(std::string_view text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ModelError(source + ": not valid JSON: " + e.what());
  }
  JsonFields top(doc, source);
  top.ignore({"comment", "project"});
  const std::string project = top.string_or("project", "model");

  const std::string flavor_name = top.string_or("flavor", "head");
  Flavor flavor = Flavor::Head;
  if (flavor_name == "paper") {
    flavor = Flavor::Paper;
  } else if (flavor_name != "head") {
    top.fail("flavor", "expected \"paper\" or \"head\", found \"" + flavor_name + "\"");
  }
  if (const auto io = top.string_or("io_type", "io_parallel"); io != "io_parallel") {
    top.fail("io_type", "only io_parallel is supported, found \"" + io + "\"");
  }
  if (const auto strategy = top.string_or("strategy", "latency"); strategy != "latency" && strategy != "Latency") {
    top.fail("strategy", "only the latency strategy is supported, found \"" + strategy + "\"");
  }
  if (top.integer_or("reuse_factor", 1) < 1) top.fail("reuse_factor", "must be at least 1");

  FixedType default_type;
  const bool has_default = top.has("default_precision");
  if (has_default) default_type = top.type("default_precision");
  const FixedType* default_ptr = has_default ? &default_type : nullptr;

  std::vector<ArraySpec> inputs;
  const auto& inputs_json = top.raw("inputs");
  if (!inputs_json.is_array() || inputs_json.empty()) top.fail("inputs", "expected a non-empty list of {name, size, type}");
  for (std::size_t i = 0; i < inputs_json.size(); ++i) {
    JsonFields in(inputs_json[i], source + ": inputs[" + std::to_string(i) + "]", default_ptr);
    ArraySpec spec;
    spec.name = in.string("name");
    const long size = in.integer("size");
    if (size < 1) in.fail("size", "must be at least 1");
    spec.size = static_cast<std::size_t>(size);
    spec.type = in.type("type");
    in.reject_unknown_keys();
    inputs.push_back(spec);
  }
  Model model(project, flavor, inputs);

  const auto& layers_json = top.raw("layers");
  if (!layers_json.is_array() || layers_json.empty()) top.fail("layers", "expected a non-empty list of layers");
  for (std::size_t l = 0; l < layers_json.size(); ++l) {
    const auto& lj = layers_json[l];
    std::string label = source + ": layers[" + std::to_string(l) + "]";
    if (lj.is_object() && lj.contains("name") && lj["name"].is_string()) label += " '" + lj["name"].get<std::string>() + "'";
    if (lj.is_object() && lj.contains("class") && lj["class"].is_string()) label += " (" + lj["class"].get<std::string>() + ")";
    JsonFields f(lj, label, default_ptr);
    f.ignore({"comment", "reuse_factor", "strategy"});
    LayerContext context{f, model, flavor, f.string("name"), {}};
    const std::string cls = f.string("class");
    const auto parser = layer_parsers().find(cls);
    if (parser == layer_parsers().end()) f.fail("class", "unknown layer class '" + cls + "' (known: " + known_classes() + ")");
    if (f.has("input") == f.has("inputs")) f.fail("a layer names its arrays with exactly one of 'input' or 'inputs'");
    const std::vector<std::string> input_names = f.has("input") ? std::vector<std::string>{f.string("input")} : f.strings("inputs");
    for (const auto& name : input_names) {
      const int index = model.find_array(name);
      if (index < 0) f.fail(f.has("input") ? "input" : "inputs", "'" + name + "' is neither a model input nor an earlier layer");
      context.inputs.push_back(model.array_spec(static_cast<std::size_t>(index)));
    }
    auto layer = parser->second(context);
    f.reject_unknown_keys();
    try {
      model.add_layer(std::move(layer));
    } catch (const ModelError& e) {
      f.fail(e.what());
    }
  }

  const auto outputs = top.strings("outputs");
  try {
    model.set_outputs(outputs);
  } catch (const ModelError& e) {
    top.fail("outputs", e.what());
  }
  top.reject_unknown_keys();
  return model;
}

Model load_model_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(path.string() + ": cannot open the model file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw ModelError(path.string() + ": the model file is empty");
  return parse_model_json(text, path.string());
}

}  // namespace l1emu::emu

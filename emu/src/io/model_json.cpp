#include "l1emu/emu/io/model_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hls_synthesis_record.h"
#include "json_fields.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/nn/layer_catalogue.h"

namespace l1emu::emu {
namespace {

using detail::JsonFields;

// A shape key: a non-empty list of positive sizes whose product is `size`.
std::vector<std::size_t> read_shape(JsonFields& f, std::size_t size) {
  std::vector<std::size_t> shape;
  std::size_t product = 1;
  for (long d : f.integers("shape")) {
    if (d < 1 || d > (1L << 24)) f.fail("shape", "every dimension must be at least 1, found " + std::to_string(d));
    shape.push_back(static_cast<std::size_t>(d));
    product *= static_cast<std::size_t>(d);
  }
  if (product != size) f.fail("shape", "holds " + std::to_string(product) + " values, the array has " + std::to_string(size));
  return shape;
}

}  // namespace

Model parse_model_json(std::string_view text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // parse_error for the syntax, and out_of_range (406) for a number beyond double's range, such
    // as 1e875: both are the file's fault.
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
  // io_stream computes what io_parallel computes for every layer reproduced here (the stream
  // templates hand the same windows to the same kernels; shared/golden/hls4ml2/README.md).
  if (const auto io = top.string_or("io_type", "io_parallel"); io != "io_parallel" && io != "io_stream") {
    top.fail("io_type", "expected \"io_parallel\" or \"io_stream\", found \"" + io + "\"");
  }
  // The model-wide strategy is hls4ml's default for layers that set none; layers state their own.
  if (const auto strategy = top.string_or("strategy", "latency");
      strategy != "latency" && strategy != "Latency" && strategy != "resource" && strategy != "Resource") {
    top.fail("strategy", "expected \"latency\" or \"resource\", found \"" + strategy + "\"");
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
    if (in.has("shape")) spec.shape = read_shape(in, spec.size);
    if (in.has("c_type")) {
      // A scalar C int port of the top function (InputReading::CInt): its codes are ap_int<32>'s.
      if (in.string("c_type") != "int") in.fail("c_type", "expected \"int\" (a scalar C int port of the top function)");
      if (spec.type != FixedType::parse("ap_int<32>")) in.fail("c_type", "a C int port has type ap_int<32>, not " + spec.type.to_string());
      spec.reading = InputReading::CInt;
    }
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
    f.ignore({"comment"});
    LayerBuildContext context{f, f.string("name"), {}, flavor};
    const std::string cls = f.string("class");
    const auto parser = layer_catalogue().find(cls);
    if (parser == layer_catalogue().end()) f.fail("class", "unknown layer class '" + cls + "' (known: " + known_layer_classes() + ")");
    if (f.has("input") == f.has("inputs")) f.fail("a layer names its arrays with exactly one of 'input' or 'inputs'");
    const std::vector<std::string> input_names = f.has("input") ? std::vector<std::string>{f.string("input")} : f.strings("inputs");
    for (const auto& name : input_names) {
      const int index = model.find_array(name);
      if (index < 0) f.fail(f.has("input") ? "input" : "inputs", "'" + name + "' is neither a model input nor an earlier layer");
      context.inputs.push_back(model.array_spec(static_cast<std::size_t>(index)));
    }
    auto layer = parser->second(context);
    if (f.has("shape")) layer->set_shape(read_shape(f, layer->output_size()));
    f.ignore({"strategy", "reuse_factor"});  // layers whose arithmetic they do not change
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
  // Which HLS tool built the project: no arithmetic depends on it (the estimate reads it with
  // read_hls_synthesis_of_model_json), but a malformed record is an error here too.
  if (top.has("hls_synthesis")) (void)detail::parse_hls_synthesis_record(top.raw("hls_synthesis"), source);
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

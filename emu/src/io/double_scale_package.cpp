#include "l1emu/emu/io/double_scale_package.h"

#include "cpp_file_set.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_network.h"
#include "l1emu/emu/nn/layers/double_scale.h"

namespace l1emu::emu {
namespace {

namespace fs = std::filesystem;
using Tokens = std::vector<SourceToken>;

// The wrapper .cpp files beside NN/ that define _scaleNNInputs in doubles.
std::vector<fs::path> wrappers(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& [file, text] : detail::cpp_files_with_text(dir)) {
    if (text.find("_scaleNNInputs") != std::string::npos && text.find("double") != std::string::npos &&
        text.find("static_cast") != std::string::npos) {
      out.push_back(file);
    }
  }
  return out;
}

// The integers of an initialised array.
std::vector<long> integers_of(const CppDeclarations& decls, const std::string& name, std::size_t count, const std::string& where) {
  const auto it = decls.arrays().find(name);
  if (it == decls.arrays().end() || !it->second.initializer) throw ModelError(where + ": no initialised array '" + name + "'");
  std::vector<long> out;
  Tokens value;
  const auto flush = [&] {
    if (value.empty()) return;
    out.push_back(decls.evaluate_integer(value, it->second.initializer->where()));
    value.clear();
  };
  for (const auto& t : it->second.initializer->tokens) {
    if (t.is("{") || t.is("}")) continue;
    if (t.is(",")) {
      flush();
      continue;
    }
    value.push_back(t);
  }
  flush();
  if (out.size() != count) {
    throw ModelError(it->second.initializer->where() + ": '" + name + "' has " + std::to_string(out.size()) + " values, the network reads " +
                     std::to_string(count));
  }
  return out;
}

}  // namespace

bool is_double_scale_package(const fs::path& dir) { return fs::is_regular_file(dir / "NN" / "parameters.h") && !wrappers(dir).empty(); }

Model import_double_scale_package(const fs::path& dir, std::optional<Flavor> flavor, std::vector<std::string>* notes) {
  const auto found = wrappers(dir);
  if (found.size() != 1) throw ModelError(dir.string() + ": expected one emulator wrapper with _scaleNNInputs, found " + std::to_string(found.size()));
  detail::CppFileSet files;
  files.add_directory(dir / "NN");
  files.add_directory(dir / "NN" / "weights");
  if (const fs::path code_gen = dir / "NN" / "nnet_utils" / "nnet_code_gen.h"; fs::is_regular_file(code_gen)) files.add_file(code_gen);
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".h") files.add_file(e.path());  // the scaling arrays
  }
  files.add_file(found[0]);
  const CppDeclarations& decls = files.declarations();

  Hls4mlNetwork::Options options;
  options.weights_dir = dir / "NN" / "weights";
  options.nnet_utils_dir = dir / "NN" / "nnet_utils";
  options.requested_flavor = flavor;
  const Hls4mlNetwork network(decls, options);
  if (network.inputs().size() != 1) throw ModelError(dir.string() + ": the network " + network.top_name() + " has more than one input array");
  const ArraySpec net_in = network.inputs()[0];

  // _scaleNNInputs(unscaled_t unscaled[N], input_t scaled[N]) { ... double tmp0 = unscaled[i] - A[i];
  // double tmp1 = tmp0 / B[i]; scaled[i] = static_cast<T>(tmp1); }
  const FunctionDefinition* scale = nullptr;
  for (const auto& f : decls.functions()) {
    if (f.name == "_scaleNNInputs") scale = &f;
  }
  if (scale == nullptr) throw ModelError(found[0].string() + ": no _scaleNNInputs definition read");
  const std::string where = scale->source->location(scale->line);
  const Tokens b = strip_qualifiers(scale->body);
  std::string bias, norm, tmp0, tmp1;
  Tokens cast_type;
  for (std::size_t k = 0; k + 4 < b.size(); ++k) {
    if (k + 9 < b.size() && b[k].is("double") && b[k + 2].is("=") && b[k + 4].is("[") && b[k + 6].is("]") && b[k + 7].is("-") && b[k + 9].is("[")) {
      tmp0 = b[k + 1].text;
      bias = b[k + 8].text;
    }
    if (k + 6 < b.size() && b[k].is("double") && b[k + 2].is("=") && !tmp0.empty() && b[k + 3].is(tmp0) && b[k + 4].is("/") && b[k + 6].is("[")) {
      tmp1 = b[k + 1].text;
      norm = b[k + 5].text;
    }
    if (b[k].is("static_cast") && b[k + 1].is("<")) {
      std::size_t close = k + 2;
      while (close < b.size() && !b[close].is(">")) ++close;
      if (close + 3 < b.size() && b[close + 1].is("(") && b[close + 2].is(tmp1) && b[close + 3].is(")")) {
        cast_type = Tokens(b.begin() + static_cast<std::ptrdiff_t>(k + 2), b.begin() + static_cast<std::ptrdiff_t>(close));
      }
    }
  }
  if (bias.empty() || norm.empty() || cast_type.empty()) {
    throw ModelError(where + ": _scaleNNInputs is not `double tmp0 = x[i] - bias[i]; double tmp1 = tmp0 / norm[i]; "
                             "scaled[i] = static_cast<input_t>(tmp1);`, the form l1emu reads");
  }
  if (const FixedType t = decls.resolve_type(cast_type, where); t != net_in.type) {
    throw ModelError(where + ": _scaleNNInputs converts to " + t.to_string() + ", the network reads " + net_in.type.to_string());
  }
  // The unscaled input's type: the function's first parameter.
  Tokens first;
  for (const auto& t : scale->parameters) {
    if (t.is(",")) break;
    first.push_back(t);
  }
  std::size_t bracket = 0;
  while (bracket < first.size() && !first[bracket].is("[")) ++bracket;
  if (bracket < 2) throw ModelError(where + ": cannot read the type of _scaleNNInputs' first parameter");
  const FixedType unscaled_t = decls.resolve_type(Tokens(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(bracket - 1)), where);

  DoubleScale::Config cfg;
  cfg.offsets = integers_of(decls, bias, net_in.size, where);
  cfg.divisors = integers_of(decls, norm, net_in.size, where);
  cfg.result_t = net_in.type;
  Model model(network.top_name(), network.flavor(), {ArraySpec{"unscaled_input", net_in.size, unscaled_t}});
  model.add_layer(std::make_unique<DoubleScale>("input_scale", model.inputs()[0], std::move(cfg)));
  const std::vector<std::string> outputs = network.add_layers(model, {{net_in.name, "input_scale"}});
  model.set_outputs(outputs);
  if (notes != nullptr) {
    notes->insert(notes->end(), network.notes().begin(), network.notes().end());
    notes->push_back("input scaling in doubles from " + where + ": static_cast<" + net_in.type.to_string() + ">((x - " + bias + "[i]) / " + norm +
                     "[i]); outputs as the wrapper's read_result copies them");
  }
  return model;
}

}  // namespace l1emu::emu

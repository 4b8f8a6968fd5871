#include "l1emu/emu/io/axol1tl_package.h"

#include <cmath>

#include "cpp_file_set.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/hls4ml_network.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"

namespace l1emu::emu {
namespace {

namespace fs = std::filesystem;
using Tokens = std::vector<SourceToken>;

bool contains_name(const Tokens& t, const std::string& name) {
  for (const auto& tok : t) {
    if (tok.is_identifier() && tok.text == name) return true;
  }
  return false;
}

// The initialised array of scales.h whose name contains `word` ("shift", "offset").
const ArrayDeclaration& scales_array(const CppDeclarations& decls, const CppSource& scales, const std::string& word) {
  const ArrayDeclaration* found = nullptr;
  for (const auto& [name, a] : decls.arrays()) {
    if (a.initializer && a.initializer->source == &scales && name.find(word) != std::string::npos) {
      if (found != nullptr) throw ModelError(scales.file() + ": two arrays of " + word + "s: '" + found->name + "' and '" + name + "'");
      found = &a;
    }
  }
  if (found == nullptr) throw ModelError(scales.file() + ": no initialised array of input " + word + "s (a name containing '" + word + "')");
  return *found;
}

// The type of the variable declared by the statement of `body` that uses `name`
// (`unscaled_t tmp0 = x[i] - ad_offsets[i];` gives unscaled_t), if that statement declares one.
std::optional<Tokens> declared_type_using(const Tokens& body, const std::string& name) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i].is(";") || body[i].is("{") || body[i].is("}")) {
      start = i + 1;
      continue;
    }
    if (!(body[i].is_identifier() && body[i].text == name)) continue;
    std::size_t eq = start;
    while (eq < i && !body[eq].is("=")) ++eq;
    if (eq < i && eq >= start + 2 && body[eq - 1].is_identifier()) {
      Tokens type(body.begin() + static_cast<std::ptrdiff_t>(start), body.begin() + static_cast<std::ptrdiff_t>(eq - 1));
      if (!type.empty() && !type.back().is("]")) return type;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// AXOL1TL v5 and later: `resultsq_t loss; loss = result_p[0]; return loss;` (or `T loss = result_p[0];`):
// the network's one output, assigned to the score type.
Model import_score_copy(const fs::path& dir, const FunctionDefinition& copy, const CppDeclarations& decls, const Hls4mlNetwork& network,
                        InputScale::Config scale, const CppSource& scales, const FunctionDefinition& scaling, std::vector<std::string>* notes) {
  const std::string where = copy.source->location(copy.line);
  const Tokens& b = copy.body;
  std::string variable;
  for (std::size_t i = 0; i + 1 < b.size() && variable.empty(); ++i) {
    if (b[i].is("return") && b[i + 1].is_identifier()) variable = b[i + 1].text;
  }
  // Its type: `T loss;` or `T loss = ...;`.
  std::optional<Tokens> type = variable.empty() ? std::nullopt : declared_type_using(b, variable);
  for (std::size_t i = 0, start = 0; !type && !variable.empty() && i < b.size(); ++i) {
    if (b[i].is("{") || b[i].is("}")) start = i + 1;
    if (!b[i].is(";")) continue;
    if (i >= start + 2 && b[i - 1].is(variable)) type = Tokens(b.begin() + static_cast<std::ptrdiff_t>(start), b.begin() + static_cast<std::ptrdiff_t>(i - 1));
    start = i + 1;
  }
  // The one statement that assigns the variable must be `variable = <param> [ 0 ]`.
  bool copies_first = false;
  for (std::size_t i = 0; i + 5 < b.size(); ++i) {
    if (b[i].is(variable) && b[i + 1].is("=") && b[i + 2].is_identifier() && b[i + 3].is("[") && b[i + 4].is("0") && b[i + 5].is("]")) copies_first = true;
  }
  if (!type || !copies_first) {
    throw ModelError(where + ": " + copy.name + " neither reduces squares with nnet::Op_add nor returns a copy of the network's output[0]");
  }
  const FixedType score_t = decls.resolve_type(*type, where);
  const ArraySpec net_in = network.inputs()[0];
  const std::size_t n = net_in.size;
  Model model(network.top_name(), network.flavor(), {ArraySpec{"unscaled_input", n, scale.unscaled_t}});
  model.add_layer(std::make_unique<InputScale>("input_scale", model.inputs()[0], std::move(scale)));
  std::vector<std::string> outputs = network.add_layers(model, {{net_in.name, "input_scale"}});
  if (outputs.size() != 1) throw ModelError(dir.string() + ": the network must have one output array for the score, found " + std::to_string(outputs.size()));
  const ArraySpec out = model.array_spec(static_cast<std::size_t>(model.find_array(outputs[0])));
  if (out.size != 1) throw ModelError(where + ": " + copy.name + " copies output[0] of '" + out.name + "', which has " + std::to_string(out.size) + " values");
  model.add_layer(std::make_unique<Linear>("score", out, score_t));
  outputs.push_back("score");
  model.set_outputs(outputs);
  if (notes != nullptr) {
    notes->insert(notes->end(), network.notes().begin(), network.notes().end());
    notes->push_back("input scaling from " + scales.file() + " and " + scaling.source->file() + "; score = the network's output '" + out.name +
                     "' assigned to " + score_t.to_string() + " (" + copy.name + ", " + where + ")");
  }
  return model;
}

}  // namespace

bool is_axol1tl_package(const fs::path& dir) { return fs::is_regular_file(dir / "scales.h") && fs::is_directory(dir / "NN"); }

Model import_axol1tl_package(const fs::path& dir, std::optional<Flavor> flavor, std::vector<std::string>* notes) {
  if (!fs::is_directory(dir)) throw ModelError(dir.string() + ": not a directory");
  if (!fs::is_regular_file(dir / "scales.h")) throw ModelError(dir.string() + ": not an AXOL1TL package (no scales.h)");
  if (!fs::is_directory(dir / "NN")) throw ModelError(dir.string() + ": not an AXOL1TL package (no NN/ folder)");

  detail::CppFileSet files;
  files.add_directory(dir / "NN");
  files.add_directory(dir / "NN" / "weights");
  // v6's dense_da_N functions (da4ml) live in the one nnet_utils file hls4ml writes per project.
  if (const fs::path code_gen = dir / "NN" / "nnet_utils" / "nnet_code_gen.h"; fs::is_regular_file(code_gen)) files.add_file(code_gen);
  files.add_directory(dir);  // scales.h and the emulator wrapper
  const CppDeclarations& decls = files.declarations();
  const CppSource* scales = nullptr;
  for (const auto& s : files.sources()) {
    if (fs::path(s->file()) == dir / "scales.h") scales = s.get();
  }
  if (scales == nullptr) throw ModelError((dir / "scales.h").string() + ": not read");

  Hls4mlNetwork::Options options;
  options.weights_dir = dir / "NN" / "weights";
  options.nnet_utils_dir = dir / "NN" / "nnet_utils";
  options.requested_flavor = flavor;
  const Hls4mlNetwork network(decls, options);
  if (network.inputs().size() != 1) {
    throw ModelError(dir.string() + ": the network " + network.top_name() + " has " + std::to_string(network.inputs().size()) +
                     " input arrays; an AXOL1TL package has one");
  }
  const ArraySpec net_in = network.inputs()[0];
  const std::size_t n = net_in.size;

  // _scaleNNInputs: offsets and shifts from scales.h, typed by their declarations.
  const ArrayDeclaration& shifts = scales_array(decls, *scales, "shift");
  const ArrayDeclaration& offsets = scales_array(decls, *scales, "offset");
  InputScale::Config scale;
  scale.offset_t = decls.resolve_type(offsets.type);
  scale.shift_t = decls.resolve_type(shifts.type);
  scale.result_t = net_in.type;
  const auto values = [&](const ArrayDeclaration& a, const FixedType& type) {
    std::vector<BigInt> codes;
    const Tokens& t = a.initializer->tokens;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i].is(",") || t[i].is("{") || t[i].is("}")) continue;
      bool negative = false;
      while (i < t.size() && (t[i].is("-") || t[i].is("+"))) negative ^= t[i++].is("-");
      if (i >= t.size() || t[i].kind != SourceToken::Kind::Number) {
        throw ModelError(a.initializer->source->location(t[std::min(i, t.size() - 1)].line) + ": unexpected '" + t[std::min(i, t.size() - 1)].text +
                         "' in the initializer of '" + a.name + "' (expected numbers)");
      }
      std::string s = t[i].text;
      if (s.back() == 'f' || s.back() == 'F') s.pop_back();
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size()) throw ModelError(a.initializer->source->location(t[i].line) + ": '" + t[i].text + "' is not a number");
      if (!std::isfinite(v)) throw ModelError(a.initializer->source->location(t[i].line) + ": '" + t[i].text + "' is not a finite number");
      codes.push_back(from_double(negative ? -v : v, type));
    }
    if (codes.size() != n) {
      throw ModelError(a.type.where() + ": the initializer of '" + a.name + "' has " + std::to_string(codes.size()) + " values, expected " +
                       std::to_string(n) + " (the network input size)" + (codes.size() < n ? ": truncated" : ""));
    }
    return codes;
  };
  scale.offsets = values(offsets, scale.offset_t);
  for (const BigInt& code : values(shifts, scale.shift_t)) {
    // The shift amount is the integer part of the shift_t value (ap_fixed to_int, toward zero).
    const int frac = scale.shift_t.fractional_bits();
    BigInt whole = frac <= 0 ? BigInt(code << static_cast<unsigned>(-frac)) : BigInt(abs(code) >> static_cast<unsigned>(frac));
    if (frac > 0 && code < 0) whole = -whole;
    if (whole > 1024 || whole < -1024) throw ModelError(shifts.initializer->where() + ": shift amount out of range: " + whole.str());
    scale.shifts.push_back(whole.convert_to<int>());
  }

  // The wrapper: the function that uses both arrays scales the inputs; the one that reduces with
  // Op_add computes the score (v1-v4); from v5 the network computes the score itself and
  // _computeLoss only copies its one value into the score type.
  const FunctionDefinition* scaling = nullptr;
  const FunctionDefinition* loss = nullptr;
  const FunctionDefinition* copy_loss = nullptr;
  for (const auto& f : decls.functions()) {
    if (contains_name(f.body, offsets.name) && contains_name(f.body, shifts.name)) scaling = &f;
    if (contains_name(f.body, "reduce") && contains_name(f.body, "Op_add")) loss = &f;
    if (f.name == "_computeLoss" && !contains_name(f.body, "reduce")) copy_loss = &f;
  }
  std::string wrapper_note;
  if (scaling != nullptr) {
    const auto tmp0 = declared_type_using(scaling->body, offsets.name);
    if (tmp0) {
      scale.unscaled_t = decls.resolve_type(*tmp0, scaling->source->location(scaling->line));
    } else if (decls.type_aliases().contains("unscaled_t")) {
      scale.unscaled_t = decls.resolve_type(decls.type_aliases().at("unscaled_t"));
    } else {
      throw ModelError(scaling->source->location(scaling->line) + ": cannot tell the type of (input - offset) in " + scaling->name);
    }
    if (const auto tmp1 = declared_type_using(scaling->body, shifts.name)) {
      const FixedType shifted = decls.resolve_type(*tmp1, scaling->source->location(scaling->line));
      if (shifted != net_in.type) {
        throw ModelError(scaling->source->location(scaling->line) + ": the shifted value is assigned to " + shifted.to_string() +
                         ", not to the network input type " + net_in.type.to_string() + " (a second rounding l1emu does not model)");
      }
    }
  } else {
    throw ModelError(dir.string() + ": no emulator wrapper function uses both '" + offsets.name + "' and '" + shifts.name +
                     "' (the input scaling of GTADModel_emulator_vN.cpp)");
  }
  if (loss == nullptr && copy_loss != nullptr) return import_score_copy(dir, *copy_loss, decls, network, std::move(scale), *scales, *scaling, notes);
  if (loss == nullptr) {
    throw ModelError(dir.string() + ": no score computation found: expected a wrapper function with nnet::reduce and nnet::Op_add "
                     "(the sum of squares of AXOL1TL v1-v4) or a _computeLoss that copies the network's output (v5 and later)");
  }
  std::optional<FixedType> score_t;
  for (std::size_t i = 0; i + 3 < loss->body.size(); ++i) {
    if (loss->body[i].is("Op_add") && loss->body[i + 1].is("<")) {
      std::size_t close = i + 2;
      while (close < loss->body.size() && !loss->body[close].is(">")) ++close;
      score_t = decls.resolve_type(Tokens(loss->body.begin() + static_cast<std::ptrdiff_t>(i + 2), loss->body.begin() + static_cast<std::ptrdiff_t>(close)),
                                   loss->source->location(loss->body[i].line));
      break;
    }
  }
  if (!score_t) throw ModelError(loss->source->location(loss->line) + ": cannot read the type of nnet::Op_add<...> in " + loss->name);

  Model model(network.top_name(), network.flavor(), {ArraySpec{"unscaled_input", n, scale.unscaled_t}});
  model.add_layer(std::make_unique<InputScale>("input_scale", model.inputs()[0], std::move(scale)));
  std::vector<std::string> outputs = network.add_layers(model, {{net_in.name, "input_scale"}});
  if (outputs.size() != 1) throw ModelError(dir.string() + ": the network must have one output array for the score, found " + std::to_string(outputs.size()));
  const int out_index = model.find_array(outputs[0]);
  model.add_layer(std::make_unique<SumSquares>("score", model.array_spec(static_cast<std::size_t>(out_index)), *score_t));
  outputs.push_back("score");
  model.set_outputs(outputs);
  if (notes != nullptr) {
    notes->insert(notes->end(), network.notes().begin(), network.notes().end());
    notes->push_back("input scaling from " + scales->file() + " ('" + offsets.name + "', '" + shifts.name + "') and " + scaling->source->file() +
                     "; score = sum of squares (" + loss->name + ")");
  }
  return model;
}

}  // namespace l1emu::emu

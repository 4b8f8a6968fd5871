#include "l1emu/emu/io/hls4ml_network.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "hls4ml_config_reader.h"
#include "hls4ml_layer_calls.h"
#include "da4ml_adder_graph.h"
#include "hgq_quantizer_function.h"
#include "hls4ml_stream_calls.h"
#include "legacy_nnet_calls.h"
#include "scalar_port_prelude.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/nn/layer_catalogue.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/layers/activations.h"
#include "l1emu/emu/nn/layers/axol1tl_layers.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/layers/bit_shift.h"
#include "l1emu/emu/nn/layers/dense.h"
#include "l1emu/emu/nn/layers/fixed_point_quantizer.h"
#include "l1emu/emu/nn/layers/kl_loss.h"
#include "l1emu/emu/nn/layers/pack.h"
#include "l1emu/emu/nn/layers/reshape.h"
#include "l1emu/emu/nn/layers/resizing.h"
#include "l1emu/text/excerpt.h"
#include "nnet_utils_semantics.h"

namespace l1emu::emu {
namespace {

using Tokens = std::vector<SourceToken>;
namespace fs = std::filesystem;

// Where each supported call keeps its arrays (hls4ml's nnet_utils signatures).
struct CallShape {
  std::vector<std::size_t> inputs;
  std::size_t output;
  std::vector<std::size_t> parameters;  // weight/bias/scale arrays
};

const std::map<std::string, CallShape>& layer_calls() {
  static const std::map<std::string, CallShape> calls = [] {
    std::map<std::string, CallShape> m{
        {"dense", {{0}, 1, {2, 3}}},   {"dense_latency", {{0}, 1, {2, 3}}}, {"normalize", {{0}, 1, {2, 3}}},
        {"relu", {{0}, 1, {}}},        {"linear", {{0}, 1, {}}},            {"leaky_relu", {{0}, 2, {}}},
        {"klloss", {{0, 1}, 2, {}}},   {"subtract", {{0, 1}, 2, {}}},       {"dot1d", {{0, 1}, 2, {}}},
        {"dense_da", {{0}, 1, {}}},  // da4ml: dense_da_N<in_t, out_t>(in, out), no config struct
        {"hgq_quantizer", {{0}, 1, {}}},  // HGQ: NAME<in_t, out_t>(in, out), NAME written into nnet_code_gen.h
        {"stream_copy_convert", {{0}, 1, {}}},  // a clone_stream / repack_stream output whose element type differs
    };
    // The calls that build catalogue layers from their config structs (hls4ml_layer_calls.cpp).
    for (const auto& [name, call] : detail::catalogue_calls()) {
      CallShape shape{call.inputs, call.output, {}};
      for (const auto& [key, index] : call.arrays) shape.parameters.push_back(index);
      std::sort(shape.parameters.begin(), shape.parameters.end());
      m.emplace(name, shape);
    }
    return m;
  }();
  return calls;
}

// Calls that do not compute anything the model needs.
const std::set<std::string>& ignored_calls() {
  static const std::set<std::string> calls{"load_weights_from_txt", "save_layer_output", "print_result"};
  return calls;
}

std::string supported_list() {
  std::string out;
  for (const auto& [name, shape] : layer_calls()) {
    if (name == "dense_da" || name == "hgq_quantizer") continue;  // not nnet:: calls: said below
    out += (out.empty() ? "" : ", ") + name;
  }
  return out + "; and the functions hls4ml generates into nnet_code_gen.h: da4ml's dense_da_N, HGQ's per-element quantizers";
}

std::string text_of(const Tokens& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() || t.kind != SourceToken::Kind::Identifier ? "" : " ") + t.text;
  return out;
}

// Splits tokens[begin, end) at top-level commas (nesting of () [] {} <>).
std::vector<Tokens> split_commas(const Tokens& t, std::size_t begin, std::size_t end, bool angles) {
  std::vector<Tokens> out;
  Tokens current;
  int depth = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const auto& tok = t[i];
    if (tok.is("(") || tok.is("[") || tok.is("{") || (angles && tok.is("<"))) ++depth;
    if (tok.is(")") || tok.is("]") || tok.is("}") || (angles && tok.is(">"))) --depth;
    if (depth == 0 && tok.is(",")) {
      out.push_back(current);
      current.clear();
    } else {
      current.push_back(tok);
    }
  }
  if (!current.empty() || !out.empty()) out.push_back(current);
  return out;
}

std::size_t closing(const Tokens& t, std::size_t open, const char* o, const char* c) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i].is(o)) ++depth;
    if (t[i].is(c) && --depth == 0) return i;
  }
  return std::string::npos;
}

// A single (possibly qualified) identifier, or "".
std::string single_name(const Tokens& tokens) {
  const Tokens plain = strip_qualifiers(tokens);
  return plain.size() == 1 && plain[0].is_identifier() ? plain[0].text : std::string();
}

bool is_identifier_text(const std::string& s) { return std::regex_match(s, std::regex("[A-Za-z_][A-Za-z0-9_]*")); }

// A C numeric literal as the compiler reads it, then assigned to `type` (ap_fixed's constructors
// from float, double and integers). Returns false when the text is not a literal.
bool literal_code(const std::string& text, bool negative, const FixedType& type, BigInt& code) {
  std::string s = text;
  const bool hex = s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const bool floating = hex ? s.find_first_of("pP.") != std::string::npos : s.find_first_of(".eE") != std::string::npos;
  if (floating) {
    const bool is_float = !hex && (s.back() == 'f' || s.back() == 'F');
    if (s.back() == 'f' || s.back() == 'F' || s.back() == 'l' || s.back() == 'L') s.pop_back();
    char* end = nullptr;
    // A literal beyond the type's range (1e999, 1e39f) is an infinity, which no compiler accepts
    // silently and no trained weight is: not a literal here.
    if (is_float) {
      const float v = std::strtof(s.c_str(), &end);
      if (end != s.c_str() + s.size() || !std::isfinite(v)) return false;
      code = from_float(negative ? -v : v, type);
    } else {
      const double v = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || !std::isfinite(v)) return false;
      code = from_double(negative ? -v : v, type);
    }
    return true;
  }
  while (!s.empty() && (s.back() == 'u' || s.back() == 'U' || s.back() == 'l' || s.back() == 'L')) s.pop_back();
  try {
    std::size_t used = 0;
    const long long v = std::stoll(s, &used, 0);
    if (used != s.size()) return false;
    // An integer converts exactly: its value is the exact value assigned.
    code = convert(ExactValue{BigInt(negative ? -v : v), 0}, type);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// No function calls nnet:: at all (a project whose top function lost its calls or its braces):
// the message names the files read and the function expected, so that the user knows which file
// to look at (every error names the file: DESIGN.md, command line).
[[noreturn]] void throw_no_top_function(const CppDeclarations& declarations, const std::string& expected) {
  for (const auto& f : declarations.functions()) {
    if (!expected.empty() && f.name == expected) {
      throw ModelError(f.source->location(f.line) + ": the top function " + expected +
                       " makes no nnet:: layer call (supported: " + supported_list() + ")");
    }
  }
  // The files read, but for the weight files hls4ml writes to firmware/weights/ (they hold arrays,
  // never the top function), which would fill the message.
  std::vector<std::string> files;
  for (const auto& file : declarations.files()) {
    if (fs::path(file).parent_path().filename() != "weights") files.push_back(file);
  }
  if (files.empty()) files = declarations.files();
  std::string list;
  constexpr std::size_t shown = 6;
  for (std::size_t i = 0; i < files.size() && i < shown; ++i) list += (i == 0 ? "" : ", ") + files[i];
  if (files.size() > shown) list += " and " + std::to_string(files.size() - shown) + " more";
  if (files.empty()) list = "(no C++ file read)";
  const std::string what = expected.empty() ? "a top function" : "the top function " + expected + " (ProjectName of hls4ml_config.yml)";
  throw ModelError(list + ": no top function found: " + std::to_string(declarations.functions().size()) +
                   " function definition(s) read, none makes an nnet:: layer call; expected " + what +
                   " calling the layers (supported: " + supported_list() + ")");
}

}  // namespace

std::string Hls4mlNetwork::where(std::size_t line) const { return top_->source->location(line); }

Hls4mlNetwork::Hls4mlNetwork(const CppDeclarations& declarations, Options options)
    : declarations_(declarations), options_(std::move(options)) {
  // The top function: the one with the most nnet:: layer calls (the wrapper of an AXOL1TL package
  // also calls nnet::reduce, but no layer).
  // HGQ quantizers hls4ml wrote into nnet_code_gen.h, called as `Namespace::NAME<...>(...)`.
  std::set<std::string> quantizers;
  for (const auto& f : declarations_.functions()) {
    if (detail::is_quantizer_function(f)) quantizers.insert(f.name);
  }
  std::size_t best_count = 0;
  for (const auto& f : declarations_.functions()) {
    std::size_t count = 0;
    for (std::size_t i = 0; i + 2 < f.body.size(); ++i) {
      if (f.body[i].is("nnet") && f.body[i + 1].is("::") && layer_calls().contains(f.body[i + 2].text)) ++count;
      if (f.body[i].is_identifier() && f.body[i + 1].is("::") && quantizers.contains(f.body[i + 2].text)) ++count;
    }
    const bool better = count > best_count || (count > 0 && count == best_count && f.name == options_.preferred_top);
    if (better) {
      best_count = count;
      top_ = &f;
    }
  }
  if (top_ == nullptr) {
    // Say what the likeliest top function calls instead (the one with the most nnet:: calls).
    const FunctionDefinition* candidate = nullptr;
    std::vector<std::string> candidate_calls;
    for (const auto& f : declarations_.functions()) {
      std::vector<std::string> found;
      for (std::size_t i = 0; i + 2 < f.body.size(); ++i) {
        if (f.body[i].is("nnet") && f.body[i + 1].is("::") && f.body[i + 2].is_identifier() && i + 3 < f.body.size() &&
            (f.body[i + 3].is("<") || f.body[i + 3].is("(")) && !ignored_calls().contains(f.body[i + 2].text)) {
          found.push_back("nnet::" + f.body[i + 2].text + " (line " + std::to_string(f.body[i + 2].line) + ")");
        }
      }
      if (found.size() > candidate_calls.size()) {
        candidate = &f;
        candidate_calls = std::move(found);
      }
    }
    if (candidate == nullptr) throw_no_top_function(declarations_, options_.preferred_top);
    std::string list;
    for (const auto& c : candidate_calls) list += (list.empty() ? "" : ", ") + c;
    throw ModelError(candidate->source->location(candidate->line) + ": top function " + candidate->name +
                     " makes only unsupported calls: " + list + " (supported: " + supported_list() + ")");
  }

  // Parameters: arrays only; outputs are those some call writes.
  struct Param {
    std::string name;
    Tokens type;
    std::vector<Tokens> dims;
    std::size_t line;
    bool stream = false;  // hls::stream<T>& (io_stream): sized by the call that reads it
    bool scalar = false;  // passed by value without dimensions: an input when the prelude reads it
  };
  std::vector<Param> params;
  std::vector<detail::ScalarParameter> scalars;
  for (const Tokens& p : split_commas(top_->parameters, 0, top_->parameters.size(), true)) {
    if (const auto s = detail::stream_parameter(p)) {
      params.push_back(Param{s->name, s->type, {}, p.front().line, true});
      continue;
    }
    std::size_t bracket = 0;
    while (bracket < p.size() && !p[bracket].is("[")) ++bracket;
    if (bracket == p.size() && p.size() >= 2 && p.back().is_identifier() &&
        std::none_of(p.begin(), p.end(), [](const SourceToken& t) { return t.is("&") || t.is("*"); })) {
      scalars.push_back(detail::ScalarParameter{p.back().text, Tokens(p.begin(), p.end() - 1), p.back().line});
      params.push_back(Param{p.back().text, scalars.back().type, {}, p.back().line, false, true});
      continue;
    }
    if (bracket == p.size() || bracket == 0 || !p[bracket - 1].is_identifier()) continue;  // a reference or pointer
    Param param{p[bracket - 1].text, Tokens(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(bracket - 1)), {}, p[bracket].line};
    for (std::size_t k = bracket; k < p.size() && p[k].is("[");) {
      const std::size_t close = closing(p, k, "[", "]");
      if (close == std::string::npos) throw ModelError(where(p[k].line) + ": unbalanced '[' in the parameters of " + top_->name);
      param.dims.emplace_back(p.begin() + static_cast<std::ptrdiff_t>(k + 1), p.begin() + static_cast<std::ptrdiff_t>(close));
      k = close + 1;
    }
    params.push_back(std::move(param));
  }

  // The calls, in order. Unsupported calls are collected, so that one message lists them all.
  std::vector<std::string> unsupported;
  std::vector<std::string> legacy_notes;  // one per legacy function, what proves its semantics
  const auto note_once = [&](const std::string& evidence) {
    if (std::find(legacy_notes.begin(), legacy_notes.end(), evidence) == legacy_notes.end()) legacy_notes.push_back(evidence);
  };
  const Tokens& b = top_->body;
  for (std::size_t i = 0; i + 2 < b.size(); ++i) {
    // `auto& layer6_out = layer5_out;`: hls4ml's io_parallel Flatten (and an input Reshape) is a
    // reference to the array it reads, not a call.
    if (b[i].is("auto") && i + 5 < b.size() && b[i + 1].is("&") && b[i + 2].is_identifier() && b[i + 3].is("=") &&
        b[i + 4].is_identifier() && b[i + 5].is(";")) {
      aliases_[b[i + 2].text] = b[i + 4].text;
      i += 5;
      continue;
    }
    // nnet::f<...>(...), or a da4ml function hls4ml wrote into nnet_code_gen.h (any namespace).
    std::size_t name_at = 0;
    if (detail::is_adder_graph_function(b[i].text) && (b[i + 1].is("<") || b[i + 1].is("("))) {
      name_at = i;
    } else if (b[i].is_identifier() && b[i + 1].is("::") && quantizers.contains(b[i + 2].text)) {
      name_at = i + 2;  // the writer's Namespace (nnet unless the project set one)
    } else if (b[i].is("nnet") && b[i + 1].is("::") && b[i + 2].is_identifier()) {
      name_at = i + 2;
    } else {
      continue;
    }
    Call call;
    call.function = b[name_at].text;
    if (detail::is_adder_graph_function(call.function)) {
      call.callee = call.function;
      call.function = "dense_da";
    } else if (quantizers.contains(call.function)) {
      call.callee = call.function;
      call.function = "hgq_quantizer";
    }
    call.line = b[name_at].line;
    std::size_t k = name_at + 1;
    if (k < b.size() && b[k].is("<")) {
      const std::size_t close = closing(b, k, "<", ">");
      if (close == std::string::npos) throw ModelError(where(call.line) + ": unbalanced '<' in the call of nnet::" + call.function);
      call.template_args = split_commas(b, k + 1, close, true);
      k = close + 1;
    }
    if (k >= b.size() || !b[k].is("(")) continue;  // not a call (a type such as nnet::Op_add<T>)
    const std::size_t close = closing(b, k, "(", ")");
    if (close == std::string::npos) throw ModelError(where(call.line) + ": unbalanced '(' in the call of nnet::" + call.function);
    call.args = split_commas(b, k + 1, close, false);
    call.comment = top_->source->trailing_comment(b[close].line);
    i = close;
    if (call.function == "load_weights_from_txt") {
      // The C simulation compiles the call unless an #ifdef/#ifndef around it says otherwise
      // (CMSSW packages guard it with #ifdef LOAD_WEIGHTS_FROM_TXT, which their builds leave undefined;
      // hls4ml with #ifndef __SYNTHESIS__, true in C simulation).
      if (const SourceGuard* g = top_->source->guard(b[name_at]); g != nullptr && g->when_defined != declarations_.is_defined(g->macro)) {
        uncompiled_weight_load_ = where(call.line) + " (#if" + std::string(g->when_defined ? "def " : "ndef ") + g->macro + ", and " +
                                  (g->when_defined ? "no file of the project defines it" : "a file of the project defines it") + ")";
        continue;
      }
      compiled_weight_load_ = true;
      if (call.args.size() == 2 && call.args[1].size() == 1 && call.args[1][0].kind == SourceToken::Kind::String) {
        weight_files_[single_name(call.args[0])] = call.args[1][0].text;
      }
      continue;
    }
    if (ignored_calls().contains(call.function)) continue;
    if (detail::is_legacy_call(call.function)) {
      // hls4ml before 0.5: imported as today's call when the project's nnet_utils prove it.
      try {
        const detail::LegacyCall legacy = detail::legacy_call(call.function, options_.nnet_utils_dir);
        note_once(legacy.evidence);
        call.function = legacy.function;
        call.resource = legacy.resource;
      } catch (const ModelError& e) {
        unsupported.push_back("nnet::" + call.function + " at " + where(call.line) + " (" + e.what() + ")");
        continue;
      }
    }
    if (call.function == "softmax" && !call.template_args.empty()) {
      const auto cfg = declarations_.structs().find(single_name(call.template_args.back()));
      if (cfg != declarations_.structs().end() && !cfg->second.values.contains("implementation")) {
        try {
          const std::string evidence = detail::legacy_softmax_evidence(options_.nnet_utils_dir);
          note_once(evidence);
          call.implementation = "latency";
        } catch (const ModelError& e) {
          unsupported.push_back("nnet::softmax at " + where(call.line) + " (" + cfg->second.name + " has no implementation member, and " + e.what() + ")");
          continue;
        }
      }
    }
    if (detail::is_stream_copy(call.function)) {
      add_stream_copy(call);
      continue;
    }
    const auto shape = layer_calls().find(call.function);
    if (shape == layer_calls().end()) {
      unsupported.push_back("nnet::" + call.function + " at " + where(call.line));
      continue;
    }
    const std::size_t needed = std::max({shape->second.output + 1, shape->second.parameters.empty() ? 0 : shape->second.parameters.back() + 1});
    if (call.args.size() != needed) {
      throw ModelError(where(call.line) + ": nnet::" + call.function + " takes " + std::to_string(needed) + " arguments, found " +
                       std::to_string(call.args.size()));
    }
    if (call.function == "dense_da" || call.function == "hgq_quantizer") {
      if (call.template_args.size() != 2) throw ModelError(where(call.line) + ": " + call.callee + ": expected template arguments <input type, result type>");
    } else if (call.template_args.size() < 3 && !(call.function == "resize_nearest" && call.template_args.size() == 2)) {
      // (older hls4ml declare resize_nearest<data_T, CONFIG_T>: its result type is data_T)
      throw ModelError(where(call.line) + ": nnet::" + call.function + ": expected template arguments <input type(s), result type, config>");
    }
    calls_.push_back(std::move(call));
  }

  if (!unsupported.empty()) {
    std::string list;
    for (const auto& u : unsupported) list += (list.empty() ? "" : ", ") + u;
    throw ModelError(top_->source->location(top_->line) + ": " + top_->name + " makes " + std::to_string(unsupported.size()) +
                     " layer call(s) that l1emu does not reproduce yet: " + list + " (supported layer calls: " + supported_list() + ")");
  }

  for (const auto& n : legacy_notes) notes_.push_back(n);
  prelude_ = std::make_shared<const detail::ScalarPortPrelude>(detail::read_scalar_port_prelude(declarations_, *top_, scalars));

  std::set<std::string> written;
  for (const auto& c : calls_) written.insert(single_name(c.args[layer_calls().at(c.function).output]));
  for (const auto& [copy, source] : aliases_) written.insert(copy);
  for (const auto& p : params) {
    if (written.contains(p.name)) {
      output_params_.push_back(p.name);
      continue;
    }
    if (p.scalar) {
      // A C int port the prelude reads: a model input of one value, read as C converts to int.
      if (std::find(prelude_->ports.begin(), prelude_->ports.end(), p.name) == prelude_->ports.end()) continue;
      ArraySpec port{p.name, 1, FixedType::parse("ap_int<32>")};
      port.reading = InputReading::CInt;
      inputs_.push_back(port);
      continue;
    }
    if (p.stream) {
      inputs_.push_back(ArraySpec{p.name, stream_input_size(p.name, where(p.line)), declarations_.resolve_type(p.type, where(p.line))});
      continue;
    }
    long size = 1;
    for (const auto& d : p.dims) size *= declarations_.evaluate_integer(d, where(p.line));
    if (size < 1) throw ModelError(where(p.line) + ": input '" + p.name + "' has size " + std::to_string(size));
    inputs_.push_back(ArraySpec{p.name, static_cast<std::size_t>(size), declarations_.resolve_type(p.type, where(p.line))});
  }
  if (inputs_.empty()) throw ModelError(where(top_->line) + ": " + top_->name + " has no input array parameter (nor scalar int ports read before its layer calls)");
  if (!prelude_->ports.empty()) {
    std::string filled;
    for (const auto& a : prelude_->arrays) filled += (filled.empty() ? "" : ", ") + a.name + " (" + a.where + ")";
    notes_.push_back(top_->name + ": " + std::to_string(prelude_->ports.size()) +
                     " scalar int ports are model inputs of one ap_int<32> value each (predict converts each text value to int toward zero, as "
                     "C does); the arrays filled from them before the layer calls: " + filled);
  }
  if (output_params_.empty()) throw ModelError(where(top_->line) + ": no layer call writes an output parameter of " + top_->name);
  decide_semantics();
  if (!read_weight_texts()) {
    notes_.push_back("weights from the headers: the load_weights_from_txt calls are not compiled (" + uncompiled_weight_load_ +
                     "), so the weights/*.txt files are not read");
  }
}

void Hls4mlNetwork::add_stream_copy(const Call& call) {
  // nnet_stream.h: clone_stream<data_T, res_T, N>(in, out1, out2, ...) and repack_stream<data_T,
  // res_T, N>(in, out) copy N values element by element (`out[j] = in[j]`), so each output is the
  // input array itself when both pack the same element type.
  const std::string loc = where(call.line);
  const std::string what = "nnet::" + call.function;
  if (call.template_args.size() != 3) throw ModelError(loc + ": " + what + ": expected template arguments <input type, output type, size>");
  const FixedType in_t = declarations_.resolve_type(call.template_args[0], loc);
  const FixedType out_t = declarations_.resolve_type(call.template_args[1], loc);
  const bool converts = in_t != out_t;  // `out[j] = in[j]` between element types: ap_fixed's assignment
  const std::size_t min_args = call.function == "clone_stream" ? 3 : 2;
  if (call.args.size() < min_args || (call.function == "repack_stream" && call.args.size() != 2)) {
    throw ModelError(loc + ": " + what + " takes " + (call.function == "clone_stream" ? "an input and at least two outputs" : "an input and an output"));
  }
  const std::string source = single_name(call.args[0]);
  if (source.empty()) throw ModelError(loc + ": " + what + ": the input argument must name a stream");
  for (std::size_t a = 1; a < call.args.size(); ++a) {
    const std::string copy = single_name(call.args[a]);
    if (copy.empty()) throw ModelError(loc + ": " + what + ": argument " + std::to_string(a + 1) + " must name a stream");
    if (!converts) {
      aliases_[copy] = source;
      continue;
    }
    // A converting copy is a Linear layer (the assignment to the result type) per output stream.
    Call convert = call;
    convert.function = "stream_copy_convert";
    convert.args = {call.args[0], call.args[a]};
    calls_.push_back(std::move(convert));
  }
  stream_copies_.push_back(call);
}

std::string Hls4mlNetwork::original_name(std::string name) const {
  for (int hops = 0; aliases_.contains(name) && hops < 64; ++hops) name = aliases_.at(name);
  return name;
}

std::size_t Hls4mlNetwork::stream_input_size(const std::string& input, const std::string& loc) const {
  // A stream parameter declares no size: the first call that reads it says how many values it
  // reads (its config struct), or a copy says how many it copies (its N).
  const Call* first = nullptr;
  for (const auto& c : calls_) {
    for (std::size_t a : layer_calls().at(c.function).inputs) {
      if (original_name(single_name(c.args[a])) == input && (first == nullptr || c.line < first->line)) first = &c;
    }
  }
  for (const auto& c : stream_copies_) {
    if (original_name(single_name(c.args[0])) == input && (first == nullptr || c.line < first->line)) first = &c;
  }
  if (first == nullptr) throw ModelError(loc + ": no layer call reads the input stream '" + input + "' of " + top_->name);
  const std::string call_loc = where(first->line);
  if (detail::is_stream_copy(first->function) || first->function == "stream_copy_convert") {
    const long n = declarations_.evaluate_integer(first->template_args[2], call_loc);
    if (n < 1) throw ModelError(call_loc + ": nnet::" + first->function + " copies " + std::to_string(n) + " values");
    return static_cast<std::size_t>(n);
  }
  const auto cfg = declarations_.structs().find(single_name(first->template_args.back()));
  if (cfg == declarations_.structs().end()) {
    throw ModelError(call_loc + ": nnet::" + first->function + ": config struct '" + text_of(first->template_args.back()) + "' is not defined (parameters.h)");
  }
  return detail::stream_input_size(declarations_, first->function, cfg->second, call_loc);
}

void Hls4mlNetwork::decide_semantics() {
  // hls4ml changed normalize's rounding in 0.7 and leaky_relu's alpha type in 1.0, so each is
  // decided on its own evidence: the project's nnet_utils, then what the generated code shows at the
  // call (parameters.h, the call's template arguments), then hls4ml_config.yml's version; --flavour
  // overrides both, and every disagreement is reported.
  using detail::AlphaType;
  using detail::Finding;
  const Call* first_bn = nullptr;
  const Call* first_lrelu = nullptr;
  for (const auto& c : calls_) {
    if (c.function == "normalize" && first_bn == nullptr) first_bn = &c;
    if (c.function == "leaky_relu" && first_lrelu == nullptr) first_lrelu = &c;
  }
  const auto word = [](BatchNormRounding r) { return std::string(to_string(r)); };
  const auto alpha_word = [](AlphaType a) { return std::string(a == AlphaType::DataT ? "data_T" : "param_t"); };

  std::optional<Finding<BatchNormRounding>> bn_code;
  std::optional<Finding<AlphaType>> alpha_code;
  if (!options_.nnet_utils_dir.empty() && fs::is_directory(options_.nnet_utils_dir)) {
    bn_code = detail::batchnorm_rounding_in(options_.nnet_utils_dir);
    alpha_code = detail::leaky_relu_alpha_in(options_.nnet_utils_dir);
  }
  if (!bn_code && first_bn != nullptr) {
    // hls4ml's writers give the normalize config a member `product` alias template: with a third
    // type res_T before 0.7 (mult<x_T, y_T, res_T> returns res_T), with two from 0.7.
    const auto cfg = declarations_.structs().find(single_name(first_bn->template_args.back()));
    if (cfg != declarations_.structs().end()) {
      if (const auto it = cfg->second.alias_templates.find("product"); it != cfg->second.alias_templates.end()) {
        const std::size_t n = split_commas(it->second.tokens, 0, it->second.tokens.size(), true).size();
        if (n == 3 || n == 2) {
          bn_code = Finding<BatchNormRounding>{n == 3 ? BatchNormRounding::Twice : BatchNormRounding::Once,
                                               it->second.where() + ": " + cfg->second.name + "::product takes " +
                                                   (n == 3 ? "<x_T, y_T, res_T> (hls4ml before 0.7): the product is rounded to res_T before the bias is added"
                                                           : "<x_T, y_T> (hls4ml 0.7 and later): the exact product plus the bias is rounded once")};
        }
      }
    }
  }
  if (!alpha_code && first_lrelu != nullptr) {
    const Call& c = *first_lrelu;
    const auto cfg = declarations_.structs().find(single_name(c.template_args.back()));
    const bool has_param = (cfg != declarations_.structs().end() && cfg->second.types.contains("param_t")) || c.template_args.size() == 4;
    alpha_code = Finding<AlphaType>{has_param ? AlphaType::ParamT : AlphaType::DataT,
                                    where(c.line) + ": the leaky_relu call " +
                                        (has_param ? "types alpha with param_t (hls4ml 1.0 and later)" : "has no param_t, so alpha is data_T (hls4ml before 1.0)")};
  }
  std::optional<Finding<BatchNormRounding>> bn_version;
  std::optional<Finding<AlphaType>> alpha_version;
  if (options_.config_version) {
    const auto& v = *options_.config_version;
    const bool before_07 = v.major == 0 && v.minor < 7;
    bn_version = Finding<BatchNormRounding>{before_07 ? BatchNormRounding::Twice : BatchNormRounding::Once,
                                            v.where + (before_07 ? " (before 0.7: normalize rounds twice)" : " (0.7 or later: normalize rounds once)")};
    alpha_version = Finding<AlphaType>{v.major < 1 ? AlphaType::DataT : AlphaType::ParamT,
                                       v.where + (v.major < 1 ? " (before 1.0: alpha is data_T)" : " (1.0 or later: alpha is param_t)")};
  }

  // Each function: --flavour, else the code, else the version, else (BatchNorm only) what the
  // leaky_relu shows, else the default.
  const auto disagree = [](const std::string& chosen, const std::string& other, const std::string& evidence) {
    return chosen == other ? std::string() : "; note: " + evidence + " says " + other;
  };
  std::string bn_note;
  if (options_.requested_flavor) {
    rounding_ = default_rounding(*options_.requested_flavor);
    bn_note = "(from --flavour " + std::string(to_string(*options_.requested_flavor)) + ")";
    if (bn_code) bn_note += disagree(word(rounding_), word(bn_code->value), bn_code->evidence);
    if (!bn_code && bn_version) bn_note += disagree(word(rounding_), word(bn_version->value), bn_version->evidence);
  } else if (bn_code) {
    rounding_ = bn_code->value;
    bn_note = "(" + bn_code->evidence + ")";
    if (bn_version) bn_note += disagree(word(rounding_), word(bn_version->value), bn_version->evidence);
  } else if (bn_version) {
    rounding_ = bn_version->value;
    bn_note = "(" + bn_version->evidence + ")";
  } else if (alpha_code) {
    rounding_ = alpha_code->value == AlphaType::ParamT ? BatchNormRounding::Once : BatchNormRounding::Twice;
    bn_note = alpha_code->value == AlphaType::ParamT
                  ? "(inferred from " + alpha_code->evidence + ": hls4ml 1.0 and later round once)"
                  : "(guessed from " + alpha_code->evidence + ": hls4ml 0.5/0.6 and AE_L1_paper round twice, but 0.7/0.8 also "
                    "take alpha as data_T and round once; nothing else in the project tells them apart: ship firmware/nnet_utils, "
                    "or set \"rounding\": \"once\" on the layer in model.json for 0.7/0.8 code)";
  } else {
    rounding_ = BatchNormRounding::Once;
    bn_note = "(default: nothing in the project says; use --flavour paper for AE_L1_paper or hls4ml 0.5/0.6 code)";
  }

  std::string alpha_note;
  AlphaType alpha = AlphaType::ParamT;
  if (options_.requested_flavor) {
    alpha = *options_.requested_flavor == Flavor::Head ? AlphaType::ParamT : AlphaType::DataT;
    alpha_note = "(from --flavour " + std::string(to_string(*options_.requested_flavor)) + ")";
    if (alpha_code) alpha_note += disagree(alpha_word(alpha), alpha_word(alpha_code->value), alpha_code->evidence);
  } else if (alpha_code) {
    alpha = alpha_code->value;
    alpha_note = "(" + alpha_code->evidence + ")";
    if (alpha_version) alpha_note += disagree(alpha_word(alpha), alpha_word(alpha_version->value), alpha_version->evidence);
  } else if (alpha_version) {
    alpha = alpha_version->value;
    alpha_note = "(" + alpha_version->evidence + ")";
  } else {
    alpha_note = "(default)";
  }
  alpha_flavor_ = alpha == AlphaType::ParamT ? Flavor::Head : Flavor::Paper;

  // The model-level flavour: the default of every layer in model.json. LeakyReLU has no key of its
  // own, so it follows alpha's typing; a BatchNorm that differs gets its own "rounding".
  std::string flavor_note;
  if (options_.requested_flavor) {
    flavor_ = *options_.requested_flavor;
    flavor_note = "from --flavour";
  } else if (first_lrelu != nullptr) {
    flavor_ = alpha_flavor_;
    flavor_note = "as LeakyReLU's alpha typing";
  } else if (first_bn != nullptr) {
    flavor_ = rounding_ == BatchNormRounding::Once ? Flavor::Head : Flavor::Paper;
    flavor_note = "as BatchNormalization's rounding";
  } else if (alpha_code) {
    flavor_ = alpha_code->value == AlphaType::ParamT ? Flavor::Head : Flavor::Paper;
    flavor_note = alpha_code->evidence;
  } else if (bn_code) {
    flavor_ = bn_code->value == BatchNormRounding::Once ? Flavor::Head : Flavor::Paper;
    flavor_note = bn_code->evidence;
  } else if (options_.config_version) {
    const auto& v = *options_.config_version;
    flavor_ = v.major == 0 && v.minor < 7 ? Flavor::Paper : Flavor::Head;
    flavor_note = v.where;
  } else {
    flavor_ = Flavor::Head;
    flavor_note = "default";
  }
  const bool any = first_bn != nullptr || first_lrelu != nullptr;
  notes_.push_back("flavour " + std::string(to_string(flavor_)) + " (" + flavor_note + (any ? "; per function below)" : "; no layer depends on it)"));
  if (first_bn != nullptr) notes_.push_back("BatchNormalization (nnet::normalize) rounds " + word(rounding_) + " " + bn_note);
  if (first_lrelu != nullptr) notes_.push_back("LeakyReLU (nnet::leaky_relu) types alpha as " + alpha_word(alpha) + " " + alpha_note);

  // Pooling (io_parallel): the project's nnet_pooling.h says what avg sums in; without it, the
  // config's accum_t (hls4ml 1.0 and later), said as the default.
  bool any_pooling = false;
  for (const auto& c : calls_) {
    const auto cat = detail::catalogue_calls().find(c.function);
    any_pooling = any_pooling || (cat != detail::catalogue_calls().end() && cat->second.class_key == "pool_op");
  }
  if (any_pooling) {
    std::optional<detail::Finding<detail::PoolingAccumulator>> pooling;
    if (!options_.nnet_utils_dir.empty() && fs::is_directory(options_.nnet_utils_dir)) pooling = detail::pooling_accumulator_in(options_.nnet_utils_dir);
    if (pooling) {
      pooling_in_data_t_ = pooling->value == detail::PoolingAccumulator::DataT;
      pooling_evidence_ = pooling->evidence;
      if (pooling_in_data_t_) {
        const auto wide = detail::pooling_wide_avg_overloads_in(options_.nnet_utils_dir);
        pooling_wide_signed_ = static_cast<int>(wide.signed_form);
        pooling_wide_unsigned_ = static_cast<int>(wide.unsigned_form);
        pooling_wide_evidence_ = wide.evidence.empty() ? "no avg overload with a wider accumulator" : wide.evidence;
      }
      notes_.push_back(std::string("pooling (io_parallel) sums and compares in ") + (pooling_in_data_t_ ? "the input type" : "the config's accum_t") +
                       " (" + pooling->evidence +
                       (pooling_in_data_t_ ? "; an average of the ap_[u]fixed types these match is summed wider: " + pooling_wide_evidence_ : std::string()) +
                       ")");
    } else {
      notes_.push_back("pooling (io_parallel) sums and compares in the config's accum_t (default: no nnet_utils/nnet_pooling.h says otherwise; "
                       "nnet_pooling.h of hls4ml snapshots before accum_t sums in the input type)");
    }
  }
}

std::vector<BigInt> Hls4mlNetwork::parameter(const std::string& array, const FixedType& type, std::size_t count, const std::string& what,
                                             std::size_t line) const {
  std::optional<std::vector<BigInt>> from_header, from_text;
  std::string header_where, text_where;
  const auto& arrays = declarations_.arrays();
  if (const auto it = arrays.find(array); it != arrays.end()) {
    const ArrayDeclaration& decl = it->second;
    // The array's own type is what its initializer is converted to; the layer reads it through
    // the config's type, and C++ only binds the array when both are the same type.
    if (const FixedType declared = declarations_.resolve_type(decl.type); declared != type) {
      throw ModelError(decl.type.where() + ": '" + array + "' is declared as " + declared.to_string() + ", but " + what.substr(0, what.find("::")) +
                       " reads it as " + type.to_string());
    }
    if (!decl.dimensions.empty()) {
      long declared = 1;
      for (const auto& d : decl.dimensions) {
        const long extent = declarations_.evaluate_integer(d);
        // A product beyond long is no array a compiler would accept (and would be undefined here).
        if (extent < 0 || __builtin_mul_overflow(declared, extent, &declared)) {
          throw ModelError(decl.type.where() + ": '" + array + "' is declared with more elements than any array can hold");
        }
      }
      if (declared != static_cast<long>(count)) {
        throw ModelError(decl.type.where() + ": '" + array + "' is declared with " + std::to_string(declared) + " elements, but " + what +
                         " needs " + std::to_string(count));
      }
    }
    if (decl.initializer) {
      std::vector<BigInt> codes;
      const Tokens& t = decl.initializer->tokens;
      bool expect_value = true;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i].is("{") || t[i].is("}")) continue;
        if (t[i].is(",")) {
          expect_value = true;
          continue;
        }
        bool negative = false;
        std::size_t k = i;
        while (k < t.size() && (t[k].is("-") || t[k].is("+"))) negative ^= t[k++].is("-");
        BigInt code;
        if (!expect_value || k >= t.size() || t[k].kind != SourceToken::Kind::Number || !literal_code(t[k].text, negative, type, code)) {
          throw ModelError(decl.initializer->source->location(t[std::min(k, t.size() - 1)].line) + ": unexpected '" +
                           t[std::min(k, t.size() - 1)].text + "' in the initializer of '" + array + "' (expected numbers)");
        }
        codes.push_back(code);
        expect_value = false;
        i = k;
      }
      if (codes.size() != count) {
        throw ModelError(decl.type.where() + ": the initializer of '" + array + "' has " + std::to_string(codes.size()) +
                         " values, expected " + std::to_string(count) + " (" + what + ")" +
                         (codes.size() < count ? ": truncated" : ""));
      }
      from_header = std::move(codes);
      header_where = decl.initializer->where();
    }
  }
  const auto file_it = weight_files_.find(array);
  const fs::path txt = options_.weights_dir / (file_it != weight_files_.end() ? file_it->second : array + ".txt");
  if (!options_.weights_dir.empty() && read_weight_texts() && fs::is_regular_file(txt)) {
    // hls4ml's load_weights_from_txt: one line of comma-separated decimals, each read as a double
    // and assigned to the weight type.
    std::ifstream in(txt);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string s = buffer.str();
    for (char& c : s) c = c == ',' ? ' ' : c;
    std::istringstream words(s);
    std::string word;
    std::vector<BigInt> codes;
    while (words >> word) {
      char* end = nullptr;
      const double v = std::strtod(word.c_str(), &end);
      if (end != word.c_str() + word.size()) {
        throw ModelError(txt.string() + ": value " + std::to_string(codes.size() + 1) + " " + text::quoted_excerpt(word) + " is not a number");
      }
      // ap_fixed would take an infinity as 2^1024 and keep its low bits (0): a weight no training
      // writes, so the file is damaged rather than meant.
      if (!std::isfinite(v)) {
        throw ModelError(txt.string() + ": value " + std::to_string(codes.size() + 1) + " " + text::quoted_excerpt(word) + " is not a finite number");
      }
      codes.push_back(from_double(v, type));
    }
    if (codes.size() != count) {
      throw ModelError(txt.string() + ": " + std::to_string(codes.size()) + " values, expected " + std::to_string(count) + " (" + what + ")");
    }
    from_text = std::move(codes);
    text_where = txt.string();
  }
  if (from_header && from_text) {
    for (std::size_t i = 0; i < count; ++i) {
      if ((*from_header)[i] != (*from_text)[i]) {
        throw ModelError(text_where + ": value " + std::to_string(i) + " of '" + array + "' differs from the initializer at " + header_where +
                         " (" + to_decimal((*from_text)[i], type) + " vs " + to_decimal((*from_header)[i], type) + ")");
      }
    }
  }
  if (from_header && !from_text && !read_weight_texts()) {
    // Values compiled only under a macro the C simulation does not define (`#ifndef __SYNTHESIS__
    // T w[N]; #else T w[N] = {...}`) while the load_weights_from_txt calls that would fill w are
    // switched off by their own #ifdef (an early AXOL1TL hls folder): that C simulation, and the
    // emulator library its build script makes, compute with zero weights. Firmware and C
    // simulation differ, so the choice is the user's. (Without any load call, or with compiled
    // calls whose files are absent, the values are taken: what the firmware computes.)
    const auto& decl = arrays.at(array);
    const SourceGuard* g = decl.initializer->tokens.empty() ? nullptr : decl.initializer->source->guard(decl.initializer->tokens.front());
    if (g != nullptr && g->when_defined && !declarations_.is_defined(g->macro)) {
      throw ModelError(header_where + ": the values of '" + array + "' are compiled only when " + g->macro +
                       " is defined (synthesis), and nothing fills '" + array + "' in the C simulation (" +
                       (uncompiled_weight_load_.empty() ? std::string("no load_weights_from_txt call") : "the load_weights_from_txt calls at " + uncompiled_weight_load_) +
                       "), which therefore computes with zero weights: the project's firmware and its C simulation differ. Choose by editing the "
                       "project: define the load macro (the text files) or remove the #if around the values");
    }
  }
  if (from_header) return *from_header;
  if (from_text) return *from_text;
  throw ModelError(where(line) + ": missing weights for '" + array + "' (" + what + "): no file " + txt.string() +
                   " and no initialised array '" + array + "' in the headers");
}

const FunctionDefinition& Hls4mlNetwork::generated_function(const Call& c) const {
  const std::string loc = where(c.line);
  const FunctionDefinition* definition = nullptr;
  for (const auto& f : declarations_.functions()) {
    if (f.name != c.callee) continue;
    if (definition != nullptr) {
      throw ModelError(loc + ": " + c.callee + " is defined twice (" + definition->source->location(definition->line) + ", " + f.source->location(f.line) + ")");
    }
    definition = &f;
  }
  if (definition == nullptr) throw ModelError(loc + ": " + c.callee + " is called but not defined (hls4ml writes it into nnet_utils/nnet_code_gen.h)");
  return *definition;
}

FixedType Hls4mlNetwork::generated_function_input_type(const Call& c, const ArraySpec& input) const {
  const std::string loc = where(c.line);
  const FixedType in_t = declarations_.resolve_type(c.template_args[0], loc);
  if (in_t != input.type) {
    throw ModelError(loc + ": " + c.callee + " reads '" + input.name + "' (" + input.type.to_string() + ") as " + in_t.to_string());
  }
  return in_t;
}

std::unique_ptr<Layer> Hls4mlNetwork::quantizer_layer(const Call& c, const std::string& name, const ArraySpec& input) const {
  // HGQ (hgq_proxy_model.py): one statement per element of the input, which the output mirrors.
  (void)generated_function_input_type(c, input);
  FixedPointQuantizer::Config q;
  q.element_t = detail::quantizer_element_types(generated_function(c), input.size);
  q.result_t = declarations_.resolve_type(c.template_args[1], where(c.line));
  return std::make_unique<FixedPointQuantizer>(name, input, std::move(q));
}

std::unique_ptr<Layer> Hls4mlNetwork::adder_graph_layer(const Call& c, const std::string& name, const ArraySpec& input) const {
  // The function's definition (nnet_code_gen.h) with its array sizes: inp_t inp[N_IN], out_t out[N_OUT].
  const std::string loc = where(c.line);
  const FunctionDefinition* definition = &generated_function(c);
  const auto params = split_commas(definition->parameters, 0, definition->parameters.size(), true);
  std::vector<std::size_t> sizes;
  for (const auto& p : params) {
    std::size_t bracket = 0;
    while (bracket < p.size() && !p[bracket].is("[")) ++bracket;
    const std::size_t close = bracket < p.size() ? closing(p, bracket, "[", "]") : std::string::npos;
    if (close == std::string::npos) throw ModelError(definition->source->location(definition->line) + ": " + c.callee + ": expected array parameters inp[N] and out[M]");
    const long n = declarations_.evaluate_integer(Tokens(p.begin() + static_cast<std::ptrdiff_t>(bracket + 1), p.begin() + static_cast<std::ptrdiff_t>(close)),
                                                  definition->source->location(definition->line));
    if (n < 1) throw ModelError(definition->source->location(definition->line) + ": " + c.callee + ": an array of " + std::to_string(n) + " values");
    sizes.push_back(static_cast<std::size_t>(n));
  }
  if (sizes.size() != 2) throw ModelError(definition->source->location(definition->line) + ": " + c.callee + ": expected two parameters, inp[N] and out[M]");
  if (sizes[0] != input.size) {
    throw ModelError(loc + ": " + c.callee + " reads " + std::to_string(sizes[0]) + " values, but '" + input.name + "' has " + std::to_string(input.size));
  }
  const FixedType in_t = generated_function_input_type(c, input);
  const FixedType out_t = declarations_.resolve_type(c.template_args[1], loc);
  Dense::Config d = detail::adder_graph_as_dense(declarations_, *definition, in_t, out_t, sizes[0], sizes[1]);
  return std::make_unique<Dense>(name, input, std::move(d));
}

bool Hls4mlNetwork::stream_convolution_sums_in_any_order(const Call& c, const ConfigStruct& cfg) const {
  if (c.function != "conv_2d_cl" && c.function != "conv_1d_cl") return false;
  if (cfg.enumerator("strategy") != "resource") return false;
  const auto acc = cfg.types.find("accum_t");
  if (acc == cfg.types.end() || declarations_.resolve_type(acc->second).overflow != Overflow::Wrap) return false;
  long window = 1;
  for (const char* key : {"filt_height", "filt_width", "n_chan"}) {
    if (cfg.values.contains(key)) window *= declarations_.evaluate_integer(cfg.values.at(key));
  }
  return cfg.values.contains("reuse_factor") && declarations_.evaluate_integer(cfg.values.at("reuse_factor")) > window;
}

bool Hls4mlNetwork::check_io_type(const Call& c, const ConfigStruct& cfg, const std::vector<ArraySpec>& ins) const {
  // A call works on streams when its data types are nnet::array packs (io_stream); pooling and
  // convolution configs carry no io_type, so the types are the evidence, and an io_type member
  // that says otherwise is a contradiction.
  std::vector<PackedType> packs;
  bool stream = false;
  for (std::size_t a = 0; a < ins.size() && a < c.template_args.size(); ++a) {
    packs.push_back(declarations_.resolve_packed_type(c.template_args[a], where(c.line)));
    stream = stream || packs.back().pack != 0;
  }
  if (const auto it = cfg.values.find("io_type"); it != cfg.values.end()) {
    const std::string io = cfg.enumerator("io_type");
    if (io != "io_parallel" && io != "io_stream") {
      throw ModelError(it->second.where() + ": " + cfg.name + "::io_type = " + it->second.text() + " is not io_parallel or io_stream");
    }
    if ((io == "io_stream") != stream) {
      throw ModelError(it->second.where() + ": " + cfg.name + "::io_type = " + it->second.text() + ", but nnet::" + c.function + " at " + where(c.line) +
                       (stream ? " reads nnet::array packs (io_stream)" : " reads plain arrays (io_parallel)"));
    }
  }
  if (stream && c.function == "resize_nearest" && !options_.nnet_utils_dir.empty()) {
    // hls4ml 0.5/0.6's stream resize_nearest wrote each pixel ratio_height * ratio_width times in a
    // row (no row buffer): not an upsampling l1emu reproduces.
    if (const auto rows = detail::stream_resize_buffers_rows_in(options_.nnet_utils_dir); rows && !rows->value) {
      throw ModelError(where(c.line) + ": io_stream nnet::resize_nearest: " + rows->evidence + " (hls4ml 0.5/0.6), which is not a nearest-neighbour upsampling l1emu reproduces");
    }
  }
  if (stream) {
    const PackedType result = declarations_.resolve_packed_type(c.template_args[c.template_args.size() - 2], where(c.line));
    detail::check_stream_equivalent(declarations_, c.function, cfg, ins, packs, result, where(c.line));
  }
  return stream;
}

std::vector<std::string> Hls4mlNetwork::add_layers(Model& model, const std::map<std::string, std::string>& input_arrays) const {
  std::map<std::string, ArraySpec> arrays;  // C++ array name -> model array
  for (const auto& in : inputs_) {
    const auto it = input_arrays.find(in.name);
    const std::string name = it != input_arrays.end() ? it->second : in.name;
    const int index = model.find_array(name);
    if (index < 0) throw ModelError("internal: input '" + name + "' is not in the model");
    const ArraySpec spec = model.array_spec(static_cast<std::size_t>(index));
    if (spec.size != in.size) {
      throw ModelError(where(top_->line) + ": input '" + in.name + "' of " + top_->name + " has " + std::to_string(in.size) + " values, but '" +
                       name + "' has " + std::to_string(spec.size));
    }
    arrays[in.name] = spec;
  }
  // The prelude (scalar_port_prelude.h): each filled array becomes the layers that compute it.
  for (const auto& a : prelude_->arrays) {
    const auto add_prelude = [&](std::unique_ptr<Layer> layer) {
      try {
        model.add_layer(std::move(layer));
      } catch (const ModelError& e) {
        throw ModelError(a.where + ": " + e.what());
      }
      arrays[a.name] = model.array_spec(model.array_count() - 1);
    };
    if (a.source == detail::PreludeArray::Source::Ports) {
      // A[k] = T(P_k): ap_fixed's constructor from int into T, then (when T is not A's type) the
      // assignment into A's element type.
      std::vector<ArraySpec> ports;
      for (const auto& p : a.ports) ports.push_back(arrays.at(p));
      const bool cast = a.cast != a.type;
      add_prelude(std::make_unique<Pack>(cast ? a.name + "_cast" : a.name, ports, a.cast));
      if (cast) add_prelude(std::make_unique<Linear>(a.name, arrays.at(a.name), a.type));
      continue;
    }
    const ArraySpec from = arrays.at(a.from);
    if (a.source == detail::PreludeArray::Source::Shift) {
      // A[k] = B[k] >> n_k: the shift in B's type, then the assignment into A's element type.
      add_prelude(std::make_unique<BitShift>(a.name + "_shift", from, a.right_shifts));
      add_prelude(std::make_unique<Linear>(a.name, arrays.at(a.name), a.type));
    } else {
      add_prelude(std::make_unique<Linear>(a.name, from, a.type));  // A[k] = B[k]: the assignment
    }
  }
  for (const Call& c : calls_) {
    const CallShape& shape = layer_calls().at(c.function);
    const std::string call = "nnet::" + c.function;
    const std::string loc = where(c.line);
    std::vector<ArraySpec> ins;
    for (std::size_t a : shape.inputs) {
      std::string name = single_name(c.args[a]);
      if (!arrays.contains(name)) name = original_name(name);
      const auto it = arrays.find(name);
      if (it == arrays.end()) {
        throw ModelError(loc + ": " + call + " reads '" + text_of(c.args[a]) + "', which is neither an input of " + top_->name +
                         " nor written by an earlier layer call");
      }
      ins.push_back(it->second);
    }
    const std::string out_array = single_name(c.args[shape.output]);
    if (out_array.empty()) throw ModelError(loc + ": " + call + ": the output argument must be an array name");
    std::string name = is_identifier_text(c.comment) ? c.comment : out_array;
    if (model.find_array(name) >= 0) name = out_array;
    // Appends the call's layer; its output array is then known by the C++ array's name.
    const auto add = [&](std::unique_ptr<Layer> layer) {
      try {
        model.add_layer(std::move(layer));
      } catch (const ModelError& e) {
        throw ModelError(loc + ": " + e.what());
      }
      arrays[out_array] = model.array_spec(model.array_count() - 1);
    };
    if (c.function == "stream_copy_convert") {
      add(std::make_unique<Linear>(name, ins[0], declarations_.resolve_type(c.template_args[1], loc)));
      continue;
    }
    if (c.function == "dense_da" || c.function == "hgq_quantizer") {
      std::unique_ptr<Layer> layer;
      try {
        layer = c.function == "dense_da" ? adder_graph_layer(c, name, ins[0]) : quantizer_layer(c, name, ins[0]);
      } catch (const ModelError& e) {
        throw ModelError(loc + ": " + e.what());
      }
      add(std::move(layer));
      continue;
    }
    const std::string config_name = single_name(c.template_args.back());
    const auto cfg_it = declarations_.structs().find(config_name);
    if (cfg_it == declarations_.structs().end()) {
      throw ModelError(loc + ": " + call + ": config struct '" + text_of(c.template_args.back()) + "' is not defined (parameters.h)");
    }
    const ConfigStruct& cfg = cfg_it->second;
    const std::string cfg_where = cfg.declaration.where();
    const auto cfg_int = [&](const std::string& key) -> long {
      const auto it = cfg.values.find(key);
      if (it == cfg.values.end()) throw ModelError(cfg_where + ": config struct '" + cfg.name + "' has no '" + key + "' (needed by " + call + ")");
      return declarations_.evaluate_integer(it->second);
    };
    const auto cfg_type = [&](const std::string& key) -> FixedType {
      const auto it = cfg.types.find(key);
      if (it == cfg.types.end()) throw ModelError(cfg_where + ": config struct '" + cfg.name + "' has no type '" + key + "' (needed by " + call + ")");
      return declarations_.resolve_type(it->second);
    };
    const auto check_n_in = [&](std::size_t size) {
      if (!cfg.values.contains("n_in")) return;
      const long n_in = cfg_int("n_in");
      if (n_in != static_cast<long>(size)) {
        throw ModelError(cfg.values.at("n_in").where() + ": size mismatch: " + cfg.name + "::n_in = " + std::to_string(n_in) + ", but " + call +
                         " at " + loc + " reads '" + ins[0].name + "' with " + std::to_string(size) + " values");
      }
    };
    const FixedType result_t = declarations_.resolve_type(c.template_args[c.template_args.size() - 2], loc);
    if (const auto catalogue = detail::catalogue_calls().find(c.function); catalogue != detail::catalogue_calls().end()) {
      // A catalogue class reads its own keys from the config struct; it decides which strategies
      // it reproduces (and says so), so only the io type is checked here.
      const bool stream = check_io_type(c, cfg, ins);
      if (c.function == "conv_1d_latency_cl") detail::check_legacy_conv_order(cfg_type("accum_t"), loc);
      std::string why;
      const std::string cls = detail::catalogue_class(catalogue->second, cfg, why);
      if (cls.empty()) throw ModelError(cfg_where + ": " + call + ": " + why);
      const auto parser = layer_catalogue().find(cls);
      if (parser == layer_catalogue().end()) throw ModelError(loc + ": " + call + ": layer class " + cls + " is not in this build's catalogue");
      detail::ConfigParamReader reader(declarations_, cfg, catalogue->second, result_t, loc + ": " + call, [&](std::size_t a, const FixedType& type,
                                                                                                             std::size_t count, const std::string& key) {
        const std::string n = single_name(c.args[a]);
        if (n.empty()) throw ModelError(loc + ": " + call + ": argument " + std::to_string(a + 1) + " must name an array");
        return parameter(n, type, count, cfg.name + " " + key + " (" + std::to_string(count) + " values)", c.line);
      });
      if (!c.implementation.empty()) reader.override_string("implementation", c.implementation);
      // io_stream pooling has summed in accum_t since hls4ml 0.7 (nnet_pooling_stream.h).
      if (catalogue->second.class_key == "pool_op" && !stream && pooling_in_data_t_) {
        // nnet_pooling.h of this project pools in the input type (see the note): Max compares
        // data_T values (the rule with accum_t = data_T). Average: C++ overload resolution picks
        // the "wider accumulator" avg of hls4ml 0.5-0.8 only for the ap_fixed / ap_ufixed types its
        // parameter matches (ap_fixed<W, I> matches only AP_TRN, AP_WRAP without saturation bits;
        // ap_fixed<W, I, Q, O> any modes without saturation bits); it sums the N cells in
        // ap_[u]fixed<W + ceillog2(N), I + ceillog2(N), Q, O>, divides by N and assigns back to
        // data_T, which the average never exceeds: the rule with that accum_t. Every other
        // ap_[u]fixed takes `T avg(T (&x)[N])`, which sums and divides in T: the rule with
        // accum_t = data_T. Its padded average rescales by an integer (pooling2d_cl), and integer
        // types take other avg overloads: not reproduced.
        const bool average = cfg.enumerator("pool_op") == "Average";
        for (const char* pad : {"pad_top", "pad_bottom", "pad_left", "pad_right"}) {
          if (cfg.values.contains(pad) && cfg_int(pad) != 0 && average) {
            throw ModelError(cfg.values.at(pad).where() + ": " + call + ": padded average pooling of hls4ml's nnet_pooling.h before accum_t (" +
                             pooling_evidence_ + ") is not reproduced");
          }
        }
        FixedType accum = ins[0].type;
        if (average) {
          if (accum.is_integer) {
            throw ModelError(loc + ": " + call + ": average pooling of " + accum.to_string() + " takes another avg overload of nnet_pooling.h (" +
                             pooling_evidence_ + "), which l1emu does not reproduce");
          }
          const auto form = static_cast<detail::WideAvgOverload>(accum.is_signed ? pooling_wide_signed_ : pooling_wide_unsigned_);
          bool wide = false;
          switch (form) {
            case detail::WideAvgOverload::None: break;
            case detail::WideAvgOverload::Default:
              wide = accum.quantization == Quantization::Trn && accum.overflow == Overflow::Wrap && accum.saturation_bits == 0;
              break;
            case detail::WideAvgOverload::NoSatBits: wide = accum.saturation_bits == 0; break;
            case detail::WideAvgOverload::Any: wide = true; break;
          }
          if (wide && accum.saturation_bits != 0) {
            throw ModelError(loc + ": " + call + ": average pooling of " + accum.to_string() + " in a wider accumulator with saturation bits (" +
                             pooling_wide_evidence_ + ") is not reproduced");
          }
          if (wide) {
            long cells = 1;
            const bool global = c.function.rfind("global_", 0) == 0, two_d = c.function.find("2d") != std::string::npos;
            if (global) {
              cells = two_d ? cfg_int("in_height") * cfg_int("in_width") : cfg_int("n_in");
            } else {
              cells = two_d ? cfg_int("pool_height") * cfg_int("pool_width") : cfg_int("pool_width");
            }
            // nnet_helpers.h: ceillog2(x) = x <= 2 ? 1 : 1 + ceillog2((x + 1) / 2)
            int extra = 1;
            for (long x = cells; x > 2; x = (x + 1) / 2) ++extra;
            accum.width += extra;
            accum.integer_bits += extra;
            accum.validate();
          }
        }
        reader.override_type("accum_t", accum);
      }
      if (stream && stream_convolution_sums_in_any_order(c, cfg)) {
        // io_stream: every pixel is mult_config's dense kernel, and with a reuse factor above the
        // window (dense_resource_rf_gt_nin*) and a wrapping accum_t, the order of its additions
        // does not change the sum: the Latency layer computes it.
        reader.override_string("strategy", "latency");
      }
      if (c.function == "concatenate2d" || c.function == "concatenate3d") {
        // concat_config gives each input's dimensions (n_elem1_0.., n_elem2_0..); the C++ arrays
        // are flat, so the layer reads the shapes from there.
        const int rank = c.function == "concatenate2d" ? 2 : 3;
        for (std::size_t k = 0; k < 2; ++k) {
          std::vector<std::size_t> dims;
          std::size_t n = 1;
          for (int d = 0; d < rank; ++d) {
            const long v = cfg_int("n_elem" + std::to_string(k + 1) + "_" + std::to_string(d));
            if (v < 1) throw ModelError(cfg_where + ": " + cfg.name + "::n_elem" + std::to_string(k + 1) + "_" + std::to_string(d) + " must be at least 1");
            dims.push_back(static_cast<std::size_t>(v));
            n *= static_cast<std::size_t>(v);
          }
          if (n != ins[k].size) {
            throw ModelError(cfg_where + ": " + cfg.name + " gives input " + std::to_string(k + 1) + " " + std::to_string(n) + " values, but '" + ins[k].name +
                             "' has " + std::to_string(ins[k].size));
          }
          if (ins[k].dims() == dims) continue;
          // A Reshape (layer NAME_inputK) gives the flat array that shape, so that model.json
          // keeps it: C++ reads the same memory either way.
          auto reshape = std::make_unique<Reshape>(name + "_input" + std::to_string(k + 1), ins[k], false);
          reshape->set_shape(dims);
          try {
            model.add_layer(std::move(reshape));
          } catch (const ModelError& e) {
            throw ModelError(loc + ": " + e.what());
          }
          ins[k] = model.array_spec(model.array_count() - 1);
        }
      }
      if (c.function == "multiply" && ins[0].size == ins[1].size && !options_.nnet_utils_dir.empty()) {
        // Equal sizes take hls4ml's element-wise product, unless the project's multiply is the
        // repeating hand edit, whose loop would then read past data2.
        if (const auto form = detail::multiply_form_in(options_.nnet_utils_dir); form && form->value != detail::MultiplyForm::Elementwise) {
          throw ModelError(loc + ": " + call + " multiplies two arrays of " + std::to_string(ins[0].size) + " values, but " + form->evidence);
        }
      }
      if (c.function == "multiply" && ins[0].size != ins[1].size) {
        // hls4ml's multiply pairs equal sizes; cms-hls4ml/L1METML's nnet_merge.h repeats each data1
        // value for two data2 values: an UpSampling1D (nearest, ratio 2, layer NAME_repeat), then
        // the element-wise product. Any other size pairing is refused.
        const auto form = options_.nnet_utils_dir.empty() ? std::nullopt : detail::multiply_form_in(options_.nnet_utils_dir);
        if (!form || form->value != detail::MultiplyForm::RepeatFirstTwice || ins[1].size != 2 * ins[0].size) {
          throw ModelError(loc + ": " + call + " multiplies " + std::to_string(ins[0].size) + " values by " + std::to_string(ins[1].size) + " (" +
                           (form ? form->evidence : std::string("the project has no nnet_merge.h that says how")) + ")");
        }
        ImageResize repeat;
        repeat.rank = 1;
        repeat.in_width = ins[0].size;
        repeat.out_width = 2 * ins[0].size;
        ArraySpec column = ins[0];
        column.shape = {ins[0].size, 1};
        auto up = std::make_unique<UpSampling>(name + "_repeat", column, repeat);
        up->set_shape({ins[0].size, 2});  // value 2ii + k pairs with data2's (ii, k)
        try {
          model.add_layer(std::move(up));
        } catch (const ModelError& e) {
          throw ModelError(loc + ": " + e.what());
        }
        ins[0] = model.array_spec(model.array_count() - 1);
      }
      LayerBuildContext context{reader, name, ins, flavor_};
      add(parser->second(context));
      continue;
    }
    // The latency strategy is reproduced, and Dense with the Resource strategy
    // (dense_resource_rf_leq_nin); any other value is refused rather than imported as a model that
    // might accumulate in a different order.
    const bool is_dense = c.function == "dense" || c.function == "dense_latency";
    bool resource = c.resource;
    (void)check_io_type(c, cfg, ins);
    if (const auto it = cfg.values.find("strategy"); it != cfg.values.end()) {
      const std::string v = it->second.text();
      if (c.function == "dense" && (v == "nnet::resource" || v == "resource")) {
        resource = true;
      } else if (v != "latency" && v != "nnet::latency") {
        throw ModelError(it->second.where() + ": " + cfg.name + "::strategy = " + v + " is not supported (l1emu reproduces the latency strategy" +
                         (is_dense ? std::string(", and nnet::dense with the resource strategy)") : std::string(")")));
      }
    }
    const auto param_name = [&](std::size_t a) {
      const std::string n = single_name(c.args[a]);
      if (n.empty()) throw ModelError(loc + ": " + call + ": argument " + std::to_string(a + 1) + " must name an array");
      return n;
    };

    std::unique_ptr<Layer> layer;
    if (c.function == "dense" || c.function == "dense_latency") {
      check_n_in(ins[0].size);
      const long n_out = cfg_int("n_out");
      if (n_out < 1) throw ModelError(cfg_where + ": " + cfg.name + "::n_out must be at least 1");
      Dense::Config d;
      d.n_out = static_cast<std::size_t>(n_out);
      d.weight_t = cfg_type("weight_t");
      d.bias_t = cfg_type("bias_t");
      d.accum_t = cfg_type("accum_t");
      d.result_t = result_t;
      const std::string shape_text = cfg.name + "::n_in * n_out = " + std::to_string(ins[0].size) + " * " + std::to_string(n_out);
      d.weights = parameter(param_name(2), d.weight_t, ins[0].size * d.n_out, shape_text, c.line);
      if (c.resource) detail::check_legacy_dense_types(ins[0].type, d.weight_t, loc);
      // The ReuseFactor HLS compiles is the layer config's reuse_factor in parameters.h (hls4ml
      // writes each layer's own there, whatever the Model-level ReuseFactor of hls4ml_config.yml
      // says: Hector-Plata/hls4ml-tutorial model_3 hls4ml_prj_pynq has Model 1 and 64 per Dense).
      // Latency keeps it for the timing estimate (II, multiplier_limit); absent, hls4ml's default 1.
      if (cfg.values.contains("reuse_factor")) {
        const long rf = cfg_int("reuse_factor");
        if (rf < 1) throw ModelError(cfg_where + ": " + cfg.name + "::reuse_factor must be at least 1, found " + std::to_string(rf));
        d.reuse_factor = static_cast<std::size_t>(rf);
        if (cfg.values.contains("n_zeros")) d.n_zeros = std::max(0L, cfg_int("n_zeros"));
      }
      if (resource) {
        // nnet::dense -> dense_resource -> dense_resource_rf_leq_nin (R <= n_in; Dense refuses an R
        // not dividing n_in). hls4ml writes the kernel transposed, (n_out, n_in)
        // (backends/vivado/passes/resource_strategy.py); back to Keras [i][j].
        d.strategy = DenseStrategy::Resource;
        d.reuse_factor = static_cast<std::size_t>(cfg_int("reuse_factor"));
        const std::size_t n_in = ins[0].size;
        std::vector<BigInt> keras(d.weights.size());
        for (std::size_t j = 0; j < d.n_out; ++j) {
          for (std::size_t i = 0; i < n_in; ++i) keras[i * d.n_out + j] = d.weights[j * n_in + i];
        }
        d.weights = std::move(keras);
      }
      d.biases = parameter(param_name(3), d.bias_t, d.n_out, cfg.name + "::n_out", c.line);
      try {
        layer = std::make_unique<Dense>(name, ins[0], std::move(d));
      } catch (const ModelError& e) {
        if (!resource) throw;
        throw ModelError(cfg_where + ": " + cfg.name + "::reuse_factor: " + e.what());  // R not dividing n_in
      }
    } else if (c.function == "normalize") {
      check_n_in(ins[0].size);
      BatchNormalization::Config n;
      n.rounding = rounding_;
      n.scale_t = cfg_type("scale_t");
      n.bias_t = cfg_type("bias_t");
      n.result_t = result_t;
      // nnet_batchnorm.h (hls4ml 0.8 and later): n_filt != -1 gives one scale and bias per
      // channel, element i using i % n_filt (n_scale_bias of them).
      std::size_t count = ins[0].size;
      std::string count_what = cfg.name + "::n_in";
      if (cfg.values.contains("n_filt")) {
        const long n_filt = cfg_int("n_filt");
        if (n_filt != -1) {
          if (n_filt < 1 || ins[0].size % static_cast<std::size_t>(n_filt) != 0) {
            throw ModelError(cfg.values.at("n_filt").where() + ": " + cfg.name + "::n_filt = " + std::to_string(n_filt) + " does not divide the " +
                             std::to_string(ins[0].size) + " inputs");
          }
          n.n_filt = n_filt;
          count = static_cast<std::size_t>(n_filt);
          count_what = cfg.name + "::n_filt";
        }
      }
      n.scale = parameter(param_name(2), n.scale_t, count, count_what, c.line);
      n.bias = parameter(param_name(3), n.bias_t, count, count_what, c.line);
      layer = std::make_unique<BatchNormalization>(name, ins[0], std::move(n));
    } else if (c.function == "relu") {
      check_n_in(ins[0].size);
      layer = std::make_unique<ReLU>(name, ins[0], result_t);
    } else if (c.function == "linear") {
      check_n_in(ins[0].size);
      layer = std::make_unique<Linear>(name, ins[0], result_t);
    } else if (c.function == "leaky_relu") {
      check_n_in(ins[0].size);
      LeakyReLU::Config l;
      l.flavor = alpha_flavor_;
      l.result_t = result_t;
      const Tokens& alpha = c.args[1];
      std::string alpha_text;
      bool negative = false;
      for (const auto& t : alpha) {
        if (t.is("-")) {
          negative = !negative;
        } else if (t.kind == SourceToken::Kind::Number && alpha_text.empty()) {
          alpha_text = t.text;
        } else if (!t.is("+")) {
          alpha_text = "?";
        }
      }
      char* end = nullptr;
      std::string digits = alpha_text;
      // A float literal (0.3f) reaches the layer as that float's value.
      const bool is_float = !digits.empty() && (digits.back() == 'f' || digits.back() == 'F');
      if (is_float) digits.pop_back();
      const double alpha_value = is_float ? static_cast<double>(std::strtof(digits.c_str(), &end)) : std::strtod(digits.c_str(), &end);
      if (digits.empty() || end != digits.c_str() + digits.size()) {
        throw ModelError(loc + ": " + call + ": alpha must be a number literal, found '" + text_of(alpha) + "'");
      }
      l.alpha = negative ? -alpha_value : alpha_value;
      if (alpha_flavor_ == Flavor::Head) {
        if (cfg.types.contains("param_t")) {
          l.param_t = cfg_type("param_t");
        } else if (c.template_args.size() == 4) {
          l.param_t = declarations_.resolve_type(c.template_args[1], loc);
        } else {
          throw ModelError(loc + ": " + call + ": alpha is typed with param_t (" + notes_.back() + "), but " + cfg.name +
                           " has none (is this AE_L1_paper or hls4ml < 1.0 code? use --flavour paper)");
        }
      }
      layer = std::make_unique<LeakyReLU>(name, ins[0], l);
    } else if (c.function == "klloss") {
      if (ins[0].size != ins[1].size) throw ModelError(loc + ": " + call + ": mean and log-variance sizes differ");
      check_n_in(ins[0].size);
      KLLoss::Config k;
      k.accum_t = cfg_type("accum_t");
      k.exp_table_t = cfg_type("exp_table_t");
      k.result_t = result_t;
      const long table_size = cfg.values.contains("table_size") ? cfg_int("table_size") : k.table_size;
      const long exp_range = cfg.values.contains("exp_range") ? cfg_int("exp_range") : k.exp_range;
      if (const auto problem = KLLoss::check_table(table_size, exp_range)) {
        const auto it = cfg.values.find(problem->key);
        const std::string where = it != cfg.values.end() ? it->second.where() : cfg_where;
        throw ModelError(where + ": " + cfg.name + "::" + problem->key + " = " + std::to_string(problem->key == "table_size" ? table_size : exp_range) +
                         " " + problem->expected);
      }
      k.table_size = static_cast<int>(table_size);
      k.exp_range = static_cast<int>(exp_range);
      layer = std::make_unique<KLLoss>(name, ins, k);
    } else if (c.function == "subtract") {
      if (ins[0].size != ins[1].size) throw ModelError(loc + ": " + call + ": the two inputs have different sizes");
      layer = std::make_unique<ElementwiseMerge>(name, MergeOp::Subtract, ins, result_t);
    } else if (c.function == "dot1d") {
      if (ins[0].size != ins[1].size) throw ModelError(loc + ": " + call + ": the two inputs have different sizes");
      layer = std::make_unique<Dot>(name, ins, cfg_type("accum_t"), result_t);
    }
    add(std::move(layer));
  }
  std::vector<std::string> outputs;
  for (const auto& p : output_params_) outputs.push_back(arrays.at(arrays.contains(p) ? p : original_name(p)).name);
  return outputs;
}

}  // namespace l1emu::emu

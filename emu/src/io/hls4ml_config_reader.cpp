#include "hls4ml_config_reader.h"

#include "l1emu/emu/error.h"

namespace l1emu::emu::detail {

ConfigParamReader::ConfigParamReader(const CppDeclarations& declarations, const ConfigStruct& config, const CatalogueCall& call,
                                     FixedType result_t, std::string where, ArrayLoader arrays)
    : declarations_(declarations), config_(config), call_(call), result_t_(result_t), where_(std::move(where)), arrays_(std::move(arrays)) {}

std::string ConfigParamReader::member(const std::string& key) const {
  const auto it = call_.renames.find(key);
  return it != call_.renames.end() ? it->second : key;
}

bool ConfigParamReader::has(const std::string& key) const {
  return key == "result_t" || call_.fixed_strings.contains(key) || call_.fixed_integers.contains(key) || call_.arrays.contains(key) ||
         config_.values.contains(member(key)) || config_.types.contains(member(key));
}

const TokenSpan& ConfigParamReader::value(const std::string& key) const {
  const auto it = config_.values.find(member(key));
  if (it == config_.values.end()) fail(key, "config struct '" + config_.name + "' has no member '" + member(key) + "'");
  return it->second;
}

void ConfigParamReader::fail(const std::string& key, const std::string& what) const {
  throw ModelError(where_ + ": " + config_.name + " (key '" + key + "'): " + what);
}

std::string ConfigParamReader::string(const std::string& key) {
  if (const auto it = call_.fixed_strings.find(key); it != call_.fixed_strings.end()) return it->second;
  if (const auto it = string_overrides_.find(key); it != string_overrides_.end()) return it->second;
  // Enumerators (nnet::latency, nnet::softmax_implementation::stable) read as their last name.
  const TokenSpan& v = value(key);
  if (v.tokens.empty() || !v.tokens.back().is_identifier()) fail(key, "expected an enumerator, found '" + v.text() + "'");
  return v.tokens.back().text;
}

std::string ConfigParamReader::string_or(const std::string& key, const std::string& fallback) {
  return has(key) ? string(key) : fallback;
}

long ConfigParamReader::integer(const std::string& key) {
  if (const auto it = call_.fixed_integers.find(key); it != call_.fixed_integers.end()) return it->second;
  return declarations_.evaluate_integer(value(key));
}

long ConfigParamReader::integer_or(const std::string& key, long fallback) { return has(key) ? integer(key) : fallback; }

bool ConfigParamReader::boolean_or(const std::string& key, bool fallback) {
  if (!has(key)) return fallback;
  const std::string text = value(key).text();
  if (text == "true") return true;
  if (text == "false") return false;
  return declarations_.evaluate_integer(value(key)) != 0;
}

double ConfigParamReader::number(const std::string& key) {
  const std::string text = value(key).text();
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) fail(key, "expected a number, found '" + text + "'");
  return v;
}

FixedType ConfigParamReader::type(const std::string& key) {
  if (key == "result_t") return result_t_;
  if (const auto o = type_overrides_.find(key); o != type_overrides_.end()) return o->second;
  const auto it = config_.types.find(member(key));
  if (it == config_.types.end()) fail(key, "config struct '" + config_.name + "' has no type '" + member(key) + "'");
  return declarations_.resolve_type(it->second);
}

std::vector<double> ConfigParamReader::tensor(const std::string& key, const std::vector<std::size_t>& /*dims*/) {
  fail(key, "a list of numbers is not read from a config struct");
}

std::vector<long> ConfigParamReader::integers(const std::string& key, std::size_t /*count*/) {
  fail(key, "a list of integers is not read from a config struct");
}

std::vector<BigInt> ConfigParamReader::codes(const std::string& key, const std::vector<std::size_t>& dims, const FixedType& type) {
  const auto it = call_.arrays.find(key);
  if (it == call_.arrays.end()) fail(key, "no argument of the call holds it");
  std::size_t count = 1;
  for (std::size_t d : dims) count *= d;
  std::vector<BigInt> codes = arrays_(it->second, type, count, key);
  std::string why;
  // The strategy the kernel was written for (the config struct's own), not one the importer chose
  // to compute it with (override_string): an io_stream convolution that sums in any order is
  // computed as latency, but hls4ml wrote its kernel transposed for the resource strategy.
  std::string strategy;
  if (const auto fixed = call_.fixed_strings.find("strategy"); fixed != call_.fixed_strings.end()) {
    strategy = fixed->second;
  } else if (config_.values.contains("strategy")) {
    strategy = config_.enumerator("strategy");
  } else if (has("strategy")) {
    strategy = string("strategy");
  }
  if ((strategy == "resource" || strategy == "resource_unrolled") && !dims.empty() &&
      resource_transposed(catalogue_class(call_, config_, why), key)) {
    // Written as (F, rest...) by resource_strategy.py; back to (rest..., F): Keras[r*F + f] = file[f*R + r].
    const std::size_t n_f = dims.back(), n_r = count / n_f;
    std::vector<BigInt> keras(codes.size());
    for (std::size_t f = 0; f < n_f; ++f) {
      for (std::size_t r = 0; r < n_r; ++r) keras[r * n_f + f] = codes[f * n_r + r];
    }
    codes = std::move(keras);
  }
  return codes;
}

void ConfigParamReader::ignore(std::initializer_list<const char*> /*keys*/) {}

}  // namespace l1emu::emu::detail

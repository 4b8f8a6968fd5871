#pragma once
// A layer's keys read from an hls4ml call: its config struct's members (static const values and
// typedefs), the call's result type and its parameter arrays. Lets a catalogue layer class build
// itself from a project exactly as it does from model.json, so the import of a class needs only a
// row in hls4ml_layer_calls.cpp.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hls4ml_layer_calls.h"
#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/nn/layer_params.h"

namespace l1emu::emu::detail {

class ConfigParamReader final : public LayerParamReader {
 public:
  /// Codes of a parameter array (argument `index` of the call) in `type`, `count` of them.
  using ArrayLoader = std::function<std::vector<BigInt>(std::size_t index, const FixedType& type, std::size_t count, const std::string& key)>;

  ConfigParamReader(const CppDeclarations& declarations, const ConfigStruct& config, const CatalogueCall& call, FixedType result_t,
                    std::string where, ArrayLoader arrays);

  [[nodiscard]] bool has(const std::string& key) const override;
  [[nodiscard]] std::string string(const std::string& key) override;
  [[nodiscard]] std::string string_or(const std::string& key, const std::string& fallback) override;
  [[nodiscard]] long integer(const std::string& key) override;
  [[nodiscard]] long integer_or(const std::string& key, long fallback) override;
  [[nodiscard]] bool boolean_or(const std::string& key, bool fallback) override;
  [[nodiscard]] double number(const std::string& key) override;
  [[nodiscard]] FixedType type(const std::string& key) override;
  [[nodiscard]] std::vector<double> tensor(const std::string& key, const std::vector<std::size_t>& dims) override;
  [[nodiscard]] std::vector<long> integers(const std::string& key, std::size_t count) override;
  [[nodiscard]] std::vector<BigInt> codes(const std::string& key, const std::vector<std::size_t>& dims, const FixedType& type) override;
  void ignore(std::initializer_list<const char*> keys) override;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const override;
  /// Answers type(key) with `type` instead of the config's member (what the project's nnet_utils
  /// computes with, when that is not the member the struct names).
  void override_type(const std::string& key, const FixedType& type) { type_overrides_[key] = type; }
  /// Answers string(key) with `value` (a choice the importer proved equivalent to the member's).
  void override_string(const std::string& key, const std::string& value) { string_overrides_[key] = value; }

 private:
  [[nodiscard]] std::string member(const std::string& key) const;
  [[nodiscard]] const TokenSpan& value(const std::string& key) const;

  const CppDeclarations& declarations_;
  const ConfigStruct& config_;
  const CatalogueCall& call_;
  FixedType result_t_;
  std::map<std::string, FixedType> type_overrides_;
  std::map<std::string, std::string> string_overrides_;
  std::string where_;
  ArrayLoader arrays_;
};

}  // namespace l1emu::emu::detail

#pragma once
// Typed access to the keys of one JSON object with error messages that say where the problem is
// ("model.json: layer 'dense_1' (Dense): key 'bias': expected 32 numbers, found 31").
// Every key read is remembered so that unknown keys can be reported afterwards.
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/fixed_type.h"
#include "l1emu/emu/nn/layer_params.h"

namespace l1emu::emu::detail {

class JsonFields final : public LayerParamReader {
 public:
  /// `where` prefixes every message; `default_type` answers type keys that are absent (the
  /// model's default_precision), or nullptr when there is none.
  JsonFields(const nlohmann::json& object, std::string where, const FixedType* default_type = nullptr);

  [[nodiscard]] bool has(const std::string& key) const override;
  [[nodiscard]] std::string string(const std::string& key) override;
  [[nodiscard]] std::string string_or(const std::string& key, const std::string& fallback) override;
  [[nodiscard]] long integer(const std::string& key) override;
  [[nodiscard]] long integer_or(const std::string& key, long fallback) override;
  [[nodiscard]] double number(const std::string& key) override;
  [[nodiscard]] FixedType type(const std::string& key) override;
  /// A list of exactly `count` finite numbers.
  [[nodiscard]] std::vector<double> numbers(const std::string& key, std::size_t count);
  /// `rows` lists of `cols` numbers each, flattened row-major.
  [[nodiscard]] std::vector<double> matrix(const std::string& key, std::size_t rows, std::size_t cols);
  [[nodiscard]] bool boolean_or(const std::string& key, bool fallback) override;
  [[nodiscard]] std::vector<double> tensor(const std::string& key, const std::vector<std::size_t>& dims) override;
  [[nodiscard]] std::vector<long> integers(const std::string& key, std::size_t count = 0) override;
  /// A list of strings of the given length (0: any non-empty length).
  [[nodiscard]] std::vector<std::string> strings(const std::string& key, std::size_t count = 0);
  /// The raw value of a key (marks it read).
  [[nodiscard]] const nlohmann::json& raw(const std::string& key);
  /// Marks keys that are accepted but have no effect.
  void ignore(std::initializer_list<const char*> keys) override;
  /// Throws if the object has keys that nobody read.
  void reject_unknown_keys() const;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const override;
  [[noreturn]] void fail(const std::string& what) const;
  [[nodiscard]] const std::string& where() const { return where_; }

 private:
  const nlohmann::json& object_;
  std::string where_;
  const FixedType* default_type_;
  std::set<std::string> seen_;
};

}  // namespace l1emu::emu::detail

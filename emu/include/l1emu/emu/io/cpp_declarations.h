#pragma once
// CppDeclarations: what the importers need from a set of tokenized C++ files (CppSource): type
// aliases, integer constants, the config structs of parameters.h, arrays with C initialisers and
// function definitions. Namespaces are transparent (hls4ml projects may wrap everything in
// `namespace hls4ml_axol1tl_v1 {`); a name defined twice in different ways is an error naming both
// places, so a #ifdef choice is never resolved silently.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/fixed_type.h"
#include "l1emu/emu/io/cpp_source.h"

namespace l1emu::emu {

/// A run of tokens together with the file they came from.
struct TokenSpan {
  const CppSource* source = nullptr;
  std::vector<SourceToken> tokens;
  std::size_t line = 0;  // where the declaration starts

  [[nodiscard]] std::string where() const { return source != nullptr ? source->location(line) : "?"; }
  [[nodiscard]] std::string text() const;
};

/// `struct configN : nnet::dense_config { static const unsigned n_in = 57; typedef w_t weight_t; ... };`
struct ConfigStruct {
  std::string name;
  TokenSpan declaration;
  std::map<std::string, TokenSpan> values;  // static const members: name -> initializer expression
  std::map<std::string, TokenSpan> types;   // member typedefs / using: name -> aliased type
  // member alias templates `template <class x_T, class y_T> using product = ...;`: name -> the
  // tokens between the template's < > (hls4ml's writers changed product's parameters in 0.7)
  std::map<std::string, TokenSpan> alias_templates;

  /// The last name of a static member's value (`nnet::Max` -> "Max", `nnet::io_stream` ->
  /// "io_stream"), or "" when the struct has no such member.
  [[nodiscard]] std::string enumerator(const std::string& key) const {
    const auto it = values.find(key);
    return it == values.end() || it->second.tokens.empty() ? std::string() : it->second.tokens.back().text;
  }
};

/// `T name[SIZE] = {...};` (possibly static, const, nested braces) or a declaration without data.
struct ArrayDeclaration {
  std::string name;
  TokenSpan type;
  std::vector<TokenSpan> dimensions;           // the expressions between [ ]
  std::optional<TokenSpan> initializer;        // the tokens between the outer braces
};

/// `void name(params) { body }`
struct FunctionDefinition {
  std::string name;
  const CppSource* source = nullptr;
  std::size_t line = 0;
  std::vector<SourceToken> parameters;  // between the parentheses
  std::vector<SourceToken> body;        // between the braces
};

/// A scalar type, or the element type of an io_stream pack `nnet::array<T, N>` with its size.
struct PackedType {
  FixedType element;
  std::size_t pack = 0;  // 0: not an nnet::array
};

class CppDeclarations {
 public:
  /// Scans one file; the source must outlive this object. Throws ModelError on conflicting
  /// definitions.
  void add(const CppSource& source);

  [[nodiscard]] const std::map<std::string, TokenSpan>& type_aliases() const { return aliases_; }
  [[nodiscard]] const std::map<std::string, ConfigStruct>& structs() const { return structs_; }
  [[nodiscard]] const std::map<std::string, ArrayDeclaration>& arrays() const { return arrays_; }
  [[nodiscard]] const std::vector<FunctionDefinition>& functions() const { return functions_; }
  /// The files scanned, in the order added (errors about what none of them holds name them).
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }

  /// The FixedType a type expression names: ap_fixed<...>/ap_ufixed<...>/ap_int<W>/ap_uint<W>
  /// (arguments may be constants) or an alias of one. Throws ModelError "where: unknown type 'X'".
  [[nodiscard]] FixedType resolve_type(const std::vector<SourceToken>& tokens, const std::string& where) const;
  [[nodiscard]] FixedType resolve_type(const TokenSpan& span) const { return resolve_type(span.tokens, span.where()); }
  /// As resolve_type, also through `nnet::array<T, N>` (resolve_type gives its element type T,
  /// the type every nnet:: stream function computes with).
  [[nodiscard]] PackedType resolve_packed_type(const std::vector<SourceToken>& tokens, const std::string& where) const;
  /// Evaluates an integer constant expression (numbers, constants, #defines, + - * / % and
  /// parentheses). Throws ModelError naming `where`.
  [[nodiscard]] long evaluate_integer(const std::vector<SourceToken>& tokens, const std::string& where) const;
  [[nodiscard]] long evaluate_integer(const TokenSpan& span) const { return evaluate_integer(span.tokens, span.where()); }
  /// True when `name` is a known integer constant or #define.
  [[nodiscard]] bool has_constant(const std::string& name) const { return constants_.contains(name); }
  /// True when some file #defines `name` (with or without a value).
  [[nodiscard]] bool is_defined(const std::string& name) const { return defined_macros_.contains(name); }

 private:
  void add_alias(const std::string& name, TokenSpan type);
  void add_constant(const std::string& name, TokenSpan value);

  std::map<std::string, TokenSpan> aliases_;
  std::map<std::string, TokenSpan> constants_;
  std::map<std::string, ConfigStruct> structs_;
  std::map<std::string, ArrayDeclaration> arrays_;
  std::vector<FunctionDefinition> functions_;
  std::set<std::string> defined_macros_;
  std::vector<std::string> files_;
};

/// Drops namespace qualifiers: `ns :: name` -> `name` (except the nnet:: of layer calls, which the
/// callers look for before calling this).
[[nodiscard]] std::vector<SourceToken> strip_qualifiers(const std::vector<SourceToken>& tokens);

}  // namespace l1emu::emu

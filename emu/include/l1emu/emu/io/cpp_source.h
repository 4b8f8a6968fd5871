#pragma once
// CppSource: a small tokenizer for the C++ that hls4ml and the AXOL1TL packages write (defines.h,
// parameters.h, weights headers, the top function). It is not a compiler: it strips comments and
// line continuations, drops #pragma/#include lines, records simple #define NAME VALUE macros and
// keeps the tokens of every #if/#ifdef/#ifndef branch except those of `#if 0` (a branch that can
// never be compiled). Conflicting declarations coming from different branches are reported by the
// importers, never resolved silently. Every token keeps its 1-based line for "file:line" errors.
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace l1emu::emu {

struct SourceToken {
  enum class Kind { Identifier, Number, String, Punct };
  Kind kind = Kind::Punct;
  std::string text;
  std::size_t line = 0;

  [[nodiscard]] bool is(std::string_view s) const { return text == s && kind != Kind::String; }
  [[nodiscard]] bool is_identifier() const { return kind == Kind::Identifier; }
};

class CppSource {
 public:
  /// Reads and tokenizes a file. Throws ModelError when it cannot be read or a comment, string or
  /// #if block is not terminated.
  static CppSource read(const std::filesystem::path& path);
  /// Tokenizes `text`; `file` names it in locations.
  static CppSource parse(std::string_view text, std::string file);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::vector<SourceToken>& tokens() const { return tokens_; }
  /// `#define NAME tokens` seen anywhere (function-like macros are not recorded).
  [[nodiscard]] const std::map<std::string, std::vector<SourceToken>>& defines() const { return defines_; }
  /// "file:line".
  [[nodiscard]] std::string location(std::size_t line) const;
  /// The text of a // comment that ends line `line` (trimmed), or "" (hls4ml writes the Keras
  /// layer name there after each layer call).
  [[nodiscard]] std::string trailing_comment(std::size_t line) const;

 private:
  std::string file_;
  std::vector<SourceToken> tokens_;
  std::map<std::string, std::vector<SourceToken>> defines_;
  std::map<std::size_t, std::string> trailing_comments_;
};

}  // namespace l1emu::emu

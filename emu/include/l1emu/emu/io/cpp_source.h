#pragma once
// CppSource: a small tokenizer for the C++ that hls4ml and the AXOL1TL packages write (defines.h,
// parameters.h, weights headers, the top function). It is not a compiler: it strips comments and
// line continuations, drops #pragma/#include lines, records simple #define NAME VALUE macros and
// keeps the tokens of every #if/#ifdef/#ifndef branch except those of `#if 0` (a branch that can
// never be compiled). Conflicting declarations coming from different branches are reported by the
// importers, never resolved silently. Every token keeps its 1-based line for "file:line" errors.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace l1emu::emu {

struct SourceToken {
  enum class Kind { Identifier, Number, String, Punct };
  Kind kind = Kind::Punct;
  std::string text;
  std::size_t line = 0;
  /// The innermost `#ifdef M` / `#ifndef M` (or its #else) around the token: 1 + an index into
  /// CppSource::guards(), or 0 when there is none (or the innermost is an `#if` expression).
  std::uint32_t guard = 0;

  [[nodiscard]] bool is(std::string_view s) const { return text == s && kind != Kind::String; }
  [[nodiscard]] bool is_identifier() const { return kind == Kind::Identifier; }
};

/// A token compiled only when `macro` is defined (`#ifdef macro`, or the #else of #ifndef), or
/// only when it is not.
struct SourceGuard {
  std::string macro;
  bool when_defined = true;
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
  /// `#include "name"` directives (quoted, outside never-compiled blocks): the name and its line.
  [[nodiscard]] const std::vector<std::pair<std::string, std::size_t>>& includes() const { return includes_; }
  /// The #ifdef / #ifndef guard of a token, or nullptr.
  [[nodiscard]] const SourceGuard* guard(const SourceToken& token) const { return token.guard == 0 ? nullptr : &guards_[token.guard - 1]; }
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
  std::vector<SourceGuard> guards_;
  std::vector<std::pair<std::string, std::size_t>> includes_;
};

}  // namespace l1emu::emu

#include "l1emu/emu/io/cpp_source.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "l1emu/emu/error.h"

namespace l1emu::emu {
namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// One #if frame. A branch is dropped only when it is certainly never compiled: `#if 0`.
struct Conditional {
  bool parent_skipping = false;
  bool is_if0 = false;
  bool in_else = false;
  std::string macro;          // #ifdef / #ifndef only; "" for #if expressions and after #elif
  bool when_defined = true;   // the current branch compiles when `macro` is defined
  [[nodiscard]] bool skipping() const { return parent_skipping || (is_if0 && !in_else); }
};

// Lexes the token at text[pos] (not white space, not a comment) and advances pos.
SourceToken lex_token(std::string_view text, std::size_t& pos, std::size_t line, const std::string& file) {
  SourceToken t;
  t.line = line;
  const char c = text[pos];
  if (is_ident_start(c)) {
    t.kind = SourceToken::Kind::Identifier;
    while (pos < text.size() && is_ident_char(text[pos])) t.text += text[pos++];
  } else if (is_digit(c) || (c == '.' && pos + 1 < text.size() && is_digit(text[pos + 1]))) {
    // A pp-number: digits, letters, '.', and a sign right after an exponent letter (1.5e-3).
    t.kind = SourceToken::Kind::Number;
    const bool hex = c == '0' && pos + 1 < text.size() && (text[pos + 1] == 'x' || text[pos + 1] == 'X');
    while (pos < text.size()) {
      const char d = text[pos];
      const bool exponent_sign = (d == '+' || d == '-') && !t.text.empty() &&
                                 (hex ? (t.text.back() == 'p' || t.text.back() == 'P') : (t.text.back() == 'e' || t.text.back() == 'E'));
      if (!is_ident_char(d) && d != '.' && !exponent_sign) break;
      t.text += d;
      ++pos;
    }
  } else if (c == '"' || c == '\'') {
    t.kind = SourceToken::Kind::String;
    ++pos;
    while (true) {
      if (pos >= text.size() || text[pos] == '\n') throw ModelError(file + ":" + std::to_string(line) + ": unterminated string literal");
      if (text[pos] == '\\' && pos + 1 < text.size()) {
        t.text += text[pos + 1];
        pos += 2;
        continue;
      }
      if (text[pos] == c) {
        ++pos;
        break;
      }
      t.text += text[pos++];
    }
  } else if (c == ':' && pos + 1 < text.size() && text[pos + 1] == ':') {
    t.text = "::";
    pos += 2;
  } else {
    t.text = std::string(1, c);
    ++pos;
  }
  return t;
}

// Tokens of a directive's remainder (already free of comments and continuations).
std::vector<SourceToken> lex_all(std::string_view text, std::size_t line, const std::string& file) {
  std::vector<SourceToken> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[pos])) != 0) {
      ++pos;
      continue;
    }
    out.push_back(lex_token(text, pos, line, file));
  }
  return out;
}

}  // namespace

std::string CppSource::location(std::size_t line) const { return file_ + ":" + std::to_string(line); }

std::string CppSource::trailing_comment(std::size_t line) const {
  const auto it = trailing_comments_.find(line);
  return it == trailing_comments_.end() ? std::string() : it->second;
}

namespace {

// Brackets must pair up as a compiler pairs them: a stray '}' would otherwise end a function body
// or a parameter list early and turn what follows into something else (an output parameter read
// as an input), which a compiler would have refused. Both branches of an #if are kept here (the
// importers read what any configuration could compile), so each must be balanced on its own, as
// hls4ml writes them.
void check_brackets(const CppSource& src) {
  struct Open {
    char bracket;
    std::size_t line;
  };
  std::vector<Open> open;
  for (const auto& token : src.tokens()) {
    if (token.kind != SourceToken::Kind::Punct || token.text.size() != 1) continue;
    const char c = token.text[0];
    if (c == '(' || c == '[' || c == '{') {
      open.push_back({c, token.line});
    } else if (c == ')' || c == ']' || c == '}') {
      const char expected_open = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (open.empty()) throw ModelError(src.location(token.line) + ": '" + token.text + "' closes nothing (a stray bracket; this would not compile)");
      if (open.back().bracket != expected_open) {
        throw ModelError(src.location(token.line) + ": '" + token.text + "' where the '" + std::string(1, open.back().bracket) + "' opened at line " +
                         std::to_string(open.back().line) + " must be closed first (this would not compile)");
      }
      open.pop_back();
    }
  }
  if (!open.empty()) throw ModelError(src.location(open.back().line) + ": '" + std::string(1, open.back().bracket) + "' is never closed");
}

}  // namespace

CppSource CppSource::read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(path.string() + ": cannot open the file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path.string());
}

CppSource CppSource::parse(std::string_view text, std::string file) {
  CppSource src;
  src.file_ = std::move(file);
  const std::string& name = src.file_;
  std::vector<Conditional> conditionals;
  std::vector<std::size_t> if_lines;
  const auto skipping = [&] { return !conditionals.empty() && conditionals.back().skipping(); };
  std::size_t pos = 0;
  std::size_t line = 1;
  bool at_line_start = true;

  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '\\' && pos + 1 < text.size() && (text[pos + 1] == '\n' || text[pos + 1] == '\r')) {
      pos += text[pos + 1] == '\r' && pos + 2 < text.size() && text[pos + 2] == '\n' ? 3 : 2;
      ++line;
      continue;
    }
    if (c == '\n') {
      ++line;
      ++pos;
      at_line_start = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++pos;
      continue;
    }
    if (c == '/' && pos + 1 < text.size() && text[pos + 1] == '/') {
      const std::size_t end = std::min(text.find('\n', pos), text.size());
      const std::string comment = trim(text.substr(pos + 2, end - pos - 2));
      if (!skipping() && !src.tokens_.empty() && src.tokens_.back().line == line) src.trailing_comments_[line] = comment;
      pos = end;
      continue;
    }
    if (c == '/' && pos + 1 < text.size() && text[pos + 1] == '*') {
      const std::size_t end = text.find("*/", pos + 2);
      if (end == std::string_view::npos) throw ModelError(src.location(line) + ": unterminated /* comment");
      for (std::size_t i = pos; i < end; ++i) line += text[i] == '\n' ? 1 : 0;
      pos = end + 2;
      continue;
    }
    if (c == '#' && at_line_start) {
      // A directive: its logical line, continuations joined, comments removed.
      const std::size_t directive_line = line;
      std::string body;
      ++pos;
      while (pos < text.size() && text[pos] != '\n') {
        if (text[pos] == '\\' && pos + 1 < text.size() && (text[pos + 1] == '\n' || text[pos + 1] == '\r')) {
          pos += text[pos + 1] == '\r' && pos + 2 < text.size() && text[pos + 2] == '\n' ? 3 : 2;
          ++line;
          body += ' ';
          continue;
        }
        if (text[pos] == '/' && pos + 1 < text.size() && text[pos + 1] == '/') {
          while (pos < text.size() && text[pos] != '\n') ++pos;
          break;
        }
        if (text[pos] == '/' && pos + 1 < text.size() && text[pos + 1] == '*') {
          const std::size_t end = text.find("*/", pos + 2);
          if (end == std::string_view::npos) throw ModelError(src.location(line) + ": unterminated /* comment");
          for (std::size_t i = pos; i < end; ++i) line += text[i] == '\n' ? 1 : 0;
          pos = end + 2;
          body += ' ';
          continue;
        }
        body += text[pos++];
      }
      const std::string directive = trim(body);
      std::size_t word_end = 0;
      while (word_end < directive.size() && is_ident_char(directive[word_end])) ++word_end;
      const std::string word = directive.substr(0, word_end);
      const std::string rest = trim(std::string_view(directive).substr(word_end));
      if (word == "if" || word == "ifdef" || word == "ifndef") {
        Conditional frame;
        frame.parent_skipping = skipping();
        frame.is_if0 = word == "if" && (rest == "0" || rest == "(0)");
        if (word != "if") {
          std::size_t m = 0;
          while (m < rest.size() && is_ident_char(rest[m])) ++m;
          frame.macro = rest.substr(0, m);
          frame.when_defined = word == "ifdef";
        }
        conditionals.push_back(frame);
        if_lines.push_back(directive_line);
      } else if (word == "elif" || word == "else") {
        if (conditionals.empty()) throw ModelError(src.location(directive_line) + ": #" + word + " without #if");
        conditionals.back().in_else = true;  // every branch after `#if 0` may be compiled
        if (word == "else") {
          conditionals.back().when_defined = !conditionals.back().when_defined;
        } else {
          conditionals.back().macro.clear();
        }
      } else if (word == "endif") {
        if (conditionals.empty()) throw ModelError(src.location(directive_line) + ": #endif without #if");
        conditionals.pop_back();
        if_lines.pop_back();
      } else if (word == "define" && !skipping()) {
        std::size_t n = 0;
        while (n < rest.size() && is_ident_char(rest[n])) ++n;
        const bool function_like = n < rest.size() && rest[n] == '(';
        if (n > 0 && !function_like) src.defines_[rest.substr(0, n)] = lex_all(std::string_view(rest).substr(n), directive_line, name);
      } else if (word == "include" && !skipping() && rest.size() > 2 && rest.front() == '"') {
        const std::size_t close = rest.find('"', 1);
        if (close != std::string::npos) src.includes_.emplace_back(rest.substr(1, close - 1), directive_line);
      }
      // #pragma, #undef, #error, <system> includes and the rest carry nothing the importers need.
      continue;
    }
    at_line_start = false;
    SourceToken token = lex_token(text, pos, line, name);
    if (!conditionals.empty() && !conditionals.back().macro.empty()) {
      const Conditional& frame = conditionals.back();
      std::size_t g = 0;
      while (g < src.guards_.size() && !(src.guards_[g].macro == frame.macro && src.guards_[g].when_defined == frame.when_defined)) ++g;
      if (g == src.guards_.size()) src.guards_.push_back(SourceGuard{frame.macro, frame.when_defined});
      token.guard = static_cast<std::uint32_t>(g + 1);
    }
    if (!skipping()) src.tokens_.push_back(std::move(token));
  }
  if (!conditionals.empty()) throw ModelError(src.location(if_lines.back()) + ": #if/#ifdef/#ifndef without #endif");
  check_brackets(src);
  return src;
}

}  // namespace l1emu::emu

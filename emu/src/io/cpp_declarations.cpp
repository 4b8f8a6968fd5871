#include "l1emu/emu/io/cpp_declarations.h"

#include <set>

#include "l1emu/emu/error.h"
#include "l1emu/text/excerpt.h"

namespace l1emu::emu {
namespace {

using Tokens = std::vector<SourceToken>;

std::string join(const Tokens& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty() && (t.is_identifier() || t.kind == SourceToken::Kind::Number) &&
        (std::isalnum(static_cast<unsigned char>(out.back())) != 0 || out.back() == '_')) {
      out += ' ';
    }
    out += t.text;
  }
  return out;
}

// Index of the bracket closing the one at `open` (same kind), or npos.
std::size_t matching(const Tokens& t, std::size_t open) {
  const std::string o = t[open].text;
  const std::string c = o == "(" ? ")" : o == "[" ? "]" : o == "{" ? "}" : ">";
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i].kind == SourceToken::Kind::String) continue;
    if (t[i].text == o) ++depth;
    if (t[i].text == c && --depth == 0) return i;
  }
  return std::string::npos;
}

Tokens slice(const Tokens& t, std::size_t begin, std::size_t end) {
  return Tokens(t.begin() + static_cast<std::ptrdiff_t>(begin), t.begin() + static_cast<std::ptrdiff_t>(end));
}

const std::set<std::string>& storage_words() {
  static const std::set<std::string> words{"static", "const", "constexpr", "extern", "inline", "volatile", "typename"};
  return words;
}

bool same_tokens(const Tokens& a, const Tokens& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].text != b[i].text) return false;
  }
  return true;
}

[[noreturn]] void conflict(const std::string& what, const std::string& name, const TokenSpan& a, const TokenSpan& b) {
  throw ModelError(b.where() + ": conflicting definitions of " + what + " '" + name + "': '" + b.text() + "' here, '" + a.text() +
                   "' at " + a.where());
}

class IntegerParser {
 public:
  IntegerParser(const CppDeclarations& decls, const Tokens& tokens, std::string where, const std::map<std::string, TokenSpan>& constants,
                int depth)
      : decls_(decls), t_(tokens), where_(std::move(where)), constants_(constants), depth_(depth) {}

  long parse() {
    if (t_.empty()) fail("expected an integer expression");
    const long v = sum();
    if (i_ != t_.size()) fail("unexpected '" + t_[i_].text + "' in integer expression '" + join(t_) + "'");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ModelError(where_ + ": " + what); }
  bool accept(const char* s) {
    if (i_ < t_.size() && t_[i_].is(s)) {
      ++i_;
      return true;
    }
    return false;
  }
  long sum() {
    long v = product();
    while (true) {
      if (accept("+")) {
        v += product();
      } else if (accept("-")) {
        v -= product();
      } else {
        return v;
      }
    }
  }
  long product() {
    long v = unary();
    while (true) {
      if (accept("*")) {
        v *= unary();
      } else if (accept("/") || accept("%")) {
        const bool div = t_[i_ - 1].is("/");
        const long d = unary();
        if (d == 0) fail("division by zero in '" + join(t_) + "'");
        v = div ? v / d : v % d;
      } else {
        return v;
      }
    }
  }
  long unary() {
    if (accept("-")) return -unary();
    if (accept("+")) return unary();
    if (accept("(")) {
      const long v = sum();
      if (!accept(")")) fail("missing ')' in '" + join(t_) + "'");
      return v;
    }
    if (i_ >= t_.size()) fail("incomplete integer expression '" + join(t_) + "'");
    const SourceToken& tok = t_[i_++];
    if (tok.kind == SourceToken::Kind::Number) {
      std::string digits = tok.text;
      while (!digits.empty() && (digits.back() == 'u' || digits.back() == 'U' || digits.back() == 'l' || digits.back() == 'L')) digits.pop_back();
      try {
        std::size_t used = 0;
        const long v = std::stol(digits, &used, 0);
        if (used == digits.size()) return v;
      } catch (const std::exception&) {
      }
      fail("expected an integer, found '" + tok.text + "'");
    }
    if (tok.is_identifier()) {
      const auto it = constants_.find(tok.text);
      if (it == constants_.end()) fail("unknown constant '" + tok.text + "'");
      if (depth_ > 32) fail("constant '" + tok.text + "' is defined in terms of itself");
      return IntegerParser(decls_, it->second.tokens, it->second.where(), constants_, depth_ + 1).parse();
    }
    fail("unexpected '" + tok.text + "' in integer expression '" + join(t_) + "'");
  }

  const CppDeclarations& decls_;
  const Tokens& t_;
  std::string where_;
  const std::map<std::string, TokenSpan>& constants_;
  int depth_;
  std::size_t i_ = 0;
};

}  // namespace

std::string TokenSpan::text() const { return join(tokens); }

Tokens strip_qualifiers(const Tokens& tokens) {
  Tokens out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].is_identifier() && i + 1 < tokens.size() && tokens[i + 1].is("::")) {
      ++i;  // skip the qualifier and the ::
      continue;
    }
    if (tokens[i].is("::") && (i == 0 || !tokens[i - 1].is_identifier())) continue;  // ::name
    out.push_back(tokens[i]);
  }
  return out;
}

void CppDeclarations::add_alias(const std::string& name, TokenSpan type) {
  type.tokens = strip_qualifiers(type.tokens);
  const auto [it, inserted] = aliases_.emplace(name, type);
  if (!inserted && !same_tokens(it->second.tokens, type.tokens)) conflict("type", name, it->second, type);
}

void CppDeclarations::add_constant(const std::string& name, TokenSpan value) {
  value.tokens = strip_qualifiers(value.tokens);
  const auto [it, inserted] = constants_.emplace(name, value);
  if (!inserted && !same_tokens(it->second.tokens, value.tokens)) conflict("constant", name, it->second, value);
}

void CppDeclarations::add(const CppSource& source) {
  files_.push_back(source.file());
  for (const auto& [name, value] : source.defines()) {
    defined_macros_.insert(name);
    if (!value.empty()) add_constant(name, TokenSpan{&source, value, value.front().line});
  }
  const Tokens& t = source.tokens();
  const std::size_t n = t.size();
  const auto span = [&](std::size_t b, std::size_t e) { return TokenSpan{&source, slice(t, b, e), b < n ? t[b].line : 0}; };
  const auto find_semicolon = [&](std::size_t from) {
    int depth = 0;
    for (std::size_t j = from; j < n; ++j) {
      if (t[j].kind == SourceToken::Kind::String) continue;
      if (t[j].is("(") || t[j].is("{") || t[j].is("[")) ++depth;
      if (t[j].is(")") || t[j].is("}") || t[j].is("]")) --depth;
      if (depth <= 0 && t[j].is(";")) return j;
    }
    throw ModelError(source.location(t[from].line) + ": declaration without ';'");
  };
  const auto require_match = [&](std::size_t open) {
    const std::size_t close = matching(t, open);
    if (close == std::string::npos) throw ModelError(source.location(t[open].line) + ": '" + t[open].text + "' is never closed");
    return close;
  };

  std::size_t i = 0;
  while (i < n) {
    const SourceToken& tok = t[i];
    if (tok.is(";") || tok.is("}")) {
      ++i;
    } else if (tok.is("namespace")) {
      // Namespaces are transparent: step inside.
      std::size_t j = i + 1;
      while (j < n && !t[j].is("{") && !t[j].is(";")) ++j;
      i = j + 1;
    } else if ((tok.is("public") || tok.is("private") || tok.is("protected")) && i + 1 < n && t[i + 1].is(":")) {
      i += 2;
    } else if (tok.is("extern") && i + 2 < n && t[i + 1].kind == SourceToken::Kind::String && t[i + 2].is("{")) {
      i += 3;
    } else if (tok.is("template")) {
      if (i + 1 < n && t[i + 1].is("<")) {
        i = require_match(i + 1) + 1;
      } else {
        ++i;
      }
      // A template definition is nnet_utils code, not project data: skip the whole entity, but
      // keep a function template's definition (da4ml's dense_da_N in nnet_code_gen.h is one).
      std::size_t j = i;
      std::size_t paren = n;
      bool is_class = false;
      while (j < n && !t[j].is(";") && !t[j].is("{")) {
        is_class = is_class || ((t[j].is("class") || t[j].is("struct")) && paren == n);
        if (t[j].is("(") && paren == n) paren = j;
        j = t[j].is("(") ? require_match(j) + 1 : j + 1;
      }
      if (j < n && t[j].is("{") && !is_class && paren != n && paren > i && t[paren - 1].is_identifier()) {
        const std::size_t close = require_match(j);
        functions_.push_back(FunctionDefinition{t[paren - 1].text, &source, t[paren - 1].line, slice(t, paren + 1, require_match(paren)),
                                                slice(t, j + 1, close)});
        i = close + 1;
      } else {
        i = j < n && t[j].is("{") ? require_match(j) + 1 : j + 1;
      }
    } else if (tok.is("typedef")) {
      const std::size_t end = find_semicolon(i);
      if (end >= i + 3 && t[end - 1].is_identifier()) {
        bool plain = true;
        for (std::size_t j = i + 1; j < end; ++j) plain = plain && !t[j].is("(") && !t[j].is("[");
        if (plain) add_alias(t[end - 1].text, span(i + 1, end - 1));
      }
      i = end + 1;
    } else if (tok.is("using")) {
      const std::size_t end = find_semicolon(i);
      if (i + 3 < end && t[i + 1].is_identifier() && t[i + 2].is("=")) add_alias(t[i + 1].text, span(i + 3, end));
      i = end + 1;
    } else if ((tok.is("struct") || tok.is("class")) && i + 1 < n && t[i + 1].is_identifier()) {
      std::size_t j = i + 2;
      while (j < n && !t[j].is("{") && !t[j].is(";")) ++j;
      if (j >= n || t[j].is(";")) {
        i = j + 1;  // a forward declaration
        continue;
      }
      if (tok.is("class")) {
        i = j + 1;  // a class (the emulator wrapper): scan its members like top-level code
        continue;
      }
      const std::size_t close = require_match(j);
      ConfigStruct s;
      s.name = t[i + 1].text;
      s.declaration = span(i, j);
      std::size_t k = j + 1;
      while (k < close) {
        std::size_t end = k;
        int depth = 0;
        while (end < close && !(depth == 0 && t[end].is(";"))) {
          if (t[end].is("(") || t[end].is("{")) ++depth;
          if (t[end].is(")") || t[end].is("}")) --depth;
          ++end;
        }
        if (t[k].is("template") && k + 1 < end && t[k + 1].is("<")) {
          // member templates carry no numbers or types; an alias template's parameter list is kept
          std::size_t gt = k + 2;
          for (int angles = 1; gt < end; ++gt) {
            if (t[gt].is("<")) ++angles;
            if (t[gt].is(">") && --angles == 0) break;
          }
          if (gt + 2 < end && t[gt + 1].is("using") && t[gt + 2].is_identifier()) {
            s.alias_templates[t[gt + 2].text] = TokenSpan{&source, slice(t, k + 2, gt), t[k].line};
          }
        } else if (t[k].is("template") || t[k].is("public") || t[k].is("private")) {
          // other member templates (kernel) and access specifiers carry nothing we need
        } else if (t[k].is("typedef") && end >= k + 3 && t[end - 1].is_identifier()) {
          s.types[t[end - 1].text] = TokenSpan{&source, strip_qualifiers(slice(t, k + 1, end - 1)), t[k].line};
        } else if (t[k].is("using") && k + 3 < end && t[k + 1].is_identifier() && t[k + 2].is("=")) {
          s.types[t[k + 1].text] = TokenSpan{&source, strip_qualifiers(slice(t, k + 3, end)), t[k].line};
        } else {
          // `static const unsigned n_in = 5, n_out = 4;`: one value per declarator.
          std::size_t piece = k;
          int nest = 0;
          for (std::size_t e = k; e <= end; ++e) {
            if (e < end && (t[e].is("(") || t[e].is("<"))) ++nest;
            if (e < end && (t[e].is(")") || t[e].is(">"))) --nest;
            if (e < end && !(nest == 0 && t[e].is(","))) continue;
            for (std::size_t q = piece + 1; q < e; ++q) {
              if (t[q].is("=") && t[q - 1].is_identifier()) {
                s.values[t[q - 1].text] = TokenSpan{&source, strip_qualifiers(slice(t, q + 1, e)), t[q].line};
                break;
              }
            }
            piece = e;
          }
        }
        k = end + 1;
      }
      const auto [it, inserted] = structs_.emplace(s.name, s);
      if (!inserted) {
        const auto& old = it->second;
        if (old.declaration.where() != s.declaration.where()) conflict("struct", s.name, old.declaration, s.declaration);
      }
      i = close + 1;
    } else {
      // A statement: a declaration ending in ';', an initialised array, or a function definition.
      std::size_t j = i;
      int parens = 0;
      while (j < n && !(parens == 0 && (t[j].is(";") || t[j].is("{")))) {
        if (t[j].is("(")) ++parens;
        if (t[j].is(")")) --parens;
        ++j;
      }
      if (j >= n) break;
      std::size_t first_paren = n, first_bracket = n, equals = n;
      for (std::size_t k = i; k < j; ++k) {
        if (t[k].is("(") && first_paren == n) first_paren = k;
        if (t[k].is("[") && first_bracket == n) first_bracket = k;
        if (t[k].is("=") && equals == n) equals = k;
      }
      if (t[j].is("{") && equals == n && first_paren != n && first_paren > i && t[first_paren - 1].is_identifier()) {
        const std::size_t close_paren = require_match(first_paren);
        const std::size_t close = require_match(j);
        const std::string& fname = t[first_paren - 1].text;
        static const std::set<std::string> keywords{"if", "for", "while", "switch", "return", "sizeof"};
        if (!keywords.contains(fname)) {
          functions_.push_back(FunctionDefinition{fname, &source, t[first_paren - 1].line, slice(t, first_paren + 1, close_paren),
                                                  slice(t, j + 1, close)});
        }
        i = close + 1;
        continue;
      }
      std::size_t end = j;  // the ';'
      std::optional<TokenSpan> init;
      if (t[j].is("{")) {
        const std::size_t close = require_match(j);
        if (equals != n && equals + 1 == j) init = span(j + 1, close);
        end = close + 1;
        while (end < n && !t[end].is(";")) ++end;
      }
      const std::size_t decl_end = equals != n ? equals : j;
      if (first_bracket != n && first_bracket < decl_end && first_paren == n && first_bracket > i && t[first_bracket - 1].is_identifier()) {
        ArrayDeclaration a;
        a.name = t[first_bracket - 1].text;
        // A static member defined out of its class (`config2::pixels[] = {...}`, one per hls4ml
        // convolution) keeps its class in its name: each config has its own.
        if (first_bracket >= i + 3 && t[first_bracket - 2].is("::") && t[first_bracket - 3].is_identifier()) {
          a.name = t[first_bracket - 3].text + "::" + a.name;
        }
        Tokens type;
        for (std::size_t k = i; k + 1 < first_bracket; ++k) {
          if (!storage_words().contains(t[k].text)) type.push_back(t[k]);
        }
        a.type = TokenSpan{&source, strip_qualifiers(type), tok.line};
        for (std::size_t k = first_bracket; k < decl_end && t[k].is("[");) {
          const std::size_t close = require_match(k);
          a.dimensions.push_back(span(k + 1, close));
          k = close + 1;
        }
        a.initializer = init;
        const auto [it, inserted] = arrays_.emplace(a.name, a);
        if (!inserted) {
          ArrayDeclaration& old = it->second;
          if (old.initializer && a.initializer && !same_tokens(old.initializer->tokens, a.initializer->tokens)) {
            conflict("array", a.name, *old.initializer, *a.initializer);
          }
          if (!old.initializer && a.initializer) old = a;
        }
      } else if (equals != n && !init && (first_paren == n || first_paren > equals) && equals > i && t[equals - 1].is_identifier()) {
        bool is_const = false;
        for (std::size_t k = i; k < equals; ++k) is_const = is_const || t[k].is("const") || t[k].is("constexpr");
        if (is_const) add_constant(t[equals - 1].text, span(equals + 1, end));
      }
      i = end + 1;
    }
  }
}

FixedType CppDeclarations::resolve_type(const Tokens& input, const std::string& where) const {
  return resolve_packed_type(input, where).element;
}

PackedType CppDeclarations::resolve_packed_type(const Tokens& input, const std::string& where) const {
  Tokens tokens;
  for (const auto& tok : strip_qualifiers(input)) {
    if (!storage_words().contains(tok.text)) tokens.push_back(tok);
  }
  std::string location = where;
  for (int depth = 0; depth < 64; ++depth) {
    if (tokens.empty()) throw ModelError(location + ": expected a type");
    if (tokens.size() == 1 && tokens[0].is_identifier()) {
      static const std::set<std::string> builtin{"float", "double", "int", "unsigned", "long", "short", "char", "bool", "half"};
      if (builtin.contains(tokens[0].text)) {
        throw ModelError(location + ": unsupported type '" + tokens[0].text + "' (l1emu reproduces ap_fixed, ap_ufixed, ap_int and ap_uint arithmetic)");
      }
      const auto it = aliases_.find(tokens[0].text);
      if (it == aliases_.end()) throw ModelError(location + ": unknown type '" + tokens[0].text + "' (no typedef or using declares it)");
      tokens.clear();
      for (const auto& tok : it->second.tokens) {
        if (!storage_words().contains(tok.text)) tokens.push_back(tok);
      }
      location = it->second.where();
      continue;
    }
    const std::string head = tokens[0].text;
    if (head == "array" && tokens.size() >= 6 && tokens[1].is("<") && tokens.back().is(">")) {
      // nnet::array<T, N> (nnet_types.h): the pack an io_stream FIFO carries per read; every
      // layer computes on its value_type T.
      int nesting = 0;
      std::size_t comma = 0;
      for (std::size_t k = 2; k + 1 < tokens.size(); ++k) {
        if (tokens[k].is("<") || tokens[k].is("(")) ++nesting;
        if (tokens[k].is(">") || tokens[k].is(")")) --nesting;
        if (nesting == 0 && tokens[k].is(",")) comma = k;
      }
      if (comma == 0) throw ModelError(location + ": expected nnet::array<type, size>, found '" + join(tokens) + "'");
      const long pack = evaluate_integer(slice(tokens, comma + 1, tokens.size() - 1), location);
      if (pack < 1) throw ModelError(location + ": nnet::array of " + std::to_string(pack) + " values");
      PackedType packed = resolve_packed_type(slice(tokens, 2, comma), location);
      if (packed.pack != 0) throw ModelError(location + ": an nnet::array of nnet::arrays is not an hls4ml stream type");
      packed.pack = static_cast<std::size_t>(pack);
      return packed;
    }
    if ((head == "ap_fixed" || head == "ap_ufixed" || head == "ap_int" || head == "ap_uint") && tokens.size() >= 4 && tokens[1].is("<") &&
        tokens.back().is(">")) {
      std::string text = head + "<";
      std::size_t arg_begin = 2;
      for (std::size_t k = 2; k < tokens.size(); ++k) {
        if (tokens[k].is(",") || k + 1 == tokens.size()) {
          const Tokens arg = slice(tokens, arg_begin, k);
          if (arg.size() == 1 && arg[0].is_identifier() && arg[0].text.rfind("AP_", 0) == 0) {
            text += arg[0].text;
          } else {
            text += std::to_string(evaluate_integer(arg, location));
          }
          text += k + 1 == tokens.size() ? ">" : ",";
          arg_begin = k + 1;
        }
      }
      try {
        return PackedType{FixedType::parse(text), 0};
      } catch (const TypeError& e) {
        throw ModelError(location + ": " + e.what());
      }
    }
    throw ModelError(location + ": unsupported type " + text::quoted_excerpt(join(tokens), 60) + " (expected ap_fixed, ap_ufixed, ap_int, ap_uint or an nnet::array of one)");
  }
  throw ModelError(where + ": type aliases nest too deeply");
}

long CppDeclarations::evaluate_integer(const Tokens& tokens, const std::string& where) const {
  const Tokens plain = strip_qualifiers(tokens);
  return IntegerParser(*this, plain, where, constants_, 0).parse();
}

}  // namespace l1emu::emu

#include "hgq_quantizer_function.h"

#include <string>

#include "l1emu/emu/error.h"

namespace l1emu::emu::detail {
namespace {

using Tokens = std::vector<SourceToken>;

// Reads one statement starting at tokens[at]; `at` moves past its ';'.
class StatementReader {
 public:
  StatementReader(const FunctionDefinition& f, std::size_t at) : f_(f), t_(f.body), at_(at), line_(t_[at].line) {}

  [[nodiscard]] std::size_t position() const { return at_; }
  [[nodiscard]] std::size_t line() const { return line_; }

  [[noreturn]] void fail(const std::string& what) const {
    const std::string found = at_ < t_.size() ? "'" + t_[at_].text + "'" : "the end of the function";
    throw ModelError(f_.source->location(at_ < t_.size() ? t_[at_].line : line_) + ": " + f_.name + ": expected " + what + ", found " + found +
                     " (an HGQ quantizer statement is `out[i] = 0;` or `out[i] = ap_[u]fixed<W,I,Q,O>(inp[i]);`)");
  }
  void expect(const char* text) {
    if (at_ >= t_.size() || !t_[at_].is(text)) fail(std::string("'") + text + "'");
    ++at_;
  }
  void expect_name(const char* name) {
    if (at_ >= t_.size() || !t_[at_].is_identifier() || t_[at_].text != name) fail(std::string("'") + name + "'");
    ++at_;
  }
  // A decimal index such as the 12 of out[12].
  std::size_t index() {
    if (at_ >= t_.size() || t_[at_].kind != SourceToken::Kind::Number) fail("an element index");
    const std::string& s = t_[at_].text;
    if (s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) fail("a decimal element index");
    ++at_;
    return static_cast<std::size_t>(std::stoul(s));
  }
  // ap_fixed<...> / ap_ufixed<...>: the tokens up to the matching '>' read as one type.
  FixedType type() {
    if (at_ >= t_.size() || !(t_[at_].is("ap_fixed") || t_[at_].is("ap_ufixed"))) fail("0 or ap_fixed<...> / ap_ufixed<...>");
    std::string text = t_[at_++].text;
    expect("<");
    text += "<";
    while (at_ < t_.size() && !t_[at_].is(">")) {
      if (t_[at_].is(";") || t_[at_].is("(")) fail("'>'");
      text += t_[at_++].text;
    }
    expect(">");
    text += ">";
    try {
      return FixedType::parse(text);
    } catch (const TypeError& e) {
      throw ModelError(f_.source->location(line_) + ": " + f_.name + ": " + e.what());
    }
  }
  [[nodiscard]] bool next_is(const char* text) const { return at_ < t_.size() && t_[at_].is(text); }

 private:
  const FunctionDefinition& f_;
  const Tokens& t_;
  std::size_t at_;
  std::size_t line_;
};

}  // namespace

bool is_quantizer_function(const FunctionDefinition& f) {
  // generate_mask_fn: `void NAME(input_t *inp, output_t *out)` (io_parallel, Vivado/Vitis).
  const Tokens& p = f.parameters;
  return p.size() == 7 && p[0].is_identifier() && p[1].is("*") && p[2].is("inp") && p[3].is(",") && p[4].is_identifier() && p[5].is("*") &&
         p[6].is("out");
}

std::vector<std::optional<FixedType>> quantizer_element_types(const FunctionDefinition& f, std::size_t n) {
  std::vector<std::optional<FixedType>> types(n);
  std::vector<std::size_t> written_at(n, 0);  // line of the statement that wrote element i (0: none yet)
  std::size_t at = 0;
  while (at < f.body.size()) {
    StatementReader s(f, at);
    s.expect_name("out");
    s.expect("[");
    const std::size_t i = s.index();
    s.expect("]");
    s.expect("=");
    std::optional<FixedType> type;
    if (s.next_is("0")) {
      s.expect("0");  // out[i] = 0;  (b == 0: the element is pruned)
    } else {
      // out[i] = ap_[u]fixed<b,i,AP_RND,AP_SAT>(inp[i]);  the element's own type, read from inp[i]
      type = s.type();
      s.expect("(");
      s.expect_name("inp");
      s.expect("[");
      const std::size_t j = s.index();
      if (j != i) throw ModelError(f.source->location(s.line()) + ": " + f.name + ": out[" + std::to_string(i) + "] reads inp[" + std::to_string(j) +
                                   "] (an HGQ quantizer reads each element at its own index)");
      s.expect("]");
      s.expect(")");
    }
    s.expect(";");
    if (i >= n) {
      throw ModelError(f.source->location(s.line()) + ": " + f.name + ": out[" + std::to_string(i) + "] is beyond the " + std::to_string(n) +
                       " values the call passes");
    }
    if (written_at[i] != 0) {
      throw ModelError(f.source->location(s.line()) + ": " + f.name + ": out[" + std::to_string(i) + "] is written twice (first at line " +
                       std::to_string(written_at[i]) + ")");
    }
    written_at[i] = s.line();
    types[i] = type;
    at = s.position();
  }
  std::string missing;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (written_at[i] != 0) continue;
    if (++count <= 8) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
  }
  if (count > 0) {
    throw ModelError(f.source->location(f.line) + ": " + f.name + " never writes out[" + missing + (count > 8 ? ", ..." : "") + "] (" +
                     std::to_string(count) + " of the " + std::to_string(n) + " values the call passes)");
  }
  return types;
}

}  // namespace l1emu::emu::detail

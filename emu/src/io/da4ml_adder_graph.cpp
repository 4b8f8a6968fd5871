#include "da4ml_adder_graph.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu::detail {
namespace {

using Tokens = std::vector<SourceToken>;

// sum_i coef[i] * x_i + constant, all numerators over 2^frac.
struct LinearForm {
  std::vector<BigInt> coef;
  BigInt constant = 0;
  int frac = 0;

  void rescale(int to) {
    if (to <= frac) return;
    const auto shift = static_cast<unsigned>(to - frac);
    for (auto& c : coef) c <<= shift;
    constant <<= shift;
    frac = to;
  }
};

LinearForm scaled(LinearForm f, int shift, bool negative) {
  // value * 2^shift: a left shift of the numerators, or a finer denominator.
  if (shift >= 0) {
    for (auto& c : f.coef) c <<= static_cast<unsigned>(shift);
    f.constant <<= static_cast<unsigned>(shift);
  } else {
    f.frac -= shift;
  }
  if (negative) {
    for (auto& c : f.coef) c = -c;
    f.constant = -f.constant;
  }
  return f;
}

LinearForm sum(LinearForm a, LinearForm b) {
  const int frac = std::max(a.frac, b.frac);
  a.rescale(frac);
  b.rescale(frac);
  for (std::size_t i = 0; i < a.coef.size(); ++i) a.coef[i] += b.coef[i];
  a.constant += b.constant;
  return a;
}

unsigned trailing_zeros(const BigInt& v) {
  if (v == 0) return 1U << 20;
  return static_cast<unsigned>(boost::multiprecision::lsb(boost::multiprecision::abs(v)));
}

// The form with the smallest denominator that keeps every numerator whole.
LinearForm reduced(LinearForm f) {
  unsigned tz = trailing_zeros(f.constant);
  for (const auto& c : f.coef) tz = std::min(tz, trailing_zeros(c));
  const int drop = std::min(static_cast<int>(tz), f.frac);
  if (drop > 0) {
    for (auto& c : f.coef) c >>= static_cast<unsigned>(drop);
    f.constant >>= static_cast<unsigned>(drop);
    f.frac -= drop;
  }
  return f;
}

// The smallest signed type that holds numerators up to `max_abs` over 2^frac.
FixedType signed_type(const BigInt& max_abs, int frac) {
  const int magnitude_bits = max_abs == 0 ? 0 : static_cast<int>(boost::multiprecision::msb(max_abs)) + 1;
  const int width = std::max(2, magnitude_bits + 1);
  FixedType t{width, width - frac, true, Quantization::Trn, Overflow::Wrap, 0};
  t.validate();
  return t;
}

class Parser {
 public:
  Parser(const CppDeclarations& declarations, const FunctionDefinition& function, const FixedType& input_t, std::size_t n_in)
      : declarations_(declarations), function_(function), t_(function.body), input_t_(input_t), n_in_(n_in) {}

  [[nodiscard]] std::string where(std::size_t k) const { return function_.source->location(t_[std::min(k, t_.size() - 1)].line); }

  [[noreturn]] void fail(std::size_t k, const std::string& what) const {
    throw ModelError(where(k) + ": " + function_.name + ": " + what + " (da4ml code: typed statements of +, - and bit_shift)");
  }

  // Reads every statement; `outputs[j]` receives out[j]'s form.
  void run(std::vector<std::optional<LinearForm>>& outputs) {
    std::size_t k = 0;
    while (k < t_.size()) {
      if (t_[k].is("out")) {
        const std::size_t start = k;
        const std::size_t j = index_after(k, "out", outputs.size());
        expect(k, "=");
        LinearForm f = expression(k);
        expect(k, ";");
        if (outputs[j]) fail(start, "out[" + std::to_string(j) + "] is assigned twice");
        outputs[j] = std::move(f);
        continue;
      }
      // TYPE name = expression;
      const std::size_t start = k;
      std::size_t eq = k;
      while (eq < t_.size() && !t_[eq].is("=") && !t_[eq].is(";")) ++eq;
      if (eq >= t_.size() || !t_[eq].is("=") || eq < start + 2 || !t_[eq - 1].is_identifier()) fail(start, "expected 'type name = expression;'");
      const FixedType type = declarations_.resolve_type(Tokens(t_.begin() + static_cast<std::ptrdiff_t>(start), t_.begin() + static_cast<std::ptrdiff_t>(eq - 1)), where(start));
      const std::string name = t_[eq - 1].text;
      k = eq + 1;
      LinearForm f = expression(k);
      expect(k, ";");
      check_exact(f, type, start, name);
      variables_[name] = Variable{reduced(std::move(f)), type};
    }
  }

 private:
  struct Variable {
    LinearForm form;
    FixedType type;
  };

  void expect(std::size_t& k, const char* token) {
    if (k >= t_.size() || !t_[k].is(token)) fail(k, std::string("expected '") + token + "'");
    ++k;
  }

  std::size_t index_after(std::size_t& k, const char* array, std::size_t size) {
    ++k;  // the array name
    expect(k, "[");
    if (k >= t_.size() || t_[k].kind != SourceToken::Kind::Number) fail(k, std::string("expected an index into ") + array);
    char* end = nullptr;
    const long i = std::strtol(t_[k].text.c_str(), &end, 10);
    if (*end != '\0' || i < 0 || static_cast<std::size_t>(i) >= size) fail(k, std::string(array) + "[" + t_[k].text + "] is out of range (size " + std::to_string(size) + ")");
    ++k;
    expect(k, "]");
    return static_cast<std::size_t>(i);
  }

  // ['-'] term (('+' | '-') term)*
  LinearForm expression(std::size_t& k) {
    bool negative = false;
    if (k < t_.size() && t_[k].is("-")) {
      negative = true;
      ++k;
    }
    LinearForm f = term(k, negative);
    while (k < t_.size() && (t_[k].is("+") || t_[k].is("-"))) {
      const bool minus = t_[k].is("-");
      ++k;
      f = sum(std::move(f), term(k, minus));
    }
    return f;
  }

  LinearForm term(std::size_t& k, bool negative) {
    if (k >= t_.size()) fail(k, "expected a term");
    if (t_[k].is("bit_shift") || (t_[k].is("nnet") && k + 2 < t_.size() && t_[k + 1].is("::") && t_[k + 2].is("bit_shift"))) {
      if (!t_[k].is("bit_shift")) k += 2;
      ++k;
      expect(k, "<");
      bool minus = false;
      if (k < t_.size() && t_[k].is("-")) {
        minus = true;
        ++k;
      }
      if (k >= t_.size() || t_[k].kind != SourceToken::Kind::Number) fail(k, "expected bit_shift's shift");
      const int s = std::atoi(t_[k].text.c_str()) * (minus ? -1 : 1);
      ++k;
      expect(k, ">");
      expect(k, "(");
      FixedType type;
      LinearForm f = atom(k, type);
      expect(k, ")");
      // nnet_function_stubs.h: ap_fixed<b, i> -> ap_fixed<b, i + s> (x * 2^s); ap_int<b> ->
      // ap_fixed<b, s> (x * 2^(s - b)).
      return scaled(std::move(f), type.is_integer ? s - type.width : s, negative);
    }
    if ((t_[k].is("ap_fixed") || t_[k].is("ap_ufixed")) && k + 1 < t_.size() && t_[k + 1].is("<")) {
      // A constant: ap_fixed<W, I>(literal), the literal converted by ap_fixed's constructor.
      std::size_t close = k + 1;
      int depth = 0;
      for (; close < t_.size(); ++close) {
        if (t_[close].is("<")) ++depth;
        if (t_[close].is(">") && --depth == 0) break;
      }
      if (close >= t_.size()) fail(k, "unbalanced '<'");
      const FixedType type = declarations_.resolve_type(Tokens(t_.begin() + static_cast<std::ptrdiff_t>(k), t_.begin() + static_cast<std::ptrdiff_t>(close + 1)), where(k));
      k = close + 1;
      expect(k, "(");
      bool minus = false;
      if (k < t_.size() && t_[k].is("-")) {
        minus = true;
        ++k;
      }
      if (k >= t_.size() || t_[k].kind != SourceToken::Kind::Number) fail(k, "expected a number literal");
      char* end = nullptr;
      std::string text = t_[k].text;
      if (!text.empty() && (text.back() == 'f' || text.back() == 'F')) fail(k, "float literals are not da4ml constants");
      const double v = std::strtod(text.c_str(), &end);
      if (*end != '\0') fail(k, "'" + text + "' is not a number");
      ++k;
      expect(k, ")");
      LinearForm f;
      f.coef.assign(n_in_, 0);
      f.constant = from_double(minus ? -v : v, type);
      f.frac = type.fractional_bits();
      return scaled(std::move(f), 0, negative);
    }
    FixedType ignored;
    return scaled(atom(k, ignored), 0, negative);
  }

  // inp[i] or a variable.
  LinearForm atom(std::size_t& k, FixedType& type) {
    if (k >= t_.size() || !t_[k].is_identifier()) fail(k, "expected inp[i] or a variable");
    if (t_[k].is("inp")) {
      const std::size_t i = index_after(k, "inp", n_in_);
      LinearForm f;
      f.coef.assign(n_in_, 0);
      f.coef[i] = 1;
      type = input_t_;
      return f;
    }
    const auto it = variables_.find(t_[k].text);
    if (it == variables_.end()) fail(k, "'" + t_[k].text + "' is used before it is assigned");
    ++k;
    type = it->second.type;
    return it->second.form;
  }

  // The assignment to `type` changes no value: every value the form takes lies on type's grid
  // and inside its range (the form is linear in independent inputs, so its range is exact).
  void check_exact(const LinearForm& f, const FixedType& type, std::size_t k, const std::string& name) const {
    const int in_frac = input_t_.fractional_bits();
    const BigInt in_lo = input_t_.min_code(), in_hi = input_t_.max_code();
    // Numerators over 2^(f.frac + in_frac).
    BigInt lo = f.constant << static_cast<unsigned>(std::max(in_frac, 0)), hi = lo;
    unsigned grid = trailing_zeros(lo);
    for (const auto& c : f.coef) {
      if (c == 0) continue;
      grid = std::min(grid, trailing_zeros(c));
      const BigInt a = c * in_lo, b = c * in_hi;
      lo += a < b ? a : b;
      hi += a < b ? b : a;
    }
    if (in_frac < 0) fail(k, "inputs with negative fractional bits are not reproduced");
    const int value_frac = f.frac + in_frac - static_cast<int>(std::min<unsigned>(grid, static_cast<unsigned>(f.frac + in_frac)));
    if (value_frac > type.fractional_bits()) {
      fail(k, name + " needs " + std::to_string(value_frac) + " fractional bits and " + type.to_string() +
                  " has " + std::to_string(type.fractional_bits()) + ": the assignment can round, which l1emu does not reproduce in da4ml code yet");
    }
    const auto fits = [&](const BigInt& numerator) {
      const ExactValue v{numerator, f.frac + in_frac};
      return compare(ExactValue::of(convert(v, type), type), v) == 0;
    };
    if (!fits(lo) || !fits(hi)) {
      fail(k, name + " ranges over [" + to_decimal(lo, FixedType{128, 128 - (f.frac + in_frac), true, Quantization::Trn, Overflow::Wrap, 0}) + ", " +
                  to_decimal(hi, FixedType{128, 128 - (f.frac + in_frac), true, Quantization::Trn, Overflow::Wrap, 0}) + "] and " + type.to_string() +
                  " cannot hold all of it: the assignment can overflow, which l1emu does not reproduce in da4ml code yet");
    }
  }

  const CppDeclarations& declarations_;
  const FunctionDefinition& function_;
  const Tokens& t_;
  FixedType input_t_;
  std::size_t n_in_;
  std::map<std::string, Variable> variables_;
};

}  // namespace

bool is_adder_graph_function(const std::string& name) { return std::regex_match(name, std::regex("dense_da_[0-9]+")); }

Dense::Config adder_graph_as_dense(const CppDeclarations& declarations, const FunctionDefinition& function, const FixedType& input_t,
                                   const FixedType& output_t, std::size_t n_in, std::size_t n_out) {
  Parser parser(declarations, function, input_t, n_in);
  std::vector<std::optional<LinearForm>> outputs(n_out);
  parser.run(outputs);
  for (std::size_t j = 0; j < n_out; ++j) {
    if (!outputs[j]) throw ModelError(function.source->location(function.line) + ": " + function.name + " never assigns out[" + std::to_string(j) + "]");
  }
  // One weight type and one bias type for all outputs, then an accumulator that holds every
  // product and partial sum exactly: the Dense adds them without a single rounding.
  int frac = 0;
  for (const auto& f : outputs) frac = std::max(frac, reduced(*f).frac);
  BigInt max_w = 0, max_b = 0, bound = 0;
  const BigInt max_x = std::max(boost::multiprecision::abs(input_t.min_code()), boost::multiprecision::abs(input_t.max_code()));
  for (auto& f : outputs) {
    f = reduced(*f);
    f->rescale(frac);
    BigInt total = boost::multiprecision::abs(f->constant) << static_cast<unsigned>(std::max(input_t.fractional_bits(), 0));
    for (const auto& c : f->coef) {
      max_w = std::max(max_w, BigInt(boost::multiprecision::abs(c)));
      total += boost::multiprecision::abs(c) * max_x;
    }
    max_b = std::max(max_b, BigInt(boost::multiprecision::abs(f->constant)));
    bound = std::max(bound, total);
  }
  Dense::Config d;
  d.n_out = n_out;
  d.weight_t = signed_type(max_w, frac);
  d.bias_t = signed_type(max_b, frac);
  d.accum_t = signed_type(bound, frac + input_t.fractional_bits());
  d.result_t = output_t;
  d.weights.assign(n_in * n_out, 0);
  for (std::size_t j = 0; j < n_out; ++j) {
    for (std::size_t i = 0; i < n_in; ++i) d.weights[i * n_out + j] = outputs[j]->coef[i];
    d.biases.push_back(outputs[j]->constant);
  }
  return d;
}

}  // namespace l1emu::emu::detail

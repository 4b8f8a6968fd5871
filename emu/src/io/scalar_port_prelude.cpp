#include "scalar_port_prelude.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "l1emu/emu/error.h"

namespace l1emu::emu::detail {
namespace {

using Tokens = std::vector<SourceToken>;

// One statement of the body: tokens up to `;`, `{` or `}` outside parentheses, with the brace
// depth it sits at (0: the function's own block).
struct Statement {
  Tokens tokens;
  int depth = 0;
  std::size_t order = 0;  // position in the body
};

std::vector<Statement> statements_of(const Tokens& body) {
  std::vector<Statement> out;
  Tokens current;
  int depth = 0, parens = 0;
  for (const auto& t : body) {
    if (t.is("(")) ++parens;
    if (t.is(")")) --parens;
    if (parens == 0 && (t.is(";") || t.is("{") || t.is("}"))) {
      if (!current.empty()) out.push_back(Statement{current, depth, out.size()});
      current.clear();
      if (t.is("{")) ++depth;
      if (t.is("}")) --depth;
      continue;
    }
    current.push_back(t);
  }
  if (!current.empty()) out.push_back(Statement{current, depth, out.size()});
  return out;
}

// The statement as written, near enough: a space between tokens except inside brackets,
// parentheses, template arguments and the two characters of `>>` / `<<` / `::`.
std::string text_of(const Tokens& tokens) {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const SourceToken& t = tokens[i];
    if (i > 0) {
      const SourceToken& prev = tokens[i - 1];
      const bool tight = t.is("[") || t.is("]") || t.is("(") || t.is(")") || t.is(",") || (t.is("<") && prev.is_identifier()) || prev.is("[") ||
                         prev.is("(") || (t.is(">") && prev.is(">")) || (t.is("<") && prev.is("<")) || t.is("::") || prev.is("::") ||
                         (prev.is("-") && t.kind == SourceToken::Kind::Number && i >= 2 && tokens[i - 2].kind == SourceToken::Kind::Punct);
      if (!tight) out += ' ';
    }
    out += t.text;
  }
  return out;
}

bool names(const Tokens& tokens, const std::string& name) {
  return std::any_of(tokens.begin(), tokens.end(), [&](const SourceToken& t) { return t.is_identifier() && t.text == name; });
}

// `T name[D]` (no initializer): the declaration of a one-dimensional local array.
struct LocalArray {
  Tokens type;
  Tokens size;
  std::size_t line = 0;
};

std::optional<std::pair<std::string, LocalArray>> array_declaration(const Tokens& s) {
  if (s.size() < 5 || !s.back().is("]")) return std::nullopt;
  std::size_t open = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i].is("[")) {
      open = i;
      break;
    }
    if (s[i].is("=") || s[i].is("(")) return std::nullopt;
  }
  if (open < 2 || !s[open - 1].is_identifier()) return std::nullopt;
  for (std::size_t i = open + 1; i + 1 < s.size(); ++i) {
    if (s[i].is("[") || s[i].is("]")) return std::nullopt;  // more than one dimension
  }
  LocalArray a{Tokens(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(open - 1)), Tokens(s.begin() + static_cast<std::ptrdiff_t>(open + 1), s.end() - 1),
               s[open - 1].line};
  return std::make_pair(s[open - 1].text, a);
}

// An integer literal as the compiler reads it (decimal, hex, octal; no suffix needed here).
std::optional<long> integer_literal(const SourceToken& t) {
  if (t.kind != SourceToken::Kind::Number) return std::nullopt;
  try {
    std::size_t used = 0;
    const long v = std::stol(t.text, &used, 0);
    if (used != t.text.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The element a prelude statement assigns, and what it assigns.
struct Assignment {
  std::string array;
  long index = 0;
  enum class Kind { Port, Element } kind = Kind::Port;
  std::string port;       // Port
  Tokens cast;            // Port: T of `T(P)`, empty for `A[k] = P;`
  std::string from;       // Element: B of B[j]
  long from_index = 0;    // Element: j
  long right_shift = 0;   // Element: n of `>> n`, -n of `<< n`, 0 for a copy
  std::size_t line = 0;
  std::size_t order = 0;
};

bool is_c_int(const Tokens& type) {
  std::string t;
  for (const auto& tok : type) {
    if (tok.is("const")) continue;  // a by-value parameter's const changes nothing the caller sees
    t += (t.empty() ? "" : " ") + tok.text;
  }
  return t == "int" || t == "signed" || t == "signed int";
}

}  // namespace

ScalarPortPrelude read_scalar_port_prelude(const CppDeclarations& declarations, const FunctionDefinition& top, const std::vector<ScalarParameter>& scalars) {
  const std::vector<Statement> statements = statements_of(top.body);
  const auto where = [&](std::size_t line) { return top.source->location(line); };
  std::map<std::string, const ScalarParameter*> params;
  for (const auto& p : scalars) params[p.name] = &p;

  // The local arrays of the function's own block, and the first nnet:: call.
  std::map<std::string, LocalArray> locals;
  std::size_t first_call = statements.size();
  for (const auto& s : statements) {
    if (s.depth != 0) continue;
    if (const auto d = array_declaration(s.tokens)) locals[d->first] = d->second;
    if (first_call == statements.size() && s.tokens.size() > 1 && s.tokens[0].is("nnet") && s.tokens[1].is("::")) first_call = s.order;
  }

  // `A[k] = EXPR` at the top level: the candidates, parsed below.
  const auto is_element_assignment = [&](const Statement& s) {
    const Tokens& t = s.tokens;
    return s.depth == 0 && t.size() >= 6 && t[0].is_identifier() && locals.contains(t[0].text) && t[1].is("[") && t[3].is("]") && t[4].is("=");
  };
  std::vector<Assignment> assignments;
  std::set<std::string> filled;  // arrays some element assignment writes
  bool reads_port = false;
  for (const auto& s : statements) {
    if (!is_element_assignment(s)) continue;
    const Tokens& t = s.tokens;
    const std::string loc = where(t[0].line);
    const std::string statement = text_of(t) + ";";
    const auto refuse = [&](const std::string& why) -> ModelError {
      return ModelError(loc + ": " + top.name + ": '" + statement + "': " + why +
                        " (l1emu reads A[k] = P;, A[k] = T(P);, A[k] = B[k];, A[k] = B[k] >> n; and A[k] = B[k] << n; with P a scalar int port)");
    };
    Assignment a;
    a.array = t[0].text;
    a.line = t[0].line;
    a.order = s.order;
    const auto index = integer_literal(t[2]);
    if (!index) throw refuse("the element index must be an integer literal");
    a.index = *index;
    const Tokens e(t.begin() + 5, t.end());
    const auto port_named = [&](const SourceToken& tok) { return tok.is_identifier() && params.contains(tok.text); };
    if (e.size() == 1 && port_named(e[0])) {
      a.kind = Assignment::Kind::Port;
      a.port = e[0].text;
    } else if (e.size() >= 4 && e.back().is(")") && e[e.size() - 3].is("(") && port_named(e[e.size() - 2])) {
      a.kind = Assignment::Kind::Port;
      a.port = e[e.size() - 2].text;
      a.cast = Tokens(e.begin(), e.end() - 3);
    } else if (e.size() >= 4 && e[0].is_identifier() && e[1].is("[") && e[3].is("]")) {
      a.kind = Assignment::Kind::Element;
      a.from = e[0].text;
      const auto j = integer_literal(e[2]);
      if (!j) throw refuse("the element index must be an integer literal");
      a.from_index = *j;
      if (e.size() > 4) {
        // `>> n` / `<< n` (the lexer gives single-character tokens), n possibly negative.
        if (e.size() < 7 || !((e[4].is(">") && e[5].is(">")) || (e[4].is("<") && e[5].is("<")))) throw refuse("not a shift by an integer literal");
        std::size_t k = 6;
        const bool negative = e[k].is("-");
        if (negative) ++k;
        const auto n = k + 1 == e.size() ? integer_literal(e[k]) : std::nullopt;
        if (!n) throw refuse("not a shift by an integer literal");
        const long by = negative ? -*n : *n;
        a.right_shift = e[4].is(">") ? by : -by;  // ap_fixed_base: x << n is x >> -n
      }
      if (!locals.contains(a.from)) throw refuse("'" + a.from + "' is not a local array of " + top.name);
    } else {
      if (std::any_of(e.begin(), e.end(), port_named)) throw refuse("not one of the statements read");
      continue;  // an element assignment that reads no port: judged below with the other statements
    }
    if (a.kind == Assignment::Kind::Port) {
      const ScalarParameter& p = *params.at(a.port);
      if (!is_c_int(p.type)) {
        throw ModelError(where(p.line) + ": " + top.name + ": port '" + p.name + "' has type '" + text_of(p.type) +
                         "'; l1emu reads scalar ports of type int (read at " + loc + ")");
      }
      reads_port = true;
    }
    assignments.push_back(std::move(a));
    filled.insert(assignments.back().array);
  }
  ScalarPortPrelude out;
  if (!reads_port) return out;

  // Every other statement that names a port or a filled array: a layer call may read the array,
  // and a nested block may declare its own (the C simulation's weight loader does); nothing else.
  std::set<std::size_t> read_orders;
  for (const auto& a : assignments) read_orders.insert(a.order);
  for (const auto& s : statements) {
    if (read_orders.contains(s.order)) continue;
    const Tokens& t = s.tokens;
    std::string named;
    for (const auto& [name, p] : params) {
      if (names(t, name)) named = "the port '" + name + "'";
    }
    for (const auto& name : filled) {
      if (named.empty() && names(t, name)) named = "the array '" + name + "'";
    }
    if (named.empty()) continue;
    const bool call = t.size() > 1 && t[0].is("nnet") && t[1].is("::");
    const auto decl = array_declaration(t);
    if (call && !std::any_of(params.begin(), params.end(), [&](const auto& p) { return names(t, p.first); })) continue;
    if (decl && (s.depth > 0 || !filled.contains(decl->first) || locals.at(decl->first).line == decl->second.line)) continue;
    throw ModelError(where(t[0].line) + ": " + top.name + ": '" + text_of(t) + ";' uses " + named +
                     ", and l1emu reads only element assignments before the layer calls (A[k] = P;, A[k] = T(P);, A[k] = B[k];, "
                     "A[k] = B[k] >> n; or << n) from the ports and the arrays they fill");
  }

  // Per array: every element once, before the first layer call, all of one form.
  std::map<std::string, std::vector<const Assignment*>> by_array;
  for (const auto& a : assignments) by_array[a.array].push_back(&a);
  std::vector<std::pair<std::size_t, PreludeArray>> arrays;  // (order of the last assignment, array)
  std::map<std::string, std::size_t> element_done;          // "A#k" -> order of its assignment
  for (const auto& a : assignments) element_done[a.array + "#" + std::to_string(a.index)] = a.order;
  std::set<std::string> ports_read;
  // In the order of their first assignment, so that an error names the first statement at fault.
  std::vector<std::string> names_in_order;
  for (const auto& a : assignments) {
    if (std::find(names_in_order.begin(), names_in_order.end(), a.array) == names_in_order.end()) names_in_order.push_back(a.array);
  }
  for (const std::string& name : names_in_order) {
    const std::vector<const Assignment*>& list = by_array.at(name);
    const LocalArray& decl = locals.at(name);
    const std::string decl_where = where(decl.line);
    const long size = declarations.evaluate_integer(decl.size, decl_where);
    if (size < 1) throw ModelError(decl_where + ": " + top.name + ": '" + name + "' has " + std::to_string(size) + " elements");
    PreludeArray out_array;
    out_array.name = name;
    out_array.type = declarations.resolve_type(decl.type, decl_where);
    out_array.where = where(list.front()->line);
    std::vector<const Assignment*> element(static_cast<std::size_t>(size), nullptr);
    std::size_t last = 0;
    for (const Assignment* a : list) {
      const std::string loc = where(a->line);
      if (a->index < 0 || a->index >= size) {
        throw ModelError(loc + ": " + top.name + ": element " + std::to_string(a->index) + " of '" + name + "', which has " + std::to_string(size));
      }
      auto& slot = element[static_cast<std::size_t>(a->index)];
      if (slot != nullptr) {
        throw ModelError(loc + ": " + top.name + ": element " + std::to_string(a->index) + " of '" + name + "' is assigned again (first at " +
                         where(slot->line) + ")");
      }
      slot = a;
      if (first_call < a->order) {
        throw ModelError(loc + ": " + top.name + ": '" + name + "[" + std::to_string(a->index) + "]' is assigned after the first layer call; l1emu reads "
                         "the element assignments that come before it");
      }
      last = std::max(last, a->order);
    }
    for (std::size_t k = 0; k < element.size(); ++k) {
      if (element[k] == nullptr) throw ModelError(decl_where + ": " + top.name + ": element " + std::to_string(k) + " of '" + name + "' is never assigned");
    }
    const Assignment& first = *element[0];
    for (const Assignment* a : element) {
      const std::string loc = where(a->line);
      const bool same_form = a->kind == first.kind &&
                             (a->kind == Assignment::Kind::Port ? text_of(a->cast) == text_of(first.cast) : a->from == first.from);
      if (!same_form) {
        throw ModelError(loc + ": " + top.name + ": element " + std::to_string(a->index) + " of '" + name + "' is filled differently from element 0 (" +
                         where(first.line) + "); l1emu reads arrays whose elements all come from ports through one type, or all from one array");
      }
      if (a->kind == Assignment::Kind::Element) {
        if (a->from_index != a->index) {
          throw ModelError(loc + ": " + top.name + ": '" + name + "[" + std::to_string(a->index) + "]' reads '" + a->from + "[" + std::to_string(a->from_index) +
                           "]'; l1emu reads element k from element k");
        }
        const auto done = element_done.find(a->from + "#" + std::to_string(a->from_index));
        if (done == element_done.end() || done->second > a->order) {
          throw ModelError(loc + ": " + top.name + ": '" + a->from + "[" + std::to_string(a->from_index) + "]' is read before it is assigned");
        }
        out_array.right_shifts.push_back(a->right_shift);
      } else {
        out_array.ports.push_back(a->port);
        ports_read.insert(a->port);
      }
    }
    if (first.kind == Assignment::Kind::Port) {
      out_array.source = PreludeArray::Source::Ports;
      out_array.cast = first.cast.empty() ? out_array.type : declarations.resolve_type(first.cast, where(first.line));
    } else {
      const bool shifted = std::any_of(out_array.right_shifts.begin(), out_array.right_shifts.end(), [](long s) { return s != 0; });
      out_array.source = shifted ? PreludeArray::Source::Shift : PreludeArray::Source::Copy;
      out_array.from = first.from;
      if (!by_array.contains(first.from)) {
        throw ModelError(where(first.line) + ": " + top.name + ": '" + first.from + "' is read, but no element assignment fills it");
      }
    }
    arrays.emplace_back(last, std::move(out_array));
  }
  std::sort(arrays.begin(), arrays.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, a] : arrays) out.arrays.push_back(std::move(a));
  for (const auto& p : scalars) {
    if (ports_read.contains(p.name)) out.ports.push_back(p.name);
  }
  return out;
}

}  // namespace l1emu::emu::detail

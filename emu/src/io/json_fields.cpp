#include "json_fields.h"

#include <cmath>

#include "l1emu/emu/error.h"

namespace l1emu::emu::detail {

JsonFields::JsonFields(const nlohmann::json& object, std::string where, const FixedType* default_type)
    : object_(object), where_(std::move(where)), default_type_(default_type) {
  if (!object_.is_object()) fail("expected a JSON object, found " + std::string(object_.type_name()));
}

void JsonFields::fail(const std::string& key, const std::string& what) const {
  throw ModelError(where_ + ": key '" + key + "': " + what);
}

void JsonFields::fail(const std::string& what) const { throw ModelError(where_ + ": " + what); }

bool JsonFields::has(const std::string& key) const { return object_.contains(key); }

const nlohmann::json& JsonFields::raw(const std::string& key) {
  seen_.insert(key);
  if (!object_.contains(key)) fail(key, "missing");
  return object_.at(key);
}

std::string JsonFields::string(const std::string& key) {
  const auto& v = raw(key);
  if (!v.is_string()) fail(key, "expected a string, found " + std::string(v.type_name()));
  return v.get<std::string>();
}

std::string JsonFields::string_or(const std::string& key, const std::string& fallback) {
  seen_.insert(key);
  return has(key) ? string(key) : fallback;
}

long JsonFields::integer(const std::string& key) {
  const auto& v = raw(key);
  if (!v.is_number_integer()) fail(key, "expected an integer, found " + v.dump());
  return v.get<long>();
}

long JsonFields::integer_or(const std::string& key, long fallback) {
  seen_.insert(key);
  return has(key) ? integer(key) : fallback;
}

double JsonFields::number(const std::string& key) {
  const auto& v = raw(key);
  if (!v.is_number()) fail(key, "expected a number, found " + std::string(v.type_name()));
  return v.get<double>();
}

FixedType JsonFields::type(const std::string& key) {
  seen_.insert(key);
  if (!has(key)) {
    if (default_type_ != nullptr) return *default_type_;
    fail(key, "missing (and the model sets no default_precision)");
  }
  const std::string text = string(key);
  try {
    return FixedType::parse(text);
  } catch (const TypeError& e) {
    fail(key, e.what());
  }
}

std::vector<double> JsonFields::numbers(const std::string& key, std::size_t count) {
  const auto& v = raw(key);
  if (!v.is_array()) fail(key, "expected a list of " + std::to_string(count) + " numbers, found " + std::string(v.type_name()));
  if (v.size() != count) {
    fail(key, "expected " + std::to_string(count) + " numbers, found " + std::to_string(v.size()));
  }
  std::vector<double> out;
  out.reserve(count);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number()) fail(key, "element " + std::to_string(i) + " is not a number: " + v[i].dump());
    const double d = v[i].get<double>();
    if (!std::isfinite(d)) fail(key, "element " + std::to_string(i) + " is not finite");
    out.push_back(d);
  }
  return out;
}

std::vector<double> JsonFields::matrix(const std::string& key, std::size_t rows, std::size_t cols) {
  const auto& v = raw(key);
  const std::string shape = std::to_string(rows) + " rows of " + std::to_string(cols) + " numbers";
  if (!v.is_array()) fail(key, "expected " + shape + ", found " + std::string(v.type_name()));
  if (v.size() != rows) fail(key, "expected " + shape + " (one row per input), found " + std::to_string(v.size()) + " rows");
  std::vector<double> out;
  out.reserve(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const auto& row = v[r];
    if (!row.is_array() || row.size() != cols) {
      fail(key, "expected " + shape + ", row " + std::to_string(r) + " has " +
                    (row.is_array() ? std::to_string(row.size()) + " values" : std::string("no list")));
    }
    for (std::size_t c = 0; c < cols; ++c) {
      if (!row[c].is_number()) fail(key, "row " + std::to_string(r) + " element " + std::to_string(c) + " is not a number");
      out.push_back(row[c].get<double>());
    }
  }
  return out;
}

bool JsonFields::boolean_or(const std::string& key, bool fallback) {
  seen_.insert(key);
  if (!has(key)) return fallback;
  const auto& v = raw(key);
  if (!v.is_boolean()) fail(key, "expected true or false, found " + v.dump());
  return v.get<bool>();
}

namespace {

std::string dims_text(const std::vector<std::size_t>& dims) {
  std::string s;
  for (std::size_t d : dims) s += (s.empty() ? "" : " x ") + std::to_string(d);
  return s;
}

}  // namespace

std::vector<double> JsonFields::tensor(const std::string& key, const std::vector<std::size_t>& dims) {
  if (dims.size() == 1) return numbers(key, dims[0]);
  if (dims.size() == 2) return matrix(key, dims[0], dims[1]);
  const auto& v = raw(key);
  std::size_t total = 1;
  for (std::size_t d : dims) total *= d;
  std::vector<double> out;
  out.reserve(total);
  // Depth-first over the nesting; `path` names the list being read in errors ("[2][0]").
  const auto walk = [&](const auto& self, const nlohmann::json& node, std::size_t depth, const std::string& path) -> void {
    if (!node.is_array() || node.size() != dims[depth]) {
      fail(key, "expected nested lists of " + dims_text(dims) + " numbers; list " + (path.empty() ? "at the top" : path) + " has " +
                    (node.is_array() ? std::to_string(node.size()) + " entries, expected " + std::to_string(dims[depth]) : std::string("no list")));
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      if (depth + 1 < dims.size()) {
        self(self, node[i], depth + 1, at);
      } else {
        if (!node[i].is_number()) fail(key, "element " + at + " is not a number: " + node[i].dump());
        const double d = node[i].get<double>();
        if (!std::isfinite(d)) fail(key, "element " + at + " is not finite");
        out.push_back(d);
      }
    }
  };
  if (dims.empty()) fail(key, "internal: no dimensions");
  walk(walk, v, 0, "");
  return out;
}

std::vector<long> JsonFields::integers(const std::string& key, std::size_t count) {
  const auto& v = raw(key);
  if (!v.is_array() || v.empty()) fail(key, "expected a non-empty list of integers");
  if (count != 0 && v.size() != count) fail(key, "expected " + std::to_string(count) + " integers, found " + std::to_string(v.size()));
  std::vector<long> out;
  for (const auto& x : v) {
    if (!x.is_number_integer()) fail(key, "expected integers, found " + x.dump());
    out.push_back(x.get<long>());
  }
  return out;
}

std::vector<std::string> JsonFields::strings(const std::string& key, std::size_t count) {
  const auto& v = raw(key);
  if (!v.is_array() || v.empty()) fail(key, "expected a non-empty list of names");
  if (count != 0 && v.size() != count) {
    fail(key, "expected " + std::to_string(count) + " names, found " + std::to_string(v.size()));
  }
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string()) fail(key, "expected names (strings), found " + s.dump());
    out.push_back(s.get<std::string>());
  }
  return out;
}

void JsonFields::ignore(std::initializer_list<const char*> keys) {
  for (const char* k : keys) seen_.insert(k);
}

void JsonFields::reject_unknown_keys() const {
  for (const auto& [key, value] : object_.items()) {
    if (!seen_.contains(key)) fail("unknown key '" + key + "'");
  }
}

}  // namespace l1emu::emu::detail

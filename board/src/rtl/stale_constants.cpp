#include "l1emu/board/rtl/stale_constants.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "file_text.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

bool ident(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Numbers separated by commas and white space; false when anything else is there.
bool parse_numbers(const std::string& text, std::vector<double>& out) {
  const char* p = text.c_str();
  while (true) {
    while (std::isspace(static_cast<unsigned char>(*p)) != 0 || *p == ',') ++p;
    if (*p == 0) return true;
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    if (end == p) return false;
    out.push_back(v);
    p = end;
  }
}

}  // namespace

std::vector<ConstantArray> read_constant_arrays(const fs::path& file) {
  const std::string text = detail::read_file_text(file);
  std::vector<ConstantArray> arrays;
  for (std::size_t at = text.find("] = {"); at != std::string::npos; at = text.find("] = {", at + 1)) {
    const std::size_t open = text.rfind('[', at);
    if (open == std::string::npos || open == 0) continue;
    std::size_t begin = open;
    while (begin > 0 && ident(text[begin - 1])) --begin;
    if (begin == open) continue;
    const std::size_t close = text.find('}', at);
    if (close == std::string::npos) break;
    ConstantArray a;
    a.name = text.substr(begin, open - begin);
    if (!parse_numbers(text.substr(at + 5, close - at - 5), a.values)) continue;
    a.line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(begin), '\n'));
    arrays.push_back(std::move(a));
  }
  return arrays;
}

std::optional<fs::path> find_preprocessed_source(const fs::path& rtl_dir, const std::string& top) {
  fs::path dir = fs::absolute(rtl_dir);
  for (int up = 0; up <= 3; ++up, dir = dir.parent_path()) {
    const fs::path db = dir / ".autopilot" / "db";
    if (!fs::is_directory(db)) continue;
    if (fs::is_regular_file(db / (top + ".pp.0.cpp"))) return db / (top + ".pp.0.cpp");
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(db)) {
      const std::string n = e.path().filename().string();
      if (n.size() > 9 && n.ends_with(".pp.0.cpp")) found.push_back(e.path());
    }
    if (found.size() == 1) return found.front();
  }
  return std::nullopt;
}

StaleConstantsCheck compare_synthesized_constants(const fs::path& preprocessed, const fs::path& project) {
  StaleConstantsCheck check;
  check.synthesized = preprocessed;
  const fs::path weights = fs::is_directory(project / "firmware" / "weights") ? project / "firmware" / "weights" : project / "weights";
  for (const auto& rtl : read_constant_arrays(preprocessed)) {
    std::vector<double> model;
    fs::path source;
    if (const fs::path h = weights / (rtl.name + ".h"); fs::is_regular_file(h)) {
      for (auto& a : read_constant_arrays(h)) {
        if (a.name == rtl.name) model = std::move(a.values), source = h;
      }
    }
    if (source.empty()) {
      if (const fs::path t = weights / (rtl.name + ".txt"); fs::is_regular_file(t) && parse_numbers(detail::read_file_text(t), model)) source = t;
    }
    if (source.empty()) continue;
    ++check.arrays_compared;
    ArrayDifference d{rtl.name, 0, std::max(rtl.values.size(), model.size()), source};
    for (std::size_t i = 0; i < d.total; ++i) {
      if (i >= rtl.values.size() || i >= model.size() || rtl.values[i] != model[i]) ++d.differing;
    }
    if (d.differing > 0) check.differences.push_back(d);
  }
  return check;
}

}  // namespace l1emu::board

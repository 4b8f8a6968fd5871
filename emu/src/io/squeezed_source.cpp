#include "squeezed_source.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace l1emu::emu::detail {

namespace fs = std::filesystem;

std::optional<Squeezed> read_squeezed(const fs::path& path) {
  if (!fs::is_regular_file(path)) return std::nullopt;
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string s = buffer.str();
  Squeezed out;
  out.path = path.string();
  std::size_t line = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Pragmas (#pragma HLS ...) only steer synthesis; dropped, they cannot split a statement.
    if (s.compare(i, 2, "//") == 0 || s.compare(i, 7, "#pragma") == 0) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      const std::size_t end = s.find("*/", i + 2);
      for (std::size_t k = i; k < std::min(end, s.size()); ++k) line += s[k] == '\n' ? 1 : 0;
      i = end == std::string::npos ? s.size() : end + 1;
      continue;
    }
    if (i >= s.size()) break;
    if (s[i] == '\n') {
      ++line;
    } else if (std::isspace(static_cast<unsigned char>(s[i])) == 0) {
      out.text.push_back(s[i]);
      out.line.push_back(line);
    }
  }
  return out;
}

std::pair<std::size_t, std::size_t> function_range(const Squeezed& s, const std::string& name) {
  const std::size_t at = s.find("void" + name + "(");
  if (at == std::string::npos) return {0, s.text.size()};
  const std::size_t open = s.find("{", at);
  if (open == std::string::npos) return {at, s.text.size()};
  int depth = 0;
  for (std::size_t i = open; i < s.text.size(); ++i) {
    if (s.text[i] == '{') ++depth;
    if (s.text[i] == '}' && --depth == 0) return {at, i + 1};
  }
  return {at, s.text.size()};
}

Match first_of(const Squeezed& s, std::pair<std::size_t, std::size_t> range, const std::vector<std::string>& patterns) {
  Match m;
  for (std::size_t k = 0; k < patterns.size(); ++k) {
    const std::size_t at = s.find(patterns[k], range.first);
    if (at != std::string::npos && at < range.second && at < m.at) m = {at, k};
  }
  return m;
}

}  // namespace l1emu::emu::detail

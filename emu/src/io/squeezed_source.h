#pragma once
// A C++ source read for evidence, not compiled: comments, pragmas and white space dropped, each remaining
// character with its line, so that a statement of a project's nnet_utils is found however it is
// formatted and reported at its line (nnet_utils_semantics.cpp, legacy_nnet_calls.cpp).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace l1emu::emu::detail {

struct Squeezed {
  std::string path;
  std::string text;
  std::vector<std::size_t> line;  // line[i] is the 1-based line of text[i]

  [[nodiscard]] std::string where(std::size_t at) const { return path + ":" + std::to_string(at < line.size() ? line[at] : 0); }
  [[nodiscard]] std::size_t find(const std::string& pattern, std::size_t from = 0) const { return text.find(pattern, from); }
  /// The position of `pattern` inside [range.first, range.second), or npos.
  [[nodiscard]] std::size_t find_in(const std::string& pattern, std::pair<std::size_t, std::size_t> range) const {
    const std::size_t at = text.find(pattern, range.first);
    return at != std::string::npos && at < range.second ? at : std::string::npos;
  }
};

/// nullopt when `path` is not a regular file.
[[nodiscard]] std::optional<Squeezed> read_squeezed(const std::filesystem::path& path);

/// The text of the function `name`'s first definition (signature and body), or the whole file when
/// the file holds no such definition (a trimmed copy that keeps only the statement).
[[nodiscard]] std::pair<std::size_t, std::size_t> function_range(const Squeezed& s, const std::string& name);

/// The earliest of `patterns` inside a range: `at` (npos when none) and which pattern.
struct Match {
  std::size_t at = std::string::npos;
  std::size_t which = 0;
};
[[nodiscard]] Match first_of(const Squeezed& s, std::pair<std::size_t, std::size_t> range, const std::vector<std::string>& patterns);

}  // namespace l1emu::emu::detail

#pragma once
// Golden cases of ../shared/golden: discovery and the reading of their expected files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "shared_data.h"

namespace l1emu::testing {

/// "hls4ml/vae_paper", "axol1tl/v3", ...: every folder with a model.json two levels below golden/.
inline std::vector<std::string> golden_case_names() {
  std::vector<std::string> names;
  const auto root = golden_dir();
  if (!std::filesystem::is_directory(root)) return names;
  for (const auto& group : std::filesystem::directory_iterator(root)) {
    if (!group.is_directory()) continue;
    for (const auto& c : std::filesystem::directory_iterator(group.path())) {
      if (std::filesystem::is_regular_file(c.path() / "model.json")) {
        names.push_back(group.path().filename().string() + "/" + c.path().filename().string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// The whitespace-separated tokens of every line of a file.
inline std::vector<std::vector<std::string>> read_token_lines(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream tokens(line);
    std::vector<std::string> row;
    std::string t;
    while (tokens >> t) row.push_back(t);
    if (!row.empty()) lines.push_back(std::move(row));
  }
  return lines;
}

/// Test-name-safe spelling of a case name.
inline std::string case_test_name(std::string name) {
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

}  // namespace l1emu::testing

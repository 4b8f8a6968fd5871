#include "cpp_file_set.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace l1emu::emu::detail {

std::vector<std::pair<std::filesystem::path, std::string>> cpp_files_with_text(const std::filesystem::path& dir) {
  std::vector<std::pair<std::filesystem::path, std::string>> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".cpp") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    out.emplace_back(e.path(), text.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void CppFileSet::add_directory(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) return;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".h" || ext == ".hpp" || ext == ".cpp" || ext == ".cc")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) add_file(f);
}

void CppFileSet::add_file(const std::filesystem::path& file) {
  if (!added_.insert(std::filesystem::weakly_canonical(file)).second) return;  // read once
  sources_.push_back(std::make_unique<CppSource>(CppSource::read(file)));
  declarations_.add(*sources_.back());
}

void CppFileSet::add_reachable(const std::vector<std::filesystem::path>& entries, const std::filesystem::path& project) {
  namespace fs = std::filesystem;
  const auto library = [](const fs::path& p) {
    const std::string name = p.filename().string();
    if (name.rfind("ap_", 0) == 0 || name.rfind("hls_", 0) == 0) return true;  // Xilinx's types and streams
    for (const auto& part : p.parent_path()) {
      if (part == "nnet_utils") return name != "nnet_code_gen.h";  // the one file hls4ml generates per project
      if (part == "ap_types") return true;
    }
    return false;
  };
  std::vector<fs::path> queue(entries.begin(), entries.end());
  while (!queue.empty()) {
    const fs::path file = queue.front();
    queue.erase(queue.begin());
    if (added_.contains(fs::weakly_canonical(file))) continue;
    add_file(file);
    for (const auto& [name, line] : sources_.back()->includes()) {
      for (const fs::path& base : {file.parent_path(), project}) {
        const fs::path candidate = base / name;
        if (!fs::is_regular_file(candidate)) continue;
        if (!library(candidate.lexically_relative(project).empty() ? candidate : candidate.lexically_relative(project))) queue.push_back(candidate);
        break;
      }
    }
  }
}

}  // namespace l1emu::emu::detail

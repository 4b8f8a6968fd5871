#include "cpp_file_set.h"

#include <algorithm>

namespace l1emu::emu::detail {

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
  sources_.push_back(std::make_unique<CppSource>(CppSource::read(file)));
  declarations_.add(*sources_.back());
}

}  // namespace l1emu::emu::detail

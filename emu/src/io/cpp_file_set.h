#pragma once
// The C++ files of a project folder, tokenized and scanned into one set of declarations.
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/io/cpp_source.h"

namespace l1emu::emu::detail {

/// The .cpp files directly inside `dir`, in name order, each with its text (for the importers that
/// pick their entry points or wrappers by what a file contains).
[[nodiscard]] std::vector<std::pair<std::filesystem::path, std::string>> cpp_files_with_text(const std::filesystem::path& dir);

class CppFileSet {
 public:
  /// Adds the .h, .hpp, .cpp and .cc files directly inside `dir` (not nnet_utils or other
  /// subfolders; editor backups such as defines.h~ do not match), in name order. A missing folder
  /// adds nothing.
  void add_directory(const std::filesystem::path& dir);
  void add_file(const std::filesystem::path& file);
  /// Adds `entries` and every file they reach through `#include "name"` (resolved next to the
  /// including file, then in `project`), except hls4ml's library (nnet_utils/, whose generated
  /// nnet_code_gen.h is kept) and Xilinx's headers (ap_*.h, hls_*.h): what the C++ compiler reads
  /// of the project, so that unrelated code beside it is never parsed.
  void add_reachable(const std::vector<std::filesystem::path>& entries, const std::filesystem::path& project);

  [[nodiscard]] const CppDeclarations& declarations() const { return declarations_; }
  [[nodiscard]] const std::vector<std::unique_ptr<CppSource>>& sources() const { return sources_; }

 private:
  std::vector<std::unique_ptr<CppSource>> sources_;  // stable addresses: declarations point into them
  std::set<std::filesystem::path> added_;
  CppDeclarations declarations_;
};

}  // namespace l1emu::emu::detail

#pragma once
// The C++ files of a project folder, tokenized and scanned into one set of declarations.
#include <filesystem>
#include <memory>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/io/cpp_source.h"

namespace l1emu::emu::detail {

class CppFileSet {
 public:
  /// Adds the .h, .hpp, .cpp and .cc files directly inside `dir` (not nnet_utils or other
  /// subfolders; editor backups such as defines.h~ do not match), in name order. A missing folder
  /// adds nothing.
  void add_directory(const std::filesystem::path& dir);
  void add_file(const std::filesystem::path& file);

  [[nodiscard]] const CppDeclarations& declarations() const { return declarations_; }
  [[nodiscard]] const std::vector<std::unique_ptr<CppSource>>& sources() const { return sources_; }

 private:
  std::vector<std::unique_ptr<CppSource>> sources_;  // stable addresses: declarations point into them
  CppDeclarations declarations_;
};

}  // namespace l1emu::emu::detail

#include "l1emu/emu/io/copying_wrapper_package.h"

#include "cpp_file_set.h"
#include "l1emu/emu/error.h"
#include "l1emu/emu/io/hls4ml_project.h"

namespace l1emu::emu {
namespace {

namespace fs = std::filesystem;

// The wrapper .cpp files beside NN/ (they define create_model), with their text.
std::vector<std::pair<fs::path, std::string>> wrappers(const fs::path& dir) {
  std::vector<std::pair<fs::path, std::string>> out;
  for (auto& file : detail::cpp_files_with_text(dir)) {
    if (file.second.find("create_model") != std::string::npos) out.push_back(std::move(file));
  }
  return out;
}

}  // namespace

bool is_copying_wrapper_package(const fs::path& dir) {
  if (!fs::is_regular_file(dir / "NN" / "parameters.h")) return false;
  const auto found = wrappers(dir);
  if (found.size() != 1) return false;
  const std::string& text = found[0].second;
  return text.find("_scaleNNInputs") == std::string::npos && text.find("_computeLoss") == std::string::npos;
}

Model import_copying_wrapper_package(const fs::path& dir, std::optional<Flavor> flavor, std::vector<std::string>* notes) {
  if (!is_copying_wrapper_package(dir)) throw ModelError(dir.string() + ": not a package with NN/ and one wrapper that only copies");
  Model model = import_hls4ml_project(dir / "NN", flavor, notes);
  if (notes != nullptr) {
    notes->push_back("package: the network of " + (dir / "NN").string() + "; " + wrappers(dir)[0].first.string() +
                     " copies the inputs and outputs (no _scaleNNInputs, no _computeLoss)");
  }
  return model;
}

}  // namespace l1emu::emu

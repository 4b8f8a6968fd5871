#include "l1emu/emu/io/model_loader.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/io/axol1tl_package.h"
#include "l1emu/emu/io/copying_wrapper_package.h"
#include "l1emu/emu/io/double_scale_package.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"

namespace l1emu::emu {

Model load_model(const std::filesystem::path& path) { return load_model(path, std::nullopt, nullptr); }

Model load_model(const std::filesystem::path& path, std::optional<Flavor> flavor, std::vector<std::string>* notes) {
  if (!std::filesystem::exists(path)) throw ModelError(path.string() + ": no such file or directory");
  const auto json = [&](const std::filesystem::path& file) {
    if (flavor) throw ModelError(file.string() + ": a model.json states its own flavor; a flavour applies to hls4ml projects and AXOL1TL packages");
    return load_model_json(file);
  };
  if (std::filesystem::is_directory(path)) {
    if (std::filesystem::is_regular_file(path / "model.json")) return json(path / "model.json");
    if (is_axol1tl_package(path)) return import_axol1tl_package(path, flavor, notes);
    if (is_double_scale_package(path)) return import_double_scale_package(path, flavor, notes);
    if (is_copying_wrapper_package(path)) return import_copying_wrapper_package(path, flavor, notes);
    if (is_hls4ml_project(path)) return import_hls4ml_project(path, flavor, notes);
    throw ModelError(path.string() +
                     ": a directory that is neither a model (no model.json), an hls4ml project (no firmware/parameters.h), an "
                     "AXOL1TL package (no scales.h and NN/) nor another emulator package (NN/ and one wrapper .cpp with create_model)");
  }
  return json(path);
}

}  // namespace l1emu::emu

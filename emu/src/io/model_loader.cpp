#include "l1emu/emu/io/model_loader.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/io/axol1tl_package.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_json.h"

namespace l1emu::emu {

Model load_model(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw ModelError(path.string() + ": no such file or directory");
  if (std::filesystem::is_directory(path)) {
    if (std::filesystem::is_regular_file(path / "model.json")) return load_model_json(path / "model.json");
    if (is_axol1tl_package(path)) return import_axol1tl_package(path);
    if (is_hls4ml_project(path)) return import_hls4ml_project(path);
    throw ModelError(path.string() +
                     ": a directory that is neither a model (no model.json), an hls4ml project (no firmware/parameters.h) nor an "
                     "AXOL1TL package (no scales.h and NN/)");
  }
  return load_model_json(path);
}

}  // namespace l1emu::emu

#include "l1emu/emu/io/model_loader.h"

#include "l1emu/emu/error.h"
#include "l1emu/emu/io/model_json.h"

namespace l1emu::emu {

Model load_model(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw ModelError(path.string() + ": no such file or directory");
  if (std::filesystem::is_directory(path)) {
    if (std::filesystem::is_regular_file(path / "model.json")) return load_model_json(path / "model.json");
    throw ModelError(path.string() + ": a directory without model.json (hls4ml project and AXOL1TL package import is not available yet)");
  }
  return load_model_json(path);
}

}  // namespace l1emu::emu

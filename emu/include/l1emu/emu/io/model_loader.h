#pragma once
// load_model: the one entry point for "--model PATH". PATH is a model.json file, a directory
// holding one, an AXOL1TL package (scales.h and NN/) or an hls4ml project (firmware/parameters.h),
// detected in that order. Packages and projects are imported with the flavour detected from
// their code (see hls4ml_project.h).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/nn/flavor.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// Throws ModelError naming PATH and what was expected.
[[nodiscard]] Model load_model(const std::filesystem::path& path);

/// The same, with the import's options (`l1emu import --flavour`, the Python module's Model):
/// `flavor` forces the flavour of an imported project or package (a model.json states its own, so
/// giving one for it is a ModelError); `notes` receives what the import decided and why.
[[nodiscard]] Model load_model(const std::filesystem::path& path, std::optional<Flavor> flavor, std::vector<std::string>* notes);

}  // namespace l1emu::emu

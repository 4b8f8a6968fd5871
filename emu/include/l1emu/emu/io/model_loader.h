#pragma once
// load_model: the one entry point for "--model PATH". PATH is a model.json file, a directory
// holding one, an AXOL1TL package (scales.h and NN/) or an hls4ml project (firmware/parameters.h),
// detected in that order. Packages and projects are imported with the flavour detected from
// their code (see hls4ml_project.h).
#include <filesystem>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// Throws ModelError naming PATH and what was expected.
[[nodiscard]] Model load_model(const std::filesystem::path& path);

}  // namespace l1emu::emu

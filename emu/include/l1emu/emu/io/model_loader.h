#pragma once
// load_model: the one entry point for "--model PATH". PATH is a model.json file or a directory
// holding one. (hls4ml project directories and AXOL1TL packages are detected here once their
// importers exist.)
#include <filesystem>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// Throws ModelError naming PATH and what was expected.
[[nodiscard]] Model load_model(const std::filesystem::path& path);

}  // namespace l1emu::emu

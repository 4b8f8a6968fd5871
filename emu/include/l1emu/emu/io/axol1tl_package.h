#pragma once
// Imports an AXOL1TL-style CMS emulator package (cms-hls4ml/AXOL1TL AXOL1TL_vN/): NN/ holds the
// hls4ml network, scales.h the input offsets and shifts with their types, and the emulator wrapper
// (GTADModel_emulator_vN.cpp) the input scaling and the score. The model is
// InputScale -> network -> SumSquares (shared/golden/axol1tl/README.md), outputs [network outputs,
// score], every type taken from the package.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// True when `dir` has scales.h and an NN/ folder.
[[nodiscard]] bool is_axol1tl_package(const std::filesystem::path& dir);

/// Reads the package. Throws ModelError naming file:line. `notes` receives what was decided.
[[nodiscard]] Model import_axol1tl_package(const std::filesystem::path& dir, std::optional<Flavor> flavor = std::nullopt,
                                           std::vector<std::string>* notes = nullptr);

}  // namespace l1emu::emu

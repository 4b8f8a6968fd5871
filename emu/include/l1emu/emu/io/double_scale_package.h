#pragma once
// Imports a CMSSW emulator package whose wrapper scales the inputs in C doubles (cms-hls4ml/TOPO
// TOPO_*/): NN/ holds the hls4ml network, a header (scaling.h) the integer bias and norm arrays,
// and the wrapper's _scaleNNInputs computes static_cast<input_t>((unscaled[i] - bias[i]) / norm[i])
// in doubles. The model is DoubleScale -> network; its outputs are the network's (read_result
// copies them).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// True when `dir` has NN/parameters.h and a wrapper .cpp beside it that defines _scaleNNInputs
/// with double arithmetic.
[[nodiscard]] bool is_double_scale_package(const std::filesystem::path& dir);

/// Reads the package. Throws ModelError naming file:line. `notes` receives what was decided.
[[nodiscard]] Model import_double_scale_package(const std::filesystem::path& dir, std::optional<Flavor> flavor = std::nullopt,
                                                std::vector<std::string>* notes = nullptr);

}  // namespace l1emu::emu

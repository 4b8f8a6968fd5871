#pragma once
// A CMSSW emulator package whose wrapper only copies (cms-hls4ml/TOoLLiP TOoLLiP_vN/): NN/ holds the
// hls4ml network, and the wrapper's prepare_input and read_result copy the inputs and outputs
// unchanged (no _scaleNNInputs, no _computeLoss). The model is the network of NN/.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// True when `dir` has NN/parameters.h and a wrapper .cpp (create_model) that neither scales the
/// inputs nor computes a score.
[[nodiscard]] bool is_copying_wrapper_package(const std::filesystem::path& dir);

/// Imports NN/ and says which wrapper was read. Throws ModelError naming file:line.
[[nodiscard]] Model import_copying_wrapper_package(const std::filesystem::path& dir, std::optional<Flavor> flavor = std::nullopt,
                                                   std::vector<std::string>* notes = nullptr);

}  // namespace l1emu::emu

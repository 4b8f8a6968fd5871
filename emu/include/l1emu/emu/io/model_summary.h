#pragma once
// A short human-readable description of a model (what `l1emu import` prints): inputs, each layer
// with its class, shapes and types, weight counts and zero weights, and the outputs.
#include <string>
#include <vector>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// Several lines ending in '\n'; `notes` (how the import decided things) are appended.
[[nodiscard]] std::string summarize_model(const Model& model, const std::vector<std::string>& notes = {});

/// Number of weight codes equal to zero over all Dense layers (hls4ml's n_zeros).
[[nodiscard]] std::size_t zero_weight_count(const Model& model);

}  // namespace l1emu::emu

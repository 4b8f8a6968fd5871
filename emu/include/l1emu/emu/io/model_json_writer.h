#pragma once
// Writes any Model back as model.json (shared/golden/README.md schema). Weights, biases, scales
// and offsets are written as the exact decimals of their codes (to_decimal), so reading the file
// back gives the same codes whenever the value is a double (every type up to 53 bits does).
#include <string>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// The model.json text of `model` (pretty-printed, keys in schema order). Throws ModelError for a
/// layer class the writer does not know.
[[nodiscard]] std::string write_model_json(const Model& model);

}  // namespace l1emu::emu

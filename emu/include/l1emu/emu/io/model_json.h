#pragma once
// Loads a model from model.json (schema: shared/golden/README.md and shared/golden/axol1tl/README.md).
//
// Validation is strict: unknown keys and classes, dangling input names, shape and weight-count
// mismatches and unparseable types are ModelErrors naming the file, the layer and the key. Numbers
// are read as doubles and converted to their types exactly as hls4ml's weight loader does
// (text -> double -> type, with the type's quantization and overflow modes).
#include <filesystem>
#include <string>
#include <string_view>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// Reads and validates `path`. Throws ModelError.
[[nodiscard]] Model load_model_json(const std::filesystem::path& path);

/// Parses model.json text; `source` names it in error messages. Throws ModelError.
[[nodiscard]] Model parse_model_json(std::string_view text, const std::string& source);

}  // namespace l1emu::emu

#pragma once
// model.json's "hls_synthesis" record, checked (model_json.cpp reads it with the rest of the file).
#include <nlohmann/json.hpp>

#include <string>

#include "l1emu/emu/io/hls_synthesis.h"

namespace l1emu::emu::detail {

/// Throws ModelError naming `where`, the key and the problem.
[[nodiscard]] HlsSynthesis parse_hls_synthesis_record(const nlohmann::json& object, const std::string& where);

}  // namespace l1emu::emu::detail

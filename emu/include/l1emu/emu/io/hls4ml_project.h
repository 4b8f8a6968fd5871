#pragma once
// Imports an hls4ml project directory (what hls4ml writes: firmware/defines.h, parameters.h,
// <project>.cpp, weights/*.txt or weight headers, hls4ml_config.yml) as a Model, without a C++
// compiler. The C++ is read by CppSource/CppDeclarations and Hls4mlNetwork; hls4ml_config.yml,
// when present, gives the project name and is checked for io_parallel and the latency strategy.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

/// True when `dir` looks like an hls4ml project (firmware/parameters.h, or parameters.h directly).
[[nodiscard]] bool is_hls4ml_project(const std::filesystem::path& dir);

/// Reads the project. `flavor` forces the semantic flavour; otherwise it is detected from the code
/// (nnet_utils, the leaky_relu call) or hls4ml_config.yml, else head. `notes`, when given, receives
/// what was decided and why (flavour source). Throws ModelError naming file:line.
[[nodiscard]] Model import_hls4ml_project(const std::filesystem::path& dir, std::optional<Flavor> flavor = std::nullopt,
                                          std::vector<std::string>* notes = nullptr);

/// The top function of a project as synthesis sees it: its name and its parameter names (inputs,
/// then outputs, each in parameter order). HLS names the RTL's ports after these.
struct Hls4mlTopInterface {
  std::string function;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
};

/// Reads the top function of the project as import_hls4ml_project does. Throws ModelError.
[[nodiscard]] Hls4mlTopInterface read_hls4ml_top_interface(const std::filesystem::path& dir);

}  // namespace l1emu::emu

#pragma once
// Which hls4ml C++ a model reproduces (shared/golden/README.md, "flavor").
#include <string_view>

namespace l1emu::emu {

enum class Flavor {
  Paper,  // nnet_utils of hls4ml branch AE_L1_paper (2021): BN rounds twice, LeakyReLU alpha typed data_T
  Head,   // hls4ml main (2026): BN rounds once, LeakyReLU alpha typed param_t
};

[[nodiscard]] constexpr std::string_view to_string(Flavor f) { return f == Flavor::Paper ? "paper" : "head"; }

}  // namespace l1emu::emu

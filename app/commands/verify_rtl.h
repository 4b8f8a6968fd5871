#pragma once
// l1emu verify rtl: the subcommand of verify that co-simulates the synthesized RTL (verify_rtl.cpp).
#include <string>
#include <vector>

namespace l1emu::app {

extern const char* const kVerifyRtlUsage;

/// Runs `verify rtl` with the arguments after "rtl"; exit 0 when every output code agrees.
int run_verify_rtl(const std::vector<std::string>& args);

}  // namespace l1emu::app

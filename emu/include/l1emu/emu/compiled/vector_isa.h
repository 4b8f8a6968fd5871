#pragma once
// The SIMD instruction sets the compiled kernels choose among at run time (Google Highway's
// dynamic dispatch): one binary uses AVX-512 where the CPU has it, else AVX2, else SSE4, else
// portable code. Every set gives bit-identical results; tests run the kernels under each one the
// machine supports, and `l1emu bench --isa` measures them one by one. (The blocked int32 Dense
// loop, for products with rounding modes other than TRN, picks AVX2 or baseline code by GCC's
// target_clones on its own; the element-wise kernels are compiled for the build's target.)
#include <string>
#include <vector>

namespace l1emu::emu {

/// The instruction set the kernels use now, e.g. "AVX3_DL" (AVX-512 with VNNI), "AVX3", "AVX2".
[[nodiscard]] std::string active_vector_isa();

/// Every instruction set that this binary was built for and this CPU runs, best first.
[[nodiscard]] std::vector<std::string> available_vector_isas();

/// Dispatches as if the CPU had nothing better than `name` (one of available_vector_isas());
/// an empty name restores the CPU's best. Throws std::invalid_argument for an unknown or
/// unavailable name. Process-wide: call it before evaluating, not while threads evaluate.
void restrict_vector_isa(const std::string& name);

}  // namespace l1emu::emu

#pragma once
// LHC timing constants (shared/FACTS.md section 1).
namespace l1emu::stream {

/// Bunch-crossing clock: the RF frequency 400.789 MHz divided by 10.
inline constexpr double kBunchCrossingHz = 40.0789e6;
/// Bunch-crossing slots per orbit.
inline constexpr int kBxPerOrbit = 3564;

}  // namespace l1emu::stream

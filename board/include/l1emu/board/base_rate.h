#pragma once
// The base rate: how many events per second the logged sample stands for (issue 7).
//   "zero-bias"        every logged event is one colliding bunch crossing: f_orbit x N_colliding
//                      (shared/FACTS.md section 1), N_colliding from the log's colliding_bunches
//                      attribute or from its filling_scheme name (stream's filling-scheme registry);
//   "<number><unit>"   a given input rate, for pre-filtered samples (e.g. the 40 MHz dataset's
//                      single-lepton stream): units Hz, kHz, MHz, GHz ("40MHz", "2.5kHz", "1.2e3Hz";
//                      a space before the unit is allowed).
// The same number-with-unit syntax gives target rates.
#include <string>
#include <string_view>

#include "l1emu/board/decision_log_reader.h"

namespace l1emu::board {

struct BaseRateSpec {
  bool zero_bias = false;
  double hz = 0;  // when !zero_bias
};

/// Parses "<number><unit>" into Hz; throws std::invalid_argument naming the text and the accepted
/// forms for anything else (missing or unknown unit, non-positive or non-finite number).
[[nodiscard]] double parse_rate_hz(std::string_view text);

/// Parses a --base-rate value: "zero-bias" or a rate with unit.
[[nodiscard]] BaseRateSpec parse_base_rate(std::string_view text);

struct BaseRate {
  double hz = 0;
  std::string description;  // how it was obtained, for the report
};

/// Resolves a spec against the background log's metadata; zero-bias without colliding_bunches or a
/// resolvable filling_scheme throws std::invalid_argument saying what to give instead.
[[nodiscard]] BaseRate resolve_base_rate(const BaseRateSpec& spec, const DecisionLogMetadata& background);

}  // namespace l1emu::board

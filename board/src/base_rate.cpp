#include "l1emu/board/base_rate.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "l1emu/stream/filling_scheme.h"
#include "l1emu/stream/lhc_clock.h"

namespace l1emu::board {

double parse_rate_hz(std::string_view text) {
  const auto fail = [text](std::string_view why) {
    return std::invalid_argument(fmt::format("rate '{}': {} (expected a positive number with a unit Hz, kHz, MHz or GHz, "
                                             "e.g. 40MHz, 2.5kHz, 1.2e3Hz)",
                                             text, why));
  };
  double value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end == first) throw fail("no number");
  std::string_view unit(end, static_cast<std::size_t>(last - end));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  // Units are case-sensitive: "mHz" (milli) must not be read as MHz.
  constexpr std::array<std::pair<std::string_view, double>, 4> kUnits{
      {{"Hz", 1.0}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}}};
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    const double hz = value * scale;
    if (!std::isfinite(hz) || !(hz > 0)) throw fail("not a positive finite rate");
    return hz;
  }
  throw fail(unit.empty() ? "missing unit" : fmt::format("unknown unit '{}'", unit));
}

BaseRateSpec parse_base_rate(std::string_view text) {
  if (text == "zero-bias") return {true, 0};
  try {
    return {false, parse_rate_hz(text)};
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("--base-rate: {}, or zero-bias", e.what()));
  }
}

BaseRate resolve_base_rate(const BaseRateSpec& spec, const DecisionLogMetadata& background) {
  if (!spec.zero_bias) return {spec.hz, fmt::format("given input rate {} Hz", spec.hz)};
  if (background.colliding_bunches) {
    const std::int64_t n = *background.colliding_bunches;
    if (n <= 0 || n > stream::kBxPerOrbit)
      throw std::invalid_argument(fmt::format("zero-bias base rate: the log's colliding_bunches is {}, outside 1-{}", n,
                                              stream::kBxPerOrbit));
    return {stream::kOrbitHz * static_cast<double>(n),
            fmt::format("zero-bias: f_orbit {} Hz x {} colliding bunches (log attribute colliding_bunches)",
                        stream::kOrbitHz, n)};
  }
  if (background.filling_scheme) {
    std::unique_ptr<stream::FillingScheme> scheme;
    try {
      scheme = stream::make_filling_scheme({*background.filling_scheme, {}});
    } catch (const std::exception& e) {
      throw std::invalid_argument(fmt::format("zero-bias base rate: filling scheme '{}' of the log: {}; give "
                                              "--base-rate with a number and unit instead",
                                              *background.filling_scheme, e.what()));
    }
    const std::size_t n = scheme->colliding_count();
    if (n == 0) throw std::invalid_argument(fmt::format("zero-bias base rate: filling scheme '{}' has no colliding bunch", *background.filling_scheme));
    return {stream::kOrbitHz * static_cast<double>(n),
            fmt::format("zero-bias: f_orbit {} Hz x {} colliding bunches (filling scheme {})", stream::kOrbitHz, n,
                        *background.filling_scheme)};
  }
  throw std::invalid_argument(
      "zero-bias base rate: the background log records neither colliding_bunches nor filling_scheme; give "
      "--base-rate with a number and unit (e.g. --base-rate 40MHz)");
}

}  // namespace l1emu::board

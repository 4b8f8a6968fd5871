#include "l1emu/board/menu.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l1emu/board/error.h"

namespace l1emu::board {

Menu::Menu(MenuConfig config) : config_(std::move(config)) {
  if (config_.bits.size() > kMaxBits) {
    throw ConfigError(fmt::format("menu has {} bits; at most {} are supported", config_.bits.size(), kMaxBits));
  }
  std::set<int> seen;
  for (std::size_t i = 0; i < config_.bits.size(); ++i) {
    const auto& b = config_.bits[i];
    if (b.bit < 0 || b.bit > 511) throw ConfigError(fmt::format("menu.bits[{}].bit: {} is outside 0..511", i, b.bit));
    if (!seen.insert(b.bit).second) throw ConfigError(fmt::format("menu.bits[{}].bit: bit {} appears twice", i, b.bit));
  }
}

std::uint64_t Menu::fire(std::int64_t score, std::uint16_t bx) const {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < config_.bits.size(); ++i) {
    const auto& b = config_.bits[i];
    if (score < b.threshold) continue;
    if (b.bx_mask && !b.bx_mask->test(bx)) continue;
    bits |= std::uint64_t{1} << i;
  }
  return bits;
}

MenuDecision Menu::decide(std::int64_t score, std::uint16_t bx, MenuState& state) const {
  MenuDecision d;
  d.before_prescale = fire(score, bx);
  d.after_prescale = prescale(d.before_prescale, state);
  return d;
}

std::uint64_t Menu::prescale(std::uint64_t before_prescale, MenuState& state) const {
  std::uint64_t after = 0;
  for (std::size_t i = 0; i < config_.bits.size(); ++i) {
    if (((before_prescale >> i) & 1U) == 0) continue;
    const std::uint32_t prescale = config_.bits[i].prescale;
    if (prescale == 0) continue;
    if (++state.prescale_counters[i] >= prescale) {
      state.prescale_counters[i] = 0;
      after |= std::uint64_t{1} << i;
    }
  }
  return after;
}

MenuConfig read_thresholds_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(fmt::format("{}: cannot open thresholds file", file.string()));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(fmt::format("{}: not valid JSON ({})", file.string(), e.what()));
  }
  if (!j.is_object()) throw ConfigError(fmt::format("{}: expected an object of bits", file.string()));
  MenuConfig menu;
  for (const auto& [key, value] : j.items()) {
    AlgorithmBit b;
    try {
      std::size_t used = 0;
      b.bit = std::stoi(key, &used);
      if (used != key.size()) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      throw ConfigError(fmt::format("{}: key '{}' is not a bit number", file.string(), key));
    }
    // Checked here too (Menu checks again), so that the message names this file.
    if (b.bit < 0 || b.bit > 511) throw ConfigError(fmt::format("{}: key '{}': bit {} is outside 0..511", file.string(), key, b.bit));
    for (const auto& other : menu.bits) {
      if (other.bit == b.bit) throw ConfigError(fmt::format("{}: key '{}': bit {} appears twice", file.string(), key, b.bit));
    }
    if (!value.is_object() || !value.contains("threshold") || !value["threshold"].is_number_integer()) {
      throw ConfigError(fmt::format("{}: {}.threshold must be an integer", file.string(), key));
    }
    b.threshold = value["threshold"].get<std::int64_t>();
    if (value.contains("name")) {
      if (!value["name"].is_string()) throw ConfigError(fmt::format("{}: {}.name must be a string", file.string(), key));
      b.name = value["name"].get<std::string>();
    }
    for (const auto& [k, v] : value.items()) {
      if (k != "threshold" && k != "name") throw ConfigError(fmt::format("{}: unknown key {}.{}", file.string(), key, k));
    }
    menu.bits.push_back(std::move(b));
  }
  std::sort(menu.bits.begin(), menu.bits.end(), [](const AlgorithmBit& a, const AlgorithmBit& b) { return a.bit < b.bit; });
  return menu;
}

}  // namespace l1emu::board

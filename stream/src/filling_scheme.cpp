#include "l1emu/stream/filling_scheme.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <stdexcept>

#include "l1emu/registry/registry.h"
#include "l1emu/stream/error.h"

namespace l1emu::stream {
namespace {

registry::Registry<FillingSchemeFactory>& schemes() {
  static registry::Registry<FillingSchemeFactory> r("filling scheme");
  return r;
}

BxMask nominal_25ns_mask() {
  constexpr int kBunchesPerBatch = 48;
  constexpr int kBatchGap = 7;
  constexpr int kBatchesPerTrain = 3;
  constexpr int kTrainGap = 38;
  constexpr int kAbortGap = 119;
  BxMask mask;
  int bx = 0;
  const int last_usable = kBxPerOrbit - kAbortGap;  // slots [last_usable, 3564) stay empty
  constexpr int kTrainLength = kBatchesPerTrain * kBunchesPerBatch + (kBatchesPerTrain - 1) * kBatchGap;
  while (bx + kTrainLength <= last_usable) {
    for (int b = 0; b < kBatchesPerTrain; ++b) {
      for (int i = 0; i < kBunchesPerBatch; ++i) mask.set(static_cast<std::size_t>(bx++));
      if (b + 1 < kBatchesPerTrain) bx += kBatchGap;
    }
    bx += kTrainGap;
  }
  return mask;
}

[[maybe_unused]] const bool kRegistered = [] {
  register_filling_scheme("all", [](const FillingSchemeConfig&) {
    return std::make_unique<MaskFillingScheme>("all", BxMask{}.set());
  });
  register_filling_scheme("nominal-25ns", [](const FillingSchemeConfig&) {
    return std::make_unique<MaskFillingScheme>("nominal-25ns", nominal_25ns_mask());
  });
  register_filling_scheme("file", [](const FillingSchemeConfig& c) {
    if (c.file.empty()) throw std::invalid_argument("filling scheme 'file': no file given");
    return std::make_unique<MaskFillingScheme>("file:" + c.file.string(), read_colliding_bx_file(c.file));
  });
  return true;
}();

}  // namespace

std::vector<std::uint16_t> FillingScheme::colliding_bx() const {
  std::vector<std::uint16_t> out;
  out.reserve(colliding_count());
  for (int bx = 0; bx < kBxPerOrbit; ++bx)
    if (colliding().test(static_cast<std::size_t>(bx))) out.push_back(static_cast<std::uint16_t>(bx));
  return out;
}

bool register_filling_scheme(std::string name, FillingSchemeFactory factory) { return schemes().add(std::move(name), std::move(factory)); }

std::vector<std::string> filling_scheme_names() {
  (void)kRegistered;
  return schemes().names();
}

std::unique_ptr<FillingScheme> make_filling_scheme(const FillingSchemeConfig& config) {
  (void)kRegistered;
  return schemes().get(config.name)(config);
}

BxMask read_colliding_bx_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw DataError(fmt::format("{}: cannot open filling-scheme file", file.string()));
  BxMask mask;
  std::string line;
  int line_no = 0;
  auto parse_bx = [&](std::string_view token) {
    int value = -1;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc{} || end != token.data() + token.size() || value < 0 || value >= kBxPerOrbit)
      throw DataError(fmt::format("{}:{}: '{}' is not a BX number 0-{}", file.string(), line_no, token, kBxPerOrbit - 1));
    return value;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::replace(line.begin(), line.end(), ',', ' ');
    std::size_t pos = 0;
    while (pos < line.size()) {
      while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
      std::size_t end = pos;
      while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
      if (end == pos) break;
      const std::string_view token(line.data() + pos, end - pos);
      pos = end;
      const auto dash = token.find('-');
      const int first = parse_bx(dash == std::string_view::npos ? token : token.substr(0, dash));
      const int last = dash == std::string_view::npos ? first : parse_bx(token.substr(dash + 1));
      if (last < first)
        throw DataError(fmt::format("{}:{}: range '{}' is reversed", file.string(), line_no, token));
      for (int bx = first; bx <= last; ++bx) {
        if (mask.test(static_cast<std::size_t>(bx)))
          throw DataError(fmt::format("{}:{}: BX {} listed twice", file.string(), line_no, bx));
        mask.set(static_cast<std::size_t>(bx));
      }
    }
  }
  if (in.bad()) throw DataError(fmt::format("{}: read error after line {}", file.string(), line_no));
  if (mask.none()) throw DataError(fmt::format("{}: no colliding BX listed", file.string()));
  return mask;
}

BxAssigner::BxAssigner(const FillingScheme& scheme, BunchCrossing start)
    : colliding_(scheme.colliding_bx()), orbit_(start.orbit) {
  if (colliding_.empty())
    throw std::invalid_argument(fmt::format("filling scheme '{}' has no colliding BX", scheme.name()));
  index_ = static_cast<std::size_t>(std::lower_bound(colliding_.begin(), colliding_.end(), start.bx) - colliding_.begin());
  if (index_ == colliding_.size()) {
    index_ = 0;
    ++orbit_;
  }
}

BunchCrossing BxAssigner::next_slot() {
  const BunchCrossing slot{orbit_, colliding_[index_]};
  if (++index_ == colliding_.size()) {
    index_ = 0;
    ++orbit_;
  }
  return slot;
}

BunchCrossing BxAssigner::assign(Event& event) {
  const BunchCrossing slot = next_slot();
  event.orbit = slot.orbit;
  event.bx = slot.bx;
  return slot;
}

}  // namespace l1emu::stream

#include "l1emu/board/bit_overlap.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

namespace l1emu::board {

BitPatternCounts::BitPatternCounts(std::vector<std::string> bit_names, std::vector<std::uint32_t> prescales)
    : names_(std::move(bit_names)), prescales_(std::move(prescales)), after_(names_.size(), 0) {
  if (names_.size() > 64) throw std::invalid_argument("at most 64 algorithm bits are supported");
  if (!prescales_.empty() && prescales_.size() != names_.size())
    throw std::invalid_argument(fmt::format("{} prescales for {} bits", prescales_.size(), names_.size()));
}

void BitPatternCounts::fill(const DecisionChunk& chunk) {
  if (chunk.bit_count != names_.size())
    throw std::invalid_argument(fmt::format("a chunk of {} bits for a menu of {} bits", chunk.bit_count, names_.size()));
  const std::size_t nbits = names_.size();
  for (std::size_t e = 0; e < chunk.size(); ++e) {
    std::uint64_t pattern = 0;
    for (std::size_t b = 0; b < nbits; ++b)
      if (chunk.bits[e * nbits + b] != 0) pattern |= std::uint64_t{1} << b;
    ++patterns_[pattern];
  }
  if (after_complete_ && chunk.bits_after_prescale.size() == chunk.size()) {
    for (const std::uint64_t mask : chunk.bits_after_prescale)
      for (std::size_t b = 0; b < nbits; ++b) after_[b] += (mask >> b) & 1U;
  } else if (chunk.size() > 0) {
    after_complete_ = false;  // a log without them: no rate after prescale rather than a partial one
    after_.clear();
  }
  events_ += chunk.size();
}

BitPatternCounts& BitPatternCounts::operator+=(const BitPatternCounts& other) {
  if (other.names_ != names_)
    throw std::invalid_argument(fmt::format("bit names differ between logs of one sample: [{}] vs [{}]",
                                            fmt::join(names_, ", "), fmt::join(other.names_, ", ")));
  if (other.prescales_ != prescales_) {
    throw std::invalid_argument(fmt::format("prescales differ between logs of one sample: [{}] vs [{}]", fmt::join(prescales_, ", "),
                                            fmt::join(other.prescales_, ", ")));
  }
  for (const auto& [pattern, n] : other.patterns_) patterns_[pattern] += n;
  if (after_.size() == other.after_.size() && other.after_complete_ && after_complete_) {
    for (std::size_t b = 0; b < after_.size(); ++b) after_[b] += other.after_[b];
  } else {
    after_complete_ = false;
    after_.clear();
  }
  events_ += other.events_;
  return *this;
}

namespace {

RatePoint point(std::uint64_t k, std::uint64_t n, double base_hz) {
  const FractionInterval ci = clopper_pearson(k, n);
  return {0, k, rate_hz(base_hz, k, n), base_hz * ci.lo, base_hz * ci.hi};
}

}  // namespace

BitOverlap bit_overlap(const BitPatternCounts& counts, double base_hz) {
  if (counts.events() == 0) throw std::invalid_argument("bit overlap of 0 events");
  const std::size_t nbits = counts.bit_names().size();
  std::vector<std::uint64_t> passed(nbits, 0), unique(nbits, 0), both(nbits * nbits, 0);
  std::uint64_t any = 0;
  for (const auto& [pattern, n] : counts.patterns()) {
    if (pattern != 0) any += n;
    for (std::size_t i = 0; i < nbits; ++i) {
      if ((pattern >> i & 1U) == 0) continue;
      passed[i] += n;
      if (pattern == (std::uint64_t{1} << i)) unique[i] += n;
      for (std::size_t j = 0; j < nbits; ++j)
        if ((pattern >> j & 1U) != 0) both[i * nbits + j] += n;
    }
  }
  BitOverlap out;
  out.events = counts.events();
  out.any = point(any, counts.events(), base_hz);
  for (std::size_t i = 0; i < nbits; ++i) {
    BitRates r{counts.bit_names()[i], point(passed[i], counts.events(), base_hz),
               point(unique[i], counts.events(), base_hz), {}, 1, std::nullopt};
    for (std::size_t j = 0; j < nbits; ++j) r.overlap.push_back(point(both[i * nbits + j], counts.events(), base_hz));
    if (!counts.prescales().empty()) r.prescale = counts.prescales()[i];
    if (counts.passed_after_prescale().size() == nbits) r.after_prescale = point(counts.passed_after_prescale()[i], counts.events(), base_hz);
    out.bits.push_back(std::move(r));
  }
  return out;
}

}  // namespace l1emu::board

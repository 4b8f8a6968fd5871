#include "l1emu/board/feature_code_table.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <map>
#include <stdexcept>

namespace l1emu::board {
namespace {

constexpr std::size_t kRowsPerCall = 64;  // rows converted per FloatRowsToLanes call at set-up
constexpr std::size_t kAhead = 4;         // events prefetched ahead of the one read

}  // namespace

std::unique_ptr<FeatureCodeTable> FeatureCodeTable::make(const FeatureBuilder& builder, const emu::FloatRowsToLanes& converter) {
  const std::span<const std::uint32_t> counts = builder.key_counts();
  const std::size_t width = builder.size();
  if (counts.empty() || counts.size() != width || converter.width() != width) return nullptr;
  std::unique_ptr<FeatureCodeTable> table(new FeatureCodeTable(builder));
  table->offset_.resize(width);
  table->count_.assign(counts.begin(), counts.end());
  std::map<std::vector<std::int32_t>, std::size_t> seen;  // a table's codes -> its offset
  std::vector<float> rows(kRowsPerCall * width);
  std::vector<std::int32_t> lanes(width * kRowsPerCall);
  emu::FloatRowsToLanes::Scratch<std::int32_t> scratch;
  for (std::size_t k = 0; k < width; ++k) {
    std::vector<std::int32_t> codes(counts[k]);
    // Rows of zeros but for value k: every other value converts as 0 does, which never fails.
    std::fill(rows.begin(), rows.end(), 0.0F);
    for (std::uint32_t first = 0; first < counts[k]; first += kRowsPerCall) {
      const auto n = static_cast<std::size_t>(std::min<std::uint32_t>(kRowsPerCall, counts[k] - first));
      for (std::size_t r = 0; r < n; ++r) rows[r * width + k] = builder.key_value(k, first + static_cast<std::uint32_t>(r));
      try {
        converter.convert(rows.data(), n, kRowsPerCall, lanes.data(), scratch);
      } catch (const std::exception&) {
        return nullptr;  // not every key converts: the per-event path, which throws for the event that has it
      }
      std::copy_n(lanes.data() + k * kRowsPerCall, n, codes.begin() + first);
    }
    const auto [it, added] = seen.try_emplace(std::move(codes), table->codes_.size());
    if (added) table->codes_.insert(table->codes_.end(), it->first.begin(), it->first.end());
    table->offset_[k] = it->second;
  }
  table->distinct_ = seen.size();
  return table;
}

bool FeatureCodeTable::fill(std::span<const stream::Event> events, std::size_t stride, std::int32_t* lanes,
                            std::vector<std::uint32_t>& key_rows) const {
  const std::size_t width = offset_.size();
  const std::size_t count = events.size();
  if (count > stride) throw std::invalid_argument("FeatureCodeTable::fill: more events than lanes per value");
  key_rows.resize(width * stride);
  std::uint32_t* keys = key_rows.data();
  // The events were made on another thread (another core's cache), whose lines take longer to
  // come than one event's keys take: they are asked for kAhead events before they are read.
  const auto prefetch = [&](std::size_t e) {
    const auto* p = reinterpret_cast<const char*>(&events[e]);
    for (std::size_t b = 0; b < sizeof(stream::Event); b += 64) __builtin_prefetch(p + b);
  };
  for (std::size_t e = 0; e < std::min(kAhead, count); ++e) prefetch(e);
  for (std::size_t e = 0; e < count; ++e) {
    if (e + kAhead < count) prefetch(e + kAhead);
    builder_.keys(events[e], keys + e, stride);
  }
  for (std::size_t k = 0; k < width; ++k) {
    const std::uint32_t* key = keys + k * stride;
    std::uint32_t largest = 0;
    for (std::size_t e = 0; e < count; ++e) largest = std::max(largest, key[e]);
    if (largest >= count_[k]) return false;
    const std::int32_t* table = codes_.data() + offset_[k];
    std::int32_t* out = lanes + k * stride;
    std::size_t e = 0;
#if defined(__AVX512F__)
    // 16 lookups per gather: as scalar loads the lookups were latency-bound (the tables of a
    // builder are tens of kB, so many miss L1), about three times slower than the conversion they
    // replace (perf).
    for (; e + 16 <= count; e += 16) {
      const __m512i index = _mm512_loadu_si512(key + e);
      // The masked form: GCC 12 warns that the plain one reads an uninitialised vector.
      _mm512_storeu_si512(out + e, _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), 0xFFFF, index, table, 4));
    }
#endif
    for (; e < count; ++e) out[e] = table[key[e]];
  }
  return true;
}

}  // namespace l1emu::board

#include "l1emu/board/feature_code_table.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <map>
#include <stdexcept>

namespace l1emu::board {
namespace {

constexpr std::size_t kRowsPerCall = 64;  // rows converted per FloatRowsToLanes call at set-up

}  // namespace

std::unique_ptr<FeatureCodeTable> FeatureCodeTable::make(const FeatureBuilder& builder, const emu::FloatRowsToLanes& converter) {
  const std::span<const FeatureKey> keys = builder.feature_keys();
  const std::size_t width = builder.size();
  if (keys.empty() || keys.size() != width || converter.width() != width) return nullptr;
  std::unique_ptr<FeatureCodeTable> table(new FeatureCodeTable());
  table->keys_.assign(keys.begin(), keys.end());
  table->offset_.resize(width);
  std::map<std::vector<std::int32_t>, std::size_t> seen;  // a table's codes -> its offset
  std::vector<float> rows(kRowsPerCall * width);
  std::vector<std::int32_t> lanes(width * kRowsPerCall);
  emu::FloatRowsToLanes::Scratch<std::int32_t> scratch;
  for (std::size_t k = 0; k < width; ++k) {
    const std::uint32_t count = keys[k].count;
    std::vector<std::int32_t> codes(count);
    // Rows of zeros but for value k: every other value converts as 0 does, which never fails.
    std::fill(rows.begin(), rows.end(), 0.0F);
    for (std::uint32_t first = 0; first < count; first += kRowsPerCall) {
      const auto n = static_cast<std::size_t>(std::min<std::uint32_t>(kRowsPerCall, count - first));
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

namespace {

#if defined(__x86_64__)
// The AVX-512 path is compiled in every build (a target attribute, not -march) and chosen at run
// time, so that the test suites of every preset run it on the machines that have it.
#define L1EMU_AVX512 __attribute__((target("avx512f")))

// The 16-bit codes of 16 events at once, read by gathers of dwords `Event` bytes apart. A dword
// holds two neighbouring codes (an object's pT and eta, its eta and phi), so the last two
// gathered are kept: an object's three features and their presence take two gathers, not five.
class SixteenCodes {
 public:
  L1EMU_AVX512 SixteenCodes(const unsigned char* base, __m512i event_offsets) : base_(base), offsets_(event_offsets) {}

  // The code at byte `at` of each event, sign- or zero-extended.
  L1EMU_AVX512 __attribute__((always_inline)) __m512i code(std::uint32_t at, bool is_signed) {
    for (const Word& w : words_) {
      if (w.at == at || w.at + 2 == at) return half(w, at, is_signed);
    }
    // The dword that starts with the code where it lies whole inside the event (its neighbour
    // comes next), else the one that ends with it (every code lies at least 2 bytes in).
    const std::uint32_t start = at + 4 <= sizeof(stream::Event) ? at : at - 2;
    Word& w = words_[next_];
    next_ ^= 1U;
    w.at = start;
    // The zero-masked forms throughout: GCC 12 warns that the plain ones read an uninitialised vector.
    w.v = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), 0xFFFF, _mm512_add_epi32(offsets_, _mm512_set1_epi32(static_cast<int>(start))), base_, 1);
    return half(w, at, is_signed);
  }

 private:
  struct Word {
    std::uint32_t at = UINT32_MAX;  // byte offset of the dword in each event; none yet
    __m512i v;
  };
  // The low (at == w.at) or high half of the dword, extended: the low half shifted up first.
  L1EMU_AVX512 __attribute__((always_inline)) static __m512i half(const Word& w, std::uint32_t at, bool is_signed) {
    const __m512i v = at == w.at ? _mm512_maskz_slli_epi32(0xFFFF, w.v, 16) : w.v;
    return is_signed ? _mm512_maskz_srai_epi32(0xFFFF, v, 16) : _mm512_maskz_srli_epi32(0xFFFF, v, 16);
  }
  const unsigned char* base_;
  __m512i offsets_;
  Word words_[2] = {{UINT32_MAX, _mm512_setzero_si512()}, {UINT32_MAX, _mm512_setzero_si512()}};
  unsigned next_ = 0;
};

// The keys of 16 events (feature_key's rule). Lanes beyond the key's count or below 0 (beyond
// their field) are reported through `inside`.
struct Sixteen {
  __m512i keys;
  __mmask16 inside;
};

L1EMU_AVX512 __attribute__((always_inline)) inline Sixteen sixteen_keys(const FeatureKey& key, SixteenCodes& codes) {
  if (key.code_offset == 0) return {_mm512_setzero_si512(), 0xFFFF};
  const __m512i zero = _mm512_setzero_si512();
  __m512i shifted = _mm512_add_epi32(codes.code(key.code_offset, key.code_signed), _mm512_set1_epi32(key.bias));
  __mmask16 inside = _mm512_cmpge_epi32_mask(shifted, zero);
  if (key.presence_offset != 0) {
    const __mmask16 present = _mm512_cmpneq_epi32_mask(codes.code(key.presence_offset, false), zero);
    shifted = _mm512_maskz_add_epi32(present, shifted, _mm512_set1_epi32(1));  // absent: key 0
    inside = static_cast<__mmask16>(inside | static_cast<__mmask16>(~present));
  }
  inside = static_cast<__mmask16>(inside & _mm512_cmplt_epu32_mask(shifted, _mm512_set1_epi32(static_cast<int>(key.count))));
  return {shifted, inside};
}

// Blocks of 16 events, every feature of a block before the next block: the block's event lines
// (made on another thread, in another core's cache) are asked for one block ahead. As scalar code
// the keys and lookups were latency- and instruction-bound, about half the CPU of the replay's
// scoring chain (perf of `l1emu bench --features physical57`). Returns the events done (a multiple
// of 16), or SIZE_MAX when a key lies beyond its table.
L1EMU_AVX512 std::size_t fill_sixteens(std::span<const stream::Event> events, std::span<const FeatureKey> keys, const std::int32_t* codes,
                                       std::span<const std::size_t> offsets, std::size_t stride, std::int32_t* lanes) {
  constexpr std::size_t kBlock = 16;
  const std::size_t count = events.size();
  const auto* base = reinterpret_cast<const unsigned char*>(events.data());
  const auto prefetch_block = [&](std::size_t from) {
    for (std::size_t e = from; e < std::min(from + kBlock, count); ++e) {
      const auto* p = reinterpret_cast<const char*>(&events[e]);
      for (std::size_t b = 0; b < sizeof(stream::Event); b += 64) __builtin_prefetch(p + b);
    }
  };
  const __m512i steps = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                           _mm512_set1_epi32(static_cast<int>(sizeof(stream::Event))));
  std::size_t first = 0;
  for (; first + kBlock <= count; first += kBlock) {
    prefetch_block(first + kBlock);
    SixteenCodes block(base, _mm512_add_epi32(steps, _mm512_set1_epi32(static_cast<int>(first * sizeof(stream::Event)))));
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const Sixteen s = sixteen_keys(keys[k], block);
      if (s.inside != 0xFFFF) return SIZE_MAX;
      const __m512i found = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), 0xFFFF, s.keys, codes + offsets[k], 4);
      _mm512_storeu_si512(lanes + k * stride + first, found);
    }
  }
  return first;
}
#endif

}  // namespace

FeatureCodeTable::FeatureCodeTable() {
#if defined(__x86_64__)
  sixteens_ = __builtin_cpu_supports("avx512f") != 0;
#endif
}

bool FeatureCodeTable::fill(std::span<const stream::Event> events, std::size_t stride, std::int32_t* lanes) const {
  const std::size_t width = offset_.size();
  const std::size_t count = events.size();
  if (count > stride) throw std::invalid_argument("FeatureCodeTable::fill: more events than lanes per value");
  std::size_t first = 0;
#if defined(__x86_64__)
  // The gathers' offsets are int32: batches of less than 2^31 bytes of events (the engine's is 128 events).
  if (sixteens_ && count * sizeof(stream::Event) < 0x7fffffffU) {
    first = fill_sixteens(events, keys_, codes_.data(), offset_, stride, lanes);
    if (first == SIZE_MAX) return false;
  }
#endif
  for (std::size_t e = first; e < count; ++e) {
    for (std::size_t k = 0; k < width; ++k) {
      const std::uint32_t key = feature_key(keys_[k], events[e]);
      if (key >= keys_[k].count) return false;
      lanes[k * stride + e] = codes_[offset_[k] + key];
    }
  }
  return true;
}

}  // namespace l1emu::board

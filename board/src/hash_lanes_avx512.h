#pragma once
// hash_code_lanes with AVX-512 (score_engine.h: FNV-1a 64 of each event's codes as
// little-endian int64), compiled with a target attribute in every build and chosen at run time,
// so that the test suites of every preset run it on the machines that have it.
#include <cstddef>
#include <cstdint>

namespace l1emu::board::detail {

/// Whether this CPU runs hash_lanes_avx512 (AVX-512 F and DQ).
[[nodiscard]] bool has_hash_lanes_avx512();
/// hash_code_lanes(lanes, stride, width, count, out); only where has_hash_lanes_avx512().
void hash_lanes_avx512(const std::int32_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out);
void hash_lanes_avx512(const std::int64_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out);

}  // namespace l1emu::board::detail

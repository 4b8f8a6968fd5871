// The decision log's deflater (chunk_codec::IgzipDeflater, ISA-L's igzip): each stream it writes is
// a zlib stream that inflates (our libdeflate Inflater: a second, independent implementation) to
// exactly its input, for inputs that compress, that do not (uniform random bytes: the stored
// fallback), empty and one-byte inputs and a 512 KiB log chunk; and the same input gives the same
// stream (the log's chunks do not depend on which thread filtered them).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "l1emu/stream/chunk_codec.h"

namespace l1emu::stream::chunk_codec {
namespace {

std::vector<std::uint8_t> inflate_to(std::span<const std::uint8_t> stream, std::size_t size) {
  std::vector<std::uint8_t> out(size);
  Inflater inflater;
  EXPECT_EQ(inflater.decompress(stream, out), Inflater::Status::ok);
  return out;
}

void expect_round_trip(IgzipDeflater& deflater, const std::vector<std::uint8_t>& in) {
  std::vector<std::uint8_t> stream;
  deflater.compress(in, stream);
  ASSERT_GE(stream.size(), 2U);
  EXPECT_EQ(stream[0] & 0x0F, 8) << "zlib header: method deflate (RFC 1950)";
  EXPECT_EQ(inflate_to(stream, in.size()), in) << in.size() << " bytes";
}

TEST(IgzipDeflater, CompressibleColumnsRoundTripAndShrink) {
  // A shuffled u64 event-number column: counting low bytes, constant high bytes (what the log holds).
  std::vector<std::uint8_t> column(65536 * 8);
  const std::size_t n = 65536;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < 8; ++b) column[b * n + i] = static_cast<std::uint8_t>(((1000000 + i) >> (8 * b)) & 0xFF);
  IgzipDeflater deflater;
  std::vector<std::uint8_t> stream;
  deflater.compress(column, stream);
  EXPECT_LT(stream.size(), column.size() / 8);
  expect_round_trip(deflater, column);
}

TEST(IgzipDeflater, IncompressibleSmallAndEmptyInputsRoundTrip) {
  std::mt19937_64 rng(11);
  IgzipDeflater deflater;
  for (const std::size_t size : {0UL, 1UL, 2UL, 31UL, 4096UL, 65536UL * 8}) {
    std::vector<std::uint8_t> random(size);
    for (auto& b : random) b = static_cast<std::uint8_t>(rng());
    expect_round_trip(deflater, random);
    std::vector<std::uint8_t> zeros(size, 0);
    expect_round_trip(deflater, zeros);
  }
}

TEST(IgzipDeflater, MixedInputsInTurnEachGiveTheirOwnStream) {
  // One deflater reused across very different chunks (its level buffer is kept): each stream
  // still inflates to its own input, and the same input gives the same bytes each time.
  std::mt19937_64 rng(5);
  IgzipDeflater deflater;
  std::vector<std::vector<std::uint8_t>> inputs;
  for (int k = 0; k < 12; ++k) {
    std::vector<std::uint8_t> in(1 + rng() % 200000);
    const unsigned span = k % 3 == 0 ? 256 : k % 3 == 1 ? 4 : 1;
    for (auto& b : in) b = static_cast<std::uint8_t>(rng() % span);
    inputs.push_back(std::move(in));
  }
  std::vector<std::vector<std::uint8_t>> first;
  for (const auto& in : inputs) {
    std::vector<std::uint8_t> stream;
    deflater.compress(in, stream);
    EXPECT_EQ(inflate_to(stream, in.size()), in);
    first.push_back(stream);
  }
  IgzipDeflater other;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    std::vector<std::uint8_t> stream;
    other.compress(inputs[k], stream);
    EXPECT_EQ(stream, first[k]) << "input " << k;
  }
}

}  // namespace
}  // namespace l1emu::stream::chunk_codec

#include "chunk_filter.h"

#include <zlib.h>

#include <fmt/format.h>

#include "l1emu/board/error.h"

namespace l1emu::board::detail {
namespace {

// H5Z__filter_shuffle: the bytes of equal significance together, elements in order within each.
void shuffle(std::span<const std::uint8_t> raw, std::size_t size, std::vector<std::uint8_t>& out) {
  out.resize(raw.size());
  const std::size_t n = raw.size() / size;
  for (std::size_t j = 0; j < size; ++j) {
    std::uint8_t* dst = out.data() + j * n;
    const std::uint8_t* src = raw.data() + j;
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i * size];
  }
  const std::size_t done = n * size;
  for (std::size_t i = done; i < raw.size(); ++i) out[i] = raw[i];
}

}  // namespace

void apply_chunk_filter(const ChunkFilter& filter, std::span<const std::uint8_t> raw, std::vector<std::uint8_t>& scratch,
                        std::vector<std::uint8_t>& out) {
  std::span<const std::uint8_t> bytes = raw;
  // H5Z__filter_shuffle leaves 1-byte types and buffers of at most one element as they are.
  if (filter.shuffle_element_size > 1 && raw.size() / filter.shuffle_element_size > 1) {
    shuffle(raw, filter.shuffle_element_size, scratch);
    bytes = scratch;
  }
  if (filter.deflate_level < 0) {
    out.assign(bytes.begin(), bytes.end());
    return;
  }
  // compressBound() always suffices; H5Z_filter_deflate's own buffer (1.001 x n + 12 bytes) is no
  // smaller for chunks this size, so HDF5 would not have fallen back to an unfiltered chunk either.
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  out.resize(size);
  const int status = compress2(out.data(), &size, bytes.data(), static_cast<uLong>(bytes.size()), filter.deflate_level);
  if (status != Z_OK) throw BoardError(fmt::format("deflate of a {}-byte chunk failed (zlib status {})", bytes.size(), status));
  out.resize(size);
}

}  // namespace l1emu::board::detail

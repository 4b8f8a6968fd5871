#pragma once
// The filter pipeline of the decision log's chunked datasets, applied by us instead of by HDF5
// (internal header): HDF5's shuffle filter (H5Z_FILTER_SHUFFLE, H5Zshuffle.c: byte j of element i
// moves to position j x elements + i, a trailing remainder copied as is) and then its deflate
// filter (H5Z_FILTER_DEFLATE, H5Zdeflate.c: one zlib compress2() call at the dataset's level).
// Being plain functions they run on any thread; the decision log compresses whole chunks off the
// replay's calling thread and hands the bytes to H5Dwrite_chunk. With the same zlib, the bytes are
// the ones HDF5 itself would store, so every HDF5 reader decodes them unchanged.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace l1emu::board::detail {

struct ChunkFilter {
  /// Shuffle with this element size (0 or 1: no shuffle; HDF5 skips it for 1-byte types too).
  std::size_t shuffle_element_size = 0;
  /// zlib level of the deflate filter, -1 when the dataset has none.
  int deflate_level = -1;
};

/// Runs `filter` over one chunk's raw bytes into `out` (replaced; its storage is reused).
/// `scratch` holds the shuffled bytes between the two steps. Throws BoardError when zlib fails.
void apply_chunk_filter(const ChunkFilter& filter, std::span<const std::uint8_t> raw, std::vector<std::uint8_t>& scratch,
                        std::vector<std::uint8_t>& out);

}  // namespace l1emu::board::detail

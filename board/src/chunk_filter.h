#pragma once
// The filter pipeline of the decision log's chunked datasets, applied by us instead of by HDF5
// (internal header): HDF5's shuffle filter and then its deflate filter, both from
// l1emu/stream/chunk_codec.h (igzip and libdeflate, zlib format). Being plain functions they run on
// any thread; the decision log compresses whole chunks off the replay's calling thread and hands the
// bytes to H5Dwrite_chunk. The stored stream is a valid zlib stream, so every HDF5 reader decodes
// it, though its bytes are not those HDF5's own zlib call would store.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "l1emu/stream/chunk_codec.h"

namespace l1emu::board::detail {

/// The level of the columns deflate cannot shrink (the inputs hash: FNV-1a output, uniform bytes
/// by design): libdeflate's stored blocks, a valid zlib stream. On a 1 M-event replay log that
/// column went from 8.00 MB to 8.00 MB at level 1 and took about half of the log's deflate time.
inline constexpr int kStoredLevel = 0;

/// The log's two deflaters (one filtering task at a time uses them): igzip for the columns that
/// compress (chunk_codec.h: about 7x faster than libdeflate's level 1, 15 % larger on a 1 M-event
/// log, whose compressed columns are small beside the stored inputs hash), stored blocks for the
/// inputs hash.
struct ChunkDeflaters {
  stream::chunk_codec::IgzipDeflater packed;
  stream::chunk_codec::Deflater stored{kStoredLevel};
};

struct ChunkFilter {
  /// Shuffle with this element size (0 or 1: no shuffle; HDF5 skips it for 1-byte types too).
  std::size_t shuffle_element_size = 0;
  /// Whether the dataset's pipeline ends with deflate (its stored zlib level is only a hint to
  /// writers; we compress with ChunkDeflaters).
  bool deflate = false;
  /// Deflate with stored blocks only (kStoredLevel) instead of igzip.
  bool store = false;
};

/// Runs `filter` over one chunk's raw bytes into `out` (replaced; its storage is reused).
/// `scratch` holds the shuffled bytes between the two steps.
void apply_chunk_filter(const ChunkFilter& filter, std::span<const std::uint8_t> raw, ChunkDeflaters& deflaters,
                        std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out);

}  // namespace l1emu::board::detail

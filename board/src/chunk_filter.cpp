#include "chunk_filter.h"

namespace l1emu::board::detail {

void apply_chunk_filter(const ChunkFilter& filter, std::span<const std::uint8_t> raw, ChunkDeflaters& deflaters,
                        std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out) {
  std::span<const std::uint8_t> bytes = raw;
  if (stream::chunk_codec::shuffles(raw.size(), filter.shuffle_element_size)) {
    stream::chunk_codec::shuffle(raw, filter.shuffle_element_size, scratch);
    bytes = scratch;
  }
  if (!filter.deflate) {
    out.assign(bytes.begin(), bytes.end());
    return;
  }
  // Any stream length is fine for H5Dwrite_chunk: HDF5 stores the bytes as given, readers inflate them.
  if (filter.store)
    deflaters.stored.compress(bytes, out);
  else
    deflaters.packed.compress(bytes, out);
}

}  // namespace l1emu::board::detail

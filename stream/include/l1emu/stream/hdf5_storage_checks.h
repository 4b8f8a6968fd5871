#pragma once
// Checks of what an HDF5 file claims about a dataset against what it holds, made before a reader
// trusts the declared shape (shared/DESIGN.md, Reliability policy: every input is untrusted). A
// forged or truncated file can declare 2^40 rows with one chunk written (HDF5 then reads fill
// values for days) or a chunk of 10^7 rows (gigabytes allocated to decode one chunk).
#include <hdf5.h>

#include <cstdint>
#include <string_view>

namespace l1emu::stream::hdf5 {

/// The largest chunk (uncompressed bytes) a reader decodes: far above what any writer of the
/// 40 MHz dataset or the decision log uses (tens of kB to a few MB), far below a machine's memory.
inline constexpr std::uint64_t kMaxChunkBytes = std::uint64_t{256} << 20;

/// Unwritten chunks inside the extent: an error, or HDF5's fill value (h5py leaves chunks never
/// written unallocated and numpy reads them as zeros; a 40 MHz dataset may hold such gaps).
enum class ChunkGaps { refused, read_as_fill_value };

/// Throws DataError("<context>: ...") unless the declared shape is stored: a contiguous dataset its
/// whole storage inside the file of `file_bytes` bytes; a chunked one every chunk its extent covers,
/// or with `read_as_fill_value` at least the chunk holding the last element (an extent declared
/// beyond everything written is refused either way). Also refuses chunks above kMaxChunkBytes.
void require_stored_extent(hid_t dataset, std::string_view context, std::uintmax_t file_bytes, ChunkGaps gaps = ChunkGaps::refused);

}  // namespace l1emu::stream::hdf5

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

/// Throws DataError("<context>: ...") unless every element of the declared shape is stored: a chunked
/// dataset must have all the chunks its extent covers, a contiguous one its whole storage inside the
/// file of `file_bytes` bytes. Also refuses chunks above kMaxChunkBytes.
void require_stored_extent(hid_t dataset, std::string_view context, std::uintmax_t file_bytes);

}  // namespace l1emu::stream::hdf5

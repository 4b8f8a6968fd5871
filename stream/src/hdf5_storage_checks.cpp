#include "l1emu/stream/hdf5_storage_checks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>
#include <vector>

#include "l1emu/stream/error.h"
#include "l1emu/stream/hdf5_handle.h"

namespace l1emu::stream::hdf5 {

void require_stored_extent(hid_t dataset, std::string_view context, std::uintmax_t file_bytes, ChunkGaps gaps) {
  auto space = dataspace(H5Dget_space(dataset), context, "reading the shape");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  check(rank, context, "reading the rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), context, "reading the shape");
  auto type = datatype(H5Dget_type(dataset), context, "reading the element type");
  const std::uint64_t element_bytes = H5Tget_size(type.get());
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  // Products saturate: a shape whose byte count overflows 64 bits is as impossible as it looks.
  const auto times = [](std::uint64_t a, std::uint64_t b) { return b != 0 && a > kMax / b ? kMax : a * b; };
  std::uint64_t elements = 1;
  for (const hsize_t d : dims) elements = times(elements, d);
  if (elements == 0) return;

  auto dcpl = plist(H5Dget_create_plist(dataset), context, "reading the creation properties");
  const H5D_layout_t layout = H5Pget_layout(dcpl.get());
  if (layout == H5D_CHUNKED) {
    std::vector<hsize_t> chunk(dims.size());
    if (H5Pget_chunk(dcpl.get(), rank, chunk.data()) != rank) check(-1, context, "reading the chunk shape");
    std::uint64_t chunk_elements = 1, chunks = 1;
    for (std::size_t k = 0; k < dims.size(); ++k) {
      if (chunk[k] == 0) throw DataError(fmt::format("{}: a chunk dimension of 0", context));
      chunk_elements = times(chunk_elements, chunk[k]);
      chunks = times(chunks, (dims[k] + chunk[k] - 1) / chunk[k]);
    }
    const std::uint64_t chunk_bytes = times(chunk_elements, element_bytes);
    if (chunk_bytes > kMaxChunkBytes) {
      throw DataError(fmt::format("{}: chunks of ({}) elements take {} MiB each; at most {} MiB are read (rewrite the file with smaller chunks)",
                                  context, fmt::join(chunk, ","), chunk_bytes >> 20, kMaxChunkBytes >> 20));
    }
    if (gaps == ChunkGaps::read_as_fill_value) {
      std::vector<hsize_t> last(dims.size());
      for (std::size_t k = 0; k < dims.size(); ++k) last[k] = (dims[k] - 1) / chunk[k] * chunk[k];
      unsigned mask = 0;
      haddr_t address = HADDR_UNDEF;
      hsize_t bytes = 0;
      check(H5Dget_chunk_info_by_coord(dataset, last.data(), &mask, &address, &bytes), context, "locating the last chunk");
      if (address == HADDR_UNDEF) {
        throw DataError(fmt::format("{}: the shape ({}) ends in a chunk at ({}) that the file does not store (an extent declared beyond the data "
                                    "written: a truncated or damaged file)",
                                    context, fmt::join(dims, ","), fmt::join(last, ",")));
      }
      return;
    }
    hsize_t stored = 0;
    check(H5Dget_num_chunks(dataset, space.get(), &stored), context, "counting the stored chunks");
    if (stored < chunks) {
      throw DataError(fmt::format("{}: the shape ({}) needs {} chunks of ({}), but the file stores {} (a truncated or damaged file)", context,
                                  fmt::join(dims, ","), chunks, fmt::join(chunk, ","), stored));
    }
  } else if (layout == H5D_CONTIGUOUS) {
    const std::uint64_t bytes = times(elements, element_bytes);
    const haddr_t offset = H5Dget_offset(dataset);
    H5Eclear2(H5E_DEFAULT);  // storage never allocated is an answer here, not an error to report later
    if (offset == HADDR_UNDEF || H5Dget_storage_size(dataset) < bytes || offset > file_bytes || bytes > file_bytes - offset) {
      throw DataError(fmt::format("{}: the shape ({}) needs {} bytes, which the {}-byte file does not hold (a truncated or damaged file)", context,
                                  fmt::join(dims, ","), bytes, file_bytes));
    }
  }
  // Compact datasets live inside their header: what was read is all there is.
}

}  // namespace l1emu::stream::hdf5

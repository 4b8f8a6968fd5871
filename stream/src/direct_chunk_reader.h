#pragma once
// Reads rows of a chunked, deflate-filtered HDF5 dataset without HDF5's filter pipeline (internal
// header): whole chunks come from H5Dread_chunk, libdeflate inflates them (chunk_codec.h), we undo
// the shuffle and convert the elements to the memory type. Callgrind put HDF5's own inflate
// (H5Z_pipeline, zlib) at the top of dataset replays; libdeflate's is about twice as fast.
//
// Only what is undone here exactly takes this path: a pipeline of deflate alone or shuffle then
// deflate; chunks spanning every dimension but the first (a chunk is a run of whole rows);
// little-endian float32/float64 read as double, int32/int64 read as long long (the conversions
// HDF5 makes are exact for these, so the values are bit for bit those of H5Dread). A chunk that is
// not allocated, or stored with a filter skipped (nonzero filter mask), is read with H5Dread.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/stream/chunk_codec.h"

namespace l1emu::stream::detail {

class DirectChunkReader {
 public:
  /// What the caller reads into: double (H5T_NATIVE_DOUBLE) or long long (H5T_NATIVE_LLONG).
  enum class Target { f64, i64 };

  /// A reader of `dataset` (kept open by the caller for the reader's lifetime), or nullptr when
  /// its layout, filters or type are not ones this class undoes exactly. `context` names the file
  /// and the dataset in errors.
  static std::unique_ptr<DirectChunkReader> open(hid_t dataset, std::string context, Target target);

  /// Rows [first, first + count) into `out` (count x row_elements() values of the target type).
  /// Throws DataError naming the file, dataset and chunk when a chunk cannot be read or inflated.
  void read(std::size_t first, std::size_t count, void* out) { read(first, count, out, row_elements_ * 8); }
  /// The same with row r at `out + r * out_row_bytes` (>= row_elements() x 8): the rows go straight
  /// into records that hold more than the row (DatasetEvent), without a staging copy.
  void read(std::size_t first, std::size_t count, void* out, std::size_t out_row_bytes);
  [[nodiscard]] std::size_t row_elements() const { return row_elements_; }

 private:
  enum class Source { f32, f64, i32, i64 };
  DirectChunkReader() = default;
  /// Makes chunk `index` the decoded one; false when it must be read through H5Dread.
  bool decode(std::size_t index);
  void convert(const std::uint8_t* src, std::size_t elements, void* out) const;
  void read_through_hdf5(std::size_t first, std::size_t count, void* out) const;

  hid_t dataset_ = -1;
  std::string context_;
  Target target_ = Target::f64;
  Source source_ = Source::f64;
  int rank_ = 0;
  std::vector<hsize_t> dims_;
  std::size_t rows_ = 0;
  std::size_t chunk_rows_ = 0;
  std::size_t row_elements_ = 0;
  std::size_t element_size_ = 0;
  std::size_t shuffle_size_ = 0;  // 0: no shuffle filter
  hsize_t file_bytes_ = 0;        // a stored chunk must lie inside the file

  std::size_t decoded_index_ = SIZE_MAX;  // the chunk in `plain_`
  std::vector<std::uint8_t> stored_, inflated_, plain_;
  std::vector<std::uint8_t> staged_;  // rows read through HDF5 for a strided read
  chunk_codec::Inflater inflater_;
};

}  // namespace l1emu::stream::detail

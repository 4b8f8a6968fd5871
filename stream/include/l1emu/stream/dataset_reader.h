#pragma once
// Streaming reader of the 40 MHz dataset layout (FACTS section 3). Checks the layout when opening:
// `Particles` of rank 3, shape (N, 19, 4), floating point (float32 or float64, converted to double);
// `Particles_Names` = [Pt, Eta, Phi, Class] and `Particles_Classes` = [MET_class_1, ...] as byte
// strings; optional `EvtId` (N) or (N, 1) integers (absent: the record index is the event id).
// Reads hyperslabs of a bounded number of events, so memory does not grow with the file size.
// Every failure is a DataError naming the file, the dataset and, when reading, the records.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/hdf5_handle.h"
#include "l1emu/stream/work_pool.h"

namespace l1emu::stream {
namespace detail {
class DirectChunkReader;
}

struct DatasetReaderOptions {
  /// Events per read; the memory held is about 1.3 kB per event of this.
  std::size_t chunk_events = 8192;
  /// Require Particles_Names and Particles_Classes and check their contents.
  bool check_names = true;
  /// HDF5 chunk cache per dataset; large enough for the dataset's own chunks to be decompressed once.
  std::size_t chunk_cache_bytes = std::size_t{32} << 20;
  /// Inflate deflate (or shuffle + deflate) chunks ourselves with libdeflate instead of through
  /// H5Dread (same values bit for bit, about twice as fast); other layouts use H5Dread anyway.
  bool direct_chunk_reads = true;
  /// Chunks read ahead of the one being read when a work pool is shared (share_work), so that the
  /// pool's idle threads inflate them: about 0.4 MB of buffers each for float32 rows of 1024 events.
  std::size_t read_ahead_chunks = 4;
};

class DatasetReader {
 public:
  explicit DatasetReader(std::filesystem::path file, DatasetReaderOptions options = {});
  ~DatasetReader();
  DatasetReader(DatasetReader&&) noexcept;
  DatasetReader& operator=(DatasetReader&&) noexcept;

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool has_event_ids() const { return event_ids_.valid(); }
  /// "float32" or "float64" (other float widths are converted too and named "floatN").
  [[nodiscard]] const std::string& element_type() const { return element_type_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  /// Reads records [first, first + count) as stored (no data policy) into out (resized to count).
  void read(std::size_t first, std::size_t count, std::vector<DatasetEvent>& out);
  /// Sequential reading: the next up to chunk_events records; false (out empty) at the end.
  bool next_chunk(std::vector<DatasetEvent>& out);
  /// Next record index of sequential reading.
  [[nodiscard]] std::size_t position() const { return position_; }
  /// Moves sequential reading to record `index` (<= size()).
  void seek(std::size_t index);
  /// Lets the threads of `pool` inflate the chunks ahead of the reading (direct chunk reads only;
  /// see read_ahead_chunks); nullptr stops it. The values read are the same either way. The pool
  /// must outlive its use: share nullptr before it goes. Reading stays on one thread at a time.
  void share_work(WorkPool* pool);

 private:
  [[nodiscard]] std::string context(std::string_view dataset) const;
  void check_string_dataset(std::string_view name, std::span<const std::string_view> expected);

  std::filesystem::path path_;
  DatasetReaderOptions options_;
  hdf5::Handle file_;
  hdf5::Handle particles_;
  hdf5::Handle event_ids_;
  std::size_t size_ = 0;
  std::size_t position_ = 0;
  std::string element_type_;
  std::vector<double> values_;
  std::vector<long long> ids_;
  // Set when the dataset's chunks are read past HDF5's filter pipeline (direct_chunk_reads).
  std::unique_ptr<detail::DirectChunkReader> particles_direct_;
  std::unique_ptr<detail::DirectChunkReader> event_ids_direct_;
};

}  // namespace l1emu::stream

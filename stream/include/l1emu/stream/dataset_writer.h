#pragma once
// Writer of the 40 MHz dataset layout (FACTS section 3): `Particles` (N, 19, 4) float32 or float64,
// `Particles_Names`, `Particles_Classes` (fixed-length byte strings, as h5py writes numpy 'S'
// arrays) and optionally `EvtId` (N) int64; chunked and gzip-compressed like the published files.
// Events are buffered and appended in blocks, so memory stays bounded. The file is written under a
// temporary name and renamed on close(): a reader never sees a half-written file; a writer destroyed
// without close() removes its temporary file.
#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/hdf5_handle.h"

namespace l1emu::stream {

enum class FloatType { float32, float64 };

struct DatasetWriterOptions {
  FloatType element_type = FloatType::float32;
  /// HDF5 chunk along N (events); 1024 x 19 x 4 x 4 bytes = 311 kB, inside HDF5's default 1 MB cache.
  std::size_t chunk_events = 1024;
  /// Events buffered before an append.
  std::size_t buffer_events = 8192;
  int gzip_level = 4;  // 0 disables compression
  bool write_event_ids = true;
};

class DatasetWriter {
 public:
  explicit DatasetWriter(std::filesystem::path file, DatasetWriterOptions options = {});
  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;
  ~DatasetWriter();

  void write(const DatasetEvent& event);
  void write(const Event& event) { write(to_dataset_event(event)); }
  /// Flushes, closes and renames the temporary file to the final name. Idempotent.
  void close();

  [[nodiscard]] std::size_t size() const { return written_ + buffer_.size() / kValuesPerEvent; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  static constexpr std::size_t kValuesPerEvent = layout::kRows * layout::kColumns;
  void flush();
  void write_strings(std::string_view name, std::span<const std::string_view> values);

  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  DatasetWriterOptions options_;
  hdf5::Handle file_;
  hdf5::Handle particles_;
  hdf5::Handle event_ids_;
  std::vector<double> buffer_;
  std::vector<long long> id_buffer_;
  std::size_t written_ = 0;
  bool closed_ = false;
};

}  // namespace l1emu::stream

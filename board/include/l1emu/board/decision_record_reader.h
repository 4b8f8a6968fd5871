#pragma once
// Reads the records of a committed decision log a chunk at a time (resume, merge, tests), so memory
// stays bounded by the chunk whatever the log size (shared/DESIGN.md). The rates analysis reads only
// the columns it needs through DecisionLogReader instead.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "l1emu/board/decision_log_format.h"
#include "l1emu/stream/hdf5_handle.h"

namespace l1emu::board {

class DecisionRecordReader {
 public:
  /// Opens the log and checks that every record column has the same length; throws BoardError
  /// naming the file and dataset otherwise.
  explicit DecisionRecordReader(const std::filesystem::path& h5_path, std::size_t chunk_records = decision_log_format::kChunkRecords);

  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// Replaces `out` with the next records (up to the chunk size); false (out empty) after the last.
  /// An outcome code outside Outcome is a BoardError naming the file and event.
  bool read_next(std::vector<DecisionRecord>& out);

 private:
  std::filesystem::path path_;
  std::size_t chunk_records_;
  stream::hdf5::Handle file_;
  std::vector<stream::hdf5::Handle> datasets_;  // one per record column
  std::vector<unsigned char> column_;           // one column of a chunk, as read
  std::uint64_t size_ = 0;
  std::uint64_t next_ = 0;
};

}  // namespace l1emu::board

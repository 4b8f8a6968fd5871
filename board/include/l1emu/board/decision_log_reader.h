#pragma once
// Reads a decision log (issue 6): DIR/decisions.h5 with group /decisions holding one entry per event,
//   orbit uint32 [N], bx uint16 [N], event_id int64 [N], score_code int64 [N], score float64 [N],
//   bits uint8 [N, nbits], latency_ns float64 [N],
// and on the group the attributes
//   bit_names         array of strings (variable or fixed length), one per column of `bits`;
//   thresholds        int64 array (the menu's score-code thresholds);
//   model, scenario   strings;
//   colliding_bunches integer scalar (optional; the zero-bias base rate is f_orbit x this), or
//   filling_scheme    string scalar (optional; a name in stream's filling-scheme registry).
// A log of several samples (a replay of background and signals) also has /decisions/sample (u8)
// and the attribute sample_names; "LOG#NAME" selects the entries of sample NAME.
// Rates need only score_code and bits (and sample), so only those are read, in chunks of bounded size (memory
// stays bounded whatever the log size, shared/DESIGN.md). Every problem is a stream::DataError that
// names the file and the dataset or attribute.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/board/decision_log_format.h"
#include "l1emu/stream/hdf5_handle.h"

namespace l1emu::board {

struct DecisionLogMetadata {
  std::vector<std::string> bit_names;  // empty when the log has no bits
  std::vector<std::int64_t> thresholds;
  /// Prescale of each bit (column of `bits`), from /menu/prescale; empty when the log has none.
  std::vector<std::uint32_t> prescales;
  std::string model;
  std::string scenario;
  std::optional<std::int64_t> colliding_bunches;
  std::optional<std::string> filling_scheme;
  std::vector<std::string> sample_names;  // a log of several samples: their names ("LOG#NAME" selects one)
};

/// One chunk of consecutive entries: score codes and, row-major, the bits (count x bit_count).
struct DecisionChunk {
  std::vector<std::int64_t> score_code;
  std::vector<std::uint8_t> bits;  // before prescale
  /// Per entry, the bits after prescale (bit i = column i of `bits`); empty when the log has none.
  std::vector<std::uint64_t> bits_after_prescale;
  std::size_t bit_count = 0;
  [[nodiscard]] std::size_t size() const { return score_code.size(); }
};

/// `path` itself when it is a file, `path/decisions.h5` when it is a directory (a replay output);
/// a trailing "#NAME" (a sample) is not part of the path and is removed first.
[[nodiscard]] std::filesystem::path resolve_decision_log(const std::filesystem::path& path);

class DecisionLogReader {
 public:
  /// Opens and validates the log; throws DataError for a missing file, a non-HDF5 file, a missing
  /// /decisions group or score_code dataset, an empty log, wrong dtypes or inconsistent shapes.
  explicit DecisionLogReader(const std::filesystem::path& path, std::size_t chunk_events = 1 << 16);

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] const DecisionLogMetadata& metadata() const { return metadata_; }
  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] std::size_t bit_count() const { return bit_count_; }
  /// The sample selected with "#NAME", or empty.
  [[nodiscard]] const std::string& sample() const { return sample_name_; }

  /// Reads the next chunk into `chunk`; returns false (chunk empty) after the last entry.
  bool read_next(DecisionChunk& chunk);

 private:
  [[nodiscard]] std::string context(const char* object) const;
  void read_metadata();
  void select_sample();
  bool read_range(DecisionChunk& chunk);

  std::filesystem::path path_;
  std::size_t chunk_events_;
  stream::hdf5::Handle file_;
  stream::hdf5::Handle group_;
  stream::hdf5::Handle score_code_;
  stream::hdf5::Handle bits_;
  stream::hdf5::Handle bits_after_;  // /decisions/bits_after_prescale, when the log has it
  stream::hdf5::Handle sample_;  // /decisions/sample when a sample is selected
  std::string sample_name_;
  int sample_index_ = -1;
  std::uint64_t size_ = 0;
  std::size_t bit_count_ = 0;
  std::uint64_t next_ = 0;
  DecisionLogMetadata metadata_;
};

}  // namespace l1emu::board

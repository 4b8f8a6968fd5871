#pragma once
// The decision log: one record per replayed event, in HDF5 (C API through stream's hdf5_handle.h)
// and optionally CSV. Layout of decisions.h5 (format "l1emu-decisions-2"), the contract of the
// board issue plus columns of our own:
//   /decisions/<column>   one entry per event, chunked and extendible, shuffle + gzip 1:
//       orbit u32, bx u16, event_id i64, score_code i64 (raw score code), score f64 (its value,
//       code x 2^-F), bits u8 [N, nbits] (1 when score_code >= the bit's threshold, before
//       prescale; 0 for events lost to dead time), latency_ns f64 (BX start to result);
//       and event u64 (index in the replay), sample u8 (index into /samples/name), inputs_hash
//       u64 (FNV-1a 64 of the model input codes), bits_before_prescale u64 and
//       bits_after_prescale u64 (bit i = menu entry i), accepted u8 (1 = processed, 0 = lost to
//       dead time, 2 = lost on the links), latency_cycles u32 (board cycles from arrival to result)
//   attributes on /decisions: bit_names (strings), sample_names (strings, indexed by `sample`),
//       thresholds (i64), model (string), scenario
//       (the resolved scenario YAML), score_fractional_bits (i32), filling_scheme (string) and
//       colliding_bunches (i64) for zero-bias rates
//   /menu/bit i32, /menu/threshold i64, /menu/prescale u32, /menu/name (fixed-length strings)
//   /samples/name (fixed-length strings)
//   attributes on /: format, scenario
// Both files are written to "<file>.partial" and renamed by commit(); without commit the partial
// files are removed. open_for_append() continues a committed log (--resume). Names, columns and
// chunking are defined once in decision_log_format.h.
// Every full chunk (kChunkRecords records, aligned in the file) is filtered by us, with the pipeline the
// dataset declares (shuffle + deflate), and stored with H5Dwrite_chunk: the compression, the bulk
// of the log's cost, can then run on a helper thread while HDF5 is only called from the caller's.
// A chunk's remainder (the last records, the head of an appended run) goes through H5Dwrite.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/board/decision_log_format.h"
#include "l1emu/board/decision_record.h"
#include "l1emu/board/menu.h"

namespace l1emu::board {

struct DecisionLogOptions {
  /// Compress full chunks (and format their CSV lines) on a helper thread owned by the log, one
  /// chunk in flight while the next one fills; the replay turns it on when it has more than one
  /// thread. Off: the same work runs on the caller when a chunk is full.
  bool background_compression = false;
  /// Filter full chunks ourselves and store them with H5Dwrite_chunk. Off: every record through
  /// H5Dwrite and HDF5's own filters (the reference the direct path is tested against). Also off,
  /// whatever is asked, for datasets whose filter pipeline or chunk shape is not the one we write.
  bool direct_chunk_writes = true;
};

class DecisionLog {
 public:
  struct Header {
    MenuConfig menu;
    std::vector<std::string> samples;
    std::string scenario_yaml;
    std::string model;                  // the model's name (project) and path
    int score_fractional_bits = 0;      // F of the score type: score = score_code x 2^-F
    std::string filling_scheme;         // name of the scheme that stamped the events
    std::int64_t colliding_bunches = 0; // colliding BX per orbit (zero-bias base rate)
  };
  /// Creates new files (h5 always, csv when csv_path is not empty).
  static std::unique_ptr<DecisionLog> create(const std::filesystem::path& h5_path, const std::filesystem::path& csv_path, const Header& header,
                                             const DecisionLogOptions& options = {});
  /// Continues committed files: copies them to the partial names and appends. Throws BoardError
  /// when the file is not a decision log.
  static std::unique_ptr<DecisionLog> open_for_append(const std::filesystem::path& h5_path, const std::filesystem::path& csv_path,
                                                      const DecisionLogOptions& options = {});
  ~DecisionLog();
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  void append(const DecisionRecord& r);
  /// Writes buffered records to the partial files (waiting for a chunk in flight).
  void flush();
  /// Flushes, closes and renames the files into place.
  void commit();
  [[nodiscard]] std::uint64_t size() const { return written_ + buffer_.size(); }

  /// Reads every record of a committed log (tests; the replay reads logs in chunks through
  /// DecisionRecordReader).
  [[nodiscard]] static std::vector<DecisionRecord> read_all(const std::filesystem::path& h5_path);

  struct Impl;

 private:
  DecisionLog();
  /// The buffer ends on a chunk boundary of the file: hand it over (direct path) or write it.
  void end_of_chunk();
  std::unique_ptr<Impl> impl_;
  std::vector<DecisionRecord> buffer_;  // records after the first written_
  std::uint64_t written_ = 0;           // records in the file or in a chunk in flight
};

}  // namespace l1emu::board

#pragma once
// The one definition of the decision-log files (format "l1emu-decisions-2"): file names, the group,
// dataset and attribute names, the record columns with their file and memory types, the chunk size
// and the CSV header. The writer (decision_log.cpp), the record reader (decision_record_reader.cpp:
// resume, merge, tests) and the rates reader (decision_log_reader.cpp) all take them from here, so a
// column cannot be renamed in one place only (shared/STYLE.md: one definition of each file format).
// The layout itself is described in decision_log.h.
#include <hdf5.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "l1emu/board/decision_record.h"

namespace l1emu::board {

inline constexpr const char* kDecisionLogFormat = "l1emu-decisions-2";
inline constexpr const char* kDecisionLogFile = "decisions.h5";
inline constexpr const char* kDecisionCsvFile = "decisions.csv";
inline constexpr const char* kDecisionGroup = "decisions";

namespace decision_log_format {

// Records per chunk of every /decisions dataset: the writer fills and compresses a chunk at a time,
// readers read a chunk at a time (memory bounded whatever the log size, shared/DESIGN.md).
inline constexpr std::size_t kChunkRecords = 8192;

// Datasets of /decisions derived from the record columns.
inline constexpr const char* kScore = "score";  // f64: score_code x 2^-score_fractional_bits
inline constexpr const char* kBits = "bits";    // u8 [N, nbits]: bits before prescale, one column per menu entry
inline constexpr const char* kScoreCode = "score_code";
inline constexpr const char* kSample = "sample";
inline constexpr const char* kInputsHash = "inputs_hash";  // u64: FNV-1a 64 of the model's input codes
inline constexpr const char* kBitsAfterPrescale = "bits_after_prescale";

/// The kScore column's value of a score code: score_code x 2^-F, F = score_fractional_bits, rounded
/// as std::ldexp rounds it. With 2^-F a normal double the product is that value exactly (a product
/// with a power of two is exact unless it leaves the normal range, and |code| >= 1 keeps it at or
/// above 2^-F; an overflow gives the same infinity), at a multiply instead of a libm call (scalbn
/// was 6 % of a dataset replay's CPU).
class ScoreValue {
 public:
  explicit ScoreValue(int fractional_bits)
      : fractional_bits_(fractional_bits), factor_(std::ldexp(1.0, -fractional_bits)),
        exact_product_(fractional_bits >= -1023 && fractional_bits <= 1022) {}
  [[nodiscard]] double operator()(std::int64_t code) const {
    const double x = static_cast<double>(code);
    return exact_product_ ? x * factor_ : std::ldexp(x, -fractional_bits_);
  }

 private:
  int fractional_bits_;
  double factor_;
  bool exact_product_;
};

// Attributes of /decisions.
inline constexpr const char* kBitNames = "bit_names";
inline constexpr const char* kSampleNames = "sample_names";
inline constexpr const char* kThresholds = "thresholds";
inline constexpr const char* kModel = "model";
inline constexpr const char* kScenario = "scenario";
inline constexpr const char* kScoreFractionalBits = "score_fractional_bits";
inline constexpr const char* kFillingScheme = "filling_scheme";
inline constexpr const char* kCollidingBunches = "colliding_bunches";
// Attributes of the file's root.
inline constexpr const char* kFormatAttribute = "format";

// The menu and sample tables.
inline constexpr const char* kMenuGroup = "menu";
inline constexpr const char* kSamplesGroup = "samples";
inline constexpr const char* kMenuPrescale = "menu/prescale";

/// One record column: its dataset name, file type, memory type and how it is copied from and to
/// a DecisionRecord.
struct Column {
  const char* name;
  hid_t file_type;
  hid_t mem_type;
  std::size_t size;
  void (*get)(const DecisionRecord&, void*);
  void (*set)(DecisionRecord&, const void*);
  /// get() for every record, record i's bytes at out + i * out_stride: one typed loop per column
  /// of a chunk instead of a call per value (the log's chunks and the journal's rows).
  void (*gather)(std::span<const DecisionRecord> records, unsigned char* out, std::size_t out_stride);
};

/// The record columns in file order (HDF5's type ids are only valid once the library is open, so
/// this is a function, not a constant).
[[nodiscard]] const std::vector<Column>& record_columns();

/// Every record's column values in file order, packed one record after the other (the sum of the
/// columns' sizes each): the replay journal's rows, made in one pass over the records.
void pack_rows(std::span<const DecisionRecord> records, unsigned char* out);

inline constexpr const char* kCsvHeader =
    "event,orbit,bx,event_id,sample,inputs_hash,score_code,score,bits_before_prescale,bits_after_prescale,accepted,latency_cycles,latency_ns\n";

}  // namespace decision_log_format
}  // namespace l1emu::board

#pragma once
// The replay's commit journal (internal; crash safety, issue 17). HDF5 promises nothing about a
// file whose writer died between two closes (its metadata may be half written), so after SIGKILL
// or a power loss decisions.h5.partial and decisions.csv.partial are never trusted. Instead every
// committed record is also appended to decisions.journal (fixed-width little-endian rows: the
// decision-log columns of decision_log_format.h in file order, after a 16-byte magic line), and a
// commit point is decisions.checkpoint, a small JSON file replaced atomically (the journal is
// fsync'ed, then the checkpoint is written to a .partial file, fsync'ed, renamed over the old one
// and the folder fsync'ed): the committed prefix is always readable, and whatever the journal
// holds past it (a batch cut by the kill) is cut off when a resume continues it. --resume rebuilds
// the h5 and csv from that prefix. Commit points fall on batch ends (the resumed run continues with
// the batches of an uninterrupted one).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "l1emu/board/decision_record.h"

namespace l1emu::board::detail {

inline constexpr const char* kJournalFile = "decisions.journal";
inline constexpr const char* kCheckpointFile = "decisions.checkpoint";
inline constexpr const char* kCheckpointFormat = "l1emu-replay-checkpoint-1";

struct JournalPaths {
  explicit JournalPaths(const std::filesystem::path& dir) : journal(dir / kJournalFile), checkpoint(dir / kCheckpointFile) {}
  std::filesystem::path journal;
  std::filesystem::path checkpoint;
};

/// Bytes of one journal row (the sum of the record columns' sizes).
[[nodiscard]] std::size_t journal_record_bytes();

/// Appends rows and makes commit points. Owns the journal's file descriptor.
class JournalWriter {
 public:
  /// A new run: an empty journal and a first commit point of 0 records (replacing older ones).
  static JournalWriter create(const JournalPaths& paths, std::uint64_t first_event);
  /// A resumed run: continues a journal after its `records` committed rows; rows past them (a batch
  /// cut by a kill) are cut off.
  static JournalWriter resume(const JournalPaths& paths, std::uint64_t first_event, std::uint64_t records);
  /// Removes the checkpoint, then the journal (a complete run; or the start of a new run).
  static void remove(const JournalPaths& paths);

  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&&) = delete;
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  ~JournalWriter();

  void append(std::span<const DecisionRecord> records);
  /// Makes every row appended so far durable and the new committed count.
  void commit_point();
  [[nodiscard]] std::uint64_t records() const { return records_; }

 private:
  JournalWriter(JournalPaths paths, std::uint64_t first_event, std::uint64_t records, int fd);
  JournalPaths paths_;
  std::uint64_t first_event_ = 0;
  std::uint64_t records_ = 0;  // rows appended
  int fd_ = -1;
  std::vector<unsigned char> buffer_;
};

/// Reads the committed rows of a journal a chunk at a time. Throws BoardError naming the file when
/// the checkpoint is not one, or the journal is not one or holds fewer rows than committed.
class JournalReader {
 public:
  explicit JournalReader(const JournalPaths& paths);
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;
  ~JournalReader();

  [[nodiscard]] std::uint64_t size() const { return records_; }
  [[nodiscard]] std::uint64_t first_event() const { return first_event_; }
  [[nodiscard]] const std::filesystem::path& path() const { return paths_.journal; }
  /// Replaces `out` with the next rows (up to a decision-log chunk); false (out empty) after the last.
  /// An outcome code outside Outcome is a BoardError naming the file and row.
  bool read_next(std::vector<DecisionRecord>& out);

 private:
  JournalPaths paths_;
  std::uint64_t first_event_ = 0;
  std::uint64_t records_ = 0;
  std::uint64_t next_ = 0;
  int fd_ = -1;
  std::vector<unsigned char> buffer_;
};

}  // namespace l1emu::board::detail

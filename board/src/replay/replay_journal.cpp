#include "replay_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "l1emu/board/decision_log_format.h"
#include "l1emu/board/error.h"

namespace l1emu::board::detail {
namespace fs = std::filesystem;
namespace {

// The journal's first 16 bytes: what it is and its layout version.
constexpr char kMagic[] = "l1emu-journal-1\n";
constexpr std::size_t kHeaderBytes = sizeof(kMagic) - 1;
static_assert(kHeaderBytes == 16);
// Rows are the columns' bytes as they are in memory: little-endian, as the file says.
static_assert(std::endian::native == std::endian::little, "the journal stores rows little-endian");

std::string system_error_text() { return std::strerror(errno); }

BoardError io_error(const fs::path& file, const std::string& what) {
  return BoardError(fmt::format("{}: {} ({})", file.string(), what, system_error_text()));
}

void write_all(int fd, const unsigned char* data, std::size_t size, const fs::path& file) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw io_error(file, "write failed");
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void sync_fd(int fd, const fs::path& file) {
  if (::fsync(fd) != 0) throw io_error(file, "fsync failed");
}

// The folder's entry of a renamed file is durable only once the folder itself is synced.
void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw io_error(dir, "cannot open the folder to sync it");
  const int status = ::fsync(fd);
  ::close(fd);
  if (status != 0) throw io_error(dir, "fsync of the folder failed");
}

// Written to "<checkpoint>.partial", synced, renamed over the checkpoint: a reader sees the old or
// the new commit point, never a mix (POSIX rename), also after a power loss.
void write_checkpoint(const JournalPaths& paths, std::uint64_t first_event, std::uint64_t records) {
  const nlohmann::json j = {{"format", kCheckpointFormat},
                            {"decision_log_format", kDecisionLogFormat},
                            {"journal", kJournalFile},
                            {"record_bytes", journal_record_bytes()},
                            {"first_event", first_event},
                            {"records", records}};
  const std::string text = j.dump(1) + "\n";
  const fs::path tmp = paths.checkpoint.string() + ".partial";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw io_error(tmp, "cannot create");
  try {
    write_all(fd, reinterpret_cast<const unsigned char*>(text.data()), text.size(), tmp);
    sync_fd(fd, tmp);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) throw io_error(tmp, "close failed");
  if (::rename(tmp.c_str(), paths.checkpoint.c_str()) != 0) throw io_error(paths.checkpoint, "cannot rename " + tmp.string() + " onto it");
  sync_folder(paths.checkpoint.parent_path());
}

std::uint64_t unsigned_field(const nlohmann::json& j, const char* key, const fs::path& file) {
  if (!j.contains(key) || !j[key].is_number_unsigned()) {
    throw BoardError(fmt::format("{}: \"{}\" is missing or not a non-negative integer; not a replay checkpoint (delete the folder and run again without --resume)",
                                 file.string(), key));
  }
  return j[key].get<std::uint64_t>();
}

}  // namespace

std::size_t journal_record_bytes() {
  std::size_t n = 0;
  for (const auto& c : decision_log_format::record_columns()) n += c.size;
  return n;
}

JournalWriter::JournalWriter(JournalPaths paths, std::uint64_t first_event, std::uint64_t records, int fd)
    : paths_(std::move(paths)), first_event_(first_event), records_(records), fd_(fd) {}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept
    : paths_(other.paths_), first_event_(other.first_event_), records_(other.records_), fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)) {}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

JournalWriter JournalWriter::create(const JournalPaths& paths, std::uint64_t first_event) {
  remove(paths);
  const int fd = ::open(paths.journal.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw io_error(paths.journal, "cannot create");
  JournalWriter w(paths, first_event, 0, fd);
  write_all(fd, reinterpret_cast<const unsigned char*>(kMagic), kHeaderBytes, paths.journal);
  w.commit_point();
  return w;
}

JournalWriter JournalWriter::resume(const JournalPaths& paths, std::uint64_t first_event, std::uint64_t records) {
  const int fd = ::open(paths.journal.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw io_error(paths.journal, "cannot open to continue it");
  JournalWriter w(paths, first_event, records, fd);
  // Rows past the commit point were written by a run that died before committing them.
  const auto end = static_cast<off_t>(kHeaderBytes + records * journal_record_bytes());
  if (::ftruncate(fd, end) != 0) throw io_error(paths.journal, "cannot cut it to its committed rows");
  if (::lseek(fd, end, SEEK_SET) != end) throw io_error(paths.journal, "seek failed");
  return w;
}

void JournalWriter::remove(const JournalPaths& paths) {
  // The checkpoint first: without it, a journal left behind is never read.
  std::error_code ec;
  fs::remove(paths.checkpoint, ec);
  fs::remove(paths.checkpoint.string() + ".partial", ec);
  fs::remove(paths.journal, ec);
}

void JournalWriter::append(std::span<const DecisionRecord> records) {
  buffer_.resize(records.size() * journal_record_bytes());
  decision_log_format::pack_rows(records, buffer_.data());
  write_all(fd_, buffer_.data(), buffer_.size(), paths_.journal);
  records_ += records.size();
}

void JournalWriter::commit_point() {
  sync_fd(fd_, paths_.journal);
  write_checkpoint(paths_, first_event_, records_);
}

JournalReader::JournalReader(const JournalPaths& paths) : paths_(paths) {
  const fs::path& file = paths.checkpoint;
  std::ifstream in(file);
  if (!in) throw BoardError(fmt::format("{}: cannot open", file.string()));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("format") || j["format"] != kCheckpointFormat) {
    throw BoardError(fmt::format("{}: not a replay checkpoint (expected a JSON object with \"format\": \"{}\")", file.string(), kCheckpointFormat));
  }
  if (!j.contains("decision_log_format") || j["decision_log_format"] != kDecisionLogFormat) {
    throw BoardError(fmt::format("{}: written for another decision-log format than {}; resume with the l1emu that wrote it", file.string(), kDecisionLogFormat));
  }
  if (unsigned_field(j, "record_bytes", file) != journal_record_bytes()) {
    throw BoardError(fmt::format("{}: rows of {} bytes, this l1emu writes {}", file.string(), j["record_bytes"].dump(), journal_record_bytes()));
  }
  first_event_ = unsigned_field(j, "first_event", file);
  records_ = unsigned_field(j, "records", file);
  fd_ = ::open(paths.journal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw io_error(paths.journal, fmt::format("cannot open the journal that {} commits {} rows of", file.string(), records_));
  char magic[kHeaderBytes] = {};
  if (::pread(fd_, magic, kHeaderBytes, 0) != static_cast<ssize_t>(kHeaderBytes) || std::memcmp(magic, kMagic, kHeaderBytes) != 0) {
    throw BoardError(fmt::format("{}: not a replay journal (its first line is not \"l1emu-journal-1\")", paths.journal.string()));
  }
  const auto size = static_cast<std::uint64_t>(::lseek(fd_, 0, SEEK_END));
  const std::uint64_t rows = (size - kHeaderBytes) / journal_record_bytes();
  if (rows < records_) {
    throw BoardError(fmt::format("{}: holds {} complete rows where {} commits {}; the journal was cut or replaced after its commit point "
                                 "(delete the folder and run again without --resume)",
                                 paths.journal.string(), rows, file.string(), records_));
  }
}

JournalReader::~JournalReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool JournalReader::read_next(std::vector<DecisionRecord>& out) {
  out.clear();
  if (next_ >= records_) return false;
  const std::size_t width = journal_record_bytes();
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(decision_log_format::kChunkRecords, records_ - next_));
  buffer_.resize(n * width);
  const auto offset = static_cast<off_t>(kHeaderBytes + next_ * width);
  std::size_t got = 0;
  while (got < buffer_.size()) {
    const ssize_t r = ::pread(fd_, buffer_.data() + got, buffer_.size() - got, offset + static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw io_error(paths_.journal, fmt::format("read failed at row {}", next_ + got / width));
    got += static_cast<std::size_t>(r);
  }
  const auto& cols = decision_log_format::record_columns();
  out.resize(n);
  const unsigned char* p = buffer_.data();
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& c : cols) {
      c.set(out[i], p);
      p += c.size;
    }
    if (static_cast<std::uint8_t>(out[i].outcome) > kLastOutcome) {
      throw BoardError(fmt::format("{}: row {} has outcome code {} (0 to {})", paths_.journal.string(), next_ + i, static_cast<int>(out[i].outcome), int{kLastOutcome}));
    }
  }
  next_ += n;
  return true;
}

}  // namespace l1emu::board::detail

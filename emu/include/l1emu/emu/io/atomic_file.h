#pragma once
// AtomicFile: writes to "<path>.partial" and renames onto `path` on commit(), so a reader never
// sees a half-written output. Without commit() (an exception, an interrupt) the partial file is
// removed and an existing `path` is left untouched.
#include <filesystem>
#include <fstream>

namespace l1emu::emu {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  [[nodiscard]] std::ostream& stream() { return out_; }
  /// Flushes, closes and renames into place. Throws std::runtime_error on I/O failure.
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path partial_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace l1emu::emu

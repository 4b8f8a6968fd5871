#include "l1emu/emu/io/atomic_file.h"

#include <stdexcept>
#include <system_error>

namespace l1emu::emu {

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)), partial_(path_.string() + ".partial") {
  out_.open(partial_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error(partial_.string() + ": cannot open for writing");
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(partial_, ignored);
  }
}

void AtomicFile::commit() {
  out_.flush();
  if (!out_) throw std::runtime_error(partial_.string() + ": write failed");
  out_.close();
  std::filesystem::rename(partial_, path_);
  committed_ = true;
}

}  // namespace l1emu::emu

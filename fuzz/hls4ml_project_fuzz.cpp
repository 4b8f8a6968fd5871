// A whole hls4ml project import (emu/io/hls4ml_project), as `import hls4ml DIR` and `--model DIR`
// run it. The project is the fixture dense_relu_txt copied to a scratch folder; the first byte of the
// input picks the file it replaces (myproject.cpp, parameters.h, defines.h), the rest is its text.
#include <array>
#include <filesystem>

#include "fuzz_support.h"
#include "l1emu/emu/io/hls4ml_project.h"

namespace {

namespace fs = std::filesystem;
constexpr std::array<const char*, 3> kFiles = {"myproject.cpp", "parameters.h", "defines.h"};

const fs::path& project() {
  static const fs::path dir = [] {
    const fs::path d = l1emu::fuzz::scratch_dir() / "project";
    fs::remove_all(d);
    fs::copy(fs::path(L1EMU_SOURCE_DIR) / "tests/fixtures/hls4ml/dense_relu_txt", d, fs::copy_options::recursive);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const fs::path original = fs::path(L1EMU_SOURCE_DIR) / "tests/fixtures/hls4ml/dense_relu_txt/firmware";
  const char* file = kFiles[data[0] % kFiles.size()];
  const fs::path target = project() / "firmware" / file;
  l1emu::fuzz::write_scratch("input.txt", data + 1, size - 1);
  fs::copy_file(l1emu::fuzz::scratch_dir() / "input.txt", target, fs::copy_options::overwrite_existing);
  l1emu::fuzz::expect_clean([&] { (void)l1emu::emu::import_hls4ml_project(project()); });
  fs::copy_file(original / file, target, fs::copy_options::overwrite_existing);
  return 0;
}

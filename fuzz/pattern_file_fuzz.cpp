// EMP v1, EMP v2 and APx pattern files (stream/pattern_file, *_format), as `patterns decode` and
// `verify patterns` read them: the format detected from the header, then the file read.
#include "fuzz_support.h"
#include "l1emu/stream/pattern_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l1emu::fuzz::write_scratch("patterns.txt", data, size);
  l1emu::fuzz::expect_clean([&] {
    const auto format = l1emu::stream::make_pattern_format(l1emu::stream::detect_pattern_format(path));
    (void)l1emu::stream::read_pattern_file(*format, path);
  });
  return 0;
}

// predict's event text (emu/io/event_text): one event per line. The first byte sets the values per
// event (1-16), the rest is the file.
#include <vector>

#include "fuzz_support.h"
#include "l1emu/emu/io/event_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t width = 1 + data[0] % 16;
  const auto path = l1emu::fuzz::write_scratch("inputs.txt", data + 1, size - 1);
  l1emu::fuzz::expect_clean([&] {
    l1emu::emu::EventTextReader reader(path, width);
    std::vector<float> values;
    while (reader.next(values)) {
    }
  });
  return 0;
}

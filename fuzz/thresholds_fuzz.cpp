// thresholds.json (board/menu), as `verify testvector` and a scenario's menu.thresholds_file read
// it, and the menu built from it.
#include "fuzz_support.h"
#include "l1emu/board/menu.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l1emu::fuzz::write_scratch("thresholds.json", data, size);
  l1emu::fuzz::expect_clean([&] {
    const l1emu::board::Menu menu(l1emu::board::read_thresholds_json(path));
    auto state = menu.make_state();
    (void)menu.decide(0, 0, state);
  });
  return 0;
}

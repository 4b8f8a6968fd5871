// Scenario YAML (board/scenario), as `replay` loads it: the typed configuration, the menu built from
// it and the resolved YAML written next to the outputs.
#include "fuzz_support.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l1emu::fuzz::write_scratch("scenario.yaml", data, size);
  l1emu::fuzz::expect_clean([&] {
    const l1emu::board::Scenario s = l1emu::board::load_scenario(path);
    (void)l1emu::board::to_yaml(s);
    const l1emu::board::Menu menu(l1emu::board::menu_config(s));
  });
  return 0;
}

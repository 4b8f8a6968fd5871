// model.json (emu/io/model_json): what `--model FILE` reads in every command.
#include "fuzz_support.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l1emu::fuzz::expect_clean([&] {
    const l1emu::emu::Model model = l1emu::emu::parse_model_json(l1emu::fuzz::as_text(data, size), "fuzz/model.json");
    (void)l1emu::emu::input_width(model);
  });
  return 0;
}

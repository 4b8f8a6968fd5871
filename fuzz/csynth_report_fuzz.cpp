// Vitis HLS csynth.xml (board/csynth_report), as `estimate --csynth` and a scenario's board.csynth
// read it and apply it to an estimate.
#include "fuzz_support.h"
#include "l1emu/board/csynth_report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l1emu::fuzz::write_scratch("csynth.xml", data, size);
  l1emu::fuzz::expect_clean([&] {
    l1emu::board::ModelEstimate estimate;
    estimate.clock_mhz = 200.0;
    (void)l1emu::board::apply_csynth(estimate, l1emu::board::read_csynth_report(path));
  });
  return 0;
}

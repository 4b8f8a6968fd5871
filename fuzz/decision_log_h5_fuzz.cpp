// Decision logs (board/decision_log_reader), as `rates` reads them: metadata, then every chunk.
#include <cstdlib>

#include "fuzz_support.h"
#include "l1emu/board/decision_log.h"
#include "l1emu/board/decision_log_reader.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = l1emu::fuzz::seed_request()) {
    // A small log of two bits, one of them prescaled, as a replay writes it.
    l1emu::board::DecisionLog::Header header;
    header.menu.bits = {{.bit = 0, .name = "AD_Loose", .threshold = 10, .prescale = 1, .bx_mask = {}},
                        {.bit = 1, .name = "AD_Loose_ps2", .threshold = 10, .prescale = 2, .bx_mask = {}}};
    header.samples = {"background"};
    header.model = "fuzz";
    header.filling_scheme = "nominal-25ns";
    header.colliding_bunches = 2544;
    const std::filesystem::path d(dir);
    auto log = l1emu::board::DecisionLog::create(d / "decisions.h5", d / "decisions.csv", header);
    for (std::uint64_t i = 0; i < 20; ++i) {
      const std::uint64_t fired = i % 3 == 0 ? 3U : 0U;
      log->append({.event = i, .orbit = 1, .bx = static_cast<std::uint16_t>(i), .event_id = static_cast<std::int64_t>(i),
                   .score_code = static_cast<std::int64_t>(i * 7), .bits_before_prescale = fired,
                   .bits_after_prescale = fired & (i % 2 == 0 ? 3U : 1U),
                   .outcome = i == 5 ? l1emu::board::Outcome::lost_to_dead_time : l1emu::board::Outcome::processed});
    }
    log->commit();
    log.reset();
    std::filesystem::remove(d / "decisions.csv");
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l1emu::fuzz::write_scratch("decisions.h5", data, size);
  l1emu::fuzz::expect_clean([&] {
    l1emu::board::DecisionLogReader reader(path, 16);
    l1emu::board::DecisionChunk chunk;
    while (reader.read_next(chunk)) {
    }
  });
  return 0;
}

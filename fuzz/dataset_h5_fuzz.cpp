// Dataset HDF5 files (stream/dataset_source, dataset_reader), as a replay's dataset source and
// `patterns encode` read them: every event through the data policy.
#include <cstdlib>

#include "fuzz_support.h"
#include "l1emu/stream/dataset_source.h"
#include "l1emu/stream/dataset_writer.h"
#include "l1emu/stream/event_generator.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = l1emu::fuzz::seed_request()) {
    // Two chunks of generated events, compressed as the writer does by default.
    l1emu::stream::DatasetWriter writer(std::filesystem::path(dir) / "dataset.h5", {.chunk_events = 8});
    l1emu::stream::EventGenerator generator(l1emu::stream::GeneratorConfig{});
    for (int i = 0; i < 12; ++i) writer.write(generator.next());
    writer.close();
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l1emu::fuzz::write_scratch("dataset.h5", data, size);
  l1emu::fuzz::expect_clean([&] {
    l1emu::stream::DatasetSource source(path, {}, {.chunk_events = 64});
    l1emu::stream::Event event;
    while (source.next(event)) {
    }
  });
  return 0;
}

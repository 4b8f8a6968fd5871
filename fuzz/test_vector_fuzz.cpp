// uGT test vectors (stream/test_vector), as `patterns encode`, `verify testvector` and the replay's
// testvector source read them (the full-orbit check both ways: the first byte's low bit).
#include "fuzz_support.h"
#include "l1emu/stream/test_vector.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto path = l1emu::fuzz::write_scratch("vector.txt", data + 1, size - 1);
  l1emu::fuzz::expect_clean([&] {
    const auto records = l1emu::stream::read_test_vector(path, {.require_full_orbit = (data[0] & 1) != 0});
    for (const auto& r : records) (void)r.to_event();
  });
  return 0;
}

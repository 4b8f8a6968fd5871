#pragma once
// uGT test vectors (cms-l1-globaltrigger/cms-l1-menu `<year>/<menu>/testvectors/*.txt`; layout of
// cms-l1-globaltrigger/tdf testvector.py, shared/FACTS.md section 5 and
// shared/golden/axol1tl/README.md): one line per BX, 60 columns separated by one space, lower-case
// hex, no header, '\n' line ends:
//   BX (4 decimal digits) | 8 muons (16 hex) | 12 e/gamma, 12 taus, 12 jets (8 hex) |
//   6 sums ETT HT ETM HTM ETMHF HTMHF (8 hex) | 6 link-11 words (8 hex) |
//   256 external-condition bits (64 hex) | 512 algorithm bits (128 hex, bit 0 = LSB) | FINOR (0/1).
// Records keep every column as a value, and the columns have fixed widths, so writing a record gives
// back the exact text it was read from: a file in this layout round-trips byte for byte. The reader
// checks every column of every line and names file, line and column on error.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/event.h"

namespace l1emu::stream {

struct TestVectorRecord {
  static constexpr int kColumns = 60;
  static constexpr int kLinks11Words = 6;

  std::uint16_t bx = 0;
  std::array<std::uint64_t, Event::kMuons> muons{};
  std::array<std::uint32_t, Event::kEGammas> egammas{};
  std::array<std::uint32_t, Event::kTaus> taus{};
  std::array<std::uint32_t, Event::kJets> jets{};
  std::array<std::uint32_t, kSumCount> sums{};
  std::array<std::uint32_t, kLinks11Words> link11{};
  std::array<std::uint64_t, 4> external{};    // word 0 = bits 0-63
  std::array<std::uint64_t, 8> algorithms{};  // word 0 = bits 0-63
  bool finor = false;

  [[nodiscard]] bool algorithm_bit(int bit) const;
  void set_algorithm_bit(int bit, bool value);
  [[nodiscard]] bool external_bit(int bit) const;

  /// The objects as hardware fields (l1_objects.h); orbit 0, event id = BX.
  [[nodiscard]] Event to_event() const;
  /// Object words from an event; link 11, externals, algorithm bits and FINOR zero.
  [[nodiscard]] static TestVectorRecord from_event(const Event& event);

  friend bool operator==(const TestVectorRecord&, const TestVectorRecord&) = default;
};

struct TestVectorReadOptions {
  /// Require exactly 3564 lines with BX 0..3563 in order (what the uGT test benches expect).
  bool require_full_orbit = true;
};

/// Parses one line; `file` and `line_number` only name the place in errors (DataError).
[[nodiscard]] TestVectorRecord parse_test_vector_line(std::string_view line, std::string_view file, std::size_t line_number);
/// The line for a record, without the line end.
[[nodiscard]] std::string format_test_vector_line(const TestVectorRecord& record);

[[nodiscard]] std::vector<TestVectorRecord> read_test_vector(const std::filesystem::path& file,
                                                             TestVectorReadOptions options = {});
/// Writes atomically (temporary file, then rename).
void write_test_vector(const std::filesystem::path& file, const std::vector<TestVectorRecord>& records);

}  // namespace l1emu::stream

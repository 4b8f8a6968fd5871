#include "l1emu/stream/test_vector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "l1emu/stream/dataset_layout.h"
#include "l1emu/stream/error.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/filling_scheme.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::TempDir;

std::string slurp(const std::filesystem::path& p) {
  std::string bytes(std::filesystem::file_size(p), '\0');
  std::ifstream in(p, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

std::filesystem::path testvector_dir() { return ::l1emu::testing::golden_dir() / "axol1tl" / "v3" / "testvectors"; }

/// A canonical line: BX 7, one muon, one e/gamma, algorithm bit 438, FINOR 1.
std::string sample_line() {
  TestVectorRecord r;
  r.bx = 7;
  r.muons[0] = 0x0123456789abcdefULL;
  r.egammas[3] = 0xdeadbeefu;
  r.sums[2] = 0x000abcdeu;
  r.external[0] = 0xf0;
  r.set_algorithm_bit(438, true);
  r.finor = true;
  return format_test_vector_line(r);
}

void expect_error(const std::string& line, const std::string& fragment) {
  try {
    (void)parse_test_vector_line(line, "tv.txt", 42);
    FAIL() << "expected DataError containing '" << fragment << "'";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("tv.txt:42"), std::string::npos) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
  }
}

TEST(TestVector, LineLayoutHas60ColumnsOfFixedWidth) {
  const std::string line = sample_line();
  std::istringstream in(line);
  std::vector<std::string> cols{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
  ASSERT_EQ(cols.size(), 60u);
  EXPECT_EQ(cols[0], "0007");
  EXPECT_EQ(cols[1], "0123456789abcdef");
  EXPECT_EQ(cols[12], "deadbeef");
  EXPECT_EQ(cols[47], "000abcde");
  EXPECT_EQ(cols[57].size(), 64u);
  EXPECT_EQ(cols[57].substr(62), "f0");
  ASSERT_EQ(cols[58].size(), 128u);
  // Bit 438 = bit 2 of hex digit 109 from the right.
  EXPECT_EQ(cols[58][127 - 438 / 4], '4');
  EXPECT_EQ(cols[59], "1");
  EXPECT_EQ(line.size(), 4 + 8 * 17 + 48 * 9 + 65 + 129 + 2u);
}

TEST(TestVector, ParseInvertsFormat) {
  const std::string line = sample_line();
  const TestVectorRecord r = parse_test_vector_line(line, "x", 1);
  EXPECT_EQ(r.bx, 7);
  EXPECT_EQ(r.muons[0], 0x0123456789abcdefULL);
  EXPECT_TRUE(r.algorithm_bit(438));
  EXPECT_FALSE(r.algorithm_bit(437));
  EXPECT_TRUE(r.external_bit(4));
  EXPECT_TRUE(r.finor);
  EXPECT_EQ(format_test_vector_line(r), line);
}

TEST(TestVector, EventConversionKeepsObjectWords) {
  TestVectorRecord r;
  r.bx = 12;
  r.muons[1] = Muon{20, -30, 100, 12, 0, 1, 1, 5, 101, 3, 0, 0}.pack();
  r.egammas[0] = EGamma{{60, 10, 20, 1}}.pack();
  r.taus[11] = Tau{{33, -5, 7, 2}}.pack();
  r.jets[0] = Jet{400, 50, 143}.pack();
  r.sums[static_cast<int>(SumKind::etm)] = EnergySum{123, 45}.pack();
  const Event e = r.to_event();
  EXPECT_EQ(e.bx, 12);
  EXPECT_EQ(e.muons[1].hw_eta, -30);
  EXPECT_EQ(e.jets[0].hw_et, 400);
  EXPECT_EQ(e.sum(SumKind::etm).hw_phi, 45);
  EXPECT_EQ(TestVectorRecord::from_event(e), r);
}

TEST(TestVector, GeneratedOrbitOnTheNominalSchemeRoundTrips) {
  // Generated events, stamped onto the colliding BX of the nominal scheme, one orbit written as a
  // test vector (empty BX all zero), read back: the same hardware objects at the same BX.
  const auto scheme = make_filling_scheme({"nominal-25ns", {}});
  BxAssigner assigner(*scheme);
  EventGenerator generator({.process = Process::ato4l, .seed = 4});
  std::vector<TestVectorRecord> orbit(kBxPerOrbit);
  for (int bx = 0; bx < kBxPerOrbit; ++bx) orbit[static_cast<std::size_t>(bx)].bx = static_cast<std::uint16_t>(bx);
  std::vector<Event> events;
  for (std::size_t i = 0; i < scheme->colliding_count(); ++i) {
    Event e = to_event(generator.next());
    assigner.assign(e);
    ASSERT_EQ(e.orbit, 0u);
    orbit[e.bx] = TestVectorRecord::from_event(e);
    events.push_back(e);
  }
  TempDir dir;
  write_test_vector(dir / "orbit.txt", orbit);
  const auto back = read_test_vector(dir / "orbit.txt");
  ASSERT_EQ(back, orbit);
  for (const Event& e : events) {
    Event read = back[e.bx].to_event();
    read.event_id = e.event_id;
    EXPECT_EQ(read, e);
  }
  EXPECT_FALSE(back[3563].to_event().muons[0].valid());  // abort gap: empty
}

TEST(TestVector, GoldenFilesRoundTripByteForByte) {
  L1EMU_REQUIRE_SHARED();
  TempDir dir;
  int files = 0;
  for (const char* name : {"TestVector_L1Menu_Collisions2024_v1_2_1_data.txt", "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar.txt"}) {
    const auto source = testvector_dir() / name;
    ASSERT_TRUE(std::filesystem::exists(source)) << source;
    const auto records = read_test_vector(source);
    ASSERT_EQ(records.size(), 3564u);
    const auto copy = dir / name;
    write_test_vector(copy, records);
    EXPECT_EQ(slurp(copy), slurp(source)) << name;
    EXPECT_EQ(read_test_vector(copy), records);
    ++files;
  }
  EXPECT_EQ(files, 2);
}

TEST(TestVector, GoldenTtbarHasObjectsAndAxoBits) {
  L1EMU_REQUIRE_SHARED();
  const auto records = read_test_vector(testvector_dir() / "TestVector_L1Menu_Collisions2024_v1_2_1_ttBar.txt");
  // README: on the ttBar file, bit 438 (the loosest AXO threshold) fires in 207 BX.
  int bit438 = 0;
  int with_jets = 0;
  for (const auto& r : records) {
    bit438 += r.algorithm_bit(438) ? 1 : 0;
    with_jets += r.to_event().jets[0].valid() ? 1 : 0;
  }
  EXPECT_EQ(bit438, 207);
  EXPECT_GT(with_jets, 100);
}

TEST(TestVector, ShortLineIsAnError) {
  const std::string line = sample_line();
  expect_error(line.substr(0, line.size() - 200), "column");
  expect_error("0001 0000", "2 columns where 60 are expected");
}

TEST(TestVector, BadHexIsAnError) {
  std::string line = sample_line();
  line[5] = 'g';  // first muon
  expect_error(line, "column 2 (muon 0)");
  line = sample_line();
  line[5] = 'A';  // upper case would not write back identically
  expect_error(line, "lower-case hex");
}

TEST(TestVector, WrongColumnCountIsAnError) {
  expect_error(sample_line() + " 0", "61 columns where 60 are expected");
  const std::string line = sample_line();
  expect_error(line.substr(0, line.rfind(' ')), "59 columns where 60 are expected");
}

TEST(TestVector, OtherMalformedColumnsAreErrors) {
  std::string line = sample_line();
  expect_error("3564" + line.substr(4), "column 1 (BX)");
  expect_error(line.substr(0, line.size() - 1) + "2", "column 60 (FINOR)");
  expect_error(line + " ", "empty column 61");
  std::string doubled = line;
  doubled.insert(4, " ");
  expect_error(doubled, "empty column 2");
  std::string short_word = line;
  short_word.erase(5, 1);
  expect_error(short_word, "16 lower-case hex digits");
}

TEST(TestVector, FileErrorsNameFileAndLine) {
  TempDir dir;
  const auto path = dir / "broken.txt";
  {
    std::ofstream out(path, std::ios::binary);
    TestVectorRecord r;
    for (int bx = 0; bx < 3; ++bx) {
      r.bx = static_cast<std::uint16_t>(bx);
      out << format_test_vector_line(r) << '\n';
    }
    out << "0003 zz\n";
  }
  try {
    (void)read_test_vector(path, {.require_full_orbit = false});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.txt:4"), std::string::npos) << e.what();
  }
  // A correct but partial orbit is an error only when a full orbit is required.
  {
    std::ofstream out(path, std::ios::binary);
    TestVectorRecord r;
    out << format_test_vector_line(r) << '\n';
  }
  EXPECT_EQ(read_test_vector(path, {.require_full_orbit = false}).size(), 1u);
  EXPECT_THROW((void)read_test_vector(path), DataError);
  EXPECT_THROW((void)read_test_vector(dir / "missing.txt"), DataError);
}

}  // namespace
}  // namespace l1emu::stream

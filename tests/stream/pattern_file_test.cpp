#include "l1emu/stream/pattern_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "l1emu/stream/error.h"
#include "l1emu/stream/link_protocol.h"
#include "link_test_events.h"
#include "reference_pattern_reader.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace l1emu::stream {
namespace {

using testing::generated_events;
using testing::read_reference;
using testing::ReferenceFrame;
using testing::ReferencePatternFile;
using testing::TempDir;

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fixture(const std::string& name) { return ::l1emu::testing::source_dir() / "tests" / "fixtures" / "patterns" / name; }

LinkProtocolConfig emp64_config() {
  LinkProtocolConfig c;
  c.name = "emp64";
  c.crc = true;
  return c;
}

/// Compares the frames a reference reader found with frames [first, first + rows) of the capture.
void expect_same_frames(const ReferencePatternFile& ref, const LinkFrames& frames, std::size_t first, bool flags,
                        const std::string& where) {
  ASSERT_EQ(ref.links.size(), frames.links.size()) << where;
  for (std::size_t l = 0; l < ref.links.size(); ++l) ASSERT_EQ(ref.links[l], frames.links[l].link) << where;
  for (std::size_t i = 0; i < ref.rows.size(); ++i) {
    for (std::size_t l = 0; l < ref.links.size(); ++l) {
      const ReferenceFrame& r = ref.rows[i][l];
      const Frame& f = frames.links[l].frames[first + i];
      ASSERT_EQ(r.data, f.data) << where << " frame " << i << " link " << l;
      ASSERT_EQ(r.valid, f.valid) << where << " frame " << i << " link " << l;
      ASSERT_EQ(r.strobe, f.strobe) << where << " frame " << i << " link " << l;
      if (!flags) continue;
      ASSERT_EQ(r.start_of_packet, f.start_of_packet) << where << " frame " << i << " link " << l;
      ASSERT_EQ(r.end_of_packet, f.end_of_packet) << where << " frame " << i << " link " << l;
      ASSERT_EQ(r.start_of_orbit, f.start_of_orbit) << where << " frame " << i << " link " << l;
    }
  }
}

struct FormatCase {
  std::string format;
  std::string protocol;
};
/// Readable parameter names in gtest messages.
void PrintTo(const FormatCase& c, std::ostream* os) {
  *os << c.format << " / " << c.protocol;
}


class PatternFiles : public ::testing::TestWithParam<FormatCase> {
 protected:
  [[nodiscard]] LinkProtocolConfig protocol_config() const {
    return GetParam().protocol == "emp64" ? emp64_config() : LinkProtocolConfig{};
  }
};

TEST_P(PatternFiles, IndependentReaderParsesWhatTheLibraryWrites) {
  const auto format = make_pattern_format(GetParam().format);
  const auto protocol = make_link_protocol(protocol_config());
  LinkFrames frames = protocol->encode(generated_events(700, "nominal-25ns"));
  frames.board = "reference_check";
  TempDir dir;
  PatternWriteOptions options;
  options.max_frames_per_file = 1000;
  const auto files = write_pattern_files(*format, frames, dir.path(), options);
  ASSERT_GE(files.size(), (frames.frame_count() + 999) / 1000);
  std::size_t first = 0;
  for (const auto& file : files) {
    const ReferencePatternFile ref = read_reference(GetParam().format, file.string());
    EXPECT_EQ(ref.board, GetParam().format == "apx" ? "" : "reference_check");  // APx files have no board name
    EXPECT_LE(ref.rows.size(), 1000u);
    if (file != files.back()) {
      EXPECT_GT(ref.rows.size(), 900u) << "files are cut at the last packet boundary before the limit, not far before";
    }
    expect_same_frames(ref, frames, first, format->carries_packet_flags(), file.string());
    first += ref.rows.size();
  }
  EXPECT_EQ(first, frames.frame_count());
}

// Files start and end between packets on every link (EMP and APx play each file on its own): the
// first frame of a file is idle or a start of packet, the last idle or an end of packet. Frames
// per file that no packet length divides (1000 = 166 x 6 + 4 for ugt-mp7) used to cut packets.
TEST_P(PatternFiles, FilesStartAndEndOnPacketBoundaries) {
  const auto format = make_pattern_format(GetParam().format);
  if (!format->carries_packet_flags()) GTEST_SKIP() << "the format does not carry packet flags";
  // emp64 without time multiplexing: with tmux > 1 the groups' packets are staggered, and some
  // link is always inside one (no common boundary exists).
  LinkProtocolConfig config = protocol_config();
  config.tmux = 1;
  const auto protocol = make_link_protocol(config);
  const LinkFrames frames = protocol->encode(generated_events(700, "nominal-25ns"));
  TempDir dir;
  PatternWriteOptions options;
  options.max_frames_per_file = 1000;
  const auto files = write_pattern_files(*format, frames, dir.path(), options);
  ASSERT_GT(files.size(), 1u);
  for (const auto& file : files) {
    const LinkFrames part = read_pattern_file(*format, file);
    for (const auto& link : part.links) {
      const Frame& head = link.frames.front();
      const Frame& tail = link.frames.back();
      EXPECT_TRUE(!head.valid || head.start_of_packet) << file << " link " << link.link << " starts inside a packet";
      EXPECT_TRUE(!tail.valid || tail.end_of_packet) << file << " link " << link.link << " ends inside a packet";
      EXPECT_FALSE(head.end_of_packet && !head.start_of_packet) << file << " link " << link.link << " starts with an end of packet";
    }
  }
  const LinkFrames back = read_pattern_files(*format, files);
  ASSERT_EQ(back.links.size(), frames.links.size());
  for (std::size_t l = 0; l < frames.links.size(); ++l) EXPECT_TRUE(back.links[l].frames == frames.links[l].frames) << "link " << l;
}

TEST_P(PatternFiles, DecodeThenReencodeReproducesTheFilesByteForByte) {
  const auto format = make_pattern_format(GetParam().format);
  const auto protocol = make_link_protocol(protocol_config());
  const auto events = generated_events(3000, "nominal-25ns");
  TempDir dir;
  PatternWriteOptions options;
  options.max_frames_per_file = 4096;
  const auto files = write_pattern_files(*format, protocol->encode(events), dir.path() / "first", options);
  ASSERT_GT(files.size(), 1u);

  DecodeOptions decode_options;
  decode_options.packet_flags = format->carries_packet_flags();
  const DecodeResult decoded = protocol->decode(read_pattern_files(*format, files), decode_options);
  EXPECT_EQ(decoded.errors.total(), 0u) << decoded.errors.summary();
  ASSERT_EQ(decoded.events, events);

  const auto again = write_pattern_files(*format, protocol->encode(decoded.events), dir.path() / "second", options);
  ASSERT_EQ(again.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(again[i].filename(), files[i].filename());
    EXPECT_TRUE(slurp(again[i]) == slurp(files[i])) << files[i] << " differs from " << again[i];
  }
}

TEST_P(PatternFiles, ReadingAWrittenCaptureGivesTheFramesBack) {
  const auto format = make_pattern_format(GetParam().format);
  LinkFrames frames;
  frames.board = "hand made";
  for (const int link : {0, 3, 17}) {
    LinkStream& s = frames.links.emplace_back();
    s.link = link;
    for (std::uint64_t i = 0; i < 40; ++i) {
      Frame f;
      f.data = (i * 0x0123456789abcdefULL) ^ static_cast<std::uint64_t>(link);
      f.valid = i % 5 != 0;
      f.start_of_packet = i % 5 == 1;
      f.end_of_packet = i % 5 == 4;
      f.start_of_orbit = i == 1;
      f.strobe = !(link == 3 && GetParam().format != "apx" && i % 7 == 3);
      s.frames.push_back(f);
    }
  }
  TempDir dir;
  const auto files = write_pattern_files(*format, frames, dir.path(), {});
  ASSERT_EQ(files.size(), 1u);
  LinkFrames back = read_pattern_file(*format, files[0]);
  if (GetParam().format == "apx") frames.board = LinkFrames{}.board;  // APx files have no board name
  if (!format->carries_packet_flags()) {
    for (auto& link : frames.links)
      for (auto& f : link.frames) f.start_of_packet = f.end_of_packet = f.start_of_orbit = false;
  }
  EXPECT_EQ(back, frames);
  EXPECT_EQ(detect_pattern_format(files[0]), GetParam().format);
}

INSTANTIATE_TEST_SUITE_P(Formats, PatternFiles,
                         ::testing::Values(FormatCase{"emp-v1", "ugt-mp7"}, FormatCase{"emp-v1", "emp64"},
                                           FormatCase{"emp-v2", "ugt-mp7"}, FormatCase{"emp-v2", "emp64"},
                                           FormatCase{"apx", "ugt-mp7"}, FormatCase{"apx", "emp64"}),
                         [](const auto& p) {
                           std::string name = p.param.format + "_" + p.param.protocol;
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(PatternFixtures, EmpV1WithStrobesOnOneLink) {
  const auto format = make_pattern_format("emp-v1");
  const LinkFrames f = read_pattern_file(*format, fixture("emp_v1_strobes.txt"));
  EXPECT_EQ(f.board, "fixture_v1");
  ASSERT_EQ(f.links.size(), 3u);
  EXPECT_EQ(f.links[2].link, 5);
  ASSERT_EQ(f.frame_count(), 5u);
  EXPECT_FALSE(f.links[0].frames[0].valid);
  EXPECT_EQ(f.links[0].frames[1].data, 0xabu);
  EXPECT_TRUE(f.links[1].frames[1].strobe);
  EXPECT_FALSE(f.links[1].frames[2].strobe);
  EXPECT_TRUE(f.links[1].frames[2].valid);
  EXPECT_EQ(f.links[1].frames[2].data, 0xdeadbeefu);
  EXPECT_EQ(f.links[2].frames[1].data, 0x0123456789abcdefULL);
  EXPECT_EQ(f.links[2].frames[2].data, 0xfedcba9876543210ULL);  // upper-case hex accepted
  EXPECT_TRUE(f.links[2].frames[4].valid);
  expect_same_frames(read_reference("emp-v1", fixture("emp_v1_strobes.txt").string()), f, 0, false, "fixture");
  EXPECT_EQ(detect_pattern_format(fixture("emp_v1_strobes.txt")), "emp-v1");
}

TEST(PatternFixtures, EmpV2WithGapsAndStrobes) {
  const auto format = make_pattern_format("emp-v2");
  const LinkFrames f = read_pattern_file(*format, fixture("emp_v2_gaps.txt"));
  EXPECT_EQ(f.board, "fixture_v2");
  ASSERT_EQ(f.links.size(), 3u);
  ASSERT_EQ(f.frame_count(), 5u);
  const Frame& first = f.links[0].frames[0];
  EXPECT_TRUE(first.start_of_orbit && first.start_of_packet && !first.end_of_packet && first.valid);
  EXPECT_EQ(first.data, 0x11u);
  EXPECT_TRUE(f.links[0].frames[2].end_of_packet);
  EXPECT_FALSE(f.links[0].frames[3].valid);
  EXPECT_TRUE(f.links[1].frames[1].end_of_packet && f.links[1].frames[1].valid);
  EXPECT_FALSE(f.links[2].frames[1].strobe);
  EXPECT_TRUE(f.links[2].frames[2].strobe && f.links[2].frames[2].end_of_packet);
  EXPECT_TRUE(f.links[1].frames[4].start_of_packet && f.links[1].frames[4].end_of_packet);
  EXPECT_EQ(f.links[2].frames[4].data, 0xccu);
  expect_same_frames(read_reference("emp-v2", fixture("emp_v2_gaps.txt").string()), f, 0, true, "fixture");
}

TEST(PatternFixtures, ApxSidebandBits) {
  const auto format = make_pattern_format("apx");
  const LinkFrames f = read_pattern_file(*format, fixture("apx_packets.txt"));
  ASSERT_EQ(f.links.size(), 3u);
  EXPECT_EQ(f.links[2].link, 4);
  ASSERT_EQ(f.frame_count(), 4u);
  EXPECT_TRUE(f.links[0].frames[0].start_of_orbit && f.links[0].frames[0].start_of_packet && f.links[0].frames[0].valid);
  EXPECT_TRUE(f.links[0].frames[2].end_of_packet);
  EXPECT_FALSE(f.links[1].frames[0].valid);
  EXPECT_EQ(f.links[1].frames[1].data, 0x201u);
  EXPECT_TRUE(f.links[2].frames[3].start_of_packet && !f.links[2].frames[3].end_of_packet);
  expect_same_frames(read_reference("apx", fixture("apx_packets.txt").string()), f, 0, true, "fixture");
}

TEST(PatternFixtures, HandWrittenUgtMp7EventDecodesToTheObjectsItsWordsSpell) {
  // Words computed by hand from the FACTS section 5 bit positions: BX 0 idle with start of orbit,
  // BX 1 one event: muon 0 = 0xfb60a064 (phi 100, pT 40, quality 12, eta -10), e/gamma 0 =
  // 0x00900a3c (Et 60, eta 5, phi 72), jet 0 = 0x0057e8c8 (Et 200, eta -3, phi 10), ETM = 0x00024032
  // (Et 50, phi 36).
  const auto format = make_pattern_format("emp-v2");
  const LinkFrames frames = read_pattern_file(*format, fixture("ugt_mp7_one_event.txt"));
  ASSERT_EQ(frames.links.size(), 11u);
  const DecodeResult result = make_link_protocol({})->decode(frames);
  EXPECT_EQ(result.errors.total(), 0u) << result.errors.summary();
  ASSERT_EQ(result.events.size(), 1u);
  Event expected;
  expected.bx = 1;
  expected.muons[0].hw_phi = 100;
  expected.muons[0].hw_pt = 40;
  expected.muons[0].quality = 12;
  expected.muons[0].hw_eta = -10;
  expected.egammas[0].hw_et = 60;
  expected.egammas[0].hw_eta = 5;
  expected.egammas[0].hw_phi = 72;
  expected.jets[0].hw_et = 200;
  expected.jets[0].hw_eta = -3;
  expected.jets[0].hw_phi = 10;
  expected.sum(SumKind::etm).hw_et = 50;
  expected.sum(SumKind::etm).hw_phi = 36;
  EXPECT_EQ(result.events[0], expected);
  EXPECT_DOUBLE_EQ(expected.muons[0].to_physical().pt, 20.0);
}

struct MalformedCase {
  std::string format;
  std::string text;
  std::string line;      // "file:N"
  std::string expected;  // fragment of the message
};
/// Readable parameter names in gtest messages.
void PrintTo(const MalformedCase& c, std::ostream* os) {
  *os << c.format << " line " << c.line << " (" << c.expected << ")";
}


class MalformedPatternFile : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedPatternFile, ErrorNamesFileLineAndExpectation) {
  TempDir dir;
  const fs::path file = dir / "bad.txt";
  std::ofstream(file) << GetParam().text;
  const auto format = make_pattern_format(GetParam().format);
  try {
    (void)read_pattern_file(*format, file);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bad.txt:" + GetParam().line), std::string::npos) << what;
    EXPECT_NE(what.find(GetParam().expected), std::string::npos) << what;
  }
}

// A line of 4 MB garbage (or with control bytes) is echoed as a short escaped excerpt: the message
// stays one short line.
TEST(PatternFile, ErrorsEchoAShortEscapedExcerptOfTheLine) {
  TempDir dir;
  const fs::path file = dir / "huge.txt";
  std::ofstream(file, std::ios::binary) << "Bo\x01rd " << std::string(4'000'000, 'x') << "\n";
  try {
    (void)read_pattern_file(*make_pattern_format("emp-v1"), file);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_LT(what.size(), 300U) << what.substr(0, 300);
    EXPECT_NE(what.find("huge.txt:1: expected 'Board NAME', found 'Bo\\x01rd xxx"), std::string::npos) << what.substr(0, 300);
    EXPECT_NE(what.find("... (4000006 bytes)"), std::string::npos) << what.substr(0, 300);
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
}

const std::string kV1Header = "Board b\n Quad/Chan :  q00c0               q00c1\n      Link :  000                 001\n";
const std::string kV2Header =
    "ID: b\nMetadata: (strobe,) start of orbit, start of packet, end of packet, valid\n"
    "      Link           000                      001\n";
const std::string kApxHeader = "#Sideband ON\n#LinkLabel  LINK_00  LINK_01\n#BeginData\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedPatternFile,
    ::testing::Values(
        MalformedCase{"emp-v1", "Bored b\n", "1", "expected 'Board NAME'"},
        MalformedCase{"emp-v1", "Board b\n Quad/Chan :  q00c0\n      Link :  000  001\n", "3", "1 link numbers"},
        MalformedCase{"emp-v1", "Board b\n Quad/Chan :  q00c1\n      Link :  000\n", "3", "link q00c0 under Quad/Chan q00c1"},
        MalformedCase{"emp-v1", kV1Header + "Frame 0000 :   1v0000000000000000   1v00000000000000zz\n", "4", "frame token"},
        MalformedCase{"emp-v1", kV1Header + "Frame 0000 :   1v0000000000000000\n", "4", "2 frame tokens"},
        MalformedCase{"emp-v1", kV1Header + "Frame 0001 :   1v0000000000000000   1v0000000000000000\n", "4", "frame number 0000"},
        MalformedCase{"emp-v1", "", "1", "expected 'Board NAME', found the end of the file"},
        MalformedCase{"emp-v2", "ID: b\nMeta\n", "2", "expected 'Metadata:"},
        MalformedCase{"emp-v2", kV2Header + "Frame 0000    1101 0000000000000000 1101 0000000000000000\n", "4", "two or more spaces"},
        MalformedCase{"emp-v2", kV2Header + "Frame 0000    1121 0000000000000000    1101 0000000000000000\n", "4", "SOO SOP EOP valid"},
        MalformedCase{"emp-v2", kV2Header + "Frame 0000    110 0000000000000000    1101 0000000000000000\n", "4", "SOO SOP EOP valid"},
        MalformedCase{"apx", "#Sideband OFF\n", "1", "'#Sideband ON'"},
        MalformedCase{"apx", "#Sideband ON\n#LinkLabel  LINK_00  LNK_01\n", "2", "LINK_NN"},
        MalformedCase{"apx", kApxHeader + "0x0000    0x01 0x0000000000000000    0x10 0x0000000000000000\n", "4", "sideband byte 0x00-0x0f"},
        MalformedCase{"apx", kApxHeader + "0x0000    0x01 0x0000000000000000\n", "4", "2 pairs"},
        MalformedCase{"apx", kApxHeader + "0x0000    0x01 0x0000000000000000    0x01 0x00000000000000000\n", "4", "0x + 16 hex digits"},
        MalformedCase{"apx", kApxHeader + "0x0000    0x01 0x0000000000000000    0x01 0x0000000000000000\n0x0002    0x01 "
                                          "0x0000000000000000    0x01 0x0000000000000000\n", "5", "frame index 0x0001"}),
    [](const auto& p) { return p.param.format.substr(0, 3) + "_" + std::to_string(p.index); });

TEST(PatternFile, RegistryDetectionAndLimits) {
  EXPECT_EQ(pattern_format_names(), (std::vector<std::string>{"apx", "emp-v1", "emp-v2"}));
  EXPECT_THROW((void)make_pattern_format("emp-v3"), std::invalid_argument);
  TempDir dir;
  std::ofstream(dir / "x.txt") << "hello\n";
  EXPECT_THROW((void)detect_pattern_format(dir / "x.txt"), DataError);
  EXPECT_THROW((void)detect_pattern_format(dir / "missing.txt"), DataError);

  LinkFrames frames;
  frames.links.resize(2);
  frames.links[1].link = 1;
  frames.links[0].frames.resize(3);
  frames.links[1].frames.resize(3);
  frames.links[1].frames[1].strobe = false;
  EXPECT_THROW((void)write_pattern_files(*make_pattern_format("apx"), frames, dir / "apx"), std::invalid_argument);
  frames.links[1].frames.resize(4);
  EXPECT_THROW((void)write_pattern_files(*make_pattern_format("emp-v2"), frames, dir / "v2"), std::invalid_argument);

  frames.links[1].frames.resize(3);
  std::ostringstream sink;
  EXPECT_THROW(make_pattern_format("emp-v1")->write(sink, frames, 2, 2), std::invalid_argument);

  // An empty capture is one file with headers only.
  LinkFrames empty;
  empty.links.resize(1);
  const auto files = write_pattern_files(*make_pattern_format("emp-v2"), empty, dir / "empty");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(read_pattern_file(*make_pattern_format("emp-v2"), files[0]).links.size(), 1u);
}

TEST(PatternFile, AnEarlierCaptureInTheDirectoryIsAnErrorOrReplaced) {
  TempDir dir;
  const auto format = make_pattern_format("apx");
  LinkFrames frames;
  frames.links.resize(1);
  frames.links[0].frames.resize(10);
  PatternWriteOptions options;
  options.max_frames_per_file = 2;
  ASSERT_EQ(write_pattern_files(*format, frames, dir.path(), options).size(), 5u);
  EXPECT_THROW((void)write_pattern_files(*format, frames, dir.path(), options), DataError);
  options.overwrite = true;
  options.max_frames_per_file = 5;
  ASSERT_EQ(write_pattern_files(*format, frames, dir.path(), options).size(), 2u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 2);
  options.overwrite = false;
  options.stem = "other";
  EXPECT_EQ(write_pattern_files(*format, frames, dir.path(), options).size(), 2u);
}

TEST(PatternFile, StrobeColumnsAreDecidedPerFile) {
  TempDir dir;
  LinkFrames frames;
  frames.links.resize(1);
  frames.links[0].frames.resize(20, Frame{7, true});
  frames.links[0].frames[15].strobe = false;
  PatternWriteOptions options;
  options.max_frames_per_file = 10;
  for (const std::string name : {"emp-v1", "emp-v2"}) {
    const auto format = make_pattern_format(name);
    options.stem = name;
    const auto files = write_pattern_files(*format, frames, dir.path(), options);
    ASSERT_EQ(files.size(), 2u);
    const auto first = read_reference(name, files[0].string());
    const auto second = read_reference(name, files[1].string());
    EXPECT_FALSE(first.rows[0][0].has_strobe) << name;
    EXPECT_TRUE(second.rows[0][0].has_strobe) << name;
    EXPECT_EQ(read_pattern_files(*format, files), frames) << name;
  }
}

TEST(PatternFile, FilesOfDifferentLinksDoNotConcatenate) {
  TempDir dir;
  const auto format = make_pattern_format("emp-v2");
  LinkFrames a;
  a.links.resize(1);
  a.links[0].frames.resize(2);
  LinkFrames b = a;
  b.links[0].link = 9;
  PatternWriteOptions first, second;
  first.stem = "a";
  second.stem = "b";
  const auto fa = write_pattern_files(*format, a, dir.path(), first);
  const auto fb = write_pattern_files(*format, b, dir.path(), second);
  EXPECT_THROW((void)read_pattern_files(*format, {fa[0], fb[0]}), DataError);
  EXPECT_EQ(read_pattern_files(*format, {fa[0], fa[0]}).frame_count(), 4u);
}

}  // namespace
}  // namespace l1emu::stream

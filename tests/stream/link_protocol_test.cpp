#include "l1emu/stream/link_protocol.h"

#include <gtest/gtest.h>

#include <boost/crc.hpp>

#include <chrono>
#include <ostream>
#include <stdexcept>

#include "l1emu/stream/error.h"
#include "link_test_events.h"

namespace l1emu::stream {
namespace {

using testing::generated_events;
using testing::hundred_thousand_events;
using testing::random_field_events;

LinkProtocolConfig emp64(int tmux, int frames_per_bx, int gap, int offset, bool crc) {
  LinkProtocolConfig c;
  c.name = "emp64";
  c.tmux = tmux;
  c.frames_per_bx = frames_per_bx;
  c.interpacket_gap = gap;
  c.offset = offset;
  c.crc = crc;
  return c;
}

struct ProtocolCase {
  std::string label;
  LinkProtocolConfig config;
};
/// Readable parameter names in gtest messages.
void PrintTo(const ProtocolCase& c, std::ostream* os) {
  *os << c.label;
}


std::vector<ProtocolCase> protocol_cases() {
  return {{"ugt_mp7", LinkProtocolConfig{}},
          {"emp64_tmux6_crc", emp64(6, 9, 6, 0, true)},
          {"emp64_tmux1_gap1_multilink", emp64(1, 9, 1, 3, false)},
          {"emp64_tmux18_240MHz_crc", emp64(18, 6, 10, 7, true)}};
}

class ProtocolRoundTrip : public ::testing::TestWithParam<ProtocolCase> {};

TEST_P(ProtocolRoundTrip, HundredThousandGeneratedEventsComeBackIdentical) {
  const auto protocol = make_link_protocol(GetParam().config);
  const auto& events = hundred_thousand_events();
  ASSERT_EQ(events.size(), 100000u);
  const auto t0 = std::chrono::steady_clock::now();
  const LinkFrames frames = protocol->encode(events);
  const auto t1 = std::chrono::steady_clock::now();
  const DecodeResult result = protocol->decode(frames);
  const auto t2 = std::chrono::steady_clock::now();
  ASSERT_EQ(frames.links.size(), static_cast<std::size_t>(protocol->link_count()));
  EXPECT_EQ(result.errors.total(), 0u) << result.errors.summary();
  EXPECT_EQ(result.dropped_events, 0u);
  EXPECT_EQ(result.event_slots, events.size());
  ASSERT_EQ(result.events.size(), events.size());
  std::size_t differences = 0;
  for (std::size_t i = 0; i < events.size(); ++i) differences += result.events[i] == events[i] ? 0 : 1;
  EXPECT_EQ(differences, 0u);
  RecordProperty("encode_ms", std::to_string(std::chrono::duration<double, std::milli>(t1 - t0).count()));
  RecordProperty("decode_ms", std::to_string(std::chrono::duration<double, std::milli>(t2 - t1).count()));
}

TEST_P(ProtocolRoundTrip, EveryBitOfEveryObjectSurvives) {
  const auto protocol = make_link_protocol(GetParam().config);
  const auto events = random_field_events(8000);
  const DecodeResult result = protocol->decode(protocol->encode(events));
  EXPECT_EQ(result.errors.total(), 0u) << result.errors.summary();
  ASSERT_EQ(result.events.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) ASSERT_EQ(result.events[i], events[i]) << "event " << i;
}

TEST_P(ProtocolRoundTrip, PositionsAloneDecodeTheSameWithoutPacketFlags) {
  // EMP v1 files carry only valid and strobe; decoding must not need the other flags.
  const auto protocol = make_link_protocol(GetParam().config);
  const auto events = generated_events(3000, "nominal-25ns");
  LinkFrames frames = protocol->encode(events);
  for (auto& link : frames.links)
    for (auto& f : link.frames) f.start_of_packet = f.end_of_packet = f.start_of_orbit = false;
  DecodeOptions options;
  options.packet_flags = false;
  const DecodeResult result = protocol->decode(frames, options);
  EXPECT_EQ(result.errors.total(), 0u) << result.errors.summary();
  EXPECT_EQ(result.events, events);
}

TEST_P(ProtocolRoundTrip, FramesWithStrobeZeroAreSkipped) {
  const auto protocol = make_link_protocol(GetParam().config);
  const auto events = generated_events(500);
  LinkFrames frames = protocol->encode(events);
  for (auto& link : frames.links) {
    std::vector<Frame> with_gaps;
    for (std::size_t i = 0; i < link.frames.size(); ++i) {
      with_gaps.push_back(link.frames[i]);
      if (i % 3 == 1) with_gaps.push_back(Frame{0xdeadbeefULL, true, true, true, false, false});
    }
    link.frames = std::move(with_gaps);
  }
  const DecodeResult result = protocol->decode(frames);
  EXPECT_EQ(result.errors.total(), 0u) << result.errors.summary();
  EXPECT_EQ(result.events, events);
}

TEST_P(ProtocolRoundTrip, EncodingIsDeterministicAndLinksHaveEqualLengths) {
  const auto protocol = make_link_protocol(GetParam().config);
  const auto events = generated_events(777, "nominal-25ns");
  const LinkFrames a = protocol->encode(events);
  EXPECT_EQ(a, protocol->encode(events));
  for (const auto& link : a.links) EXPECT_EQ(link.frames.size(), a.frame_count());
  EXPECT_TRUE(protocol->encode({}).frame_count() == 0);
  EXPECT_TRUE(protocol->decode(protocol->encode({})).events.empty());
}

INSTANTIATE_TEST_SUITE_P(Protocols, ProtocolRoundTrip, ::testing::ValuesIn(protocol_cases()),
                         [](const auto& p) { return p.param.label; });

TEST(LinkProtocol, RegistryNamesAndErrors) {
  const auto names = link_protocol_names();
  EXPECT_EQ(names, (std::vector<std::string>{"emp64", "ugt-mp7"}));
  LinkProtocolConfig bad;
  bad.name = "gct";
  EXPECT_THROW((void)make_link_protocol(bad), std::invalid_argument);
  EXPECT_THROW((void)make_link_protocol(emp64(0, 9, 0, 0, false)), std::invalid_argument);
  EXPECT_THROW((void)make_link_protocol(emp64(2, 9, 18, 0, false)), std::invalid_argument);
  EXPECT_THROW((void)make_link_protocol(emp64(2, 9, 1, -1, false)), std::invalid_argument);
}

TEST(UgtMp7, LinkMapFollowsFactsSection5) {
  Event e;
  e.bx = 2;
  e.muons[0].hw_pt = 10;
  e.muons[3].hw_phi = 7;
  e.egammas[7].hw_et = 5;
  e.jets[11].hw_et = 100;
  e.taus[0].hw_et = 3;
  e.sum(SumKind::htmhf).hw_et = 9;
  const auto protocol = make_link_protocol({});
  const LinkFrames frames = protocol->encode(std::vector<Event>{e});
  ASSERT_EQ(frames.links.size(), 11u);
  ASSERT_EQ(frames.frame_count(), 18u);  // BX 0, 1 idle; BX 2 holds the event
  for (const auto& link : frames.links) {
    EXPECT_EQ(link.clock_mhz, 240.0);
    EXPECT_EQ(link.word_bits, 32);
    EXPECT_TRUE(link.frames[0].start_of_orbit);
    EXPECT_FALSE(link.frames[0].valid);
    for (int k = 0; k < 6; ++k) EXPECT_TRUE(link.frames[12 + k].valid);
    EXPECT_TRUE(link.frames[12].start_of_packet);
    EXPECT_TRUE(link.frames[17].end_of_packet);
  }
  const std::uint64_t mu0 = e.muons[0].pack(), mu3 = e.muons[3].pack();
  EXPECT_EQ(frames.links[0].frames[14].data, mu0 & 0xffffffffu);  // link 0 frame 2: muA[31:0]
  EXPECT_EQ(frames.links[0].frames[15].data, mu0 >> 32);
  EXPECT_EQ(frames.links[1].frames[16].data, mu3 & 0xffffffffu);  // link 1 frame 4: muB[31:0]
  EXPECT_EQ(frames.links[5].frames[13].data, e.egammas[7].pack());  // e/gamma 7 = link 5 frame 1
  EXPECT_EQ(frames.links[7].frames[17].data, e.jets[11].pack());
  EXPECT_EQ(frames.links[8].frames[12].data, e.taus[0].pack());
  EXPECT_EQ(frames.links[10].frames[17].data, e.sum(SumKind::htmhf).pack());
  const auto decoded = protocol->decode(frames);
  ASSERT_EQ(decoded.events.size(), 1u);
  e.event_id = 0;
  EXPECT_EQ(decoded.events[0], e);
}

TEST(UgtMp7, EventsOutOfOrderAreRejectedAndMissingLinksNamed) {
  const auto protocol = make_link_protocol({});
  std::vector<Event> events(2);
  events[0].bx = 5;
  events[1].bx = 5;
  EXPECT_THROW((void)protocol->encode(events), std::invalid_argument);
  events[1].bx = 3564;
  EXPECT_THROW((void)protocol->encode(events), std::invalid_argument);
  events[1].bx = 6;
  LinkFrames frames = protocol->encode(events);
  frames.links.erase(frames.links.begin() + 4);
  try {
    (void)protocol->decode(frames);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("link 4 is missing"), std::string::npos) << e.what();
  }
}

TEST(UgtMp7, OrbitMarkersAreCheckedAndOrbitsCounted) {
  const auto protocol = make_link_protocol({});
  auto events = generated_events(5000, "nominal-25ns");
  LinkFrames frames = protocol->encode(events);
  DecodeOptions options;
  options.first_orbit = 100;
  const auto shifted = protocol->decode(frames, options);
  ASSERT_EQ(shifted.events.size(), events.size());
  EXPECT_EQ(shifted.events.back().orbit, events.back().orbit + 100);
  frames.links[3].frames[6 * 3564].start_of_orbit = false;
  frames.links[3].frames[6].start_of_orbit = true;
  const auto result = protocol->decode(frames);
  EXPECT_EQ(result.errors.count(3, LinkErrorKind::orbit_marker), 2u);
  EXPECT_EQ(result.events, events);  // a marker error does not touch the data
}

TEST(Emp64, WordPackingHeaderAndCrcAsDocumented) {
  Event e;
  e.orbit = 0x123456789aULL;
  e.bx = 3563;
  e.muons[7] = Muon::unpack(0xfedcba9876543210ULL);
  e.egammas[1].hw_et = 17;
  e.jets[10].hw_et = 2047;
  e.sum(SumKind::htm).hw_et = 4095;
  const auto protocol = make_link_protocol(emp64(1, 9, 1, 0, true));
  ASSERT_EQ(protocol->link_count(), 4);  // 31 words, 8 per packet
  const LinkFrames frames = protocol->encode(std::vector<Event>{e});
  const auto word = [&](int w) { return frames.links[w / 8].frames[w % 8].data; };
  EXPECT_EQ(word(0), 3563u | (0x123456789aULL << 12));
  EXPECT_EQ(word(8), 0xfedcba9876543210ULL);
  EXPECT_EQ(word(9), std::uint64_t{e.egammas[1].pack()} << 32);
  EXPECT_EQ(word(26), e.jets[10].pack());
  EXPECT_EQ(word(28), std::uint64_t{e.sum(SumKind::htm).pack()} << 32);
  boost::crc_32_type crc;
  for (int w = 0; w < 30; ++w)
    for (int b = 0; b < 8; ++b) {
      const auto byte = static_cast<unsigned char>(word(w) >> (8 * b));
      crc.process_byte(byte);
    }
  EXPECT_EQ(word(30), crc.checksum());
  EXPECT_EQ(frames.links[3].frames[6].end_of_packet, true);  // words 24-30: 7 frames on the last link
  EXPECT_FALSE(frames.links[3].frames[7].valid);
  for (const auto& link : frames.links) {
    EXPECT_TRUE(link.frames[0].start_of_packet && link.frames[0].start_of_orbit);
    EXPECT_NEAR(link.clock_mhz, 360.71, 0.01);
  }
}

TEST(Emp64, TimeMultiplexedGroupsAreStaggeredByOneBx) {
  const auto protocol = make_link_protocol(emp64(3, 6, 2, 4, false));
  ASSERT_EQ(protocol->link_count(), 6);  // capacity 16 words: 2 links per group
  const auto events = generated_events(7);
  const LinkFrames frames = protocol->encode(events);
  // Event 4: group 1, slot 1: starts at 4 + 1 x 6 + 1 x 18 = 28 on links 2 and 3.
  EXPECT_TRUE(frames.links[2].frames[28].start_of_packet);
  EXPECT_FALSE(frames.links[2].frames[27].valid);
  EXPECT_EQ(frames.links[2].frames[28].data & 0xfff, events[4].bx);
  EXPECT_EQ(frames.links[3].frames[28 + 13].end_of_packet, true);  // words 16-29
  EXPECT_EQ(frames.frame_count(), 4u + 2 * 6 + 3 * 18);
  EXPECT_EQ(protocol->decode(frames).events, events);
}

}  // namespace
}  // namespace l1emu::stream

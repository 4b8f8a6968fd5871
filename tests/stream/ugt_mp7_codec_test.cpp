// The ugt-mp7 codec's fast paths against straightforward references: encode() against a frame-by-
// frame encoder written from the protocol description (every frame idle, then each event's 6
// frames per link, start of orbit on frame 0 of every orbit); decode()'s one-pass loop for aligned
// links against the general loop on the same frames (forced by a trailing strobe-0 frame, which the
// protocol skips), clean and with every kind of injected fault, over several orbits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "l1emu/stream/fault_injector.h"
#include "l1emu/stream/lhc_constants.h"
#include "l1emu/stream/link_protocol.h"
#include "link_test_events.h"

namespace l1emu::stream {
namespace {

LinkFrames reference_encode(const std::vector<Event>& events) {
  LinkFrames out;
  const std::uint64_t base = events.front().orbit * kBxPerOrbit;
  const std::size_t frames = static_cast<std::size_t>(events.back().orbit * kBxPerOrbit + events.back().bx - base + 1) * 6;
  for (int l = 0; l < 11; ++l) out.links.push_back({l, 240.0, 32, std::vector<Frame>(frames)});
  for (const Event& e : events) {
    std::vector<std::vector<std::uint32_t>> words(11, std::vector<std::uint32_t>(6, 0));
    for (int l = 0; l < 4; ++l) {
      const std::uint64_t a = e.muons[2 * l].pack();
      const std::uint64_t b = e.muons[2 * l + 1].pack();
      words[l] = {0, 0, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32), static_cast<std::uint32_t>(b),
                  static_cast<std::uint32_t>(b >> 32)};
    }
    for (int i = 0; i < 12; ++i) {
      words[4 + i / 6][i % 6] = e.egammas[i].pack();
      words[6 + i / 6][i % 6] = e.jets[i].pack();
      words[8 + i / 6][i % 6] = e.taus[i].pack();
    }
    for (int i = 0; i < 6; ++i) words[10][i] = e.sums[i].pack();
    const std::size_t start = static_cast<std::size_t>(e.orbit * kBxPerOrbit + e.bx - base) * 6;
    for (int l = 0; l < 11; ++l) {
      for (int k = 0; k < 6; ++k) {
        Frame& f = out.links[l].frames[start + k];
        f.data = words[l][k];
        f.valid = true;
        f.start_of_packet = k == 0;
        f.end_of_packet = k == 5;
      }
    }
  }
  for (auto& link : out.links)
    for (std::size_t f = 0; f < frames; f += std::size_t{kBxPerOrbit} * 6) link.frames[f].start_of_orbit = true;
  return out;
}

// The same frames as the protocol sees them, with one more frame of strobe 0 per link: skipped by
// decode, but it takes the links off the aligned fast path.
LinkFrames with_trailing_strobe_zero(LinkFrames frames) {
  for (auto& link : frames.links) {
    Frame f;
    f.strobe = false;
    f.valid = true;
    link.frames.push_back(f);
  }
  return frames;
}

void expect_same(const DecodeResult& fast, const DecodeResult& general, const std::string& what) {
  EXPECT_EQ(fast.events, general.events) << what;
  EXPECT_EQ(fast.errors.by_link(), general.errors.by_link()) << what;
  EXPECT_EQ(fast.event_slots, general.event_slots) << what;
  EXPECT_EQ(fast.dropped_events, general.dropped_events) << what;
}

TEST(UgtMp7Codec, EncodeMatchesTheFrameByFrameReference) {
  const auto protocol = make_link_protocol({"ugt-mp7"});
  // Sparse (a filling scheme with gaps, three orbits) and dense events with every field random.
  for (const auto& events : {testing::generated_events(7000, "nominal-25ns"), testing::random_field_events(9000)}) {
    LinkFrames frames;
    protocol->encode_into(events, frames);
    EXPECT_TRUE(frames == reference_encode(events));
    // Reusing the storage of a longer earlier batch changes nothing.
    const std::vector<Event> shorter(events.begin() + 10, events.begin() + 2000);
    protocol->encode_into(shorter, frames);
    EXPECT_TRUE(frames == reference_encode(shorter));
  }
}

TEST(UgtMp7Codec, AlignedDecodeEqualsTheGeneralLoopCleanAndWithFaults) {
  const auto protocol = make_link_protocol({"ugt-mp7"});
  const auto events = testing::generated_events(9000, "nominal-25ns");  // 4 orbits, empty BX between trains
  const LinkFrames clean = protocol->encode(events);
  DecodeOptions options;
  options.first_orbit = events.front().orbit;
  const DecodeResult decoded = protocol->decode(clean, options);
  expect_same(decoded, protocol->decode(with_trailing_strobe_zero(clean), options), "clean");
  ASSERT_EQ(decoded.events.size(), events.size());
  EXPECT_EQ(decoded.errors.total(), 0U);

  std::vector<FaultConfig> faults = {{.seed = 2, .misaligned_packet_rate = 0.002},
                                     {.seed = 3, .missing_end_of_packet_rate = 0.002},
                                     {.seed = 4, .dropped_frame_rate = 0.0005},
                                     {.seed = 5, .repeated_frame_rate = 0.0005},
                                     {.seed = 6, .bit_flip_rate = 1e-5},
                                     {.seed = 7, .misaligned_packet_rate = 0.001, .missing_end_of_packet_rate = 0.001,
                                      .dropped_frame_rate = 0.0002, .repeated_frame_rate = 0.0002, .bit_flip_rate = 1e-5}};
  for (const FaultConfig& f : faults) {
    LinkFrames frames = clean;
    FaultInjector injector(f);
    ASSERT_FALSE(injector.inject(frames).faults.empty());
    // Start-of-orbit damage too: a marker moved off frame 0 of an orbit on one link.
    frames.links[3].frames[0].start_of_orbit = false;
    frames.links[3].frames[7].start_of_orbit = true;
    const DecodeResult fast = protocol->decode(frames, options);
    EXPECT_GT(fast.errors.total(), 0U);
    expect_same(fast, protocol->decode(with_trailing_strobe_zero(frames), options), "faults seed " + std::to_string(f.seed));
  }
}

TEST(UgtMp7Codec, AStrobeZeroInsideTheFramesFallsBackToTheGeneralLoop) {
  const auto protocol = make_link_protocol({"ugt-mp7"});
  const auto events = testing::generated_events(500, "nominal-25ns");
  LinkFrames frames = protocol->encode(events);
  // Six frames of strobe 0 in the middle of link 5: skipped, the link keeps whole slots.
  auto& f = frames.links[5].frames;
  f.insert(f.begin() + 600, 6, Frame{0xdead, true, false, false, false, false});
  for (auto& link : frames.links)
    if (link.link != 5) link.frames.insert(link.frames.end(), 6, Frame{0, false, false, false, false, false});
  const DecodeResult d = protocol->decode(frames);
  EXPECT_EQ(d.errors.total(), 0U);
  ASSERT_EQ(d.events.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    Event e = events[i];
    e.event_id = d.events[i].event_id;
    e.orbit = d.events[i].orbit;
    EXPECT_EQ(d.events[i], e) << i;
  }
}

}  // namespace
}  // namespace l1emu::stream

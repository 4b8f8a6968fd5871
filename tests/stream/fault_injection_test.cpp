// Fault injection against the decoders: what was injected (the injector's log, or the frames that
// changed) against what the decoder counted, and events in packets that were not hit come back
// unchanged.
#include "l1emu/stream/fault_injector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>

#include "l1emu/stream/link_protocol.h"
#include "link_test_events.h"

namespace l1emu::stream {
namespace {

using testing::generated_events;

/// emp64 defaults: tmux 6, 9 frames per BX, gap 6, one link per group (CRC on): link g carries
/// events k = s x 6 + g in slots starting at g x 9 + s x 54.
LinkProtocolConfig emp64_crc() {
  LinkProtocolConfig c;
  c.name = "emp64";
  c.crc = true;
  return c;
}
std::size_t emp64_event(std::size_t link, std::size_t frame) { return (frame - link * 9) / 54 * 6 + link; }

/// ugt-mp7 on the "all" scheme: event k is BX slot k on every link.
std::size_t mp7_event(std::size_t, std::size_t frame) { return frame / 6; }

struct Changes {
  std::set<std::size_t> events;                              // events with any changed frame
  std::set<std::pair<std::size_t, std::size_t>> link_events;  // (link, event) with changed frames
  std::set<std::pair<std::size_t, std::size_t>> flag_changes;  // (link, event) with changed valid/SOP/EOP
};

template <typename EventOf>
Changes changes(const LinkFrames& before, const LinkFrames& after, EventOf event_of) {
  Changes c;
  for (std::size_t l = 0; l < before.links.size(); ++l) {
    const auto& a = before.links[l].frames;
    const auto& b = after.links[l].frames;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] == b[i]) continue;
      const std::size_t k = event_of(l, i);
      c.events.insert(k);
      c.link_events.insert({l, k});
      if (a[i].valid != b[i].valid || a[i].start_of_packet != b[i].start_of_packet || a[i].end_of_packet != b[i].end_of_packet)
        c.flag_changes.insert({l, k});
    }
  }
  return c;
}

std::vector<Event> without(const std::vector<Event>& events, const std::set<std::size_t>& dropped) {
  std::vector<Event> out;
  for (std::size_t k = 0; k < events.size(); ++k)
    if (dropped.count(k) == 0) out.push_back(events[k]);
  return out;
}

TEST(FaultInjection, BitFlipsAtOneInTenThousandAreAllCaughtByTheEmp64Crc) {
  const auto protocol = make_link_protocol(emp64_crc());
  const auto events = generated_events(20000);
  const LinkFrames clean = protocol->encode(events);
  LinkFrames faulty = clean;
  FaultConfig config;
  config.seed = 42;
  config.bit_flip_rate = 1e-4;
  const FaultReport report = FaultInjector(config).inject(faulty);

  const double bits = 20000.0 * 31 * 64;
  const double expected = bits * 1e-4;
  EXPECT_NEAR(static_cast<double>(report.count(FaultKind::bit_flip)), expected, 5 * std::sqrt(expected));
  std::set<std::size_t> hit;
  for (const auto& f : report.faults) hit.insert(emp64_event(f.link_index, f.frame));
  EXPECT_EQ(changes(clean, faulty, emp64_event).events, hit);

  const DecodeResult result = protocol->decode(faulty);
  EXPECT_EQ(result.errors.count(LinkErrorKind::crc_mismatch), hit.size());
  EXPECT_EQ(result.errors.total(), hit.size()) << result.errors.summary();
  EXPECT_EQ(result.dropped_events, hit.size());
  EXPECT_EQ(result.events, without(events, hit));
  RecordProperty("bit_flips", std::to_string(report.count(FaultKind::bit_flip)));
  RecordProperty("events_hit", std::to_string(hit.size()));
}

TEST(FaultInjection, BitFlipsOnUgtMp7AreUndetectableButStayInTheirEvents) {
  // The MP7 uGT links carry no CRC in the frames: flipped data bits decode into different objects.
  // What must hold: no false alarms, and every event that was not hit decodes unchanged.
  const auto protocol = make_link_protocol({});
  const auto events = generated_events(20000);
  const LinkFrames clean = protocol->encode(events);
  LinkFrames faulty = clean;
  FaultConfig config;
  config.seed = 43;
  config.bit_flip_rate = 1e-4;
  const FaultReport report = FaultInjector(config).inject(faulty);
  for (const auto& f : report.faults) ASSERT_LT(f.bit, 32);  // only the 32 bits an MP7 frame has
  const double expected = 20000.0 * 11 * 6 * 32 * 1e-4;
  EXPECT_NEAR(static_cast<double>(report.count(FaultKind::bit_flip)), expected, 5 * std::sqrt(expected));
  const Changes c = changes(clean, faulty, mp7_event);

  const DecodeResult result = protocol->decode(faulty);
  EXPECT_EQ(result.errors.total(), 0u) << result.errors.summary();
  ASSERT_EQ(result.events.size(), events.size());
  std::size_t corrupted = 0;
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (c.events.count(k) == 0) {
      ASSERT_EQ(result.events[k], events[k]) << "event " << k << " was not hit";
    } else {
      corrupted += result.events[k] == events[k] ? 0 : 1;
    }
  }
  EXPECT_GT(corrupted, 0u);
  EXPECT_LE(corrupted, c.events.size());  // flips in unused bits (muon frames 0-1, calo bits 31:27) change nothing
  RecordProperty("events_hit", std::to_string(c.events.size()));
  RecordProperty("events_corrupted", std::to_string(corrupted));
}

struct PacketFaultCase {
  std::string label;
  bool mp7 = false;
  FaultConfig config;
  LinkErrorKind kind = LinkErrorKind::missing_end_of_packet;
  FaultKind fault = FaultKind::missing_end_of_packet;
};
/// Readable parameter names in gtest messages.
void PrintTo(const PacketFaultCase& c, std::ostream* os) {
  *os << c.label;
}


class PacketFaults : public ::testing::TestWithParam<PacketFaultCase> {};

TEST_P(PacketFaults, EachInjectedFaultIsCountedOnceAndOnlyItsEventIsLost) {
  const auto& p = GetParam();
  const auto protocol = make_link_protocol(p.mp7 ? LinkProtocolConfig{} : emp64_crc());
  // Misaligning needs an idle frame after a packet: on ugt-mp7 that is an empty BX (nominal scheme).
  const bool gaps = p.mp7 && p.fault == FaultKind::misaligned_packet;
  const auto events = generated_events(20000, gaps ? "nominal-25ns" : "all");
  std::map<std::uint64_t, std::size_t> event_at_slot;
  for (std::size_t k = 0; k < events.size(); ++k) event_at_slot[events[k].orbit * 3564 + events[k].bx] = k;
  const auto event_of = [&](std::size_t link, std::size_t frame) -> std::size_t {
    if (!p.mp7) return emp64_event(link, frame);
    // A packet moved one frame later puts its last frame into the next (empty) BX: same event.
    auto it = event_at_slot.upper_bound(frame / 6);
    return std::prev(it)->second;
  };
  const LinkFrames clean = protocol->encode(events);
  LinkFrames faulty = clean;
  const FaultReport report = FaultInjector(p.config).inject(faulty);
  ASSERT_GT(report.count(p.fault), 20u);
  ASSERT_EQ(report.faults.size(), report.count(p.fault));

  std::set<std::pair<std::size_t, std::size_t>> injected;
  for (const auto& f : report.faults) injected.insert({f.link_index, event_of(f.link_index, f.frame)});
  const Changes c = changes(clean, faulty, event_of);

  const DecodeResult result = protocol->decode(faulty);
  EXPECT_EQ(result.errors.count(p.kind), injected.size()) << result.errors.summary();
  EXPECT_EQ(result.errors.total(), injected.size()) << result.errors.summary();
  EXPECT_EQ(c.link_events, injected);
  EXPECT_EQ(result.dropped_events, c.events.size());
  EXPECT_EQ(result.events, without(events, c.events));
  RecordProperty("injected", std::to_string(report.faults.size()));
}

FaultConfig with_rate(FaultKind kind, double rate, std::uint64_t seed) {
  FaultConfig c;
  c.seed = seed;
  switch (kind) {
    case FaultKind::misaligned_packet: c.misaligned_packet_rate = rate; break;
    case FaultKind::missing_end_of_packet: c.missing_end_of_packet_rate = rate; break;
    case FaultKind::dropped_frame: c.dropped_frame_rate = rate; break;
    case FaultKind::repeated_frame: c.repeated_frame_rate = rate; break;
    case FaultKind::bit_flip: c.bit_flip_rate = rate; break;
  }
  return c;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, PacketFaults,
    ::testing::Values(
        PacketFaultCase{"emp64_missing_eop", false, with_rate(FaultKind::missing_end_of_packet, 2e-3, 1),
                        LinkErrorKind::missing_end_of_packet, FaultKind::missing_end_of_packet},
        PacketFaultCase{"mp7_missing_eop", true, with_rate(FaultKind::missing_end_of_packet, 5e-4, 2),
                        LinkErrorKind::missing_end_of_packet, FaultKind::missing_end_of_packet},
        PacketFaultCase{"emp64_misaligned", false, with_rate(FaultKind::misaligned_packet, 2e-3, 3),
                        LinkErrorKind::misaligned_packet, FaultKind::misaligned_packet},
        PacketFaultCase{"mp7_misaligned", true, with_rate(FaultKind::misaligned_packet, 0.2, 4),
                        LinkErrorKind::misaligned_packet, FaultKind::misaligned_packet},
        PacketFaultCase{"emp64_dropped", false, with_rate(FaultKind::dropped_frame, 1e-4, 5),
                        LinkErrorKind::invalid_frame_in_packet, FaultKind::dropped_frame},
        PacketFaultCase{"mp7_dropped", true, with_rate(FaultKind::dropped_frame, 5e-5, 6),
                        LinkErrorKind::invalid_frame_in_packet, FaultKind::dropped_frame}),
    [](const auto& p) { return p.param.label; });

TEST(FaultInjection, RepeatedFramesAreCaughtWhereTheyChangeSomethingTheLinkChecks) {
  FaultConfig config;
  config.seed = 7;
  config.repeated_frame_rate = 1e-3;
  {
    // emp64 with CRC: a repeat that changes a frame at all is caught (CRC or flags); one that copies
    // an identical frame changes nothing and the event decodes unchanged.
    const auto protocol = make_link_protocol(emp64_crc());
    const auto events = generated_events(20000);
    const LinkFrames clean = protocol->encode(events);
    LinkFrames faulty = clean;
    const FaultReport report = FaultInjector(config).inject(faulty);
    const Changes c = changes(clean, faulty, emp64_event);
    ASSERT_GT(c.events.size(), 100u);
    EXPECT_LE(c.events.size(), report.count(FaultKind::repeated_frame));
    const DecodeResult result = protocol->decode(faulty);
    EXPECT_EQ(result.errors.total(), c.events.size()) << result.errors.summary();
    EXPECT_EQ(result.events, without(events, c.events));
  }
  {
    // ugt-mp7 without CRC: caught exactly where the copy changed valid or packet flags.
    const auto protocol = make_link_protocol({});
    const auto events = generated_events(20000);
    const LinkFrames clean = protocol->encode(events);
    LinkFrames faulty = clean;
    (void)FaultInjector(config).inject(faulty);
    const Changes c = changes(clean, faulty, mp7_event);
    ASSERT_GT(c.flag_changes.size(), 20u);
    const DecodeResult result = protocol->decode(faulty);
    EXPECT_EQ(result.errors.total(), c.flag_changes.size()) << result.errors.summary();
    std::set<std::size_t> flagged;
    for (const auto& [link, k] : c.flag_changes) flagged.insert(k);
    EXPECT_EQ(result.dropped_events, flagged.size());
    std::size_t index = 0;
    for (std::size_t k = 0; k < events.size(); ++k) {
      if (flagged.count(k) != 0) continue;
      ASSERT_LT(index, result.events.size());
      if (c.events.count(k) == 0) {
        EXPECT_EQ(result.events[index], events[k]) << "event " << k;
      }
      ++index;
    }
  }
}

TEST(FaultInjection, AllKindsTogetherOnlyLoseTheEventsThatWereHit) {
  FaultConfig config;
  config.seed = 99;
  config.misaligned_packet_rate = 1e-3;
  config.missing_end_of_packet_rate = 1e-3;
  config.dropped_frame_rate = 1e-4;
  config.repeated_frame_rate = 1e-4;
  config.bit_flip_rate = 1e-5;
  const auto protocol = make_link_protocol(emp64_crc());
  const auto events = generated_events(20000);
  const LinkFrames clean = protocol->encode(events);
  LinkFrames faulty = clean;
  const FaultReport report = FaultInjector(config).inject(faulty);
  for (int k = 0; k < kFaultKindCount; ++k) EXPECT_GT(report.counts[k], 0u) << to_string(static_cast<FaultKind>(k));
  const Changes c = changes(clean, faulty, emp64_event);
  const DecodeResult result = protocol->decode(faulty);
  EXPECT_EQ(result.errors.total(), c.events.size()) << result.errors.summary();
  EXPECT_EQ(result.events, without(events, c.events));
}

TEST(FaultInjection, SameSeedSameFaults) {
  const auto protocol = make_link_protocol(emp64_crc());
  const LinkFrames clean = protocol->encode(generated_events(2000));
  FaultConfig config;
  config.bit_flip_rate = 1e-4;
  config.dropped_frame_rate = 1e-3;
  LinkFrames a = clean, b = clean, c = clean;
  const auto ra = FaultInjector(config).inject(a);
  const auto rb = FaultInjector(config).inject(b);
  config.seed = 2;
  const auto rc = FaultInjector(config).inject(c);
  EXPECT_EQ(a, b);
  EXPECT_EQ(ra.counts, rb.counts);
  EXPECT_NE(a, c);
  EXPECT_THROW(FaultInjector(FaultConfig{1, -0.1}), std::invalid_argument);
  EXPECT_THROW(FaultInjector(FaultConfig{1, 0, 0, 0, 0, 1.5}), std::invalid_argument);
}

}  // namespace
}  // namespace l1emu::stream

// Untrusted input (shared/DESIGN.md, reliability policy): mutated pattern files give a DataError or
// frames, never a crash or another exception; random frames decode without crashing, with every
// packet slot either decoded or counted as dropped.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "l1emu/stream/error.h"
#include "l1emu/stream/link_protocol.h"
#include "l1emu/stream/pattern_file.h"
#include "l1emu/stream/random.h"
#include "link_test_events.h"

namespace l1emu::stream {
namespace {

TEST(LinkRobustness, MutatedPatternFilesAreReadOrRejectedWithDataError) {
  const auto protocol = make_link_protocol({});
  const LinkFrames frames = protocol->encode(testing::generated_events(6));
  Random rng(17);
  const std::string alphabet = "01 v s x\n#:abcdefLINK_Frame\t";
  for (const auto& name : pattern_format_names()) {
    const auto format = make_pattern_format(name);
    std::ostringstream out;
    format->write(out, frames, 0, frames.frame_count());
    const std::string clean = out.str();
    int rejected = 0;
    int read = 0;
    for (int trial = 0; trial < 400; ++trial) {
      std::string text = clean;
      const int edits = 1 + static_cast<int>(rng.next_u64() % 3);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = rng.next_u64() % text.size();
        switch (rng.next_u64() % 3) {
          case 0: text[at] = alphabet[rng.next_u64() % alphabet.size()]; break;
          case 1: text.erase(at, 1 + rng.next_u64() % 40); break;
          default: text.insert(at, 1, alphabet[rng.next_u64() % alphabet.size()]); break;
        }
        if (text.empty()) text = "x";
      }
      std::istringstream in(text);
      try {
        const LinkFrames back = format->read(in, "mutated.txt");
        ++read;
        try {
          DecodeOptions options;
          options.packet_flags = format->carries_packet_flags();
          const DecodeResult r = protocol->decode(back, options);
          EXPECT_EQ(r.events.size() + r.dropped_events, r.event_slots);
        } catch (const DataError&) {
          // a link label mutated into another link: the protocol names the missing link
        }
      } catch (const DataError& e) {
        ++rejected;
        EXPECT_NE(std::string(e.what()).find("mutated.txt:"), std::string::npos) << e.what();
      }
    }
    EXPECT_GT(rejected, 200) << name;
    RecordProperty(name + "_rejected", rejected);
    RecordProperty(name + "_read", read);
  }
}

TEST(LinkRobustness, RandomFramesDecodeWithoutCrashing) {
  Random rng(23);
  LinkProtocolConfig emp;
  emp.name = "emp64";
  emp.crc = true;
  for (const auto& config : {LinkProtocolConfig{}, emp}) {
    const auto protocol = make_link_protocol(config);
    for (int trial = 0; trial < 20; ++trial) {
      LinkFrames frames;
      for (int l = 0; l < protocol->link_count(); ++l) {
        LinkStream& s = frames.links.emplace_back();
        s.link = l;
        s.frames.resize(rng.next_u64() % 700);
        for (auto& f : s.frames) {
          const std::uint64_t r = rng.next_u64();
          f.data = rng.next_u64();
          f.valid = (r & 7) != 0;
          f.start_of_packet = (r & 0x38) == 0;
          f.end_of_packet = (r & 0x1c0) == 0;
          f.start_of_orbit = (r & 0xe00) == 0;
          f.strobe = (r & 0x7000) != 0;
        }
      }
      for (const bool flags : {true, false}) {
        DecodeOptions options;
        options.packet_flags = flags;
        const DecodeResult r = protocol->decode(frames, options);
        EXPECT_EQ(r.events.size() + r.dropped_events, r.event_slots);
        for (const auto& e : r.events) EXPECT_LT(e.bx, 3564);
      }
    }
  }
}

}  // namespace
}  // namespace l1emu::stream

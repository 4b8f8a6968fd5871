#include "l1emu/stream/frame_comparison.h"

#include <fmt/format.h>

#include <map>

namespace l1emu::stream {
namespace {

// The first field in which two frames differ, in the order an engineer reads a pattern line.
std::string first_field_difference(const Frame& a, const Frame& b) {
  if (a.valid != b.valid) return "valid";
  if (a.data != b.data) return "data";
  if (a.start_of_packet != b.start_of_packet) return "start of packet";
  if (a.end_of_packet != b.end_of_packet) return "end of packet";
  if (a.start_of_orbit != b.start_of_orbit) return "start of orbit";
  if (a.strobe != b.strobe) return "strobe";
  return {};
}

}  // namespace

std::string describe_frame(const Frame& f) {
  std::string flags;
  if (f.start_of_packet) flags += " SOP";
  if (f.end_of_packet) flags += " EOP";
  if (f.start_of_orbit) flags += " SOO";
  if (!f.strobe) flags += " strobe=0";
  return fmt::format("{}v {:016x}{}", f.valid ? 1 : 0, f.data, flags.empty() ? "" : " (" + flags.substr(1) + ")");
}

FrameComparison compare_frames(const LinkFrames& expected, const LinkFrames& actual) {
  std::map<int, const LinkStream*> want, got;
  for (const auto& l : expected.links) want[l.link] = &l;
  for (const auto& l : actual.links) got[l.link] = &l;
  std::map<int, int> all;
  for (const auto& [n, l] : want) all[n] = 0;
  for (const auto& [n, l] : got) all[n] = 0;
  FrameComparison result;
  for (const auto& [n, unused] : all) {
    const auto w = want.find(n);
    const auto g = got.find(n);
    if (w == want.end() || g == got.end()) {
      result.differences.push_back({n, 0, std::nullopt, std::nullopt, w == want.end() ? "extra link" : "missing link"});
      continue;
    }
    ++result.links_compared;
    const auto& a = w->second->frames;
    const auto& b = g->second->frames;
    const std::size_t common = std::min(a.size(), b.size());
    bool found = false;
    for (std::size_t i = 0; i < common && !found; ++i) {
      ++result.frames_compared;
      const std::string field = first_field_difference(a[i], b[i]);
      if (!field.empty()) {
        result.differences.push_back({n, i, a[i], b[i], field});
        found = true;
      }
    }
    if (!found && a.size() != b.size()) {
      const bool more_expected = a.size() > b.size();
      result.differences.push_back({n, common, more_expected ? std::optional<Frame>(a[common]) : std::nullopt,
                                    more_expected ? std::nullopt : std::optional<Frame>(b[common]),
                                    more_expected ? "missing frames" : "extra frames"});
    }
  }
  return result;
}

}  // namespace l1emu::stream

// APx pattern files (shared/FACTS.md section 6):
//   #Sideband ON
//   #LinkLabel  LINK_00  LINK_01 ...
//   #BeginData
//   0x0000    0x03 0x0000000000000001    0x00 0x0000000000000000 ...
// Per link and frame a sideband byte (bit 0 valid, bit 1 start of packet, bit 2 start of orbit
// (first frame of the orbit), bit 3 end of packet; other bits must be 0) and the 64-bit word.
// Frame index in hex, at least 4 digits. APx has no strobe: frames with strobe 0 cannot be written.
#include <fmt/format.h>

#include <ostream>
#include <stdexcept>

#include "builtin_registrations.h"
#include "l1emu/stream/pattern_file.h"
#include "pattern_text.h"

namespace l1emu::stream {
namespace {

class ApxFormat final : public PatternFormat {
 public:
  [[nodiscard]] std::string_view name() const override { return "apx"; }
  [[nodiscard]] bool carries_packet_flags() const override { return true; }

  void write(std::ostream& out, const LinkFrames& frames, std::size_t first, std::size_t count) const override {
    detail::check_range(frames, first, count);
    for (const auto& link : frames.links)
      for (std::size_t i = first; i < first + count; ++i)
        if (!link.frames[i].strobe)
          throw std::invalid_argument(
              fmt::format("APx files have no strobe, but link {} frame {} has strobe 0", link.link, i));
    out << "#Sideband ON\n";
    std::string line = "#LinkLabel";
    for (const auto& link : frames.links) line += fmt::format("  LINK_{:02d}", link.link);
    out << line << "\n#BeginData\n";
    for (std::size_t i = 0; i < count; ++i) {
      line = fmt::format("0x{:04x}", i);
      for (const auto& link : frames.links) {
        const Frame& f = link.frames[first + i];
        const unsigned sideband = (f.valid ? 1u : 0u) | (f.start_of_packet ? 2u : 0u) | (f.start_of_orbit ? 4u : 0u) |
                                  (f.end_of_packet ? 8u : 0u);
        line += "    0x0";
        line += "0123456789abcdef"[sideband];
        line += " 0x";
        detail::append_hex16(line, f.data);
      }
      line += '\n';
      out << line;
    }
  }

  [[nodiscard]] LinkFrames read(std::istream& in, const std::string& file) const override {
    detail::LineReader lines(in, file);
    LinkFrames result;
    const std::string_view sideband = lines.next_nonblank("'#Sideband ON'");
    const auto s = detail::split(sideband);
    if (s.size() != 2 || s[0] != "#Sideband" || s[1] != "ON") lines.fail("'#Sideband ON'", sideband);
    const std::string_view labels = lines.next_nonblank("'#LinkLabel LINK_00 ...'");
    const auto t = detail::split(labels);
    if (t.empty() || t[0] != "#LinkLabel") lines.fail("'#LinkLabel LINK_00 ...'", labels);
    for (std::size_t c = 1; c < t.size(); ++c) {
      const auto link = t[c].starts_with("LINK_") ? detail::parse_decimal(t[c].substr(5)) : std::nullopt;
      if (!link || *link > 9999) lines.fail("a link label LINK_NN", t[c]);
      result.links.emplace_back().link = static_cast<int>(*link);
    }
    const std::string_view begin = lines.next_nonblank("'#BeginData'");
    if (detail::split(begin) != std::vector<std::string_view>{"#BeginData"}) lines.fail("'#BeginData'", begin);

    const std::size_t n_links = result.links.size();
    while (const auto row = lines.next()) {
      if (row->find_first_not_of(" \t") == std::string_view::npos) continue;
      const auto r = detail::split(*row);
      const std::size_t index = result.frame_count();
      const auto expected_index = fmt::format("frame index 0x{:04x}", index);
      if (r.empty() || !r[0].starts_with("0x") || r[0].size() < 6 || r[0].size() > 10) lines.fail(expected_index, *row);
      const auto number = detail::parse_hex(r[0].substr(2), r[0].size() - 2);
      if (!number || *number != index) lines.fail(expected_index, r[0]);
      if (r.size() != 1 + 2 * n_links)
        lines.fail(fmt::format("{} pairs of sideband byte and data word (one per link)", n_links), *row);
      for (std::size_t l = 0; l < n_links; ++l) {
        const std::string_view side = r[1 + 2 * l];
        const std::string_view word = r[2 + 2 * l];
        const auto side_value = side.starts_with("0x") ? detail::parse_hex(side.substr(2), 2) : std::nullopt;
        if (!side_value || *side_value > 0xf) lines.fail("a sideband byte 0x00-0x0f", side);
        const auto data = word.starts_with("0x") ? detail::parse_hex(word.substr(2), 16) : std::nullopt;
        if (!data) lines.fail("a data word 0x + 16 hex digits", word);
        Frame f;
        f.valid = (*side_value & 1u) != 0;
        f.start_of_packet = (*side_value & 2u) != 0;
        f.start_of_orbit = (*side_value & 4u) != 0;
        f.end_of_packet = (*side_value & 8u) != 0;
        f.data = *data;
        result.links[l].frames.push_back(f);
      }
    }
    return result;
  }
};

}  // namespace

void detail::register_apx_format() {
  register_pattern_format("apx", [] { return std::make_unique<ApxFormat>(); });
}

}  // namespace l1emu::stream

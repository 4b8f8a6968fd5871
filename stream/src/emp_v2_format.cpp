// EMP v2 pattern files (shared/FACTS.md section 6):
//   ID: NAME
//   Metadata: (strobe,) start of orbit, start of packet, end of packet, valid
//         Link           000                      001 ...
//   Frame 0000    1101 0000000000000001    1101 0000000000000001 ...
// Per link and frame: four flag digits SOO SOP EOP valid, a space, 16 hex digits; a leading strobe
// digit only on links where some frame of the file has strobe 0. Tokens are separated by two or more spaces.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "builtin_registrations.h"
#include "l1emu/stream/pattern_file.h"
#include "pattern_text.h"

namespace l1emu::stream {
namespace {

constexpr std::string_view kMetadata = "Metadata: (strobe,) start of orbit, start of packet, end of packet, valid";

class EmpV2Format final : public PatternFormat {
 public:
  [[nodiscard]] std::string_view name() const override { return "emp-v2"; }
  [[nodiscard]] bool carries_packet_flags() const override { return true; }

  void write(std::ostream& out, const LinkFrames& frames, std::size_t first, std::size_t count) const override {
    detail::check_range(frames, first, count);
    const std::vector<bool> strobed = detail::links_with_strobe(frames, first, count);
    out << "ID: " << frames.board << '\n' << kMetadata << '\n';
    std::string line = "      Link";
    for (std::size_t l = 0; l < frames.links.size(); ++l) {
      const std::size_t width = strobed[l] ? 22 : 21;
      line += "    ";
      line.append(width - 14, ' ');
      line += fmt::format("{:03d}", frames.links[l].link);
      line.append(11, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
    for (std::size_t i = 0; i < count; ++i) {
      line = fmt::format("Frame {:04d}", i);
      for (std::size_t l = 0; l < frames.links.size(); ++l) {
        const Frame& f = frames.links[l].frames[first + i];
        line += "    ";
        if (strobed[l]) line += f.strobe ? '1' : '0';
        line += f.start_of_orbit ? '1' : '0';
        line += f.start_of_packet ? '1' : '0';
        line += f.end_of_packet ? '1' : '0';
        line += f.valid ? '1' : '0';
        line += ' ';
        detail::append_hex16(line, f.data);
      }
      line += '\n';
      out << line;
    }
  }

  [[nodiscard]] LinkFrames read(std::istream& in, const std::string& file) const override {
    detail::LineReader lines(in, file);
    LinkFrames result;
    const std::string_view id = lines.next_nonblank("'ID: NAME'");
    if (!id.starts_with("ID:")) lines.fail("'ID: NAME'", id);
    std::string_view name = id.substr(3);
    while (name.starts_with(' ')) name.remove_prefix(1);
    result.board = std::string(name);
    const std::string_view metadata = lines.next_nonblank("'Metadata: ...'");
    if (!metadata.starts_with("Metadata:")) lines.fail(fmt::format("'{}'", kMetadata), metadata);

    const std::string_view link_line = lines.next_nonblank("'      Link  000 ...'");
    const auto ids = detail::split(link_line);
    if (ids.empty() || ids[0] != "Link") lines.fail("'      Link  000 ...'", link_line);
    for (std::size_t c = 1; c < ids.size(); ++c) {
      const auto link = detail::parse_decimal(ids[c]);
      if (!link || *link > 9999) lines.fail("a link number", ids[c]);
      result.links.emplace_back().link = static_cast<int>(*link);
    }

    const std::size_t n_links = result.links.size();
    while (const auto row = lines.next()) {
      if (row->find_first_not_of(" \t") == std::string_view::npos) continue;
      const auto t = detail::split(*row, 2);
      const std::size_t index = result.frame_count();
      if (t.empty() || !t[0].starts_with("Frame ")) lines.fail(fmt::format("'Frame {:04d}  ...'", index), *row);
      const auto number = detail::parse_decimal(t[0].substr(6));
      if (!number || *number != index) lines.fail(fmt::format("frame number {:04d}", index), t[0]);
      if (t.size() - 1 != n_links)
        lines.fail(fmt::format("{} frame tokens (one per link) separated by two or more spaces", n_links), *row);
      for (std::size_t l = 0; l < n_links; ++l) result.links[l].frames.push_back(parse_token(t[1 + l], lines));
    }
    return result;
  }

 private:
  static Frame parse_token(std::string_view token, const detail::LineReader& lines) {
    constexpr std::string_view kExpected = "'[strobe]SOO SOP EOP valid' digits, a space and 16 hex digits";
    const std::size_t space = token.find(' ');
    if (space == std::string_view::npos || (space != 4 && space != 5)) lines.fail(kExpected, token);
    const std::string_view flags = token.substr(0, space);
    if (flags.find_first_not_of("01") != std::string_view::npos) lines.fail(kExpected, token);
    const auto data = detail::parse_hex(token.substr(space + 1), 16);
    if (!data) lines.fail(kExpected, token);
    Frame f;
    std::size_t i = 0;
    if (flags.size() == 5) f.strobe = flags[i++] == '1';
    f.start_of_orbit = flags[i++] == '1';
    f.start_of_packet = flags[i++] == '1';
    f.end_of_packet = flags[i++] == '1';
    f.valid = flags[i] == '1';
    f.data = *data;
    return f;
  }
};

}  // namespace

void detail::register_emp_v2_format() {
  register_pattern_format("emp-v2", [] { return std::make_unique<EmpV2Format>(); });
}

}  // namespace l1emu::stream

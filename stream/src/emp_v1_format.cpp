// EMP v1 pattern files (shared/FACTS.md section 6):
//   Board NAME
//    Quad/Chan :  q00c0               q00c1 ...
//         Link :  000                 001 ...
//   Frame 0000 :   1v0000000000000000   1v0000000000000000 ...
// A frame token is ([01]s)?([01]v)([0-9a-fA-F]{16}): optional strobe, valid, data. Link n is quad
// n / 4, channel n % 4. The format has no start/end of packet or start of orbit: the reader leaves
// them 0 and the writer cannot record them (decode with packet_flags = false). The writer puts the
// strobe part on the links where some frame of the file has strobe 0, and nowhere else.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "builtin_registrations.h"
#include "l1emu/stream/pattern_file.h"
#include "pattern_text.h"

namespace l1emu::stream {
namespace {

std::string quad_channel(int link) { return fmt::format("q{:02d}c{}", link / 4, link % 4); }

void append_padded(std::string& line, std::string_view text, std::size_t width) {
  line += text;
  if (text.size() < width) line.append(width - text.size(), ' ');
}

void strip_trailing(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

class EmpV1Format final : public PatternFormat {
 public:
  [[nodiscard]] std::string_view name() const override { return "emp-v1"; }
  [[nodiscard]] bool carries_packet_flags() const override { return false; }

  void write(std::ostream& out, const LinkFrames& frames, std::size_t first, std::size_t count) const override {
    detail::check_range(frames, first, count);
    const std::vector<bool> strobed = detail::links_with_strobe(frames, first, count);
    const auto token_width = [&](std::size_t l) -> std::size_t { return strobed[l] ? 20 : 18; };
    std::string line = "Board " + frames.board + "\n";
    out << line;
    line = " Quad/Chan :";
    for (std::size_t l = 0; l < frames.links.size(); ++l) {
      line += "  ";
      append_padded(line, quad_channel(frames.links[l].link), token_width(l) + 1);
    }
    strip_trailing(line);
    out << line << '\n';
    line = "      Link :";
    for (std::size_t l = 0; l < frames.links.size(); ++l) {
      line += "  ";
      append_padded(line, fmt::format("{:03d}", frames.links[l].link), token_width(l) + 1);
    }
    strip_trailing(line);
    out << line << '\n';
    for (std::size_t i = 0; i < count; ++i) {
      line = fmt::format("Frame {:04d} :", i);
      for (std::size_t l = 0; l < frames.links.size(); ++l) {
        const Frame& f = frames.links[l].frames[first + i];
        line += "   ";
        if (strobed[l]) line += f.strobe ? "1s" : "0s";
        line += f.valid ? "1v" : "0v";
        detail::append_hex16(line, f.data);
      }
      line += '\n';
      out << line;
    }
  }

  [[nodiscard]] LinkFrames read(std::istream& in, const std::string& file) const override {
    detail::LineReader lines(in, file);
    LinkFrames result;
    const std::string_view board = lines.next_nonblank("'Board NAME'");
    if (!board.starts_with("Board ")) lines.fail("'Board NAME'", board);
    result.board = std::string(board.substr(6));

    const std::string_view quads = lines.next_nonblank("' Quad/Chan : q00c0 ...'");
    std::vector<std::string> q;  // copied: the line buffer is reused by the next line
    for (const auto token : detail::split(quads)) q.emplace_back(token);
    if (q.size() < 2 || q[0] != "Quad/Chan" || q[1] != ":") lines.fail("' Quad/Chan : q00c0 ...'", quads);
    const std::size_t quad_line = lines.number();

    const std::string_view link_line = lines.next_nonblank("'      Link : 000 ...'");
    const auto ids = detail::split(link_line);
    if (ids.size() < 2 || ids[0] != "Link" || ids[1] != ":") lines.fail("'      Link : 000 ...'", link_line);
    if (ids.size() != q.size())
      lines.fail(fmt::format("{} link numbers, one per Quad/Chan column of line {}", q.size() - 2, quad_line), link_line);
    for (std::size_t c = 2; c < ids.size(); ++c) {
      const auto id = detail::parse_decimal(ids[c]);
      if (!id || *id > 9999) lines.fail("a link number", ids[c]);
      const int link = static_cast<int>(*id);
      if (quad_channel(link) != q[c])
        lines.fail(fmt::format("link {} under Quad/Chan {} (line {})", quad_channel(link), q[c], quad_line), ids[c]);
      LinkStream& s = result.links.emplace_back();
      s.link = link;
    }

    const std::size_t n_links = result.links.size();
    while (const auto row = lines.next()) {
      if (row->find_first_not_of(" \t") == std::string_view::npos) continue;
      const auto t = detail::split(*row);
      const std::size_t index = result.frame_count();
      if (t.size() < 3 || t[0] != "Frame" || t[2] != ":") lines.fail(fmt::format("'Frame {:04d} : ...'", index), *row);
      const auto number = detail::parse_decimal(t[1]);
      if (!number || *number != index) lines.fail(fmt::format("frame number {:04d}", index), t[1]);
      if (t.size() - 3 != n_links) lines.fail(fmt::format("{} frame tokens (one per link)", n_links), *row);
      for (std::size_t l = 0; l < n_links; ++l) result.links[l].frames.push_back(parse_token(t[3 + l], lines));
    }
    return result;
  }

 private:
  static Frame parse_token(std::string_view token, const detail::LineReader& lines) {
    constexpr std::string_view kExpected = "a frame token ([01]s)?[01]v + 16 hex digits";
    Frame f;
    std::string_view rest = token;
    if (rest.size() == 20) {
      if (rest[1] != 's' || (rest[0] != '0' && rest[0] != '1')) lines.fail(kExpected, token);
      f.strobe = rest[0] == '1';
      rest.remove_prefix(2);
    }
    if (rest.size() != 18 || rest[1] != 'v' || (rest[0] != '0' && rest[0] != '1')) lines.fail(kExpected, token);
    f.valid = rest[0] == '1';
    const auto data = detail::parse_hex(rest.substr(2), 16);
    if (!data) lines.fail(kExpected, token);
    f.data = *data;
    return f;
  }
};

}  // namespace

void detail::register_emp_v1_format() {
  register_pattern_format("emp-v1", [] { return std::make_unique<EmpV1Format>(); });
}

}  // namespace l1emu::stream

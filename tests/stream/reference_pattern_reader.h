#pragma once
// Independent readers of the three pattern-file formats, written for the tests from
// shared/FACTS.md section 6 alone (regular expressions, no code shared with the library), to check
// that what the library writes is what the formats say:
//   EMP v1: `Board NAME`, ` Quad/Chan :  q00c0 ...`, `      Link :  000 ...`, rows
//           `Frame 0000 :   1v0000000000000000 ...`, token ([01]s)?([01]v)([0-9a-fA-F]{16}).
//   EMP v2: `ID: NAME`, `Metadata: ...`, `      Link           000 ...`, rows
//           `Frame 0010    1101 0000000000000001`: four flag digits SOO SOP EOP valid, a leading
//           strobe digit only on links where a frame has strobe 0; tokens separated by >= 2 spaces.
//   APx:    `#Sideband ON`, `#LinkLabel  LINK_00 ...`, `#BeginData`, rows
//           `0x000a    0x03 0x0000000000000001`: sideband bit 0 valid, 1 SOP, 2 SOO, 3 EOP.
#include <cstdint>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace l1emu::stream::testing {

struct ReferenceFrame {
  bool strobe = true;
  bool has_strobe = false;
  bool start_of_orbit = false;
  bool start_of_packet = false;
  bool end_of_packet = false;
  bool valid = false;
  std::uint64_t data = 0;
};

struct ReferencePatternFile {
  std::string board;
  std::vector<int> links;
  std::vector<std::vector<ReferenceFrame>> rows;  // rows[frame][column]
};

inline std::vector<std::string> reference_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

inline void reference_expect(bool ok, const std::string& what, const std::string& line) {
  if (!ok) throw std::runtime_error("reference reader: " + what + " in '" + line + "'");
}

inline ReferencePatternFile read_reference_emp_v1(const std::string& path) {
  const auto lines = reference_lines(path);
  ReferencePatternFile f;
  std::smatch m;
  reference_expect(lines.size() >= 3, "header", path);
  reference_expect(std::regex_match(lines[0], m, std::regex("Board (.*)")), "Board", lines[0]);
  f.board = m[1];
  reference_expect(std::regex_match(lines[1], std::regex(R"( Quad/Chan :(\s+q\d\dc\d)*\s*)")), "Quad/Chan", lines[1]);
  reference_expect(std::regex_match(lines[2], std::regex(R"(      Link :(\s+\d+)*\s*)")), "Link", lines[2]);
  const std::regex number(R"(\d+)");
  for (auto it = std::sregex_iterator(lines[2].begin(), lines[2].end(), number); it != std::sregex_iterator(); ++it)
    f.links.push_back(std::stoi(it->str()));
  const std::regex row(R"(Frame (\d+) :(.*))");
  const std::regex token(R"(([01]s)?([01]v)([0-9a-fA-F]{16}))");
  for (std::size_t i = 3; i < lines.size(); ++i) {
    reference_expect(std::regex_match(lines[i], m, row), "Frame row", lines[i]);
    reference_expect(std::stoul(m[1]) == f.rows.size(), "frame number", lines[i]);
    const std::string rest = m[2];
    auto& frames = f.rows.emplace_back();
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), token); it != std::sregex_iterator(); ++it) {
      ReferenceFrame r;
      r.has_strobe = (*it)[1].matched;
      r.strobe = !r.has_strobe || (*it)[1].str()[0] == '1';
      r.valid = (*it)[2].str()[0] == '1';
      r.data = std::stoull((*it)[3].str(), nullptr, 16);
      frames.push_back(r);
    }
    reference_expect(frames.size() == f.links.size(), "one token per link", lines[i]);
  }
  return f;
}

inline ReferencePatternFile read_reference_emp_v2(const std::string& path) {
  const auto lines = reference_lines(path);
  ReferencePatternFile f;
  std::smatch m;
  reference_expect(lines.size() >= 3, "header", path);
  reference_expect(std::regex_match(lines[0], m, std::regex("ID: (.*)")), "ID", lines[0]);
  f.board = m[1];
  reference_expect(lines[1].rfind("Metadata: (strobe,) start of orbit, start of packet, end of packet, valid", 0) == 0,
                   "Metadata", lines[1]);
  reference_expect(std::regex_match(lines[2], std::regex(R"(\s+Link(\s+\d+)*\s*)")), "Link", lines[2]);
  const std::regex number(R"(\d+)");
  for (auto it = std::sregex_iterator(lines[2].begin(), lines[2].end(), number); it != std::sregex_iterator(); ++it)
    f.links.push_back(std::stoi(it->str()));
  const std::regex separator(R"(\s{2,})");
  const std::regex frame_label(R"(Frame (\d+))");
  const std::regex token(R"(([01])?([01])([01])([01])([01]) ([0-9a-fA-F]{16}))");
  for (std::size_t i = 3; i < lines.size(); ++i) {
    std::vector<std::string> parts;
    for (auto it = std::sregex_token_iterator(lines[i].begin(), lines[i].end(), separator, -1);
         it != std::sregex_token_iterator(); ++it)
      if (!it->str().empty()) parts.push_back(*it);
    reference_expect(!parts.empty() && std::regex_match(parts[0], m, frame_label), "Frame label", lines[i]);
    reference_expect(std::stoul(m[1]) == f.rows.size(), "frame number", lines[i]);
    reference_expect(parts.size() == f.links.size() + 1, "one token per link", lines[i]);
    auto& frames = f.rows.emplace_back();
    for (std::size_t c = 1; c < parts.size(); ++c) {
      reference_expect(std::regex_match(parts[c], m, token), "frame token", parts[c]);
      ReferenceFrame r;
      r.has_strobe = m[1].matched;
      r.strobe = !r.has_strobe || m[1] == "1";
      r.start_of_orbit = m[2] == "1";
      r.start_of_packet = m[3] == "1";
      r.end_of_packet = m[4] == "1";
      r.valid = m[5] == "1";
      r.data = std::stoull(m[6], nullptr, 16);
      frames.push_back(r);
    }
  }
  return f;
}

inline ReferencePatternFile read_reference_apx(const std::string& path) {
  const auto lines = reference_lines(path);
  ReferencePatternFile f;
  std::smatch m;
  reference_expect(lines.size() >= 3, "header", path);
  reference_expect(lines[0] == "#Sideband ON", "#Sideband ON", lines[0]);
  reference_expect(std::regex_match(lines[1], std::regex(R"(#LinkLabel(\s+LINK_\d+)*\s*)")), "#LinkLabel", lines[1]);
  const std::regex label(R"(LINK_(\d+))");
  for (auto it = std::sregex_iterator(lines[1].begin(), lines[1].end(), label); it != std::sregex_iterator(); ++it)
    f.links.push_back(std::stoi((*it)[1]));
  reference_expect(lines[2] == "#BeginData", "#BeginData", lines[2]);
  const std::regex row(R"(0x([0-9a-fA-F]+)((\s+0x[0-9a-fA-F]{2}\s0x[0-9a-fA-F]{16})*)\s*)");
  const std::regex pair(R"(0x([0-9a-fA-F]{2})\s0x([0-9a-fA-F]{16}))");
  for (std::size_t i = 3; i < lines.size(); ++i) {
    reference_expect(std::regex_match(lines[i], m, row), "data row", lines[i]);
    reference_expect(std::stoul(m[1], nullptr, 16) == f.rows.size(), "frame index", lines[i]);
    const std::string rest = m[2];
    auto& frames = f.rows.emplace_back();
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), pair); it != std::sregex_iterator(); ++it) {
      const unsigned sideband = static_cast<unsigned>(std::stoul((*it)[1], nullptr, 16));
      ReferenceFrame r;
      r.valid = (sideband & 1u) != 0;
      r.start_of_packet = (sideband & 2u) != 0;
      r.start_of_orbit = (sideband & 4u) != 0;
      r.end_of_packet = (sideband & 8u) != 0;
      r.data = std::stoull((*it)[2], nullptr, 16);
      frames.push_back(r);
    }
    reference_expect(frames.size() == f.links.size(), "one pair per link", lines[i]);
  }
  return f;
}

inline ReferencePatternFile read_reference(const std::string& format, const std::string& path) {
  if (format == "emp-v1") return read_reference_emp_v1(path);
  if (format == "emp-v2") return read_reference_emp_v2(path);
  return read_reference_apx(path);
}

}  // namespace l1emu::stream::testing

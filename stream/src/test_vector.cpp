#include "l1emu/stream/test_vector.h"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

#include "l1emu/stream/error.h"
#include "l1emu/stream/lhc_constants.h"
#include "l1emu/text/excerpt.h"

namespace l1emu::stream {
namespace {

// Column numbers are 1-based, as in the format tables.
constexpr int kFirstMuonColumn = 2;
constexpr int kFirstEGammaColumn = 10;
constexpr int kFirstTauColumn = 22;
constexpr int kFirstJetColumn = 34;
constexpr int kFirstSumColumn = 46;
constexpr int kFirstLink11Column = 52;
constexpr int kExternalColumn = 58;
constexpr int kAlgorithmColumn = 59;
constexpr int kFinorColumn = 60;

std::string column_name(int column) {
  static constexpr std::array<std::string_view, kSumCount> kSums = {"ETT", "HT", "ETM", "HTM", "ETMHF", "HTMHF"};
  if (column == 1) return "BX";
  if (column < kFirstEGammaColumn) return fmt::format("muon {}", column - kFirstMuonColumn);
  if (column < kFirstTauColumn) return fmt::format("e/gamma {}", column - kFirstEGammaColumn);
  if (column < kFirstJetColumn) return fmt::format("tau {}", column - kFirstTauColumn);
  if (column < kFirstSumColumn) return fmt::format("jet {}", column - kFirstJetColumn);
  if (column < kFirstLink11Column) return std::string(kSums[static_cast<std::size_t>(column - kFirstSumColumn)]);
  if (column < kExternalColumn) return fmt::format("link 11 frame {}", column - kFirstLink11Column);
  if (column == kExternalColumn) return "external conditions";
  if (column == kAlgorithmColumn) return "algorithm bits";
  return "FINOR";
}

int column_width(int column) {
  if (column == 1) return 4;
  if (column < kFirstEGammaColumn) return 16;
  if (column < kExternalColumn) return 8;
  if (column == kExternalColumn) return 64;
  if (column == kAlgorithmColumn) return 128;
  return 1;
}

struct LineParser {
  std::string_view file;
  std::size_t line_number;

  [[noreturn]] void fail(int column, std::string_view token, std::string_view expected) const {
    throw DataError(fmt::format("{}:{}: column {} ({}) is {} where {} is expected", file, line_number, column,
                                column_name(column), text::quoted_excerpt(token), expected));
  }

  /// Lower-case hex of exactly `width` digits (the test-vector layout) into `words` (LSB word first).
  void hex(std::string_view token, int column, std::uint64_t* words, std::size_t word_count) const {
    const auto width = static_cast<std::size_t>(column_width(column));
    if (token.size() != width) fail(column, token, fmt::format("{} lower-case hex digits", width));
    for (std::size_t w = 0; w < word_count; ++w) words[w] = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = token[i];
      std::uint64_t digit = 0;
      if (c >= '0' && c <= '9') digit = static_cast<std::uint64_t>(c - '0');
      else if (c >= 'a' && c <= 'f') digit = static_cast<std::uint64_t>(c - 'a' + 10);
      else fail(column, token, fmt::format("{} lower-case hex digits", width));
      const std::size_t nibble = width - 1 - i;  // position from the least significant end
      words[nibble / 16] |= digit << (4 * (nibble % 16));
    }
  }
  std::uint64_t hex64(std::string_view token, int column) const {
    std::uint64_t w = 0;
    hex(token, column, &w, 1);
    return w;
  }
};

void append_hex(std::string& out, const std::uint64_t* words, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int nibble = digits - 1; nibble >= 0; --nibble)
    out.push_back(kDigits[(words[nibble / 16] >> (4 * (nibble % 16))) & 0xf]);
}

}  // namespace

bool TestVectorRecord::algorithm_bit(int bit) const {
  return ((algorithms.at(static_cast<std::size_t>(bit) / 64) >> (bit % 64)) & 1u) != 0;
}

void TestVectorRecord::set_algorithm_bit(int bit, bool value) {
  auto& word = algorithms.at(static_cast<std::size_t>(bit) / 64);
  const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
  word = value ? (word | mask) : (word & ~mask);
}

bool TestVectorRecord::external_bit(int bit) const {
  return ((external.at(static_cast<std::size_t>(bit) / 64) >> (bit % 64)) & 1u) != 0;
}

Event TestVectorRecord::to_event() const {
  Event e;
  e.bx = bx;
  e.event_id = bx;
  for (std::size_t i = 0; i < muons.size(); ++i) e.muons[i] = Muon::unpack(muons[i]);
  for (std::size_t i = 0; i < egammas.size(); ++i) e.egammas[i] = EGamma::unpack(egammas[i]);
  for (std::size_t i = 0; i < taus.size(); ++i) e.taus[i] = Tau::unpack(taus[i]);
  for (std::size_t i = 0; i < jets.size(); ++i) e.jets[i] = Jet::unpack(jets[i]);
  for (std::size_t i = 0; i < sums.size(); ++i) e.sums[i] = EnergySum::unpack(sums[i]);
  return e;
}

TestVectorRecord TestVectorRecord::from_event(const Event& e) {
  TestVectorRecord r;
  r.bx = e.bx;
  for (std::size_t i = 0; i < r.muons.size(); ++i) r.muons[i] = e.muons[i].pack();
  for (std::size_t i = 0; i < r.egammas.size(); ++i) r.egammas[i] = e.egammas[i].pack();
  for (std::size_t i = 0; i < r.taus.size(); ++i) r.taus[i] = e.taus[i].pack();
  for (std::size_t i = 0; i < r.jets.size(); ++i) r.jets[i] = e.jets[i].pack();
  for (std::size_t i = 0; i < r.sums.size(); ++i) r.sums[i] = e.sums[i].pack();
  return r;
}

TestVectorRecord parse_test_vector_line(std::string_view line, std::string_view file, std::size_t line_number) {
  const LineParser p{file, line_number};
  std::array<std::string_view, TestVectorRecord::kColumns> cols{};
  int count = 0;
  std::size_t pos = 0;
  // Columns are separated by exactly one space: anything else would not write back byte for byte.
  while (true) {
    const std::size_t end = line.find(' ', pos);
    const std::string_view token = line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (token.empty())
      throw DataError(fmt::format("{}:{}: empty column {} (columns are separated by one space; no leading or "
                                  "trailing spaces)",
                                  file, line_number, count + 1));
    if (count < TestVectorRecord::kColumns) cols[static_cast<std::size_t>(count)] = token;
    ++count;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  if (count != TestVectorRecord::kColumns)
    throw DataError(fmt::format("{}:{}: {} columns where {} are expected (BX, 8 muons, 12 e/gamma, 12 taus, 12 jets, "
                                "6 sums, 6 link-11 words, externals, algorithm bits, FINOR)",
                                file, line_number, count, TestVectorRecord::kColumns));
  TestVectorRecord r;
  {
    const std::string_view t = cols[0];
    if (t.size() != 4 || t.find_first_not_of("0123456789") != std::string_view::npos) p.fail(1, t, "a 4-digit decimal BX");
    const int bx = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    if (bx >= kBxPerOrbit) p.fail(1, t, fmt::format("a BX 0000-{}", kBxPerOrbit - 1));
    r.bx = static_cast<std::uint16_t>(bx);
  }
  for (std::size_t i = 0; i < r.muons.size(); ++i)
    r.muons[i] = p.hex64(cols[kFirstMuonColumn - 1 + i], kFirstMuonColumn + static_cast<int>(i));
  auto words32 = [&](auto& out, int first_column) {
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = static_cast<std::uint32_t>(p.hex64(cols[static_cast<std::size_t>(first_column - 1) + i],
                                                  first_column + static_cast<int>(i)));
  };
  words32(r.egammas, kFirstEGammaColumn);
  words32(r.taus, kFirstTauColumn);
  words32(r.jets, kFirstJetColumn);
  words32(r.sums, kFirstSumColumn);
  words32(r.link11, kFirstLink11Column);
  p.hex(cols[kExternalColumn - 1], kExternalColumn, r.external.data(), r.external.size());
  p.hex(cols[kAlgorithmColumn - 1], kAlgorithmColumn, r.algorithms.data(), r.algorithms.size());
  const std::string_view finor = cols[kFinorColumn - 1];
  if (finor != "0" && finor != "1") p.fail(kFinorColumn, finor, "0 or 1");
  r.finor = finor == "1";
  return r;
}

std::string format_test_vector_line(const TestVectorRecord& r) {
  std::string out;
  out.reserve(800);
  out += fmt::format("{:04d}", r.bx);
  for (auto w : r.muons) {
    out.push_back(' ');
    append_hex(out, &w, 16);
  }
  auto words32 = [&](const auto& words) {
    for (std::uint64_t w : words) {
      out.push_back(' ');
      append_hex(out, &w, 8);
    }
  };
  words32(r.egammas);
  words32(r.taus);
  words32(r.jets);
  words32(r.sums);
  words32(r.link11);
  out.push_back(' ');
  append_hex(out, r.external.data(), 64);
  out.push_back(' ');
  append_hex(out, r.algorithms.data(), 128);
  out.push_back(' ');
  out.push_back(r.finor ? '1' : '0');
  return out;
}

std::vector<TestVectorRecord> read_test_vector(const std::filesystem::path& file, TestVectorReadOptions options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(fmt::format("{}: cannot open test vector", file.string()));
  const std::string name = file.string();
  std::vector<TestVectorRecord> records;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r')
      throw DataError(fmt::format("{}:{}: CR LF line end where '\\n' is expected", name, line_number));
    records.push_back(parse_test_vector_line(line, name, line_number));
    if (options.require_full_orbit && records.back().bx != line_number - 1)
      throw DataError(fmt::format("{}:{}: BX {:04d} where {:04d} is expected (one line per BX, in order)", name,
                                  line_number, records.back().bx, line_number - 1));
  }
  if (in.bad()) throw DataError(fmt::format("{}: read error after line {}", name, line_number));
  if (options.require_full_orbit && records.size() != static_cast<std::size_t>(kBxPerOrbit))
    throw DataError(fmt::format("{}: {} lines where {} (one orbit) are expected", name, records.size(), kBxPerOrbit));
  return records;
}

void write_test_vector(const std::filesystem::path& file, const std::vector<TestVectorRecord>& records) {
  std::filesystem::path temp = file;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw DataError(fmt::format("{}: cannot create", temp.string()));
    for (const auto& r : records) {
      out << format_test_vector_line(r) << '\n';
    }
    out.flush();
    if (!out) throw DataError(fmt::format("{}: write failed", temp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(temp, file, ec);
  if (ec) throw DataError(fmt::format("{}: renaming {} failed ({})", file.string(), temp.string(), ec.message()));
}

}  // namespace l1emu::stream

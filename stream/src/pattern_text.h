#pragma once
// Small text helpers shared by the pattern-file formats. Internal header.
#include <fmt/format.h>

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/error.h"
#include "l1emu/stream/link_frame.h"
#include "l1emu/text/excerpt.h"

namespace l1emu::stream::detail {

/// Reads lines and tracks the line number for errors.
class LineReader {
 public:
  LineReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {}
  /// The next line ('\r' before '\n' removed); nullopt at the end.
  std::optional<std::string_view> next() {
    if (!std::getline(in_, line_)) return std::nullopt;
    ++number_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    return std::string_view(line_);
  }
  /// The next non-blank line; DataError "expected <what>" at the end of the file.
  std::string_view next_nonblank(std::string_view what) {
    while (const auto l = next())
      if (l->find_first_not_of(" \t") != std::string_view::npos) return *l;
    throw DataError(fmt::format("{}:{}: expected {}, found the end of the file", file_, number_ + 1, what));
  }
  [[noreturn]] void fail(std::string_view expected, std::string_view found) const {
    throw DataError(fmt::format("{}:{}: expected {}, found {}", file_, number_, expected, text::quoted_excerpt(found)));
  }
  [[nodiscard]] std::size_t number() const { return number_; }
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  std::istream& in_;
  std::string file_;
  std::string line_;
  std::size_t number_ = 0;
};

/// Splits at runs of spaces/tabs of at least `min_run` characters (leading/trailing runs ignored).
inline std::vector<std::string_view> split(std::string_view s, std::size_t min_run = 1) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  const auto blank = [&](std::size_t k) { return s[k] == ' ' || s[k] == '\t'; };
  while (i < s.size() && blank(i)) ++i;
  std::size_t token = i;
  while (i < s.size()) {
    if (!blank(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && blank(j)) ++j;
    if (j - i >= min_run || j == s.size()) {
      out.push_back(s.substr(token, i - token));
      token = j;
    }
    i = j;
  }
  if (token < s.size()) out.push_back(s.substr(token));
  return out;
}

/// Exactly `digits` hex digits; nullopt otherwise.
inline std::optional<std::uint64_t> parse_hex(std::string_view s, std::size_t digits) {
  if (s.size() != digits) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : s) {
    int d = 0;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  return v;
}

/// A non-negative decimal of at most 9 digits; nullopt otherwise.
inline std::optional<std::size_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  std::size_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return v;
}

/// Links of one capture must have the same length; returns it.
std::size_t common_length(const LinkFrames& frames);
/// Checks that frames [first, first + count) exist (std::invalid_argument otherwise).
void check_range(const LinkFrames& frames, std::size_t first, std::size_t count);
/// Per link: does a frame of [first, first + count) have strobe 0? EMP files write the strobe digit
/// only for such links. Only the frames of the file decide (a file describes itself, and scanning
/// the whole capture for every file of a split would be quadratic).
std::vector<bool> links_with_strobe(const LinkFrames& frames, std::size_t first, std::size_t count);

/// Appends `n` formatted 16-digit lower-case hex to out.
inline void append_hex16(std::string& out, std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buf[16];
  for (int i = 15; i >= 0; --i) {
    buf[i] = kDigits[v & 0xf];
    v >>= 4;
  }
  out.append(buf, 16);
}

}  // namespace l1emu::stream::detail

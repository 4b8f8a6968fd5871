#pragma once
// Input text echoed in an error message: quoted, at most a short excerpt, every byte that is not
// printable ASCII written as an escape, so that a message stays one readable line whatever the
// file holds (shared/DESIGN.md, Reliability policy: errors name what was found).
#include <cstddef>
#include <string>
#include <string_view>

namespace l1emu::text {

namespace detail {
// Appends byte c, as an escape when it is a control byte (\0, \t, \r, \n by name, others as \xNN)
// or, when `strict`, a backslash, a single quote or a byte from 0x7f up.
inline void append_escaped(std::string& out, unsigned char c, bool strict) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\0': out += "\\0"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\n': out += "\\n"; return;
    case '\\':
    case '\'':
      if (strict) out += '\\';
      out += static_cast<char>(c);
      return;
    default:
      if (c < 0x20 || c == 0x7f || (strict && c > 0x7f)) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
  }
}
}  // namespace detail

/// '<text>' with control and non-ASCII bytes as \xNN (\t, \r, \n, \0 by name); past `max_chars`
/// input bytes the excerpt ends with "... (N bytes)".
[[nodiscard]] inline std::string quoted_excerpt(std::string_view text, std::size_t max_chars = 40) {
  std::string out = "'";
  const std::size_t shown = text.size() > max_chars ? max_chars : text.size();
  for (std::size_t i = 0; i < shown; ++i) detail::append_escaped(out, static_cast<unsigned char>(text[i]), true);
  out += "'";
  if (shown < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

/// A whole message made one line for a terminal or a batch log (shared/DESIGN.md, Reliability
/// policy: one clear line per error): control bytes written as escapes (\n, \r, \t, \0 by name,
/// others as \xNN), so that input echoed by any layer (a YAML scalar, a path, a library's text) cannot
/// break it; bytes from 0x80 up are kept (paths and names may be UTF-8). Past `max_bytes` the message
/// ends with "... (N bytes)".
[[nodiscard]] inline std::string single_line(std::string_view message, std::size_t max_bytes = 2000) {
  std::string out;
  const std::size_t shown = message.size() > max_bytes ? max_bytes : message.size();
  out.reserve(shown + 16);
  for (std::size_t i = 0; i < shown; ++i) detail::append_escaped(out, static_cast<unsigned char>(message[i]), false);
  if (shown < message.size()) out += "... (" + std::to_string(message.size()) + " bytes)";
  return out;
}

}  // namespace l1emu::text

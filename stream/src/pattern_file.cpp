#include "l1emu/stream/pattern_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "builtin_registrations.h"
#include "l1emu/registry/registry.h"
#include "l1emu/stream/error.h"
#include "pattern_text.h"

namespace l1emu::stream {
namespace {

registry::Registry<PatternFormatFactory>& formats() {
  static registry::Registry<PatternFormatFactory> r("pattern-file format");
  return r;
}

void register_builtins() {
  static const bool done = [] {
    detail::register_emp_v1_format();
    detail::register_emp_v2_format();
    detail::register_apx_format();
    return true;
  }();
  (void)done;
}

}  // namespace

std::size_t detail::common_length(const LinkFrames& frames) {
  const std::size_t n = frames.frame_count();
  for (const auto& link : frames.links)
    if (link.frames.size() != n)
      throw std::invalid_argument(fmt::format("pattern file: link {} has {} frames, link {} has {} (a file needs equal lengths)",
                                              link.link, link.frames.size(), frames.links.front().link, n));
  return n;
}

void detail::check_range(const LinkFrames& frames, std::size_t first, std::size_t count) {
  const std::size_t n = common_length(frames);
  if (first > n || count > n - first)
    throw std::invalid_argument(fmt::format("pattern file: frames {}-{} requested of a capture of {} frames", first,
                                            first + count, n));
}

std::vector<bool> detail::links_with_strobe(const LinkFrames& frames, std::size_t first, std::size_t count) {
  std::vector<bool> strobed(frames.links.size());
  for (std::size_t l = 0; l < frames.links.size(); ++l) {
    const auto f = frames.links[l].frames.begin() + static_cast<std::ptrdiff_t>(first);
    strobed[l] = std::any_of(f, f + static_cast<std::ptrdiff_t>(count), [](const Frame& x) { return !x.strobe; });
  }
  return strobed;
}

bool register_pattern_format(std::string name, PatternFormatFactory factory) { return formats().add(std::move(name), std::move(factory)); }

std::vector<std::string> pattern_format_names() {
  register_builtins();
  return formats().names();
}

std::unique_ptr<PatternFormat> make_pattern_format(std::string_view name) {
  register_builtins();
  return formats().get(name)();
}

std::string detect_pattern_format(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw DataError(fmt::format("{}: cannot open the pattern file", file.string()));
  detail::LineReader lines(in, file.string());
  std::string_view first;
  try {
    first = lines.next_nonblank("a pattern-file header");
  } catch (const DataError&) {
    throw DataError(fmt::format("{}: empty file, expected a pattern file (EMP v1, EMP v2 or APx)", file.string()));
  }
  if (first.starts_with("Board ")) return "emp-v1";
  if (first.starts_with("ID:")) return "emp-v2";
  if (first.starts_with("#Sideband")) return "apx";
  lines.fail("'Board NAME' (EMP v1), 'ID: NAME' (EMP v2) or '#Sideband ON' (APx)", first);
}

namespace {

/// cut[f] (0 <= f <= total): a file may start at frame f, because no link is inside a packet there.
/// EMP and APx firmware play each file on its own and the DemonstratorTools close files at event
/// boundaries, so a packet must not be split across two files. A packet runs from its
/// start-of-packet frame through its end-of-packet frame (an idle data beat also ends it); a frame
/// that starts a packet is a boundary whatever came before (a lost end-of-packet flag must not make
/// the rest of the capture one packet). Links that carry no packet flags at all constrain nothing.
/// Staggered time-multiplexed links have no common boundary; the writer then cuts at the limit.
std::vector<char> packet_boundaries(const LinkFrames& frames, std::size_t total) {
  std::vector<char> cut(total + 1, 1);
  for (const auto& link : frames.links) {
    const auto& f = link.frames;
    const bool flagged = std::any_of(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(total),
                                     [](const Frame& x) { return x.start_of_packet || x.end_of_packet; });
    if (!flagged) continue;
    bool open = false;
    for (std::size_t i = 0; i < total; ++i) {
      if (open && !f[i].start_of_packet) cut[i] = 0;
      if (f[i].start_of_packet) open = true;
      if (f[i].strobe && !f[i].valid) open = false;
      if (f[i].end_of_packet) open = false;
    }
  }
  return cut;
}

}  // namespace

std::vector<std::filesystem::path> write_pattern_files(const PatternFormat& format, const LinkFrames& frames,
                                                       const std::filesystem::path& directory,
                                                       const PatternWriteOptions& options) {
  const std::size_t total = detail::common_length(frames);
  std::filesystem::create_directories(directory);
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    const std::string prefix = options.stem + "_";
    if (!name.starts_with(prefix) || !name.ends_with(".txt")) continue;
    const std::string_view index(name.data() + prefix.size(), name.size() - prefix.size() - 4);
    if (!detail::parse_decimal(index)) continue;
    if (!options.overwrite)
      throw DataError(fmt::format("{}: already holds pattern file {} (files of two captures would mix; choose another "
                                  "directory or stem, or overwrite)",
                                  directory.string(), name));
    std::filesystem::remove(entry.path());
  }
  const std::size_t per_file = options.max_frames_per_file == 0 ? std::max<std::size_t>(total, 1) : options.max_frames_per_file;
  const std::vector<char> cut = packet_boundaries(frames, total);
  std::vector<std::filesystem::path> files;
  std::size_t first = 0;
  do {
    const std::size_t limit = first + std::min(per_file, total - first);
    std::size_t end = limit;
    while (end > first && end < total && !cut[end]) --end;
    // Staggered time-multiplexed links (emp64 with tmux > 1) always have some link inside a packet:
    // there is no frame at which all are between packets, and the file ends at the frame limit.
    if (end == first) end = limit;
    const std::size_t count = end - first;
    const auto path = directory / fmt::format("{}_{:04d}.txt", options.stem, files.size());
    auto temp = path;
    temp += ".tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw DataError(fmt::format("{}: cannot write the pattern file", temp.string()));
      format.write(out, frames, first, count);
      out.flush();
      if (!out) throw DataError(fmt::format("{}: write failed", temp.string()));
    }
    std::filesystem::rename(temp, path);
    files.push_back(path);
    first += count;
  } while (first < total);
  return files;
}

LinkFrames read_pattern_file(const PatternFormat& format, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(fmt::format("{}: cannot open the pattern file", file.string()));
  return format.read(in, file.string());
}

LinkFrames read_pattern_files(const PatternFormat& format, const std::vector<std::filesystem::path>& files) {
  LinkFrames all;
  for (std::size_t i = 0; i < files.size(); ++i) {
    LinkFrames part = read_pattern_file(format, files[i]);
    if (i == 0) {
      all = std::move(part);
      continue;
    }
    if (part.links.size() != all.links.size())
      throw DataError(fmt::format("{}: {} links, but {} has {}", files[i].string(), part.links.size(), files[0].string(),
                                  all.links.size()));
    for (std::size_t l = 0; l < part.links.size(); ++l) {
      if (part.links[l].link != all.links[l].link)
        throw DataError(fmt::format("{}: link {} in column {}, but {} has link {} there", files[i].string(),
                                    part.links[l].link, l, files[0].string(), all.links[l].link));
      auto& dst = all.links[l].frames;
      dst.insert(dst.end(), part.links[l].frames.begin(), part.links[l].frames.end());
    }
  }
  return all;
}

}  // namespace l1emu::stream

#pragma once
// Pattern files: link frames as text, the way board firmware test benches and buffer captures
// exchange them (shared/FACTS.md section 6; CMSSW L1Trigger/DemonstratorTools). An interface plus
// implementations registered by name:
//   "emp-v1"  EMP v1: `Board NAME`, ` Quad/Chan :`, `      Link :`, `Frame NNNN :` rows of
//             `[01s]?[01]v` + 16 hex digits; carries valid and strobe only (emp_v1_format.cpp);
//   "emp-v2"  EMP v2: `ID:`, `Metadata:`, `Link`, rows of `[strobe]SOO SOP EOP valid` + 16 hex
//             digits, tokens separated by two or more spaces (emp_v2_format.cpp);
//   "apx"     APx: `#Sideband ON`, `#LinkLabel`, `#BeginData`, rows `0xNNNN` + per link a sideband
//             byte (bit 0 valid, 1 start of packet, 2 start of orbit, 3 end of packet) and a 64-bit
//             word; no strobe (apx_format.cpp).
// Writers are canonical (lower-case hex, fixed spacing, '\n' line ends), so reading a written file
// and writing it again gives the same bytes. Readers check every line and throw DataError naming
// file:line and what was expected. Long captures are split into files of at most K frames
// (frame numbers restart at 0 in every file); reading a list of files concatenates them.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/stream/link_frame.h"

namespace l1emu::stream {

class PatternFormat {
 public:
  virtual ~PatternFormat() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// False when the format has no start/end of packet or start of orbit (EMP v1): decode with
  /// DecodeOptions::packet_flags = false.
  [[nodiscard]] virtual bool carries_packet_flags() const = 0;
  /// Writes frames [first, first + count) of every link. Throws std::invalid_argument for frames the
  /// format cannot hold (strobe 0 in APx, links of different lengths).
  virtual void write(std::ostream& out, const LinkFrames& frames, std::size_t first, std::size_t count) const = 0;
  /// Reads one file; `file` names it in errors.
  [[nodiscard]] virtual LinkFrames read(std::istream& in, const std::string& file) const = 0;
};

using PatternFormatFactory = std::function<std::unique_ptr<PatternFormat>()>;

bool register_pattern_format(std::string name, PatternFormatFactory factory);
[[nodiscard]] std::vector<std::string> pattern_format_names();
/// Throws registry::UnknownNameError (a std::invalid_argument) for an unknown name.
[[nodiscard]] std::unique_ptr<PatternFormat> make_pattern_format(std::string_view name);
/// The format of a file from its first line; DataError naming the file when none matches.
[[nodiscard]] std::string detect_pattern_format(const std::filesystem::path& file);

struct PatternWriteOptions {
  /// Frames per file at most (EMP buffers are commonly 1024 frames deep); 0 = one file.
  std::size_t max_frames_per_file = 1024;
  /// Files are named <stem>_<index, 4 digits>.txt.
  std::string stem = "patterns";
  /// Pattern files of this stem already in the directory: false = DataError (files of two captures
  /// would mix when read back as a list), true = remove them first.
  bool overwrite = false;
};

/// Writes the frames into `directory` (created if needed), each file atomically (temporary file,
/// then rename); returns the files in order. An empty capture gives one file with headers only.
/// Files of the same stem already there are an error unless options.overwrite.
std::vector<std::filesystem::path> write_pattern_files(const PatternFormat& format, const LinkFrames& frames,
                                                       const std::filesystem::path& directory,
                                                       const PatternWriteOptions& options = {});
[[nodiscard]] LinkFrames read_pattern_file(const PatternFormat& format, const std::filesystem::path& file);
/// Reads the files in order and appends their frames; every file must have the same links.
[[nodiscard]] LinkFrames read_pattern_files(const PatternFormat& format, const std::vector<std::filesystem::path>& files);

}  // namespace l1emu::stream

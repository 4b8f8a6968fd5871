// l1emu patterns encode|decode: events <-> link frames in pattern files (stream/link_protocol.h,
// stream/pattern_file.h), with optional fault injection on the way out (stream/fault_injector.h).
#include <fmt/format.h>

// GCC 12 at -O2 flags a possible null dereference inside Boost.program_options'
// typed_value<std::string>::notify (basic_string::assign, inlined); the pattern is Boost's, not ours.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "l1emu/board/event_source.h"
#include "l1emu/stream/data_policy.h"
#include "l1emu/stream/dataset_writer.h"
#include "l1emu/stream/error.h"
#include "l1emu/stream/fault_injector.h"
#include "l1emu/stream/filling_scheme.h"
#include "l1emu/stream/link_protocol.h"
#include "l1emu/stream/pattern_file.h"
#include "l1emu/stream/test_vector.h"

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace stream = l1emu::stream;
namespace board = l1emu::board;
using l1emu::app::UsageError;

constexpr const char* kUsage =
    "usage: l1emu patterns encode --input FILE.h5|TESTVECTOR --protocol ugt-mp7|emp64 --format emp-v1|emp-v2|apx\n"
    "                             --output DIR [--events N] [options]\n"
    "       l1emu patterns decode --protocol ugt-mp7|emp64 --output FILE.h5 [--format F] FILE...\n\n"
    "encode reads events (a 40 MHz dataset HDF5 file, or a uGT test vector), stamps them onto the\n"
    "bunch crossings of a filling scheme (test vectors keep their own BX), encodes them on the links of\n"
    "the protocol and writes pattern files of at most --frames-per-file frames: DIR/<stem>_0000.txt, ...\n"
    "Faults can be injected into the frames before writing (seeded, counted in the summary).\n"
    "decode reads pattern files in the order given (the format is detected from the first line unless\n"
    "--format is given), decodes the events and writes them in the dataset layout (only the slots the\n"
    "layout has: MET, 4 e/gamma, 4 muons, 10 jets). Link errors are counted per link and kind; damaged\n"
    "packets lose their event, never decode into garbage. Exit 0 on success (link errors included),\n"
    "1 with a message naming file and line on unreadable input, 2 for a bad command line.\n\n";

void add_protocol_options(po::options_description& options) {
  options.add_options()
      ("protocol", po::value<std::string>(), "link protocol: ugt-mp7 or emp64")
      ("tmux", po::value<int>()->default_value(6), "emp64: time multiplexing period")
      ("frames-per-bx", po::value<int>()->default_value(9), "emp64: frames per bunch crossing (9 = 360 MHz, 6 = 240 MHz)")
      ("gap", po::value<int>()->default_value(6), "emp64: interpacket gap in frames")
      ("offset", po::value<int>()->default_value(0), "emp64: idle frames before the first packet")
      ("crc", "emp64: append a CRC-32 word to every event");
}

stream::LinkProtocolConfig protocol_config(const po::variables_map& vm) {
  if (vm.count("protocol") == 0U) throw UsageError("--protocol is required");
  stream::LinkProtocolConfig c;
  c.name = vm["protocol"].as<std::string>();
  c.tmux = vm["tmux"].as<int>();
  c.frames_per_bx = vm["frames-per-bx"].as<int>();
  c.interpacket_gap = vm["gap"].as<int>();
  c.offset = vm["offset"].as<int>();
  c.crc = vm.count("crc") != 0U;
  return c;
}

std::unique_ptr<stream::LinkProtocol> make_protocol(const po::variables_map& vm) {
  try {
    return stream::make_link_protocol(protocol_config(vm));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

std::unique_ptr<stream::PatternFormat> make_format(const std::string& name) {
  try {
    return stream::make_pattern_format(name);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}


bool is_hdf5(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char signature[8] = {};
  in.read(signature, sizeof signature);
  return in.gcount() == 8 && std::string_view(signature, 8) == std::string_view("\x89HDF\r\n\x1a\n", 8);
}

// The registered event source of `kind` (board/event_source.h) reading `file`, as replay uses it.
std::unique_ptr<board::EventSource> make_source(const char* kind, const fs::path& file, const board::EventSourceOptions& options) {
  board::SourceConfig config;
  config.kind = kind;
  config.file = file;
  return board::make_event_source(config, options);
}

std::vector<stream::Event> read_events(const fs::path& input, std::int64_t limit, const std::string& scheme_name,
                                       const stream::DataPolicyConfig& policy, std::string& description) {
  if (!fs::exists(input)) throw stream::DataError(fmt::format("{}: no such file", input.string()));
  std::vector<stream::Event> events;
  const auto room = [&] { return limit < 0 || static_cast<std::int64_t>(events.size()) < limit; };
  if (is_hdf5(input)) {
    stream::FillingSchemeConfig scheme_config;
    if (fs::exists(scheme_name)) {
      scheme_config.name = "file";
      scheme_config.file = scheme_name;
    } else {
      scheme_config.name = scheme_name;
    }
    std::unique_ptr<stream::FillingScheme> scheme;
    try {
      scheme = stream::make_filling_scheme(scheme_config);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    board::EventSourceOptions options;
    options.data_policy = policy;
    const auto source = make_source("dataset", input, options);
    stream::BxAssigner assigner(*scheme);
    stream::Event e;
    std::uint8_t sample = 0;
    while (room() && source->next(e, sample)) {
      assigner.assign(e);
      events.push_back(e);
    }
    description = fmt::format("dataset {} on filling scheme {} (data policy: {})", input.string(), scheme->name(),
                              source->data_problems().summary());
  } else {
    // A test vector keeps its own BX; encode takes part of an orbit too.
    board::EventSourceOptions options;
    options.require_full_orbit = false;
    const auto source = make_source("testvector", input, options);
    stream::Event e;
    std::uint8_t sample = 0;
    while (room() && source->next(e, sample)) events.push_back(e);
    description = fmt::format("uGT test vector {}", input.string());
  }
  return events;
}

int encode(const std::vector<std::string>& args) {
  po::options_description options("patterns encode options");
  options.add_options()
      ("help,h", "print this help")
      ("input", po::value<std::string>(), "40 MHz dataset (HDF5) or uGT test vector (text)")
      ("format", po::value<std::string>(), "pattern-file format: emp-v1, emp-v2 or apx")
      ("output", po::value<std::string>(), "output directory")
      ("events", po::value<std::int64_t>()->default_value(-1), "events to encode at most (default: all)")
      ("filling-scheme", po::value<std::string>()->default_value("nominal-25ns"),
       "all, nominal-25ns, or a file of colliding BX (datasets only)")
      ("eta-policy", po::value<std::string>()->default_value("zero"),
       "datasets: objects beyond the eta acceptance: zero, keep, clamp or reject (the event); files decoded by\n"
       "'patterns decode' hold hardware-rounded eta that can lie just beyond it: use keep to re-encode them")
      ("frames-per-file", po::value<std::size_t>()->default_value(1024), "frames per pattern file at most (0: one file)")
      ("stem", po::value<std::string>()->default_value("patterns"), "file names: <stem>_0000.txt, ...")
      ("board", po::value<std::string>()->default_value("l1emu"), "board name in the file headers")
      ("overwrite", "replace pattern files of the same stem already in the output directory")
      ("fault-seed", po::value<std::uint64_t>()->default_value(1), "seed of the fault injector")
      ("bit-flip-rate", po::value<double>()->default_value(0.0), "faults: probability per data bit of a valid frame")
      ("drop-rate", po::value<double>()->default_value(0.0), "faults: probability per valid frame of losing it")
      ("repeat-rate", po::value<double>()->default_value(0.0), "faults: probability per valid frame of repeating the previous one")
      ("missing-eop-rate", po::value<double>()->default_value(0.0), "faults: probability per packet of losing end of packet")
      ("misalign-rate", po::value<double>()->default_value(0.0), "faults: probability per packet of a one-frame shift");
  add_protocol_options(options);
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  for (const char* required : {"input", "format", "output"})
    if (vm.count(required) == 0U) throw UsageError(fmt::format("--{} is required", required));
  const auto protocol = make_protocol(vm);
  const auto format = make_format(vm["format"].as<std::string>());
  stream::FaultConfig faults;
  faults.seed = vm["fault-seed"].as<std::uint64_t>();
  faults.bit_flip_rate = vm["bit-flip-rate"].as<double>();
  faults.dropped_frame_rate = vm["drop-rate"].as<double>();
  faults.repeated_frame_rate = vm["repeat-rate"].as<double>();
  faults.missing_end_of_packet_rate = vm["missing-eop-rate"].as<double>();
  faults.misaligned_packet_rate = vm["misalign-rate"].as<double>();
  std::optional<stream::FaultInjector> injector;
  try {
    injector.emplace(faults);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }

  stream::DataPolicyConfig policy;
  try {
    policy.eta_out_of_acceptance = stream::parse_data_action(vm["eta-policy"].as<std::string>());
    policy.validate();
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--eta-policy: {}", e.what()));
  }

  const auto start = std::chrono::steady_clock::now();
  std::string description;
  const auto events = read_events(vm["input"].as<std::string>(), vm["events"].as<std::int64_t>(),
                                  vm["filling-scheme"].as<std::string>(), policy, description);
  const auto read_done = std::chrono::steady_clock::now();
  stream::LinkFrames frames = protocol->encode(events);
  frames.board = vm["board"].as<std::string>();
  const auto encode_done = std::chrono::steady_clock::now();
  const stream::FaultReport report = injector->inject(frames);
  stream::PatternWriteOptions write_options;
  write_options.max_frames_per_file = vm["frames-per-file"].as<std::size_t>();
  write_options.stem = vm["stem"].as<std::string>();
  write_options.overwrite = vm.count("overwrite") != 0U;
  const auto files = stream::write_pattern_files(*format, frames, vm["output"].as<std::string>(), write_options);
  const auto end = std::chrono::steady_clock::now();

  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  const double encode_s = seconds(read_done, encode_done);
  fmt::print("l1emu patterns encode: {} events from {}\n", events.size(), description);
  fmt::print("  protocol {}: {} links x {} frames; format {}: {} files in {}\n", protocol->name(), frames.links.size(),
             frames.frame_count(), format->name(), files.size(), vm["output"].as<std::string>());
  if (report.faults.empty()) {
    fmt::print("  faults injected: none\n");
  } else {
    std::string counts;
    for (int k = 0; k < stream::kFaultKindCount; ++k)
      if (report.counts[k] != 0)
        counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", stream::to_string(static_cast<stream::FaultKind>(k)),
                              report.counts[k]);
    fmt::print("  faults injected (seed {}): {}\n", faults.seed, counts);
  }
  fmt::print("  read {:.2f} s, encode {:.3f} s ({:.0f} events/s), write {:.2f} s\n", seconds(start, read_done), encode_s,
             encode_s > 0 ? static_cast<double>(events.size()) / encode_s : 0.0, seconds(encode_done, end));
  return 0;
}

int decode(const std::vector<std::string>& args) {
  po::options_description options("patterns decode options");
  options.add_options()
      ("help,h", "print this help")
      ("output", po::value<std::string>(), "output HDF5 file (40 MHz dataset layout)")
      ("format", po::value<std::string>(), "pattern-file format (default: detected from the first file)")
      ("first-orbit", po::value<std::uint64_t>()->default_value(0), "ugt-mp7: orbit number of the first orbit")
      ("files", po::value<std::vector<std::string>>(), "pattern files, in order");
  add_protocol_options(options);
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm, &positional)) return 0;
  if (vm.count("output") == 0U) throw UsageError("--output is required");
  if (vm.count("files") == 0U) throw UsageError("no pattern files given");
  const auto protocol = make_protocol(vm);
  std::vector<fs::path> files;
  for (const auto& f : vm["files"].as<std::vector<std::string>>()) files.emplace_back(f);

  const auto start = std::chrono::steady_clock::now();
  const std::string format_name =
      vm.count("format") != 0U ? vm["format"].as<std::string>() : stream::detect_pattern_format(files.front());
  const auto format = make_format(format_name);
  for (const auto& f : files) {
    const std::string detected = stream::detect_pattern_format(f);
    if (detected != format->name())
      throw stream::DataError(fmt::format("{}: a {} file, but the files are read as {}", f.string(), detected, format->name()));
  }
  const stream::LinkFrames frames = stream::read_pattern_files(*format, files);
  const auto read_done = std::chrono::steady_clock::now();
  stream::DecodeOptions decode_options;
  decode_options.packet_flags = format->carries_packet_flags();
  decode_options.first_orbit = vm["first-orbit"].as<std::uint64_t>();
  const stream::DecodeResult result = protocol->decode(frames, decode_options);
  const auto decode_done = std::chrono::steady_clock::now();
  stream::DatasetWriter writer(vm["output"].as<std::string>());
  for (const auto& e : result.events) writer.write(e);
  writer.close();
  const auto end = std::chrono::steady_clock::now();

  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  const double decode_s = seconds(read_done, decode_done);
  fmt::print("l1emu patterns decode: {} files ({}), {} links x {} frames\n", files.size(), format->name(), frames.links.size(),
             frames.frame_count());
  fmt::print("  protocol {}: {} events decoded of {} event slots, {} dropped; written to {}\n", protocol->name(),
             result.events.size(), result.event_slots, result.dropped_events, writer.path().string());
  fmt::print("  link errors: {}\n", result.errors.summary());
  for (const auto& [link, counts] : result.errors.by_link()) {
    std::string line;
    for (int k = 0; k < stream::kLinkErrorKindCount; ++k)
      if (counts[k] != 0)
        line += fmt::format("{}{} {}", line.empty() ? "" : ", ", stream::to_string(static_cast<stream::LinkErrorKind>(k)),
                            counts[k]);
    fmt::print("    link {:3d}: {}\n", link, line);
  }
  fmt::print("  read {:.2f} s, decode {:.3f} s ({:.0f} events/s), write {:.2f} s\n", seconds(start, read_done), decode_s,
             decode_s > 0 ? static_cast<double>(result.event_slots) / decode_s : 0.0, seconds(decode_done, end));
  return 0;
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("expected 'encode' or 'decode'");
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "encode") return encode(rest);
  if (args[0] == "decode") return decode(rest);
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage << "Run 'l1emu patterns encode --help' or 'l1emu patterns decode --help' for the options.\n";
    return 0;
  }
  throw UsageError(fmt::format("unknown action '{}': expected 'encode' or 'decode'", args[0]));
}

const l1emu::app::CommandRegistrar registrar{
    {"patterns", "events <-> link pattern files (ugt-mp7, emp64; EMP v1/v2, APx), with fault injection", &run}};

}  // namespace

// l1emu generate: synthetic events in the 40 MHz dataset layout (stream/event_generator.h).
#include <fmt/format.h>

// GCC 12 at -O2 flags a possible null dereference inside Boost.program_options'
// typed_value<std::string>::notify (basic_string::assign, inlined); the pattern is Boost's, not ours.
// Middle-end warnings are issued after inlining, so the suppression has to cover the whole file.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "l1emu/stream/dataset_writer.h"
#include "l1emu/stream/event_generator.h"

namespace {

namespace po = boost::program_options;
namespace stream = l1emu::stream;

constexpr const char* kUsage =
    "usage: l1emu generate --process background|ato4l|lq_btau|htautau|htaunu --events N [--seed S]\n"
    "                      --output FILE.h5 [--dtype float32|float64] [--pileup-jets MEAN]\n\n"
    "Writes synthetic events in the layout of the LHC 40 MHz anomaly-detection dataset (Particles\n"
    "(N,19,4), Particles_Names, Particles_Classes, EvtId). This is a test and demo generator, not a\n"
    "physics generator: simple resonance kinematics, collinear tau decays and Gaussian smearing, so\n"
    "the trigger chain has plausible input without external data. Same seed, same file.\n\n";

int run(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("help,h", "print this help")
      ("process", po::value<std::string>(), "background (W, QCD, Z, ttbar mix), ato4l, lq_btau, htautau, htaunu")
      ("events", po::value<std::int64_t>(), "number of events to write (after the single-lepton filter)")
      ("seed", po::value<std::uint64_t>()->default_value(1), "random seed")
      ("output", po::value<std::string>(), "output HDF5 file")
      ("dtype", po::value<std::string>()->default_value("float32"), "element type of Particles: float32 or float64")
      ("pileup-jets", po::value<double>()->default_value(2.5), "mean number of soft pileup-like jets per event");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  for (const char* required : {"process", "events", "output"})
    if (vm.count(required) == 0U) throw l1emu::app::UsageError(fmt::format("--{} is required", required));

  stream::GeneratorConfig config;
  try {
    config.process = stream::parse_process(vm["process"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw l1emu::app::UsageError(e.what());
  }
  const std::int64_t events = vm["events"].as<std::int64_t>();
  if (events < 0) throw l1emu::app::UsageError("--events must be >= 0");
  config.seed = vm["seed"].as<std::uint64_t>();
  config.pileup_jets_mean = vm["pileup-jets"].as<double>();
  if (!(config.pileup_jets_mean >= 0.0 && config.pileup_jets_mean < 50.0))
    throw l1emu::app::UsageError("--pileup-jets must be in [0, 50)");
  stream::DatasetWriterOptions writer_options;
  const std::string dtype = vm["dtype"].as<std::string>();
  if (dtype == "float32") writer_options.element_type = stream::FloatType::float32;
  else if (dtype == "float64") writer_options.element_type = stream::FloatType::float64;
  else throw l1emu::app::UsageError(fmt::format("--dtype '{}': expected float32 or float64", dtype));

  const auto start = std::chrono::steady_clock::now();
  stream::EventGenerator generator(config);
  stream::DatasetWriter writer(vm["output"].as<std::string>(), writer_options);
  std::array<std::uint64_t, 5> objects{};  // by ParticleClass
  for (std::int64_t i = 0; i < events; ++i) {
    const stream::DatasetEvent event = generator.next();
    for (const auto& row : event.rows) ++objects[static_cast<std::size_t>(row.cls)];
    writer.write(event);
  }
  writer.close();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto& stats = generator.stats();
  const double n = events > 0 ? static_cast<double>(events) : 1.0;
  fmt::print("l1emu generate: {} events of {} (seed {}) written to {}\n", events, stream::to_string(config.process),
             config.seed, writer.path().string());
  fmt::print("  objects: MET {}, electrons {} ({:.2f}/event), muons {} ({:.2f}/event), jets {} ({:.2f}/event)\n",
             objects[1], objects[2], objects[2] / n, objects[3], objects[3] / n, objects[4], objects[4] / n);
  if (config.process == stream::Process::background) {
    const auto& s = stats.accepted_by_subprocess;
    fmt::print("  mix: W->lnu {}, QCD {}, Z->ll {}, ttbar {}\n", s[0], s[1], s[2], s[3]);
  }
  fmt::print("  filter efficiency {:.3f} ({} attempts); {:.2f} s, {:.0f} events/s\n",
             stats.attempts > 0 ? static_cast<double>(stats.accepted) / static_cast<double>(stats.attempts) : 0.0,
             stats.attempts, seconds, seconds > 0 ? static_cast<double>(events) / seconds : 0.0);
  return 0;
}

const l1emu::app::CommandRegistrar registrar{
    {"generate", "write synthetic events in the 40 MHz dataset layout (test and demo generator)", &run}};

}  // namespace

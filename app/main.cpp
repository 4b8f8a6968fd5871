// l1emu: bit-accurate FPGA emulator and trigger-board simulator for anomaly-detection triggers.
// Thin dispatcher: every subcommand is a registered Command (see command.h).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "command.h"

namespace {

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "usage: l1emu <command> [options]\n\n"
               "l1emu emulates hls4ml anomaly-detection firmware bit for bit and simulates the trigger board\n"
               "around it. Commands:\n");
  for (const auto& c : l1emu::app::registered_commands()) {
    std::fprintf(out, "  %-10s %.*s\n", std::string(c.name).c_str(), static_cast<int>(c.summary.size()),
                 c.summary.data());
  }
  std::fprintf(out, "\nRun 'l1emu <command> --help' for the options of a command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("l1emu 0.1.0\n");
    return 0;
  }
  for (const auto& command : l1emu::app::registered_commands()) {
    if (command.name != name) continue;
    const std::vector<std::string> args(argv + 2, argv + argc);
    try {
      return command.run(args);
    } catch (const l1emu::app::UsageError& e) {
      std::fprintf(stderr, "l1emu %s: %s (see 'l1emu %s --help')\n", name.c_str(), e.what(), name.c_str());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "l1emu %s: %s\n", name.c_str(), e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "l1emu: unknown command '%s'\n\n", name.c_str());
  print_usage(stderr);
  return 2;
}

// l1emu: bit-accurate FPGA emulator and trigger-board simulator for anomaly-detection triggers.
// Thin dispatcher: every subcommand is a registered Command (see command.h).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "command.h"
#include "l1emu/registry/registry.h"
#include "l1emu/text/excerpt.h"

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

// Standard output is an output like any file (shared/DESIGN.md, Reliability policy): what a command
// printed there is flushed and checked before the exit status says success. A full disk or a
// closed pipe behind `>` is an error, not exit 0 with a truncated result.
int check_standard_output(const std::string& name, int status) {
  std::cout.flush();
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout;
  if (!failed) return status;
  const int error = errno;
  std::fprintf(stderr, "l1emu %s: writing to standard output failed (%s)\n", name.c_str(),
               error != 0 ? std::strerror(error) : "an earlier write failed");
  return status == 0 ? 1 : status;
}

// The command line, cut short, to name the inputs when nothing more precise is known.
std::string arguments_excerpt(const std::vector<std::string>& args) {
  std::string text;
  for (const auto& a : args) text += (text.empty() ? "" : " ") + a;
  return text.size() > 200 ? text.substr(0, 200) + "..." : text;
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
  const l1emu::app::Command* found = nullptr;
  try {
    found = &l1emu::app::get_command(name);
  } catch (const l1emu::registry::UnknownNameError& e) {
    std::fprintf(stderr, "l1emu: %s\n\n", e.what());
    print_usage(stderr);
    return 2;
  }
  {
    const l1emu::app::Command& command = *found;
    const std::vector<std::string> args(argv + 2, argv + argc);
    int status = 1;
    try {
      status = command.run(args);
    } catch (const l1emu::app::UsageError& e) {
      std::fprintf(stderr, "l1emu %s: %s (see 'l1emu %s --help')\n", name.c_str(), l1emu::text::single_line(e.what()).c_str(),
                   name.c_str());
      status = 2;
    } catch (const std::bad_alloc&) {
      // An allocation sized from an input that passed every check but still exceeds the memory.
      std::fprintf(stderr, "l1emu %s: out of memory with the inputs of '%s' (a size declared in one of them is too large)\n", name.c_str(),
                   arguments_excerpt(args).c_str());
      status = 1;
    } catch (const std::exception& e) {
      // One line whatever the message echoes (input bytes, a third-party library's text).
      std::fprintf(stderr, "l1emu %s: %s\n", name.c_str(), l1emu::text::single_line(e.what()).c_str());
      status = 1;
    }
    return check_standard_output(name, status);
  }
}

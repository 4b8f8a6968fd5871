#pragma once
// Runs the built l1emu executable (path baked in as L1EMU_BINARY) and captures its exit status and
// standard error, for command-line tests.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace l1emu::testing {

struct CommandResult {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
  bool crashed = false;  // killed by a signal (abort, segfault)
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `l1emu <arguments>` through the shell (arguments are passed as written).
inline CommandResult run_l1emu(const std::string& arguments) {
  static int counter = 0;
  const auto tmp = std::filesystem::temp_directory_path() /
                   ("l1emu_cmd_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string out = tmp.string() + ".out", err = tmp.string() + ".err";
  const std::string command = std::string(L1EMU_BINARY) + " " + arguments + " >" + out + " 2>" + err;
  const int status = std::system(command.c_str());
  CommandResult r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  // The shell reports a child killed by signal N as exit status 128+N.
  r.crashed = WIFSIGNALED(status) || (r.exit_code > 128);
  r.stdout_text = read_file(out);
  r.stderr_text = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace l1emu::testing

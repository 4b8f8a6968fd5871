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

/// Runs `l1emu <arguments>` through the shell (arguments are passed as written), after the shell
/// commands of `setup` (limits, traps) when given.
inline CommandResult run_l1emu(const std::string& arguments, const std::string& setup = "") {
  static int counter = 0;
  const auto tmp = std::filesystem::temp_directory_path() /
                   ("l1emu_cmd_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string out = tmp.string() + ".out", err = tmp.string() + ".err";
  const std::string command = (setup.empty() ? "" : setup + "; exec ") + std::string(L1EMU_BINARY) + " " + arguments + " >" + out + " 2>" + err;
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

/// Runs l1emu as on a nearly full disk, without privileges: no file it writes may grow beyond
/// `kib` KiB (RLIMIT_FSIZE; writes beyond fail with EFBIG, SIGXFSZ ignored as a full disk sends none).
/// Its standard output and error are files too: keep them under the limit.
inline CommandResult run_l1emu_on_a_full_disk(const std::string& arguments, int kib) {
  // POSIX sh counts ulimit -f in 512-byte blocks.
  return run_l1emu(arguments, "ulimit -f " + std::to_string(kib * 2) + "; trap '' XFSZ");
}

}  // namespace l1emu::testing

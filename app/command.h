#pragma once
// Subcommands of the l1emu executable. Each lives in its own file and registers itself by name in
// one line; main() only dispatches. Commands parse their options and call the libraries.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace l1emu::app {

struct Command {
  std::string_view name;
  std::string_view summary;
  /// Runs the command with the arguments after its name; returns the process exit code.
  int (*run)(const std::vector<std::string>& args);
};

/// Thrown for a bad command line (unknown option, missing value); main prints usage and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void register_command(const Command& command);
/// The commands in name order.
std::vector<Command> registered_commands();
/// Throws registry::UnknownNameError listing the commands.
const Command& get_command(std::string_view name);

struct CommandRegistrar {
  explicit CommandRegistrar(const Command& command) { register_command(command); }
};

}  // namespace l1emu::app

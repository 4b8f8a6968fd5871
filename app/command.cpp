#include "command.h"

#include <algorithm>

namespace l1emu::app {
namespace {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

}  // namespace

void register_command(const Command& command) {
  auto& commands = registry();
  commands.push_back(command);
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
}

const std::vector<Command>& registered_commands() { return registry(); }

}  // namespace l1emu::app

#include "command.h"

#include "l1emu/registry/registry.h"

namespace l1emu::app {
namespace {

registry::Registry<Command>& commands() {
  static registry::Registry<Command> r("command");
  return r;
}

}  // namespace

void register_command(const Command& command) { commands().add(std::string(command.name), command); }

std::vector<Command> registered_commands() {
  std::vector<Command> out;
  for (const auto& [name, command] : commands().entries()) out.push_back(command);
  return out;
}

const Command& get_command(std::string_view name) { return commands().get(name); }

}  // namespace l1emu::app

#include "l1emu/stream/link_protocol.h"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "builtin_registrations.h"

namespace l1emu::stream {
namespace {

std::map<std::string, LinkProtocolFactory, std::less<>>& registry() {
  static std::map<std::string, LinkProtocolFactory, std::less<>> r;
  return r;
}

void register_builtins() {
  static const bool done = [] {
    detail::register_ugt_mp7_protocol();
    detail::register_emp64_protocol();
    return true;
  }();
  (void)done;
}

}  // namespace

bool register_link_protocol(std::string name, LinkProtocolFactory factory) {
  registry()[std::move(name)] = std::move(factory);
  return true;
}

std::vector<std::string> link_protocol_names() {
  register_builtins();
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

std::unique_ptr<LinkProtocol> make_link_protocol(const LinkProtocolConfig& config) {
  register_builtins();
  const auto it = registry().find(config.name);
  if (it == registry().end())
    throw std::invalid_argument(
        fmt::format("unknown link protocol '{}' (known: {})", config.name, fmt::join(link_protocol_names(), ", ")));
  return it->second(config);
}

}  // namespace l1emu::stream

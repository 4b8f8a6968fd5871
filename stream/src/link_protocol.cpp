#include "l1emu/stream/link_protocol.h"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "builtin_registrations.h"
#include "l1emu/registry/registry.h"

namespace l1emu::stream {
namespace {

registry::Registry<LinkProtocolFactory>& protocols() {
  static registry::Registry<LinkProtocolFactory> r("link protocol");
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
  return protocols().add(std::move(name), std::move(factory));
}

std::vector<std::string> link_protocol_names() {
  register_builtins();
  return protocols().names();
}

std::unique_ptr<LinkProtocol> make_link_protocol(const LinkProtocolConfig& config) {
  register_builtins();
  return protocols().get(config.name)(config);
}

}  // namespace l1emu::stream

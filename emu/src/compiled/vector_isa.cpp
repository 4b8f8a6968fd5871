#include "l1emu/emu/compiled/vector_isa.h"

#include <hwy/highway.h>
#include <hwy/targets.h>

#include <cstdint>
#include <stdexcept>

namespace l1emu::emu {
namespace {

std::int64_t g_restriction = 0;  // the mask passed to SetSupportedTargetsForTest (0: none)

// Targets this library compiles its dispatched kernels for (HWY_TARGETS of this translation unit
// equals that of the kernel files: same flags) and the CPU supports, best (lowest bit) first.
std::vector<std::int64_t> usable_targets() {
  std::vector<std::int64_t> out;
  const std::int64_t mask = hwy::SupportedTargets() & HWY_TARGETS;
  for (std::int64_t t = mask; t != 0; t &= t - 1) out.push_back(t & ~(t - 1));
  return out;
}

}  // namespace

std::string active_vector_isa() {
  const auto targets = usable_targets();
  return targets.empty() ? std::string(hwy::TargetName(HWY_STATIC_TARGET)) : std::string(hwy::TargetName(targets.front()));
}

std::vector<std::string> available_vector_isas() {
  hwy::SetSupportedTargetsForTest(0);  // the CPU's own list, not the restriction in force
  std::vector<std::string> names;
  for (const std::int64_t t : usable_targets()) names.emplace_back(hwy::TargetName(t));
  hwy::SetSupportedTargetsForTest(g_restriction);
  return names;
}

void restrict_vector_isa(const std::string& name) {
  std::int64_t allowed = 0;
  if (!name.empty()) {
    hwy::SetSupportedTargetsForTest(0);
    bool found = false;
    // Targets are bits with better sets at lower bits: keep `name` and everything below it.
    for (const std::int64_t t : usable_targets()) {
      if (name == hwy::TargetName(t)) found = true;
      if (found) allowed |= t;
    }
    hwy::SetSupportedTargetsForTest(g_restriction);  // unchanged if the name is refused
    if (!found) {
      std::string list;
      for (const auto& n : available_vector_isas()) list += (list.empty() ? "" : ", ") + n;
      throw std::invalid_argument("instruction set '" + name + "' is not available here (available: " + list + ")");
    }
  }
  g_restriction = allowed;
  hwy::SetSupportedTargetsForTest(allowed);
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}

}  // namespace l1emu::emu

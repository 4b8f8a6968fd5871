#pragma once
// Gives each event of the replay its orbit and BX (internal): the filling scheme's next colliding
// slot, or, for a test vector (events with their own BX), the next orbit when the vector starts
// over (a test vector is one orbit; a second pass over it is the next orbit).
#include <cstdint>

#include "l1emu/stream/event.h"
#include "l1emu/stream/filling_scheme.h"
#include "l1emu/stream/lhc_clock.h"

namespace l1emu::board::detail {

class BxStamper {
 public:
  /// `assigner` null: the events keep their own BX.
  explicit BxStamper(stream::BxAssigner* assigner) : assigner_(assigner) {}
  void stamp(stream::Event& e) {
    if (assigner_ != nullptr) {
      (void)assigner_->assign(e);
    } else if (have_bx_ && stream::BunchCrossing{e.orbit, e.bx}.global_index() <= last_global_bx_) {
      e.orbit = last_global_bx_ / stream::kBxPerOrbit + 1;
    }
    last_global_bx_ = stream::BunchCrossing{e.orbit, e.bx}.global_index();
    have_bx_ = true;
  }

 private:
  stream::BxAssigner* assigner_;
  std::uint64_t last_global_bx_ = 0;
  bool have_bx_ = false;
};

}  // namespace l1emu::board::detail

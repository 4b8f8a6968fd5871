#include "l1emu/board/state_packer.h"

namespace l1emu::board {

StatePacker::StatePacker(long usable_ps) : usable_ps_(usable_ps > 0 ? usable_ps : 1) {}

void StatePacker::add(long delay_ps) {
  if (delay_ps < 0) delay_ps = 0;
  if (open_ && states_.back() + delay_ps <= usable_ps_) {
    states_.back() += delay_ps;
    return;
  }
  // A new state; an operation longer than a state fills (delay / usable) whole states first.
  while (delay_ps > usable_ps_) {
    states_.push_back(usable_ps_);
    delay_ps -= usable_ps_;
  }
  states_.push_back(delay_ps);
  open_ = true;
}

void StatePacker::register_output() { open_ = false; }

void StatePacker::add_block(const std::vector<long>& state_delays_ps) {
  for (std::size_t i = 0; i < state_delays_ps.size(); ++i) {
    if (i > 0) register_output();
    add(state_delays_ps[i]);
  }
}

}  // namespace l1emu::board

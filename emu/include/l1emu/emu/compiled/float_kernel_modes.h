#pragma once
// The float conversion kernels are instantiated per rounding and overflow mode, so that the
// compiler sees no branch on the mode inside the loop it vectorizes. with_modes calls
// f.template operator()<Q, O, kSigned>() for a type's modes (SAT_SYM as SAT: the type's range,
// which the kernels read, says it; the sign matters to WRAP only).
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

template <class F>
void with_modes(emu::Quantization quantization, emu::Overflow overflow, bool is_signed, F&& f) {
  using emu::Overflow;
  using emu::Quantization;
  const auto by_overflow = [&]<Quantization Q>() {
    switch (overflow) {
      case Overflow::Sat:
      case Overflow::SatSym: return f.template operator()<Q, Overflow::Sat, true>();
      case Overflow::SatZero: return f.template operator()<Q, Overflow::SatZero, true>();
      case Overflow::Wrap: return is_signed ? f.template operator()<Q, Overflow::Wrap, true>() : f.template operator()<Q, Overflow::Wrap, false>();
    }
  };
  switch (quantization) {
    case Quantization::Trn: return by_overflow.template operator()<Quantization::Trn>();
    case Quantization::Rnd: return by_overflow.template operator()<Quantization::Rnd>();
    case Quantization::RndZero: return by_overflow.template operator()<Quantization::RndZero>();
    case Quantization::RndMinInf: return by_overflow.template operator()<Quantization::RndMinInf>();
    case Quantization::RndInf: return by_overflow.template operator()<Quantization::RndInf>();
    case Quantization::RndConv: return by_overflow.template operator()<Quantization::RndConv>();
    case Quantization::TrnZero: return by_overflow.template operator()<Quantization::TrnZero>();
  }
}

}  // namespace l1emu::emu

#pragma once
// FixedArray: an array of raw codes that all share one FixedType (a layer's output, a model input).
#include <cstddef>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/exact_value.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

struct FixedArray {
  FixedType type;
  std::vector<BigInt> codes;

  [[nodiscard]] std::size_t size() const { return codes.size(); }
  [[nodiscard]] ExactValue value(std::size_t i) const { return ExactValue::of(codes[i], type); }
};

/// The name, size and type of an array flowing through a model (an input or a layer output).
struct ArraySpec {
  std::string name;
  std::size_t size = 0;
  FixedType type;
};

}  // namespace l1emu::emu

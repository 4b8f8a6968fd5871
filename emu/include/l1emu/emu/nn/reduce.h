#pragma once
// nnet::reduce with Op_add<T>: the balanced adder tree hls4ml uses for sums (KL loss, AXOL1TL's
// sum of squares). reduce(x[0..n)) is x0 for n = 1, (x0 + x1)->T for n = 2, and otherwise
// (reduce(first L) + reduce(rest))->T with L = 2^floor(log2(n-1)); every pairwise sum is assigned
// to T, so the tree shape matters under rounding and overflow.
#include <span>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// Sum of codes (all of type t) through the reduce tree; the result is a code of type t.
[[nodiscard]] BigInt reduce_add(std::span<const BigInt> codes, const FixedType& t);

/// The size of the left subtree: 2^floor(log2(n-1)) for n >= 2.
[[nodiscard]] std::size_t reduce_left_size(std::size_t n);

}  // namespace l1emu::emu

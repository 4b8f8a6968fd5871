#pragma once
// Exact integers for the reference arithmetic. Products of two 128-bit codes, alignment shifts and
// conversions of doubles need more than 128 bits, so the specification path uses an unbounded
// integer; it stays in-place (no allocation) for values up to 128 bits, which covers typical models.
#include <boost/multiprecision/cpp_int.hpp>

namespace l1emu::emu {

// Expression templates off: every operation yields a plain BigInt, so `auto` and chained calls are safe.
using BigInt = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<>, boost::multiprecision::et_off>;

}  // namespace l1emu::emu

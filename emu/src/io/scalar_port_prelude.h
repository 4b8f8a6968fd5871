#pragma once
// A top function with scalar ports fills the array its network reads element by element before the
// layer calls; the ATLAS L1Topo AD projects (max-cohen54/AD_trigger_training, L1AD/HLS/FiorDiLatte_*:
// Topo2A_AD_proj with 44 `int` ports) write
//
//   input_preshift_t preshift[N_INPUT_1_1];
//   input_t inputs[N_INPUT_1_1];
//   preshift[0] = input_preshift_t(in_jet_pt_0);   // ap_fixed's constructor from int
//   ...
//   inputs[0] = preshift[0] >> 7;                   // ap_fixed_base::operator>>(int), then assignment
//   ...
//   nnet::dense<input_t, layer2_t, config2>(inputs, layer2_out, w2, b2);
//
// Only these statements are read, each exactly: at the top level of the function body and before
// its first nnet:: call, an element of a local one-dimensional array assigned
//   A[k] = P;   A[k] = T(P);              (P a scalar `int` port, T a type)
//   A[k] = B[k];   A[k] = B[k] >> n;   A[k] = B[k] << n;   (n an integer literal, may be negative)
// every element exactly once, all elements of one array of the same form. Any other statement
// that names a port or such an array is refused with its file, line and text.
#include <string>
#include <vector>

#include "l1emu/emu/fixed/fixed_type.h"
#include "l1emu/emu/io/cpp_declarations.h"

namespace l1emu::emu::detail {

/// A parameter of the top function passed by value with no array dimension.
struct ScalarParameter {
  std::string name;
  std::vector<SourceToken> type;
  std::size_t line = 0;
};

/// One local array the prelude fills, in the order the prelude completes them.
struct PreludeArray {
  enum class Source { Ports, Shift, Copy };
  std::string name;
  FixedType type;  // its element type
  Source source = Source::Ports;
  FixedType cast;                  // Ports: the type T of `T(P)` (the element type for `A[k] = P;`)
  std::vector<std::string> ports;  // Ports: the port each element reads, in element order
  std::string from;                // Shift / Copy: the array B (element k reads B[k])
  std::vector<long> right_shifts;  // Shift: n of `>> n` (`<< n` is -n; a plain copy 0)
  std::string where;               // file:line of its first assignment
};

struct ScalarPortPrelude {
  std::vector<std::string> ports;  // the C int ports the prelude reads, in parameter order
  std::vector<PreludeArray> arrays;
};

/// Reads the prelude of `top` (empty when no statement reads a scalar port). Throws ModelError
/// naming the file, line and statement of anything not read exactly.
[[nodiscard]] ScalarPortPrelude read_scalar_port_prelude(const CppDeclarations& declarations, const FunctionDefinition& top,
                                                         const std::vector<ScalarParameter>& scalars);

}  // namespace l1emu::emu::detail

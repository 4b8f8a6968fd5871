#pragma once
// da4ml distributed arithmetic: the `dense_da_N` functions that hls4ml (>= 1.1, with da4ml) writes
// into nnet_code_gen.h in place of a Dense layer's multiplications (AXOL1TL v6). Each is a list of
// typed statements
//
//   ap_fixed<16, 5> v183 = -bit_shift<-3>(inp[24]) - bit_shift<-3>(inp[38]);
//   ap_fixed<17, 6> v108 = v13 + v73;
//   ap_fixed<15, 8> v9 = v7 + ap_ufixed<1, -2>(0.125);
//   out[0] = v197;
//
// where bit_shift<s>(x) reads x's bits with the binary point moved by s (nnet_function_stubs.h:
// x * 2^s for ap_fixed and ap_ufixed; for ap_int<b> and ap_uint<b> the result is ap_fixed<b, s>,
// x * 2^(s-b)), unary minus, + and - are exact (Xilinx's operators widen), and each assignment
// converts to the declared type. Every output is then a linear form of the inputs plus a constant.
//
// When interval analysis proves that no assignment rounds or overflows, the function is exactly a
// Dense layer (weights = the forms' coefficients, an accumulator wide enough to be exact, the
// output type's conversion at the end), which the compiled engine runs fast. Otherwise the import
// stops and names the first statement that can round or overflow.
#include <cstddef>
#include <string>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/nn/layers/dense.h"

namespace l1emu::emu::detail {

/// True when `name` is the name hls4ml gives a da4ml Dense function.
[[nodiscard]] bool is_adder_graph_function(const std::string& name);

/// The Dense layer config that computes `function` (its definition) on inputs of `input_t`, with
/// outputs converted to `output_t`. Throws ModelError naming the file and line of a statement it
/// cannot read, or of the first that can round or overflow.
[[nodiscard]] Dense::Config adder_graph_as_dense(const CppDeclarations& declarations, const FunctionDefinition& function,
                                                 const FixedType& input_t, const FixedType& output_t, std::size_t n_in, std::size_t n_out);

}  // namespace l1emu::emu::detail

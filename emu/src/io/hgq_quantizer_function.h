#pragma once
// HGQ's heterogeneous quantizer as hls4ml writes it into nnet_utils/nnet_code_gen.h
// (hls4ml/backends/fpga/passes/hgq_proxy_model.py, generate_mask_fn; Vivado/Vitis backends):
//
//   template<typename input_t, typename output_t>
//   void h_quantize(input_t *inp, output_t *out) {
//       #pragma HLS INLINE
//       out[0] = 0;
//       out[1] = ap_ufixed<4,12,AP_RND,AP_WRAP>(inp[1]);
//       ...
//   }
//
// called from the top function as `nnet::h_quantize<input_1_t, h_quantize_t>(input_1, layer2_out);`
// (the namespace is the writer's Namespace, nnet by default).
#include <cstddef>
#include <optional>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"

namespace l1emu::emu::detail {

/// True when `function` has the quantizer's signature: two pointer parameters named inp and out.
[[nodiscard]] bool is_quantizer_function(const FunctionDefinition& function);

/// The type of each of the `n` elements (nullopt: `out[i] = 0;`). Throws ModelError naming the
/// file and line of a statement that is not `out[i] = 0;` or `out[i] = ap_[u]fixed<W,I[,Q[,O[,N]]]>(inp[i]);`,
/// of an element written twice or beyond n, or naming the elements never written.
[[nodiscard]] std::vector<std::optional<FixedType>> quantizer_element_types(const FunctionDefinition& function, std::size_t n);

}  // namespace l1emu::emu::detail

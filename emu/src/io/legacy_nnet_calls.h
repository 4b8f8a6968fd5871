#pragma once
// hls4ml before 0.5 (and the hls-fpga-machine-learning code before it) named three layer functions
// that today's projects call by other names:
// - compute_layer (nnet_layer.h): the io_parallel Dense of the earliest releases;
// - dense_large (nnet_dense_large.h, 0.1.6 ... 0.4): Dense with the Resource strategy, the same
//   reuse loops as 0.5's dense_resource;
// - conv_1d_latency_cl (nnet_conv.h, 0.2 ... 0.4): Conv1D, called directly by the top function;
// and one softmax, without the `implementation` member of 0.5 and later.
// Each is imported as today's layer only when the project's own copy of the function proves that it
// computes the same; hand-edited copies are refused with the statement that differs.
#include <filesystem>
#include <string>

#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu::detail {

struct LegacyCall {
  std::string function;   // the call it is imported as ("dense", "conv_1d_latency_cl")
  bool resource = false;  // dense_large: nnet::dense with the Resource strategy
  std::string evidence;   // "file:line: what the code shows"
};

[[nodiscard]] bool is_legacy_call(const std::string& function);

/// What the legacy `function` is, proven from the project's `nnet_utils` folder; throws ModelError
/// when the folder is missing or its body computes otherwise.
[[nodiscard]] LegacyCall legacy_call(const std::string& function, const std::filesystem::path& nnet_utils);

/// A softmax config without an `implementation` member (hls4ml before 0.5) runs the project's one
/// softmax: the evidence that it is 0.5's softmax_latency, or a ModelError saying what differs.
[[nodiscard]] std::string legacy_softmax_evidence(const std::filesystem::path& nnet_utils);

/// dense_large's general product (a * w) applies unless data or weights are binary or ternary.
void check_legacy_dense_types(const FixedType& data_t, const FixedType& weight_t, const std::string& where);

/// conv_1d_latency_cl adds each filter's products channel by channel (cc outer, jj inner), l1emu's
/// Conv1D kernel position by position: the same sum when accum_t wraps (every product is already
/// in accum_t, so the additions are exact modulo 2^W) or cannot overflow. Throws otherwise.
void check_legacy_conv_order(const FixedType& accum_t, const std::string& where);

}  // namespace l1emu::emu::detail

#pragma once
// The nnet_utils statements from which the importer proves what the calls of hls4ml before 0.5
// compute (emu/src/io/legacy_nnet_calls.cpp): compute_layer, dense_large with nnet_dense.h's product
// and cast, conv_1d_latency_cl and the one softmax. Tests write them into a scratch project at run
// time, in our own wording and only the statements the importer reads; no nnet_utils file is kept in
// the repository (the real ones are hls4ml's code).
#include <filesystem>
#include <string>

#include "import_test_support.h"

namespace l1emu::testing {


struct LegacyEvidence {
  std::string compute_layer =
      "template <class data_T, class res_T, typename CONFIG_T> void compute_layer(data_T data[], res_T res[],\n"
      "    typename CONFIG_T::weight_t weights[CONFIG_T::n_in][CONFIG_T::n_out], typename CONFIG_T::bias_t biases[]) {\n"
      "  data_T cache; typename CONFIG_T::accum_t mult[CONFIG_T::n_in][CONFIG_T::n_out]; typename CONFIG_T::accum_t acc[CONFIG_T::n_out];\n"
      "  for (int ii = 0; ii < CONFIG_T::n_in; ii++) { cache = data[ii];\n"
      "    for (int jj = 0; jj < CONFIG_T::n_out; jj++) { mult[ii][jj] = cache * weights[ii][jj]; } }\n"
      "  for (int iacc = 0; iacc < CONFIG_T::n_out; iacc++) { acc[iacc] = (typename CONFIG_T::accum_t) biases[iacc]; }\n"
      "  for (int ii = 0; ii < CONFIG_T::n_in; ii++) for (int jj = 0; jj < CONFIG_T::n_out; jj++) { acc[jj] += mult[ii][jj]; }\n"
      "  for (int ires = 0; ires < CONFIG_T::n_out; ires++) { res[ires] = (res_T) (acc[ires]); }\n"
      "}\n";
  std::string dense_large =
      "template <class data_T, class res_T, typename CONFIG_T> void dense_large_rf_leq_nin(data_T data[], res_T res[],\n"
      "    typename CONFIG_T::weight_t weights[], typename CONFIG_T::bias_t biases[]) {\n"
      "  for (int iacc = 0; iacc < CONFIG_T::n_out; iacc++) { acc[iacc] = (typename CONFIG_T::accum_t) biases[iacc]; }\n"
      "  for (int ir = 0; ir < rufactor; ir++) for (int im = 0; im < block_factor; im++) {\n"
      "    acc[out_index] += product<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::accum_t>(data[in_index], weights[w_index]);\n"
      "    w_index += rufactor; }\n"
      "  for (int ires = 0; ires < CONFIG_T::n_out; ires++) { res[ires] = cast<data_T, res_T, CONFIG_T>(acc[ires]); }\n"
      "}\n"
      "template <class data_T, class res_T, typename CONFIG_T> void dense_large(data_T data[], res_T res[],\n"
      "    typename CONFIG_T::weight_t weights[], typename CONFIG_T::bias_t biases[]) {\n"
      "  if (CONFIG_T::reuse_factor <= CONFIG_T::n_in) { dense_large_rf_leq_nin<data_T, res_T, CONFIG_T>(data, res, weights, biases); }\n"
      "}\n";
  std::string dense =
      "// Written by l1emu's tests: nnet_dense.h's general product and cast.\n"
      "template <class data_T, class weight_T, class ret_T> ret_T\n"
      "product(data_T a, weight_T w) {\n  #pragma HLS inline off\n  return a * w; }\n"
      "template <class data_T, class res_T, typename CONFIG_T> res_T cast(typename CONFIG_T::accum_t x) { return (res_T) x; }\n";
  std::string conv =
      "template <class data_T, class res_T, typename CONFIG_T> void conv_1d_latency_cl(data_T data[], res_T res[],\n"
      "    typename CONFIG_T::weight_t weights[], typename CONFIG_T::bias_t biases[]) {\n"
      "  typename CONFIG_T::accum_t mult[CONFIG_T::n_out * CONFIG_T::n_filt * CONFIG_T::n_chan * CONFIG_T::filt_width];\n"
      "  int index_weight = jj*CONFIG_T::n_chan*CONFIG_T::n_filt + cc*CONFIG_T::n_filt + ff;\n"
      "  int index_data = (ii*CONFIG_T::stride+jj-CONFIG_T::pad_left) * CONFIG_T::n_chan + cc;\n"
      "  if (outside) mult[index_mult] = 0; else mult[index_mult] = data[index_data] * weights[index_weight];\n"
      "  acc[ii][ff]=biases[ff];\n"
      "  acc[ii][ff] += mult[index_mult];\n"
      "  res[ii * CONFIG_T::n_filt + ff] = (res_T)(acc[ii][ff]);\n"
      "}\n";
  std::string softmax =
      "template <class data_T, typename CONFIG_T> unsigned softmax_idx_from_real_val(data_T x) {\n"
      "  ap_uint<N> y = x(x.width-1, x.width-N); return y; }\n"
      "template <class data_T, typename CONFIG_T> float softmax_real_val_from_idx(unsigned i) { data_T x(0); x(x.width-1, x.width-N) = i; return x; }\n"
      "template <class data_T, class res_T, typename CONFIG_T> void softmax(data_T data[], res_T res[]) {\n"
      "  init_exp_table<data_T, CONFIG_T>(exp_table); init_invert_table<typename CONFIG_T::exp_table_t, CONFIG_T>(invert_table);\n"
      "  for (unsigned i = 0; i < CONFIG_T::n_in; i++) { unsigned x = softmax_idx_from_real_val<data_T, CONFIG_T>(data[i]); exp_res[i] = exp_table[x]; }\n"
      "  exp_sum = reduce<typename CONFIG_T::exp_table_t, CONFIG_T::n_in, Op_add<typename CONFIG_T::exp_table_t>>(exp_res, op_add);\n"
      "  typename CONFIG_T::inv_table_t inv_exp_sum = invert_table[softmax_idx_from_real_val<typename CONFIG_T::exp_table_t,CONFIG_T>(exp_sum)];\n"
      "  for (unsigned i = 0; i < CONFIG_T::n_in; i++) { res[i] = exp_res[i] * inv_exp_sum; }\n"
      "}\n";
};

inline void write_legacy_evidence(const std::filesystem::path& project, const LegacyEvidence& e = {}) {
  const auto dir = project / "firmware" / "nnet_utils";
  const std::string head = "// Written by l1emu's tests: the statements the importer reads.\n";
  write_text(dir / "nnet_layer.h", head + e.compute_layer);
  write_text(dir / "nnet_dense_large.h", head + e.dense_large);
  write_text(dir / "nnet_dense.h", e.dense);
  write_text(dir / "nnet_conv.h", head + e.conv);
  write_text(dir / "nnet_activation.h", head + e.softmax);
}

}  // namespace l1emu::testing

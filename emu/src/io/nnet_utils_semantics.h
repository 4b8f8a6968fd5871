#pragma once
// What a project's own copy of hls4ml's nnet_utils says about the two functions whose arithmetic
// changed between hls4ml releases, each read on its own:
// - nnet_batchnorm.h `normalize` (with `product` from nnet_mult.h): hls4ml 0.5/0.6 and AE_L1_paper
//   call product<data_T, scale_t, res_T>, whose mult::product returns its third type (res_T), then
//   add the bias: two roundings to res_T. hls4ml >= 0.7 call product<data_T, scale_t>, which returns
//   decltype(a * w) (exact), so data*scale + bias is rounded once. Hand-edited copies write the
//   first form as (res_T)(data[i] * scale[i]) + bias[i].
// - nnet_activation.h `leaky_relu`: alpha is `data_T alpha` up to hls4ml 0.8 and in AE_L1_paper,
//   `param_T alpha` (a template parameter, the config's param_t) from 1.0.
// - nnet_pooling.h `avg` / `pool_op` (io_parallel): up to some 1.0 snapshots pooling works in the
//   input type T (Max compares T values; avg of an ap_fixed / ap_ufixed window has overloads that sum
//   in ap_[u]fixed<W + ceillog2(N), I + ceillog2(N), Q, O> and assign the average back to T); later
//   in the config's accum_t.
// A release is never guessed from one function for the other: 0.7/0.8 round BatchNorm once but
// still type alpha as data_T.
#include <filesystem>
#include <optional>
#include <string>

#include "l1emu/emu/nn/layers/batch_normalization.h"

namespace l1emu::emu::detail {

/// The type leaky_relu's alpha is converted to before alpha * x.
enum class AlphaType {
  DataT,   // leaky_relu(data_T data[], data_T alpha, res_T res[])
  ParamT,  // leaky_relu(data_T data[], param_T alpha, res_T res[])
};

template <class T>
struct Finding {
  T value;
  std::string evidence;  // "file:line: what the code says"
};

/// What io_parallel pooling sums and compares in.
enum class PoolingAccumulator {
  DataT,   // template <typename T, int N> T avg(T (&x)[N]): the input type, divided by N
  AccumT,  // template <typename T, int N, typename accum_t> accum_t avg(T (&x)[N], unsigned length)
};

/// nnet_pooling.h in `nnet_utils`; nullopt when absent or when its avg is neither form.
[[nodiscard]] std::optional<Finding<PoolingAccumulator>> pooling_accumulator_in(const std::filesystem::path& nnet_utils);

/// Which ap_fixed (or ap_ufixed) arrays the "wider accumulator" avg overload of a nnet_pooling.h
/// that pools in the input type takes; every other type takes `T avg(T (&x)[N])`, which sums in T.
enum class WideAvgOverload {
  None,           // no such overload
  Default,        // avg(ap_fixed<W, I> (&x)[N]): only AP_TRN, AP_WRAP, no saturation bits
  NoSatBits,      // avg(ap_fixed<W, I, Q, O> (&x)[N]): any Q and O, no saturation bits
  Any,            // avg(ap_fixed<W, I, Q, O, M> (&x)[N])
};

struct WideAvgOverloads {
  WideAvgOverload signed_form = WideAvgOverload::None;    // ap_fixed
  WideAvgOverload unsigned_form = WideAvgOverload::None;  // ap_ufixed
  std::string evidence;                                   // "file:line: ..." of each overload found
};

/// The wide avg overloads of nnet_pooling.h in `nnet_utils` (None for both when absent).
[[nodiscard]] WideAvgOverloads pooling_wide_avg_overloads_in(const std::filesystem::path& nnet_utils);

/// nnet_image_stream.h in `nnet_utils`: true when its resize_nearest buffers each input row
/// (`data_in_row`, hls4ml 0.7 and later), false when it repeats each pixel in a row (0.5/0.6);
/// nullopt when the file is absent.
[[nodiscard]] std::optional<Finding<bool>> stream_resize_buffers_rows_in(const std::filesystem::path& nnet_utils);

/// How nnet_merge.h's multiply pairs its inputs: element by element (res[ii] = data1[ii] * data2[ii],
/// or hls4ml 1.x's data1[ii % n_elem1] * data2[ii % n_elem2], the same for equal sizes), or the hand
/// edit of cms-hls4ml/L1METML that repeats each data1 value for two data2 values
/// (res[ii*2] = data1[ii] * data2[ii*2]; res[ii*2+1] = data1[ii] * data2[ii*2+1]).
enum class MultiplyForm { Elementwise, RepeatFirstTwice };

/// nnet_merge.h in `nnet_utils`; nullopt when absent or when its multiply is neither form.
[[nodiscard]] std::optional<Finding<MultiplyForm>> multiply_form_in(const std::filesystem::path& nnet_utils);

/// nnet_batchnorm.h (and nnet_mult.h, when present) in `nnet_utils`; nullopt when absent or silent.
[[nodiscard]] std::optional<Finding<BatchNormRounding>> batchnorm_rounding_in(const std::filesystem::path& nnet_utils);

/// nnet_activation.h in `nnet_utils`; nullopt when absent or when it has no leaky_relu.
[[nodiscard]] std::optional<Finding<AlphaType>> leaky_relu_alpha_in(const std::filesystem::path& nnet_utils);

}  // namespace l1emu::emu::detail

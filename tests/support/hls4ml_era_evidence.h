#pragma once
// The evidence the importer reads in a project's firmware/nnet_utils (emu/src/io/nnet_utils_semantics.cpp):
// how normalize calls product, what product::mult returns, how leaky_relu takes alpha. Tests write
// these few lines into a scratch project at run time; no nnet_utils file is kept in the repository
// (the real ones are hls4ml's code). Each file is three to six lines of our own wording, so the
// line numbers the importer's notes cite are fixed: the statement of interest is on kEvidenceLine*.
#include <filesystem>
#include <string>

#include "import_test_support.h"

namespace l1emu::testing {

enum class NormalizeProduct { ThreeTypes, TwoTypes };  // hls4ml 0.5/0.6 (rounds to res_T) or >= 0.7
enum class AlphaType { DataT, ParamT };                 // leaky_relu before or from 1.0

inline constexpr int kEvidenceLineNormalize = 5;  // nnet_batchnorm.h: the product call
inline constexpr int kEvidenceLineMult = 3;       // nnet_mult.h: product's return type
inline constexpr int kEvidenceLineLeakyRelu = 3;  // nnet_activation.h: leaky_relu's signature

inline void write_nnet_utils_evidence(const std::filesystem::path& project, NormalizeProduct product, AlphaType alpha) {
  const auto dir = project / "firmware" / "nnet_utils";
  const bool three = product == NormalizeProduct::ThreeTypes;
  write_text(dir / "nnet_batchnorm.h",
             "// Written by l1emu's tests: only the statement of normalize that the importer reads.\n"
             "template <class data_T, class res_T, typename CONFIG_T>\n"
             "void normalize(data_T data[], res_T res[], typename CONFIG_T::scale_t scale[], typename CONFIG_T::bias_t bias[]) {\n"
             "  for (int ires = 0; ires < CONFIG_T::n_in; ires++)\n"
             "    res[ires] = CONFIG_T::template product<data_T, typename CONFIG_T::scale_t" +
                 std::string(three ? ", res_T" : "") + ">::product(data[ires], scale[ires]) + bias[ires];\n}\n");
  write_text(dir / "nnet_mult.h", "// Written by l1emu's tests: the return type of product::mult.\n" +
                                      std::string(three ? "template <class x_T, class w_T, class y_T> class mult {\n  static y_T product(x_T a, w_T w);\n"
                                                        : "template <class x_T, class w_T> class mult {\n  static auto product(x_T a, w_T w) -> decltype(a * w);\n") +
                                      "};\n");
  write_text(dir / "nnet_activation.h",
             "// Written by l1emu's tests: the signature of leaky_relu.\n" +
                 std::string(alpha == AlphaType::DataT ? "template <class data_T, class res_T, typename CONFIG_T>\n"
                                                         "void leaky_relu(data_T data[], data_T alpha, res_T res[]);\n"
                                                       : "template <class data_T, class param_T, class res_T, typename CONFIG_T>\n"
                                                         "void leaky_relu(data_T data[], param_T alpha, res_T res[]);\n"));
}

enum class PoolingSum { InputType, AccumT };  // nnet_pooling.h's avg before or after accum_t

inline constexpr int kEvidenceLinePooling = 2;  // nnet_pooling.h: avg's template head

/// `overloads`: more text after the head (e.g. an avg overload and its accumulator declaration).
inline void write_pooling_evidence(const std::filesystem::path& project, PoolingSum sum, const std::string& overloads = "") {
  write_text(project / "firmware" / "nnet_utils" / "nnet_pooling.h",
             "// Written by l1emu's tests: the head of avg, which the importer reads.\n" +
                 std::string(sum == PoolingSum::InputType ? "template <typename T, int N> T avg(T (&x)[N]);\n"
                                                          : "template <typename T, int N, typename accum_t> accum_t avg(T (&x)[N], unsigned length);\n") +
                 overloads);
}

}  // namespace l1emu::testing

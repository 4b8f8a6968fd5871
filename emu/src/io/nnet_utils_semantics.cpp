#include "nnet_utils_semantics.h"

#include <vector>

#include "squeezed_source.h"

namespace l1emu::emu::detail {

namespace fs = std::filesystem;

std::optional<Finding<BatchNormRounding>> batchnorm_rounding_in(const fs::path& nnet_utils) {
  const auto bn = read_squeezed(nnet_utils / "nnet_batchnorm.h");
  if (!bn) return std::nullopt;
  const auto range = function_range(*bn, "normalize");
  const std::vector<std::string> patterns{
      "product<data_T,typenameCONFIG_T::scale_t,res_T>::product(",  // 0.5/0.6, AE_L1_paper
      "(res_T)(data[",                                              // the same, written as a cast
      "product<data_T,typenameCONFIG_T::scale_t>::product(",        // >= 0.7
      "data[ires]*scale[",                                          // one expression, no cast
  };
  const Match m = first_of(*bn, range, patterns);
  if (m.at == std::string::npos) return std::nullopt;
  Finding<BatchNormRounding> f{m.which <= 1 ? BatchNormRounding::Twice : BatchNormRounding::Once, bn->where(m.at) + ": normalize "};
  switch (m.which) {
    case 0: f.evidence += "calls product<data_T, scale_t, res_T>, so data*scale is rounded to res_T before the bias is added"; break;
    case 1: f.evidence += "rounds data*scale to res_T before adding the bias"; break;
    case 2: f.evidence += "calls product<data_T, scale_t> and adds the bias to the exact product, rounding once"; break;
    default: f.evidence += "computes data*scale + bias in one expression, rounding once"; break;
  }
  // nnet_mult.h's mult::product says what the product returns, when the project ships it.
  if (m.which == 0 || m.which == 2) {
    if (const auto mult = read_squeezed(nnet_utils / "nnet_mult.h")) {
      const std::size_t cls = mult->find("classmult");
      const std::size_t ret3 = cls == std::string::npos ? cls : mult->find("staticy_Tproduct(", cls);
      const std::size_t exact = cls == std::string::npos ? cls : mult->find("->decltype(a*w)", cls);
      if (ret3 != std::string::npos && (exact == std::string::npos || ret3 < exact)) {
        f.evidence += " (" + mult->where(ret3) + ": mult::product returns its third type)";
        if (m.which == 2) f.evidence += "; note: that product has three types, this call two";
      } else if (exact != std::string::npos) {
        f.evidence += " (" + mult->where(exact) + ": mult::product returns decltype(a * w))";
        if (m.which == 0) f.evidence += "; note: that product has two types, this call three";
      }
    }
  }
  return f;
}

std::optional<Finding<AlphaType>> leaky_relu_alpha_in(const fs::path& nnet_utils) {
  const auto act = read_squeezed(nnet_utils / "nnet_activation.h");
  if (!act) return std::nullopt;
  const std::size_t at = act->find("voidleaky_relu(");
  if (at == std::string::npos) return std::nullopt;
  const std::size_t end = act->find(")", at);
  const std::string signature = act->text.substr(at, end == std::string::npos ? std::string::npos : end - at);
  const std::string where = act->where(at) + ": leaky_relu takes alpha as ";
  if (signature.find(",data_Talpha") != std::string::npos) return Finding<AlphaType>{AlphaType::DataT, where + "data_T"};
  if (signature.find(",param_Talpha") != std::string::npos || signature.find("::param_talpha") != std::string::npos) {
    return Finding<AlphaType>{AlphaType::ParamT, where + "param_T (the config's param_t)"};
  }
  return std::nullopt;
}

std::optional<Finding<PoolingAccumulator>> pooling_accumulator_in(const fs::path& nnet_utils) {
  const auto pool = read_squeezed(nnet_utils / "nnet_pooling.h");
  if (!pool) return std::nullopt;
  if (const std::size_t at = pool->find("template<typenameT,intN,typenameaccum_t>accum_tavg("); at != std::string::npos) {
    return Finding<PoolingAccumulator>{PoolingAccumulator::AccumT, pool->where(at) + ": avg sums in the config's accum_t"};
  }
  if (const std::size_t at = pool->find("template<typenameT,intN>Tavg("); at != std::string::npos) {
    return Finding<PoolingAccumulator>{PoolingAccumulator::DataT, pool->where(at) + ": avg sums in T, the input type, and pool_op takes no accum_t"};
  }
  return std::nullopt;
}

WideAvgOverloads pooling_wide_avg_overloads_in(const fs::path& nnet_utils) {
  WideAvgOverloads o;
  const auto pool = read_squeezed(nnet_utils / "nnet_pooling.h");
  if (!pool) return o;
  // Squeezed (no white space) spellings of the parameter, most general first; the overload counts
  // only when its body sums in the wider type of the same template arguments.
  const auto find_form = [&](const std::string& fixed, WideAvgOverload& form) {
    const std::pair<const char*, WideAvgOverload> forms[] = {
        {"<W,I,Q,O,M>", WideAvgOverload::Any}, {"<W,I,Q,O>", WideAvgOverload::NoSatBits}, {"<W,I>", WideAvgOverload::Default}};
    for (const auto& [args, kind] : forms) {
      const std::string a(args);
      const std::size_t at = pool->find("avg(" + fixed + a + "(&x)[N])");
      if (at == std::string::npos) continue;
      const std::string wide = fixed + "<W+ceillog2(N),I+ceillog2(N)" + a.substr(4);
      const std::size_t body = pool->find(wide, at);
      const std::size_t next = pool->find("avg(", at + 4);
      if (body == std::string::npos || (next != std::string::npos && body > next)) continue;
      form = kind;
      if (!o.evidence.empty()) o.evidence += "; ";
      o.evidence += pool->where(at) + ": avg(" + fixed + a + ") sums in " + wide;
      return;
    }
  };
  find_form("ap_fixed", o.signed_form);
  find_form("ap_ufixed", o.unsigned_form);
  return o;
}

std::optional<Finding<bool>> stream_resize_buffers_rows_in(const fs::path& nnet_utils) {
  const auto image = read_squeezed(nnet_utils / "nnet_image_stream.h");
  if (!image) return std::nullopt;
  if (const std::size_t at = image->find("data_in_row"); at != std::string::npos) {
    return Finding<bool>{true, image->where(at) + ": resize_nearest buffers each input row"};
  }
  return Finding<bool>{false, image->path + " writes each pixel ratio_height * ratio_width times in a row"};
}

std::optional<Finding<MultiplyForm>> multiply_form_in(const fs::path& nnet_utils) {
  const auto merge = read_squeezed(nnet_utils / "nnet_merge.h");
  if (!merge) return std::nullopt;
  const auto range = function_range(*merge, "multiply");
  const Match m = first_of(*merge, range,
                           {"res[ii*2]=data1[ii]*data2[ii*2];res[ii*2+1]=data1[ii]*data2[ii*2+1];", "res[ii]=data1[ii]*data2[ii];",
                            "res[ii]=data1[ii%CONFIG_T::n_elem1]*data2[ii%CONFIG_T::n_elem2];"});
  if (m.at == std::string::npos) return std::nullopt;
  if (m.which == 0) {
    return Finding<MultiplyForm>{MultiplyForm::RepeatFirstTwice, merge->where(m.at) + ": multiply repeats each data1 value for two data2 values"};
  }
  return Finding<MultiplyForm>{MultiplyForm::Elementwise, merge->where(m.at) + ": multiply pairs the inputs element by element"};
}

}  // namespace l1emu::emu::detail

#include "nnet_utils_semantics.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

namespace l1emu::emu::detail {
namespace {

namespace fs = std::filesystem;

// A source file without comments and white space, each remaining character with its line number,
// so that a pattern is found however the code is formatted and reported at its line.
struct Squeezed {
  std::string path;
  std::string text;
  std::vector<std::size_t> line;  // line[i] is the 1-based line of text[i]

  [[nodiscard]] std::string where(std::size_t at) const { return path + ":" + std::to_string(at < line.size() ? line[at] : 0); }
  [[nodiscard]] std::size_t find(const std::string& pattern, std::size_t from = 0) const { return text.find(pattern, from); }
};

std::optional<Squeezed> read_squeezed(const fs::path& path) {
  if (!fs::is_regular_file(path)) return std::nullopt;
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string s = buffer.str();
  Squeezed out;
  out.path = path.string();
  std::size_t line = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "//") == 0) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      const std::size_t end = s.find("*/", i + 2);
      for (std::size_t k = i; k < std::min(end, s.size()); ++k) line += s[k] == '\n' ? 1 : 0;
      i = end == std::string::npos ? s.size() : end + 1;
      continue;
    }
    if (i >= s.size()) break;
    if (s[i] == '\n') {
      ++line;
    } else if (std::isspace(static_cast<unsigned char>(s[i])) == 0) {
      out.text.push_back(s[i]);
      out.line.push_back(line);
    }
  }
  return out;
}

// The text of the function `name`'s first definition (signature and body), or the whole file when
// the file holds no such definition (a trimmed copy that keeps only the statement).
std::pair<std::size_t, std::size_t> function_range(const Squeezed& s, const std::string& name) {
  const std::size_t at = s.find("void" + name + "(");
  if (at == std::string::npos) return {0, s.text.size()};
  const std::size_t open = s.find("{", at);
  if (open == std::string::npos) return {at, s.text.size()};
  int depth = 0;
  for (std::size_t i = open; i < s.text.size(); ++i) {
    if (s.text[i] == '{') ++depth;
    if (s.text[i] == '}' && --depth == 0) return {at, i + 1};
  }
  return {at, s.text.size()};
}

// The earliest of `patterns` inside [range.first, range.second).
struct Match {
  std::size_t at = std::string::npos;
  std::size_t which = 0;
};
Match first_of(const Squeezed& s, std::pair<std::size_t, std::size_t> range, const std::vector<std::string>& patterns) {
  Match m;
  for (std::size_t k = 0; k < patterns.size(); ++k) {
    const std::size_t at = s.find(patterns[k], range.first);
    if (at != std::string::npos && at < range.second && at < m.at) m = {at, k};
  }
  return m;
}

}  // namespace

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

std::optional<Finding<bool>> stream_resize_buffers_rows_in(const fs::path& nnet_utils) {
  const auto image = read_squeezed(nnet_utils / "nnet_image_stream.h");
  if (!image) return std::nullopt;
  if (const std::size_t at = image->find("data_in_row"); at != std::string::npos) {
    return Finding<bool>{true, image->where(at) + ": resize_nearest buffers each input row"};
  }
  return Finding<bool>{false, image->path + " writes each pixel ratio_height * ratio_width times in a row"};
}

}  // namespace l1emu::emu::detail

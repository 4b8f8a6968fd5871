#include "legacy_nnet_calls.h"

#include <map>
#include <vector>

#include "l1emu/emu/error.h"
#include "squeezed_source.h"

namespace l1emu::emu::detail {
namespace {

namespace fs = std::filesystem;

// A statement the legacy function must hold (any of its spellings, comments and white space
// removed), and what it means when it is missing.
struct Required {
  std::vector<std::string> spellings;
  std::string meaning;
};

// Every statement of `required` inside `range` of `s`, else a ModelError naming the first missing
// one. Returns "file:line" of the first statement found, the evidence.
std::string prove(const Squeezed& s, std::pair<std::size_t, std::size_t> range, const std::vector<Required>& required, const std::string& what) {
  std::size_t first = std::string::npos;
  for (const auto& r : required) {
    const Match m = first_of(s, range, r.spellings);
    if (m.at == std::string::npos) {
      throw ModelError(what + " in " + s.where(range.first) + " does not " + r.meaning +
                       " as hls4ml's does; l1emu imports the function only when the project's copy computes what hls4ml's computed");
    }
    first = std::min(first, m.at);
  }
  return s.where(first);
}

std::size_t count_in(const Squeezed& s, std::pair<std::size_t, std::size_t> range, const std::string& pattern) {
  std::size_t n = 0;
  for (std::size_t at = s.find_in(pattern, range); at != std::string::npos; at = s.find_in(pattern, {at + 1, range.second})) ++n;
  return n;
}

// `file` of the project's nnet_utils, which must define `function` (`definition`: how it starts).
Squeezed read_or_refuse(const fs::path& nnet_utils, const char* file, const std::string& function, const std::string& definition = "") {
  auto s = read_squeezed(nnet_utils / file);
  if (!s) {
    throw ModelError("nnet::" + function + " is a function of hls4ml before 0.5, and l1emu decides what it computes from the project's own " +
                     (nnet_utils / file).string() + ", which is missing");
  }
  if (s->find(definition.empty() ? "void" + function + "(" : definition) == std::string::npos) {
    throw ModelError("nnet::" + function + ": " + s->path + " does not define it");
  }
  return std::move(*s);
}

LegacyCall compute_layer(const fs::path& nnet_utils) {
  // nnet_layer.h (hls-fpga-machine-learning, hls4ml before 0.1): mult[i][j] = data[i] * w[i][j] in
  // accum_t, acc[j] = (accum_t) b[j], acc[j] += mult[i][j] for i = 0..n_in-1, res[j] = (res_T)
  // acc[j]: the statement sequence of nnet_dense.h's dense_latency, weights in Keras [i][j] order.
  const Squeezed s = read_or_refuse(nnet_utils, "nnet_layer.h", "compute_layer");
  const auto range = function_range(s, "compute_layer");
  if (const std::size_t at = s.find_in("ADD_LAT", range); at != std::string::npos) {
    throw ModelError("nnet::compute_layer: " + s.where(at) +
                     " accumulates through acc_lat[n_out][ADD_LAT], adding every product ADD_LAT times: a hand edit of hls4ml's compute_layer that l1emu does "
                     "not reproduce");
  }
  const std::string evidence = prove(
      s, range,
      {{{"typenameCONFIG_T::accum_tmult["}, "keep the products in accum_t"},
       {{"mult[ii][jj]=cache*weights[ii][jj];", "mult[ii*CONFIG_T::n_out+jj]=cache*weights[ii*CONFIG_T::n_out+jj];"},
        "compute mult[i][j] = data[i] * weights[i][j]"},
       {{"acc[iacc]=(typenameCONFIG_T::accum_t)biases[iacc];"}, "start each sum from its bias in accum_t"},
       {{"acc[jj]+=mult[ii][jj];", "acc[jj]+=mult[ii*CONFIG_T::n_out+jj];"}, "add the products input by input"},
       {{"res[ires]=(res_T)(acc[ires]);"}, "convert each sum to res_T"}},
      "nnet::compute_layer");
  if (count_in(s, range, "res[ires]=") != 1 || count_in(s, range, "acc[jj]+=") != 1) {
    throw ModelError("nnet::compute_layer in " + s.where(range.first) +
                     " writes its sums or results in more than one statement (a hand edit, such as a fused activation), which l1emu does not reproduce");
  }
  return {"dense", false, evidence + ": compute_layer (hls4ml before 0.1) computes dense_latency's statements"};
}

LegacyCall dense_large(const fs::path& nnet_utils) {
  // nnet_dense_large.h (hls4ml 0.1.6 to 0.4) is nnet_dense_resource.h of 0.5 with other names: the
  // same three reuse loops, each product product<data_T, weight_t, accum_t> (nnet_dense.h: a * w
  // returned as accum_t), cast<data_T, res_T, CONFIG_T> (res_T) acc at the end; like
  // dense_resource it reads weights[out * n_in + in].
  const Squeezed s = read_or_refuse(nnet_utils, "nnet_dense_large.h", "dense_large");
  const std::pair<std::size_t, std::size_t> file{0, s.text.size()};
  const std::string product = "acc[out_index]+=product<data_T,typenameCONFIG_T::weight_t,typenameCONFIG_T::accum_t>(data[in_index],weights[w_index]);";
  const std::string evidence = prove(
      s, file,
      {{{product}, "add product<data_T, weight_t, accum_t>(data[in_index], weights[w_index]) to acc[out_index]"},
       {{"acc[iacc]=(typenameCONFIG_T::accum_t)biases[iacc];"}, "start each sum from its bias in accum_t"},
       {{"res[ires]=cast<data_T,res_T,CONFIG_T>(acc[ires]);"}, "convert each sum with cast<data_T, res_T, CONFIG_T>"},
       {{"w_index+=rufactor;if(w_index>=CONFIG_T::n_in*CONFIG_T::n_out)break;", "w_index+=rufactor;"}, "step w_index by the reuse factor"},
       {{"if(CONFIG_T::reuse_factor<=CONFIG_T::n_in){dense_large_rf_leq_nin<data_T,res_T,CONFIG_T>(data,res,weights,biases);"},
        "run dense_large_rf_leq_nin for a reuse factor up to n_in"}},
      "nnet::dense_large");
  // The product and cast it calls (nnet_dense.h, included by nnet_dense_large.h).
  const Squeezed d = read_or_refuse(nnet_utils, "nnet_dense.h", "product", "product(");
  prove(d, {0, d.text.size()},
        {{{"product(data_Ta,weight_Tw){returna*w;}"}, "define the general product as a * w"},
         {{"cast(typenameCONFIG_T::accum_tx){return(res_T)x;}"}, "define the general cast as (res_T) x"}},
        "nnet::dense_large's product and cast");
  return {"dense", true, evidence + ": dense_large (hls4ml 0.1.6 to 0.4) computes 0.5's dense_resource"};
}

LegacyCall conv_1d_latency(const fs::path& nnet_utils) {
  // nnet_conv.h (hls4ml 0.2 to 0.4): mult[ii][ff][cc][jj] = data[(ii*stride + jj - pad_left)*n_chan +
  // cc] * weights[(jj*n_chan + cc)*n_filt + ff] in accum_t (0 for a padded cell), acc = bias, then
  // the products added cc by cc, jj by jj, res = (res_T) acc.
  const Squeezed s = read_or_refuse(nnet_utils, "nnet_conv.h", "conv_1d_latency_cl");
  const auto range = function_range(s, "conv_1d_latency_cl");
  const std::string evidence = prove(
      s, range,
      {{{"typenameCONFIG_T::accum_tmult["}, "keep the products in accum_t"},
       {{"intindex_weight=jj*CONFIG_T::n_chan*CONFIG_T::n_filt+cc*CONFIG_T::n_filt+ff;"}, "read the weights in Keras (width, channel, filter) order"},
       {{"intindex_data=(ii*CONFIG_T::stride+jj-CONFIG_T::pad_left)*CONFIG_T::n_chan+cc;"}, "read the window at ii*stride + jj - pad_left"},
       {{"mult[index_mult]=0;"}, "give a padded cell a zero product"},
       {{"mult[index_mult]=data[index_data]*weights[index_weight];"}, "multiply data by weight"},
       {{"acc[ii][ff]=biases[ff];"}, "start each sum from its bias"},
       {{"acc[ii][ff]+=mult[index_mult];"}, "add the products"},
       {{"res[ii*CONFIG_T::n_filt+ff]=(res_T)(acc[ii][ff]);"}, "convert each sum to res_T"}},
      "nnet::conv_1d_latency_cl");
  if (s.find_in("dilation", range) != std::string::npos) {
    throw ModelError("nnet::conv_1d_latency_cl in " + s.where(range.first) + " reads a dilation, which hls4ml's did not");
  }
  return {"conv_1d_latency_cl", false, evidence + ": conv_1d_latency_cl (hls4ml 0.2 to 0.4) computes Conv1D's products and sums"};
}

}  // namespace

std::string legacy_softmax_evidence(const fs::path& nnet_utils) {
  // nnet_activation.h before hls4ml 0.5: one softmax, the statements 0.5 kept as softmax_latency
  // (exp and 1/x tables addressed by the top bits of the value, a reduce<Op_add> sum).
  const Squeezed s = read_or_refuse(nnet_utils, "nnet_activation.h", "softmax");
  const auto range = function_range(s, "softmax");
  const std::string evidence = prove(
      s, range,
      {{{"init_exp_table<data_T,CONFIG_T>(exp_table);init_invert_table<typenameCONFIG_T::exp_table_t,CONFIG_T>(invert_table);"},
        "fill the exp table over data_T and the inverse table over exp_table_t"},
       {{"unsignedx=softmax_idx_from_real_val<data_T,CONFIG_T>(data[i]);exp_res[i]=exp_table[x];"}, "look each exp up by the top bits of data[i]"},
       {{"exp_sum=reduce<typenameCONFIG_T::exp_table_t,CONFIG_T::n_in,Op_add<typenameCONFIG_T::exp_table_t>>(exp_res,op_add);"},
        "sum the exps with reduce<Op_add>"},
       {{"typenameCONFIG_T::inv_table_tinv_exp_sum=invert_table[softmax_idx_from_real_val<typenameCONFIG_T::exp_table_t,CONFIG_T>(exp_sum)];"},
        "look the inverse of the sum up by its top bits"},
       {{"res[i]=exp_res[i]*inv_exp_sum;"}, "multiply each exp by the inverse"}},
      "nnet::softmax");
  prove(s, {0, s.text.size()},
        {{{"ap_uint<N>y=x(x.width-1,x.width-N);"}, "address a table by the top N bits of the value"},
         {{"x(x.width-1,x.width-N)=i;"}, "give table entry i the value whose top N bits are i"}},
        "nnet::softmax's table addressing");
  return evidence + ": softmax (hls4ml before 0.5, no implementation member) computes 0.5's softmax_latency";
}

bool is_legacy_call(const std::string& function) {
  return function == "compute_layer" || function == "dense_large" || function == "conv_1d_latency_cl";
}

LegacyCall legacy_call(const std::string& function, const fs::path& nnet_utils) {
  if (function == "compute_layer") return compute_layer(nnet_utils);
  if (function == "dense_large") return dense_large(nnet_utils);
  if (function == "conv_1d_latency_cl") return conv_1d_latency(nnet_utils);
  throw ModelError("internal: nnet::" + function + " is not a legacy call");
}

void check_legacy_dense_types(const FixedType& data_t, const FixedType& weight_t, const std::string& where) {
  // nnet_dense.h's product and cast have other overloads for ap_uint<1> data or weights (binary
  // networks: a == w, w == 0 ? -a : a) and ap_int<2> weights (ternary).
  const auto is_int = [](const FixedType& t, bool is_signed, int width) { return t.is_integer && t.is_signed == is_signed && t.width == width; };
  if (is_int(data_t, false, 1) || is_int(weight_t, false, 1) || is_int(weight_t, true, 2)) {
    throw ModelError(where + ": nnet::dense_large with " + data_t.to_string() + " data and " + weight_t.to_string() +
                     " weights takes nnet_dense.h's binary or ternary product, which l1emu does not reproduce");
  }
}

void check_legacy_conv_order(const FixedType& accum_t, const std::string& where) {
  if (accum_t.overflow == Overflow::Wrap && accum_t.saturation_bits == 0) return;
  throw ModelError(where + ": nnet::conv_1d_latency_cl adds each filter's products channel by channel, l1emu's Conv1D kernel position by position; "
                   "with accum_t " + accum_t.to_string() + " (saturating) the order can change the sum, so it is not reproduced");
}

}  // namespace l1emu::emu::detail

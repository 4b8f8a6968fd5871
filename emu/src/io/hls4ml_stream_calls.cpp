#include "hls4ml_stream_calls.h"

#include <map>
#include <set>

#include "l1emu/emu/error.h"
#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu::detail {
namespace {

using Tokens = std::vector<SourceToken>;

long member(const CppDeclarations& declarations, const ConfigStruct& config, const std::string& key, const std::string& where) {
  const auto it = config.values.find(key);
  if (it == config.values.end()) throw ModelError(where + ": config struct '" + config.name + "' has no '" + key + "'");
  return declarations.evaluate_integer(it->second);
}

// True when every value of `from` is a value of `to` and `count` of them, of either sign, sum
// inside `to`'s range: then converting each to `to` and adding in any order is the exact sum.
bool sums_exactly(const FixedType& from, const FixedType& to, std::size_t count) {
  if (to.fractional_bits() < from.fractional_bits()) return false;
  const auto fits = [&](const BigInt& code_in_from) {
    const ExactValue v = ExactValue::of(code_in_from, from);
    const BigInt converted = convert(v, to);
    return compare(ExactValue::of(converted, to), v) == 0;
  };
  const BigInt n(static_cast<long>(count));
  return fits(from.max_code() * n) && fits(from.min_code() * n) && fits(from.max_code()) && fits(from.min_code());
}

[[noreturn]] void refuse(const std::string& where, const std::string& function, const std::string& why) {
  throw ModelError(where + ": io_stream nnet::" + function + ": " + why);
}

// The stream convolutions and pooling assert that every pad is 0.
void refuse_padding(const CppDeclarations& declarations, const std::string& function, const ConfigStruct& config, const std::string& where,
                    const std::string& why) {
  for (const char* key : {"pad_top", "pad_bottom", "pad_left", "pad_right"}) {
    if (config.values.contains(key) && member(declarations, config, key, where) != 0) refuse(where, function, std::string(key) + " is not 0: " + why);
  }
}

}  // namespace

std::optional<StreamParameter> stream_parameter(const Tokens& t) {
  // `hls::stream<T> &name` (hls4ml's io_stream top functions), possibly without the qualifier.
  std::size_t i = 0;
  if (t.size() > 2 && t[0].is("hls") && t[1].is("::")) i = 2;
  if (i + 4 >= t.size() || !t[i].is("stream") || !t[i + 1].is("<")) return std::nullopt;
  int depth = 0;
  std::size_t close = 0;
  for (std::size_t k = i + 1; k < t.size(); ++k) {
    if (t[k].is("<")) ++depth;
    if (t[k].is(">") && --depth == 0) {
      close = k;
      break;
    }
  }
  if (close == 0 || close + 2 != t.size() || !t[close + 1].is_identifier()) {
    if (close != 0 && close + 3 == t.size() && t[close + 1].is("&") && t[close + 2].is_identifier()) {
      return StreamParameter{t[close + 2].text, Tokens(t.begin() + static_cast<std::ptrdiff_t>(i + 2), t.begin() + static_cast<std::ptrdiff_t>(close))};
    }
    return std::nullopt;
  }
  return StreamParameter{t[close + 1].text, Tokens(t.begin() + static_cast<std::ptrdiff_t>(i + 2), t.begin() + static_cast<std::ptrdiff_t>(close))};
}

std::size_t stream_input_size(const CppDeclarations& declarations, const std::string& function, const ConfigStruct& config,
                              const std::string& where) {
  // The members each config struct sizes its input with (nnet_dense.h, nnet_conv2d.h, nnet_pooling.h,
  // nnet_padding.h, nnet_image.h, nnet_merge.h, nnet_activation.h).
  static const std::map<std::string, std::vector<std::string>> keys = [] {
    std::map<std::string, std::vector<std::string>> m;
    for (const char* f : {"dense", "dense_latency", "normalize", "relu", "linear", "leaky_relu", "sigmoid", "tanh", "softplus", "softsign", "selu",
                          "softmax"}) {
      m[f] = {"n_in"};
    }
    for (const char* f : {"conv_2d_cl", "pointwise_conv_2d_cl", "zeropad2d_cl"}) m[f] = {"in_height", "in_width", "n_chan"};
    for (const char* f : {"pooling2d_cl", "global_pooling2d_cl"}) m[f] = {"in_height", "in_width", "n_filt"};
    for (const char* f : {"conv_1d_cl", "pointwise_conv_1d_cl", "zeropad1d_cl"}) m[f] = {"in_width", "n_chan"};
    for (const char* f : {"pooling1d_cl", "global_pooling1d_cl"}) m[f] = {"n_in", "n_filt"};
    m["resize_nearest"] = {"height", "width", "n_chan"};
    for (const char* f : {"add", "subtract", "multiply", "average", "maximum", "minimum"}) m[f] = {"n_elem"};
    return m;
  }();
  const auto it = keys.find(function);
  if (it == keys.end()) throw ModelError(where + ": nnet::" + function + " cannot read a stream input of the top function");
  long size = 1;
  for (const auto& key : it->second) size *= member(declarations, config, key, where);
  if (size < 1) throw ModelError(where + ": config struct '" + config.name + "' gives the input " + std::to_string(size) + " values");
  return static_cast<std::size_t>(size);
}

bool is_stream_copy(const std::string& function) { return function == "clone_stream" || function == "repack_stream"; }

void check_stream_equivalent(const CppDeclarations& declarations, const std::string& function, const ConfigStruct& config,
                             const std::vector<ArraySpec>& inputs, const std::vector<PackedType>& input_packs, const PackedType& result_pack,
                             const std::string& where) {
  // Functions whose stream version applies the io_parallel statement to every element of every
  // pack (nnet_activation_stream.h, nnet_batchnorm_stream.h, nnet_merge_stream.h,
  // nnet_padding_stream.h), or reads every pack into an array and calls the io_parallel kernel
  // (nnet_dense_stream.h: dense_wrapper).
  static const std::set<std::string> same_statements{"dense",   "dense_latency", "normalize", "relu",     "linear",   "leaky_relu",
                                                     "sigmoid", "tanh",          "softplus",  "softsign", "selu",     "add",
                                                     "subtract", "multiply",     "average",   "maximum",  "minimum",  "zeropad2d_cl",
                                                     "zeropad1d_cl"};
  if (same_statements.contains(function)) return;

  if (function == "conv_2d_cl" || function == "conv_1d_cl" || function == "pointwise_conv_2d_cl" || function == "pointwise_conv_1d_cl") {
    // nnet_conv_stream.h: every output pixel is mult_config's dense kernel applied to the window
    // (compute_output_buffer_2d/1d), with mult_config's types. The layer computes with the conv
    // config's, so both must be the same types; same padding arrives as a zeropad call before it.
    const auto mult = config.types.find("mult_config");
    if (mult == config.types.end()) refuse(where, function, "config struct '" + config.name + "' has no mult_config (the kernel every pixel runs)");
    const std::string mult_name = mult->second.tokens.empty() ? std::string() : mult->second.tokens.back().text;
    const auto m = declarations.structs().find(mult_name);
    if (m == declarations.structs().end()) refuse(where, function, "mult_config '" + mult->second.text() + "' is not defined (parameters.h)");
    for (const char* key : {"weight_t", "bias_t", "accum_t"}) {
      const auto a = config.types.find(key);
      const auto b = m->second.types.find(key);
      if (a == config.types.end() || b == m->second.types.end()) {
        refuse(where, function, "'" + config.name + "' or its mult_config '" + mult_name + "' has no " + key);
      }
      const FixedType ta = declarations.resolve_type(a->second), tb = declarations.resolve_type(b->second);
      if (ta != tb) {
        refuse(where, function, mult_name + "::" + key + " = " + tb.to_string() + " differs from " + config.name + "::" + key + " = " + ta.to_string() +
                                    " (the stream kernel computes with the first; l1emu's Conv layers have one set of types)");
      }
    }
    refuse_padding(declarations, function, config, where, "hls4ml's stream convolutions take no padding (it inserts a zeropad call)");
    return;
  }
  if (function == "pooling2d_cl" || function == "pooling1d_cl") {
    // nnet_pooling_stream.h: the stream versions take no padding, and reduce_pool works on
    // accum_t: each cell is converted to accum_t, then Max keeps the largest (conversions keep
    // order, so this is io_parallel's max converted) and Average sums in a tree of accum_t adds
    // and divides by the window size. io_parallel adds cell by cell, s = (accum_t)(s + cell): the
    // same only when no conversion or partial sum can round or saturate.
    refuse_padding(declarations, function, config, where, "hls4ml's stream pooling takes no padding");
    if (config.enumerator("pool_op") == "Average") {
      const auto acc = config.types.find("accum_t");
      if (acc == config.types.end()) refuse(where, function, "config struct '" + config.name + "' has no accum_t");
      const FixedType accum_t = declarations.resolve_type(acc->second);
      long cells = member(declarations, config, "pool_width", where);
      if (function == "pooling2d_cl") cells *= member(declarations, config, "pool_height", where);
      if (!sums_exactly(inputs.at(0).type, accum_t, static_cast<std::size_t>(cells))) {
        refuse(where, function,
               "average pooling converts each cell of " + inputs.at(0).type.to_string() + " to accum_t " + accum_t.to_string() + " and adds " +
                   std::to_string(cells) +
                   " of them in a tree (reduce_pool); l1emu reproduces it when that sum is exact in accum_t, and here a cell or a sum can round "
                   "or overflow (widen accum_t, or import the io_parallel version of the project)");
      }
    }
    return;
  }
  if (function == "resize_nearest") {
    // nnet_image_stream.h (hls4ml 0.7 and later): each input row is buffered, then written
    // ratio_height times with every pixel repeated ratio_width times: io_parallel's nearest
    // neighbour with integer ratios, one pixel (n_chan values) per pack.
    const long h = member(declarations, config, "height", where), w = member(declarations, config, "width", where);
    const long nh = member(declarations, config, "new_height", where), nw = member(declarations, config, "new_width", where);
    if (h < 1 || w < 1 || nh % h != 0 || nw % w != 0) refuse(where, function, "the new sizes are not whole multiples of the old (the stream version asserts they are)");
    const long n_chan = member(declarations, config, "n_chan", where);
    if (input_packs.empty() || input_packs[0].pack != static_cast<std::size_t>(n_chan)) {
      refuse(where, function, "a pack must hold one pixel's " + std::to_string(n_chan) + " channels");
    }
    return;
  }
  if (function == "global_pooling1d_cl" || function == "global_pooling2d_cl") {
    // nnet_pooling_stream.h: a running accum_t value per channel (Max from accum_t's lowest value,
    // Average from 0), each pack's pixels reduced in a tree and combined with it; Average divides
    // by the pixel count at the end. Max agrees with io_parallel's (conversions keep order); Average
    // when every sum is exact in accum_t. The result loop writes data_window[i_pack], so only a
    // result in one pack of all n_filt channels is what the layer computes.
    const long n_filt = member(declarations, config, "n_filt", where);
    if (result_pack.pack != static_cast<std::size_t>(n_filt)) {
      refuse(where, function, "the result arrives in packs of " + std::to_string(result_pack.pack) + " of the " + std::to_string(n_filt) +
                                  " channels; hls4ml's result loop reads data_window[i_pack] and repeats the first pack then");
    }
    if (config.enumerator("pool_op") == "Average") {
      const auto acc = config.types.find("accum_t");
      if (acc == config.types.end()) refuse(where, function, "config struct '" + config.name + "' has no accum_t");
      const FixedType accum_t = declarations.resolve_type(acc->second);
      const long cells = function == "global_pooling1d_cl" ? member(declarations, config, "n_in", where)
                                                           : member(declarations, config, "in_height", where) * member(declarations, config, "in_width", where);
      if (!sums_exactly(inputs.at(0).type, accum_t, static_cast<std::size_t>(cells))) {
        refuse(where, function, "global average pooling sums " + std::to_string(cells) + " cells in accum_t " + accum_t.to_string() +
                                    " in packs and a running total; l1emu reproduces it when that sum is exact in accum_t");
      }
    }
    return;
  }
  if (function == "softmax") {
    // nnet_activation_stream.h: the stream softmax computes on one pack at a time; with the whole
    // input in one pack it is io_parallel's statement sequence, with several it is not.
    const std::size_t n_in = static_cast<std::size_t>(member(declarations, config, "n_in", where));
    if (input_packs.empty() || input_packs[0].pack != n_in) {
      refuse(where, function, "the input arrives in packs of " + std::to_string(input_packs.empty() ? 0 : input_packs[0].pack) + " of its " +
                                  std::to_string(n_in) + " values; l1emu reproduces a stream softmax that reads all of them in one pack");
    }
    const std::string implementation = config.enumerator("implementation");
    if (implementation != "stable" && implementation != "latency") {
      refuse(where, function, "implementation " + implementation + " is not checked against hls4ml's stream code (stable and latency are)");
    }
    return;
  }
  refuse(where, function, "l1emu does not reproduce this function's stream version yet (io_parallel projects import it)");
}

}  // namespace l1emu::emu::detail

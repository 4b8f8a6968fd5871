#pragma once
// Hls4mlNetwork: the network an hls4ml top function computes, read from its C++ (the sequence of
// nnet:: layer calls, their template arguments and config structs, and the weight arrays). Shared
// by the hls4ml project importer and the AXOL1TL package importer, whose NN/ folder is hls4ml code.
//
// Supported calls (their argument order as hls4ml writes them): dense / dense_latency (in, out, w, b),
// normalize (in, out, scale, bias), relu / linear (in, out), leaky_relu (in, alpha, out), klloss
// (mean, log_var, out), subtract / dot1d (a, b, out), and the catalogue calls of
// hls4ml_layer_calls.cpp. io_stream projects (hls::stream parameters, nnet::array packs,
// clone_stream / repack_stream copies) import where hls4ml_stream_calls.h proves the stream
// functions compute as the io_parallel ones. da4ml's dense_da_N<in_t, out_t>(in, out) functions
// (nnet_code_gen.h, any namespace) import as the Dense layer they provably equal
// (da4ml_adder_graph.h). load_weights_from_txt names the weight text
// files; save_layer_output and print_result are ignored. Any other nnet:: call is an error naming
// the call and file:line, never a silently different model.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/io/cpp_declarations.h"
#include "l1emu/emu/nn/layers/batch_normalization.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

namespace detail {
struct ScalarPortPrelude;  // scalar_port_prelude.h
}

class Hls4mlNetwork {
 public:
  struct Options {
    std::filesystem::path weights_dir;      // where <array>.txt weight files live (may not exist)
    std::filesystem::path nnet_utils_dir;   // the project's nnet_utils copy, if any (semantics per function)
    std::optional<Flavor> requested_flavor; // --flavour
    struct Version {
      int major = 0, minor = 0;
      std::string where;  // "hls4ml_config.yml: Version 0.8.1"
    };
    std::optional<Version> config_version;  // a hint from hls4ml_config.yml
    std::string preferred_top;              // ProjectName from hls4ml_config.yml, if known
  };

  /// Finds the top function (the function with the most nnet:: layer calls) and reads its calls.
  /// Throws ModelError.
  Hls4mlNetwork(const CppDeclarations& declarations, Options options);

  /// The top function's input arrays: parameter name, size and type; a scalar int port read by
  /// the statements before the layer calls (scalar_port_prelude.h) is an input of one ap_int<32>.
  [[nodiscard]] const std::vector<ArraySpec>& inputs() const { return inputs_; }
  /// The model-level flavour (model.json "flavor"): LeakyReLU's alpha typing when the network has a
  /// leaky_relu, else BatchNorm's rounding, else what the project or --flavour says.
  [[nodiscard]] Flavor flavor() const { return flavor_; }
  /// How nnet::normalize rounds in this project, decided on its own evidence.
  [[nodiscard]] BatchNormRounding batchnorm_rounding() const { return rounding_; }
  [[nodiscard]] const std::string& top_name() const { return top_->name; }
  /// The top function's output parameter names, in parameter order (the RTL's output ports are
  /// named after them: board/rtl/rtl_port_map.h).
  [[nodiscard]] const std::vector<std::string>& output_parameters() const { return output_params_; }
  /// What the import decided and why (each function's semantics and its evidence), for the summary.
  [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }

  /// Appends one layer per call to `model`. `input_arrays` maps each top-function input parameter
  /// to the model array that feeds it. Returns the names of the layers that write the top
  /// function's output parameters, in parameter order.
  [[nodiscard]] std::vector<std::string> add_layers(Model& model, const std::map<std::string, std::string>& input_arrays) const;

  struct Call {
    std::string function;
    std::vector<std::vector<SourceToken>> template_args;
    std::vector<std::vector<SourceToken>> args;
    std::size_t line = 0;
    std::string comment;  // the trailing // comment (hls4ml puts the layer name there)
    std::string callee;   // function "dense_da" / "hgq_quantizer": the generated function called (dense_da_N, h_quantize, ...)
    bool resource = false;  // the function itself is the Resource strategy (hls4ml 0.4's dense_large)
    std::string implementation;  // softmax before hls4ml 0.5 (no such member): the one its nnet_utils prove
  };

 private:
  [[nodiscard]] std::string where(std::size_t line) const;
  [[nodiscard]] std::vector<BigInt> parameter(const std::string& array, const FixedType& type, std::size_t count, const std::string& what,
                                              std::size_t line) const;
  void decide_semantics();
  void add_stream_copy(const Call& call);
  [[nodiscard]] std::string original_name(std::string name) const;
  [[nodiscard]] std::size_t stream_input_size(const std::string& input, const std::string& loc) const;
  /// Checks the call's io type against its config and, for io_stream, the stream function against
  /// its io_parallel twin. Returns true for io_stream (the data types are nnet::array packs).
  bool check_io_type(const Call& c, const ConfigStruct& cfg, const std::vector<ArraySpec>& ins) const;
  [[nodiscard]] bool stream_convolution_sums_in_any_order(const Call& c, const ConfigStruct& cfg) const;
  [[nodiscard]] std::unique_ptr<Layer> adder_graph_layer(const Call& c, const std::string& name, const ArraySpec& input) const;
  [[nodiscard]] std::unique_ptr<Layer> quantizer_layer(const Call& c, const std::string& name, const ArraySpec& input) const;
  /// The definition of a function hls4ml generated (c.callee), defined exactly once.
  [[nodiscard]] const FunctionDefinition& generated_function(const Call& c) const;
  /// The call's first template argument, checked to be the type of the array it reads.
  [[nodiscard]] FixedType generated_function_input_type(const Call& c, const ArraySpec& input) const;

  const CppDeclarations& declarations_;
  Options options_;
  const FunctionDefinition* top_ = nullptr;
  std::vector<ArraySpec> inputs_;
  std::vector<std::string> output_params_;
  std::vector<Call> calls_;
  std::map<std::string, std::string> aliases_;       // `auto& a = b;` references and io_stream copies: array -> source
  std::vector<Call> stream_copies_;                  // clone_stream / repack_stream calls
  std::map<std::string, std::string> weight_files_;  // array -> file name from load_weights_from_txt
  bool compiled_weight_load_ = false;                // a load_weights_from_txt call the C simulation compiles
  std::string uncompiled_weight_load_;               // where a call sits that it does not compile, and why
  /// False when every load_weights_from_txt call is left out by its #ifdef: the headers hold the weights.
  [[nodiscard]] bool read_weight_texts() const { return compiled_weight_load_ || uncompiled_weight_load_.empty(); }
  Flavor flavor_ = Flavor::Head;
  BatchNormRounding rounding_ = BatchNormRounding::Once;
  Flavor alpha_flavor_ = Flavor::Head;  // LeakyReLU::Config::flavor: Head types alpha with param_t, Paper with data_T
  std::vector<std::string> notes_;
  /// The element assignments that fill the network's input from scalar int ports (empty without).
  std::shared_ptr<const detail::ScalarPortPrelude> prelude_;
  bool pooling_in_data_t_ = false;  // the project's nnet_pooling.h sums in the input type (before accum_t)
  std::string pooling_evidence_;
  // ap_fixed / ap_ufixed arrays that take that nnet_pooling.h's wider-accumulator avg overload
  int pooling_wide_signed_ = 0, pooling_wide_unsigned_ = 0;  // detail::WideAvgOverload
  std::string pooling_wide_evidence_;
};

}  // namespace l1emu::emu

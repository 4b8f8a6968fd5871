#pragma once
// nnet::softmax (nnet_activation.h) with its four implementations: softmax_stable (the hls4ml
// default), softmax_latency, softmax_legacy and softmax_argmax. Rules: shared/golden/hls4ml2/README.md,
// "Softmax". Only the one-slice case is reproduced (n_slice = n_in, n_outer = n_inner = 1).
//
// Two generations of tables: hls4ml 1.2 and later (exp_table_size, inv_table_size, inp_norm_t,
// inv_inp_t, accum_t, exp_scale) and hls4ml 0.5 to 1.1, whose config has one table_size and whose
// latency and stable tables are addressed by the top bits of the input type and of exp_table_t
// (stable: the difference x - x_max, <= 0, in ap_fixed<W, I, AP_RND, AP_SAT> of the input's W and
// I). The config's keys are the evidence: a config with table_size and no exp_table_size is the
// older code, as hls4ml wrote it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

enum class SoftmaxImplementation : std::uint8_t { Stable, Latency, Legacy, Argmax };
/// Split: hls4ml >= 1.2 (exp_table_size, inv_table_size). Shared: hls4ml 0.5-1.1 (one table_size).
enum class SoftmaxTables : std::uint8_t { Split, Shared };

/// idx_T(v): the top `bits` bits of a code of type t read as an unsigned number
/// (softmax_idx_from_real_val: x(W-1, W-B)).
[[nodiscard]] long softmax_index(const BigInt& code, const FixedType& t, int bits);
/// val_T(i): the code of type t whose top `bits` bits are i and whose other bits are 0
/// (softmax_real_val_from_idx), as two's complement for a signed t.
[[nodiscard]] BigInt softmax_value(long i, const FixedType& t, int bits);
/// ap_fixed<W, I, AP_RND, AP_SAT> of the input's W and I: where stable softmax before hls4ml 1.2
/// keeps x - x_max.
[[nodiscard]] FixedType softmax_difference_type(const FixedType& input);
/// B = ceil(log2(size)): the address bits of a table of `size` entries.
[[nodiscard]] int softmax_address_bits(long size);

class Softmax final : public Layer {
 public:
  struct Config {
    SoftmaxImplementation implementation = SoftmaxImplementation::Stable;
    SoftmaxTables tables = SoftmaxTables::Split;  // Shared: accum_t and inv_inp_t are exp_table_t, exp_scale 1
    long n_in = 0, n_slice = 0, n_outer = 1, n_inner = 1;
    long exp_table_size = 1024, inv_table_size = 1024;  // E, V
    double exp_scale = 1.0;
    FixedType exp_table_t, inv_table_t, accum_t, inv_inp_t, inp_norm_t;
    bool has_table_t = false;  // legacy's table_t (read and written back when present)
    FixedType table_t;
    FixedType result_t;
  };
  Softmax(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "Softmax"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Softmax; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

  /// The exponential table (codes in exp_table_t; legacy: table_t) and the inversion table (codes
  /// in inv_table_t; legacy: table_t). Empty for argmax.
  [[nodiscard]] const std::vector<BigInt>& exp_table() const { return exp_table_; }
  [[nodiscard]] const std::vector<BigInt>& inv_table() const { return inv_table_; }
  /// The type addressing the exponential table: inp_norm_t (stable, Split tables) or the input type.
  [[nodiscard]] const FixedType& exp_index_type() const;

 private:
  Config config_;
  std::vector<BigInt> exp_table_, inv_table_;
};

}  // namespace l1emu::emu

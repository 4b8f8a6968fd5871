#pragma once
// CustomMSE: the DNN AE score of the seed paper (hls4ml branch AE_L1_paper, nnet_distance.h
// `custom_mse`, with the `tanh` and `mse` of that branch). Inputs: the unscaled event (origin), the
// scaled event (true) and the decoder output (pred), each 57 values = 19 objects (MET, 4 e/gamma,
// 4 muons, 10 jets) x (pT, eta, phi). Per value i of object p:
//   pt:  t = (table_t) pred[i]
//   eta: t = (table_t)(tanh(pred[i]) * mults[p]), mults = {1, 3 x4, 2.1 x4, 4 x10} as table_t
//   phi: t = (table_t)(tanh(pred[i]) * (table_t)M_PI)
// where tanh is the branch's table: table_size entries (table_t) of tanh(x) for the x whose top
// log2(table_size) bits are the index, looked up by the top bits of pred[i]. Where origin[i] == 0
// both t and true[i] become 0. Then error = (error_t)(true - t), sq = (squared_error_t)(error^2),
// the reduce<Op_add> tree of the 57 squares in squared_error_t, times (squared_error_t)(1./57),
// assigned to accum_t, then to result_t.
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

class CustomMSE final : public Layer {
 public:
  static constexpr std::size_t kObjects = 19;  // the mults initializer of custom_mse has 19 entries
  struct Config {
    FixedType table_t, error_t, squared_error_t, accum_t, result_t;
    int table_size = 1024;
  };
  /// inputs: origin, true, pred (57 values each).
  CustomMSE(std::string name, std::vector<ArraySpec> inputs, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "CustomMSE"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ProductTree; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  // The constants the rule uses, as codes (for the compiled kernel).
  [[nodiscard]] int index_bits() const { return index_bits_; }
  [[nodiscard]] const std::vector<BigInt>& tanh_table() const { return tanh_table_; }  // table_t
  [[nodiscard]] const std::vector<BigInt>& factors() const { return mults_; }          // table_t, per object
  [[nodiscard]] const BigInt& pi() const { return pi_; }                               // table_t
  [[nodiscard]] const BigInt& inverse_n() const { return inverse_n_; }                 // squared_error_t

 private:
  Config config_;
  int index_bits_ = 10;
  std::vector<BigInt> tanh_table_;  // table_t codes
  std::vector<BigInt> mults_;       // per object, table_t codes
  BigInt pi_;                       // (table_t)M_PI
  BigInt inverse_n_;                // (squared_error_t)(1. / 57)
};

}  // namespace l1emu::emu

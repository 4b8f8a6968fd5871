#pragma once
// Element-wise activations of nnet_activation.h: ReLU, LeakyReLU, Linear.
#include "l1emu/emu/nn/flavor.h"
#include <memory>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

/// nnet::relu: y = x > 0 ? x->result_t : 0.
class ReLU final : public Layer {
 public:
  ReLU(std::string name, ArraySpec input, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override { return "ReLU"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Select; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
};

/// nnet::linear: y = x->result_t.
class Linear final : public Layer {
 public:
  Linear(std::string name, ArraySpec input, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override { return "Linear"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Select; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
};

/// nnet::leaky_relu: a = alpha->P, y = x > 0 ? x->result_t : (a*x)->result_t, where P is param_t
/// (flavor head) or the input array's type (flavor paper, whose C++ takes alpha as data_T).
class LeakyReLU final : public Layer {
 public:
  struct Config {
    Flavor flavor = Flavor::Head;
    double alpha = 0.3;
    FixedType param_t;  // used by flavor head only
    FixedType result_t;
  };
  LeakyReLU(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "LeakyReLU"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ConstantProduct; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  /// alpha as the code the firmware multiplies by, and its type.
  [[nodiscard]] const FixedType& alpha_type() const { return alpha_type_; }
  [[nodiscard]] const BigInt& alpha_code() const { return alpha_code_; }

 private:
  Config config_;
  FixedType alpha_type_;
  BigInt alpha_code_;
};

}  // namespace l1emu::emu

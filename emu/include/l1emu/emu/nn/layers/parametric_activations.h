#pragma once
// Element-wise activations of nnet_activation.h with fixed-point parameters: prelu,
// thresholded_relu, hard_sigmoid, hard_tanh (shared/golden/hls4ml2/README.md, "Activations").
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

/// nnet::prelu: a_i = alpha[i]->param_t; y = x > 0 ? x->result_t : (a_i*x)->result_t.
class PReLU final : public Layer {
 public:
  struct Config {
    FixedType param_t, result_t;
    std::vector<BigInt> alpha;  // codes in param_t, one per element
  };
  PReLU(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "PReLU"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ConstantProduct; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }

 private:
  Config config_;
};

/// nnet::thresholded_relu: t = theta->param_t; y = x > t ? x->result_t : 0 (exact comparison).
class ThresholdedReLU final : public Layer {
 public:
  struct Config {
    double theta = 1.0;
    FixedType param_t, result_t;
    std::string param_literal;  // the C++ literal hls4ml wrote for theta (kept for writing back)
  };
  ThresholdedReLU(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return "ThresholdedReLU"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Select; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const BigInt& theta_code() const { return theta_code_; }

 private:
  Config config_;
  BigInt theta_code_;
};

/// nnet::hard_sigmoid and nnet::hard_tanh: h = slope*x + shift exactly (slope->slope_t,
/// shift->shift_t), clamped to [0, 1]; y = h->result_t (sigmoid) or (2*h - 1)->result_t (tanh).
class HardActivation final : public Layer {
 public:
  enum class Kind : std::uint8_t { Sigmoid, Tanh };
  struct Config {
    Kind kind = Kind::Sigmoid;
    double slope = 0.2, shift = 0.5;
    FixedType slope_t, shift_t, result_t;
  };
  HardActivation(std::string name, ArraySpec input, Config config);
  [[nodiscard]] std::string_view class_name() const override { return config_.kind == Kind::Sigmoid ? "HardSigmoid" : "HardTanh"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ConstantProduct; }
  static std::unique_ptr<Layer> parse_sigmoid(LayerBuildContext& context);
  static std::unique_ptr<Layer> parse_tanh(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const Config& config() const { return config_; }
  [[nodiscard]] const BigInt& slope_code() const { return slope_code_; }
  [[nodiscard]] const BigInt& shift_code() const { return shift_code_; }
  /// The result code for one input code.
  [[nodiscard]] BigInt result(const BigInt& code) const;

 private:
  Config config_;
  BigInt slope_code_, shift_code_;
};

}  // namespace l1emu::emu

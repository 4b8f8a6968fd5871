#pragma once
// The merge layers of nnet_merge.h: two input arrays into one (shared/golden/hls4ml2/README.md,
// "Merge layers").
#include <memory>
#include <vector>

#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu {

enum class MergeOp { Add, Subtract, Multiply, Average, Maximum, Minimum };

/// nnet::add, subtract, multiply, average, maximum, minimum on two arrays of equal size n:
/// y[i] = (a[i] op b[i])->result_t, the operation exact (average: (a+b)*0.5 exactly; maximum and
/// minimum select one operand, which is then converted).
class ElementwiseMerge final : public Layer {
 public:
  ElementwiseMerge(std::string name, MergeOp op, std::vector<ArraySpec> inputs, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override;
  [[nodiscard]] OperationShape operation_shape() const override {
    return op_ == MergeOp::Multiply ? OperationShape::DataProduct
           : (op_ == MergeOp::Maximum || op_ == MergeOp::Minimum) ? OperationShape::Select
                                                                  : OperationShape::AddShift;
  }
  template <MergeOp Op>
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] MergeOp op() const { return op_; }

 private:
  MergeOp op_;
};

/// nnet::dot1d: acc = 0; acc = (acc + (a[i]*b[i])->accum_t)->accum_t in order; y[0] = acc->result_t.
class Dot final : public Layer {
 public:
  Dot(std::string name, std::vector<ArraySpec> inputs, FixedType accum_t, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override { return "Dot"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::ProductTree; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  [[nodiscard]] const FixedType& accum_type() const { return accum_t_; }

 private:
  FixedType accum_t_;
};

/// nnet::concatenate1d/2d/3d: every element ->result_t, placed by the axis rule.
class Concatenate final : public Layer {
 public:
  Concatenate(std::string name, std::vector<ArraySpec> inputs, int axis, int rank, FixedType result_t);
  [[nodiscard]] std::string_view class_name() const override { return "Concatenate"; }
  [[nodiscard]] OperationShape operation_shape() const override { return OperationShape::Wiring; }
  static std::unique_ptr<Layer> parse(LayerBuildContext& context);
  void write_params(LayerParamWriter& out) const override;
  [[nodiscard]] std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const override;
  /// For each output element, the input (0 or 1) and the index in it that it copies.
  [[nodiscard]] const std::vector<std::pair<int, std::size_t>>& sources() const { return sources_; }

 private:
  int axis_, rank_;
  std::vector<std::pair<int, std::size_t>> sources_;
};

}  // namespace l1emu::emu

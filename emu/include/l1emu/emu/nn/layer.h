#pragma once
// Layer: one hls4ml layer call with its reference semantics.
//
// A layer reads one or more named arrays (model inputs or earlier layers) and writes one array of
// `output_size` codes in `result_t`. `evaluate` is the specification: scalar, exact, every rule
// commented with the hls4ml / ap_fixed behaviour it reproduces (shared/golden/README.md).
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/fixed/fixed_type.h"
#include "l1emu/emu/nn/fixed_array.h"
#include "l1emu/emu/nn/layer_params.h"

namespace l1emu::emu {

struct LayerBuildContext;  // layer_catalogue.h

/// The form of the hardware a layer becomes, which the board's latency and resource estimate
/// models (one rule per form, board/src/timing_estimate.cpp): copies and wiring; a comparison and
/// multiplexer; a constant product; an addition and shift; a data-by-data product; products and an
/// adder tree; BatchNormalization's product and sum; Dense; a convolution; pooling windows; a
/// table lookup; softmax; the KL score's exp table and sum.
enum class OperationShape {
  Wiring,
  Select,
  ConstantProduct,
  AddShift,
  DataProduct,
  ProductTree,
  Normalize,
  Dense,
  Convolution,
  Pooling,
  Table,
  Softmax,
  ExpTableScore,
};

class Layer {
 public:
  Layer(std::string name, std::vector<ArraySpec> inputs, FixedType result_type, std::size_t output_size)
      : name_(std::move(name)), inputs_(std::move(inputs)), result_type_(result_type), output_size_(output_size), shape_{output_size} {
    // An element-wise layer keeps its input's tensor shape (ReLU after a Conv2D is still H x W x C);
    // layers that reshape set their own.
    if (!inputs_.empty() && inputs_[0].size == output_size && inputs_[0].shape.size() > 1) shape_ = inputs_[0].shape;
  }
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  /// The class name used in model.json ("Dense", "ReLU", ...).
  [[nodiscard]] virtual std::string_view class_name() const = 0;

  /// Output codes in result_type() for the given input arrays (same order and shapes as inputs()).
  [[nodiscard]] virtual std::vector<BigInt> evaluate(std::span<const FixedArray* const> inputs) const = 0;

  /// Writes the class's own keys (everything but name, class, inputs, result_t and shape).
  virtual void write_params(LayerParamWriter& out) const = 0;

  /// What hardware it becomes, for the board's latency and resource estimate.
  [[nodiscard]] virtual OperationShape operation_shape() const = 0;

  /// The output tensor's shape, channels last ({output_size} when one-dimensional).
  [[nodiscard]] const std::vector<std::size_t>& shape() const { return shape_; }
  /// Sets the output shape; its product must be output_size() (throws ModelError otherwise).
  void set_shape(std::vector<std::size_t> shape);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::vector<ArraySpec>& inputs() const { return inputs_; }
  [[nodiscard]] const FixedType& result_type() const { return result_type_; }
  [[nodiscard]] std::size_t output_size() const { return output_size_; }
  [[nodiscard]] ArraySpec output_spec() const { return {name_, output_size_, result_type_, shape_}; }

 private:
  std::string name_;
  std::vector<ArraySpec> inputs_;
  FixedType result_type_;
  std::size_t output_size_;
  std::vector<std::size_t> shape_;
};

}  // namespace l1emu::emu

#pragma once
// A batch of float rows (one event's model inputs each, all inputs concatenated, as a feature
// builder writes them) into the compiled engine's input lanes (value k of event e at
// k * CompiledModel::kBatch + e), each value converted as ap_fixed's float constructor converts it
// (InputCodeConverter, the specification's fast scalar form). The rows go through the vectorised
// kernels of the Python module's float32 path: float_input_scaled.h where the lanes are 32-bit and
// it covers the type, float_input_kernel.h otherwise; the values they flag (subnormals, infinities,
// NaN, codes beyond their range) and the types they do not cover (ap_int's (-0.5, 0) -> +1 rule)
// take InputCodeConverter; then one transposition. A replay's features were converted a value at a
// time before, a call and a mispredicted branch on zero each (12 % of a dataset replay's CPU).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "l1emu/emu/compiled/float_input_kernel.h"
#include "l1emu/emu/compiled/float_input_scaled.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

class FloatRowsToLanes {
 public:
  /// The model's input types (every one at most 62 bits wide: a model CompiledModel supports);
  /// the model must outlive the converter.
  explicit FloatRowsToLanes(const Model& model);

  /// Per-thread buffers of convert (the batch's codes row-major and the kernels' flags).
  template <class Lane>
  struct Scratch {
    std::vector<Lane> codes, slow;
  };

  /// `count` rows of width() floats at `rows` into `lanes` (width() rows of `lanes_per_value`
  /// codes; the first `count` of each written). Lane is std::int64_t, or std::int32_t when every
  /// input type is at most 32 bits wide. What InputCodeConverter throws for a value, this throws.
  template <class Lane>
  void convert(const float* rows, std::size_t count, std::size_t lanes_per_value, Lane* lanes, Scratch<Lane>& scratch) const;

  [[nodiscard]] std::size_t width() const { return width_; }

 private:
  struct Input {
    std::size_t begin = 0, size = 0;  // its values within a row
    FloatKernelType kernel;
    ScaledFloatType scaled;
    std::unique_ptr<InputCodeConverter> exact;
  };
  std::vector<Input> inputs_;
  std::vector<std::size_t> column_input_;  // the input of each value of a row
  std::size_t width_ = 0;
};

}  // namespace l1emu::emu

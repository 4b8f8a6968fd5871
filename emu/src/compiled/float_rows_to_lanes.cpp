#include "l1emu/emu/compiled/float_rows_to_lanes.h"

#include <type_traits>

#include "l1emu/emu/compiled/lane_transpose.h"

namespace l1emu::emu {

FloatRowsToLanes::FloatRowsToLanes(const Model& model) {
  for (const auto& in : model.inputs()) {
    Input input;
    input.begin = width_;
    input.size = in.size;
    input.kernel = FloatKernelType::make(in.type);
    input.scaled = ScaledFloatType::make(in.type);
    input.exact = std::make_unique<InputCodeConverter>(in.type);
    width_ += in.size;
    column_input_.insert(column_input_.end(), in.size, inputs_.size());
    inputs_.push_back(std::move(input));
  }
}

template <class Lane>
void FloatRowsToLanes::convert(const float* rows, std::size_t count, std::size_t lanes_per_value, Lane* lanes, Scratch<Lane>& scratch) const {
  const std::size_t n = count * width_;
  scratch.codes.resize(n);
  scratch.slow.resize(n);  // every kernel writes each of its flags
  Lane* codes = scratch.codes.data();
  Lane* slow = scratch.slow.data();
  // The kernel of one input over `values` values from `first` (a whole batch when the model has one
  // input: its rows are contiguous; else one row's stretch of the input at a time).
  const auto kernel = [&](const Input& in, std::size_t first, std::size_t values) {
    if constexpr (std::is_same_v<Lane, std::int32_t>) {
      if (in.scaled.supported) return scaled_float_codes(rows + first, values, in.scaled, codes + first, slow + first);
    }
    if (in.kernel.supported) return float_codes(rows + first, values, in.kernel, codes + first, slow + first);
    for (std::size_t i = first; i < first + values; ++i) slow[i] = 1;
  };
  if (inputs_.size() == 1) {
    kernel(inputs_.front(), 0, n);
  } else {
    for (std::size_t e = 0; e < count; ++e)
      for (const Input& in : inputs_) kernel(in, e * width_ + in.begin, in.size);
  }
  Lane any = 0;
  for (std::size_t i = 0; i < n; ++i) any |= slow[i];
  if (any != 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (slow[i] != 0) codes[i] = static_cast<Lane>((*inputs_[column_input_[i % width_]].exact)(rows[i]));
    }
  }
  transpose_into_lanes(codes, count, width_, lanes_per_value, lanes);
}

template void FloatRowsToLanes::convert<std::int64_t>(const float*, std::size_t, std::size_t, std::int64_t*, Scratch<std::int64_t>&) const;
template void FloatRowsToLanes::convert<std::int32_t>(const float*, std::size_t, std::size_t, std::int32_t*, Scratch<std::int32_t>&) const;

}  // namespace l1emu::emu

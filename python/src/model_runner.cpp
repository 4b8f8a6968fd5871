#include "model_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <thread>
#include <type_traits>

#include "code_values.h"
#include "input_conversion.h"
#include "l1emu/emu/compiled/float_input_kernel.h"
#include "l1emu/emu/compiled/float_input_scaled.h"
#include "l1emu/emu/compiled/lane_transpose.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/nn/reference_evaluator.h"

namespace l1emu::python {

// The float32 input kernels the replay's ScoreEngine uses too (l1emu/emu/compiled/).
using emu::float_codes;
using emu::FloatKernelType;
using emu::scaled_float_codes;
using emu::ScaledFloatType;
using emu::transpose_into_lanes;

namespace {

constexpr std::size_t kLanes = emu::CompiledModel::kBatch;

template <class T>
T element(const InputMatrix& x, std::size_t r, std::size_t k) {
  T v;
  std::memcpy(&v, x.data + static_cast<std::ptrdiff_t>(r) * x.row_stride + static_cast<std::ptrdiff_t>(k) * x.col_stride, sizeof(T));
  return v;
}

// Calls f(T{}) with the C++ type of the matrix's elements.
template <class F>
decltype(auto) with_element_type(InputKind kind, F&& f) {
  switch (kind) {
    case InputKind::float32: return f(float{});
    case InputKind::float64: return f(double{});
    case InputKind::int8: return f(std::int8_t{});
    case InputKind::int16: return f(std::int16_t{});
    case InputKind::int32: return f(std::int32_t{});
    case InputKind::int64: return f(std::int64_t{});
    case InputKind::uint8: return f(std::uint8_t{});
    case InputKind::uint16: return f(std::uint16_t{});
    case InputKind::uint32: return f(std::uint32_t{});
  }
  return f(float{});
}

std::string position(std::size_t r, std::size_t k) { return "x[" + std::to_string(r) + ", " + std::to_string(k) + "]"; }

// The bad-float failure: hls4ml's test bench has no meaning for NaN or infinity, and l1emu
// predict's --input rejects them too.
Failure non_finite(std::size_t r, std::size_t k, double v) {
  return {r, k, position(r, k) + " is " + std::string(std::isnan(v) ? "NaN" : "infinite") + ": inputs must be finite numbers"};
}

Failure code_out_of_range(std::size_t r, std::size_t k, long long v, const emu::FixedType& t) {
  return {r, k,
          position(r, k) + " = " + std::to_string(v) + " is not a code of " + t.to_string() + " (codes " + t.min_code().str() + " to " +
              t.max_code().str() + "); raw=True takes integer codes"};
}

// Stores one code into a destination; a value that a double cannot hold exactly is a failure.
inline bool store(const Destination& d, std::size_t r, std::size_t i, std::int64_t code, std::optional<Failure>& failure) {
  const std::size_t at = r * d.size + i;
  if (d.codes != nullptr) {
    d.codes[at] = code;
    return true;
  }
  const auto v = exact_value(code, d.fractional_bits, d.lsb);
  if (v) {
    d.values[at] = *v;
    return true;
  }
  failure = Failure{r, 0,
                    "'" + d.name + "' of event " + std::to_string(r) + ", value " + std::to_string(i) + ": code " + std::to_string(code) +
                        " needs more than 53 bits as a double (value = code x 2^-" + std::to_string(d.fractional_bits) +
                        "); use raw=True for the integer codes"};
  return false;
}

bool before(const std::optional<Failure>& a, const std::optional<Failure>& b) {
  if (!a) return false;
  if (!b) return true;
  return a->row != b->row ? a->row < b->row : a->col < b->col;
}

// Asks for the next batch's rows while the engine evaluates this one. The engine touches no input
// memory, so the hardware prefetchers, which follow demand reads, would leave those rows in DRAM
// until the next conversion stalls on them: for vae_paper from float32 (228 bytes an event) reading
// them cost as much as the model's largest layer.
void prefetch_rows(const InputMatrix& x, std::size_t row0, std::size_t count) {
  constexpr std::ptrdiff_t kLine = 64;
  if (x.col_stride <= 0 || x.col_stride > kLine) return;  // views with gaps between values: left to the hardware
  const std::ptrdiff_t last = x.col_stride * static_cast<std::ptrdiff_t>(x.cols - 1);  // the last value's first byte
  for (std::size_t e = 0; e < count; ++e) {
    const char* row = x.data + static_cast<std::ptrdiff_t>(row0 + e) * x.row_stride;
    for (std::ptrdiff_t at = 0; at < last; at += kLine) __builtin_prefetch(row + at, 0, 2);
    __builtin_prefetch(row + last, 0, 2);
  }
}

}  // namespace

// Per-input-array converters of the matrix's element type, made once per run and shared by the
// threads, and for each input value k (column) the converter and code range of its input.
struct ModelRunner::Converters {
  std::vector<FloatCodeConverter<float>> from_float;
  std::vector<FloatCodeConverter<double>> from_double;
  std::vector<std::int64_t> min_code, max_code;  // raw inputs: each input type's range
  std::vector<const FloatCodeConverter<float>*> column_float;
  std::vector<const FloatCodeConverter<double>*> column_double;
  std::vector<std::int64_t> column_min, column_max;
  // float32 rows of contiguous values whose input types the vectorized kernel covers (all of them).
  bool float_kernel = false;
  std::vector<FloatKernelType> kernel_types;  // per model input
  std::vector<ScaledFloatType> scaled_types;  // per model input: the faster kernel, for int32 lanes
  std::vector<std::size_t> input_begin;       // first column of each model input
};

namespace {

// Converts events [row0, row0 + count) of x into lanes (value k of event e at k*kLanes + e).
// Returns false with `failure` set at the first value that is not finite or not a code.
template <class T, class Lane, bool kContiguous>
bool fill_lanes(const InputMatrix& x, std::size_t row0, std::size_t count, std::size_t width, const ModelRunner::Converters& conv,
                const emu::Model& model, const std::vector<std::size_t>& column_input, Lane* lanes, std::optional<Failure>& failure) {
  for (std::size_t e = 0; e < count; ++e) {
    const std::size_t r = row0 + e;
    const char* row = x.data + static_cast<std::ptrdiff_t>(r) * x.row_stride;
    for (std::size_t k = 0; k < width; ++k) {
      T v;
      std::memcpy(&v, row + static_cast<std::ptrdiff_t>(k) * (kContiguous ? static_cast<std::ptrdiff_t>(sizeof(T)) : x.col_stride), sizeof(T));
      std::int64_t code = 0;
      if constexpr (std::is_floating_point_v<T>) {
        if (!std::isfinite(v)) [[unlikely]] {
          failure = non_finite(r, k, static_cast<double>(v));
          return false;
        }
        if constexpr (std::is_same_v<T, float>) {
          code = (*conv.column_float[k])(v);
        } else {
          code = (*conv.column_double[k])(v);
        }
      } else {
        code = static_cast<std::int64_t>(v);
        if (code < conv.column_min[k] || code > conv.column_max[k]) [[unlikely]] {
          failure = code_out_of_range(r, k, static_cast<long long>(v), model.inputs()[column_input[k]].type);
          return false;
        }
      }
      lanes[k * kLanes + e] = static_cast<Lane>(code);
    }
  }
  return true;
}

// Codes of n floats of model input `a`: the scaled kernel where it covers the type and the lanes
// are int32, else the integer kernel.
template <class Lane>
void convert_floats(const float* in, std::size_t n, std::size_t a, const ModelRunner::Converters& conv, Lane* out, Lane* slow) {
  if constexpr (std::is_same_v<Lane, std::int32_t>) {
    if (conv.scaled_types[a].supported) return scaled_float_codes(in, n, conv.scaled_types[a], out, slow);
  }
  float_codes(in, n, conv.kernel_types[a], out, slow);
}

// The same for float32 rows with contiguous values, through the vectorized kernel: the batch's
// codes row-major in `codes`, the few flagged values fixed by the scalar converter, then transposed.
template <class Lane>
bool fill_lanes_from_floats(const InputMatrix& x, std::size_t row0, std::size_t count, std::size_t width, const ModelRunner::Converters& conv,
                            std::vector<Lane>& codes, std::vector<Lane>& slow, Lane* lanes, std::optional<Failure>& failure) {
  const auto row = [&](std::size_t r) { return reinterpret_cast<const float*>(x.data + static_cast<std::ptrdiff_t>(r) * x.row_stride); };
  if (conv.kernel_types.size() == 1 && x.row_stride == static_cast<std::ptrdiff_t>(width * sizeof(float))) {
    convert_floats(row(row0), count * width, 0, conv, codes.data(), slow.data());  // the batch in one pass
  } else {
    for (std::size_t e = 0; e < count; ++e) {
      for (std::size_t a = 0; a < conv.kernel_types.size(); ++a) {
        const std::size_t begin = conv.input_begin[a], end = a + 1 < conv.input_begin.size() ? conv.input_begin[a + 1] : width;
        convert_floats(row(row0 + e) + begin, end - begin, a, conv, codes.data() + e * width + begin, slow.data() + e * width + begin);
      }
    }
  }
  Lane any = 0;
  for (std::size_t i = 0; i < count * width; ++i) any |= slow[i];
  if (any != 0) {
    for (std::size_t i = 0; i < count * width; ++i) {
      if (slow[i] == 0) continue;
      const std::size_t e = i / width, k = i % width;
      const float v = row(row0 + e)[k];
      if (!std::isfinite(v)) {
        failure = non_finite(row0 + e, k, static_cast<double>(v));
        return false;
      }
      codes[i] = static_cast<Lane>((*conv.column_float[k])(v));
    }
  }
  transpose_into_lanes(codes.data(), count, width, kLanes, lanes);
  return true;
}

}  // namespace

ModelRunner::ModelRunner(const emu::Model& model) : model_(&model) {
  for (std::size_t a = 0; a < model.inputs().size(); ++a) {
    input_width_ += model.inputs()[a].size;
    column_input_.insert(column_input_.end(), model.inputs()[a].size, a);
  }
  if (emu::CompiledModel::supports(model, &why_not_compiled_)) compiled_ = std::make_unique<emu::CompiledModel>(model);
}

ModelRunner::~ModelRunner() = default;

std::optional<Failure> ModelRunner::run(const InputMatrix& x, Engine engine, unsigned threads, const std::vector<Destination>& destinations) const {
  if (x.rows == 0) return std::nullopt;
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  const bool compiled = engine == Engine::compiled && compiled_ != nullptr;

  Converters conv;
  if (compiled) {
    conv.from_float.reserve(model_->inputs().size());  // no reallocation: the columns point into these
    conv.from_double.reserve(model_->inputs().size());
    for (const auto& in : model_->inputs()) {
      if (x.kind == InputKind::float32) conv.from_float.emplace_back(in.type);
      if (x.kind == InputKind::float64) conv.from_double.emplace_back(in.type);
      conv.min_code.push_back(in.type.min_code().convert_to<std::int64_t>());
      conv.max_code.push_back(in.type.max_code().convert_to<std::int64_t>());
    }
    // The kernel reads rows as float arrays: contiguous values, and aligned (numpy arrays made from
    // a byte buffer at an odd offset are not; they take the scalar path, which copies each value).
    conv.float_kernel = x.kind == InputKind::float32 && x.col_stride == static_cast<std::ptrdiff_t>(sizeof(float)) &&
                        reinterpret_cast<std::uintptr_t>(x.data) % alignof(float) == 0 && x.row_stride % static_cast<std::ptrdiff_t>(alignof(float)) == 0;
    std::size_t begin = 0;
    for (const auto& in : model_->inputs()) {
      conv.kernel_types.push_back(FloatKernelType::make(in.type));
      conv.scaled_types.push_back(ScaledFloatType::make(in.type));
      conv.float_kernel = conv.float_kernel && conv.kernel_types.back().supported;
      conv.input_begin.push_back(begin);
      begin += in.size;
    }
    for (const std::size_t a : column_input_) {
      conv.column_float.push_back(conv.from_float.empty() ? nullptr : &conv.from_float[a]);
      conv.column_double.push_back(conv.from_double.empty() ? nullptr : &conv.from_double[a]);
      conv.column_min.push_back(conv.min_code[a]);
      conv.column_max.push_back(conv.max_code[a]);
    }
  }
  // Contiguous ranges of whole batches per thread: each thread writes its own rows only.
  const std::size_t units = compiled ? (x.rows + kLanes - 1) / kLanes : x.rows;
  const std::size_t workers = std::min<std::size_t>(threads, units);
  std::vector<std::optional<Failure>> failures(workers);
  std::vector<std::exception_ptr> errors(workers);  // a layer's error (an embedding index outside its table)
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 0; t < workers; ++t) {
      pool.emplace_back([&, t] {
        const std::size_t begin = units * t / workers, end = units * (t + 1) / workers;
        try {
          failures[t] = compiled ? run_compiled(x, conv, begin, end, destinations) : run_reference(x, begin, end, destinations);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  std::optional<Failure> first;
  for (auto& f : failures) {
    if (before(f, first)) first = std::move(f);
  }
  return first;
}

std::optional<Failure> ModelRunner::run_compiled(const InputMatrix& x, const Converters& conv, std::size_t first_batch, std::size_t end_batch,
                                                 const std::vector<Destination>& destinations) const {
  const emu::CompiledModel& plan = *compiled_;
  auto ws = plan.make_workspace();
  const bool narrow = plan.inputs_fit_32_bits();
  // Lanes past a short last batch keep valid codes (zeros, or the previous batch's): the kernels
  // compute every lane.
  std::vector<std::int32_t> lanes32(narrow ? input_width_ * kLanes : 0, 0);
  std::vector<std::int64_t> lanes64(narrow ? 0 : input_width_ * kLanes, 0);
  std::vector<std::int64_t> outputs(plan.output_width() * kLanes);
  std::vector<std::int32_t> kernel_codes32(conv.float_kernel && narrow ? input_width_ * kLanes : 0);
  std::vector<std::int64_t> kernel_codes64(conv.float_kernel && !narrow ? input_width_ * kLanes : 0);
  std::vector<std::int32_t> kernel_slow32(kernel_codes32.size());
  std::vector<std::int64_t> kernel_slow64(kernel_codes64.size());
  // Where each destination's codes come from: its offset among the model outputs, or the workspace.
  std::vector<std::optional<std::size_t>> output_offset(destinations.size());
  for (std::size_t d = 0; d < destinations.size(); ++d) {
    std::size_t offset = 0;
    for (std::size_t index : model_->output_indices()) {
      if (index == destinations[d].array_index) {
        output_offset[d] = offset;
        break;
      }
      offset += model_->array_spec(index).size;
    }
  }
  std::optional<Failure> failure;
  for (std::size_t b = first_batch; b < end_batch; ++b) {
    const std::size_t row0 = b * kLanes, count = std::min(kLanes, x.rows - row0);
    const bool ok = conv.float_kernel
        ? (narrow ? fill_lanes_from_floats(x, row0, count, input_width_, conv, kernel_codes32, kernel_slow32, lanes32.data(), failure)
                  : fill_lanes_from_floats(x, row0, count, input_width_, conv, kernel_codes64, kernel_slow64, lanes64.data(), failure))
        : with_element_type(x.kind, [&](auto zero) {
      using T = decltype(zero);
      const bool contiguous = x.col_stride == static_cast<std::ptrdiff_t>(sizeof(T));
      if (narrow) {
        return contiguous ? fill_lanes<T, std::int32_t, true>(x, row0, count, input_width_, conv, *model_, column_input_, lanes32.data(), failure)
                          : fill_lanes<T, std::int32_t, false>(x, row0, count, input_width_, conv, *model_, column_input_, lanes32.data(), failure);
      }
      return contiguous ? fill_lanes<T, std::int64_t, true>(x, row0, count, input_width_, conv, *model_, column_input_, lanes64.data(), failure)
                        : fill_lanes<T, std::int64_t, false>(x, row0, count, input_width_, conv, *model_, column_input_, lanes64.data(), failure);
    });
    if (!ok) return failure;
    if (b + 1 < end_batch) prefetch_rows(x, row0 + kLanes, std::min(kLanes, x.rows - row0 - kLanes));
    constexpr auto kLaneMajor = emu::CompiledModel::OutputLayout::lane_major;
    if (narrow) {
      plan.evaluate_lanes(ws, lanes32.data(), count, outputs.data(), kLaneMajor);
    } else {
      plan.evaluate_lanes(ws, lanes64.data(), count, outputs.data(), kLaneMajor);
    }
    for (std::size_t d = 0; d < destinations.size(); ++d) {
      const Destination& dest = destinations[d];
      if (output_offset[d] && (dest.codes != nullptr || dest.values_exact)) {
        // A model output: lane rows of the output buffer into the (N, size) array, a loop the
        // compiler vectorizes (no per-value check: codes, or values that are exact by their type).
        for (std::size_t i = 0; i < dest.size; ++i) {
          const std::int64_t* lane = outputs.data() + (*output_offset[d] + i) * kLanes;
          if (dest.codes != nullptr) {
            std::int64_t* to = dest.codes + row0 * dest.size + i;
            for (std::size_t e = 0; e < count; ++e) to[e * dest.size] = lane[e];
          } else {
            double* to = dest.values + row0 * dest.size + i;
            for (std::size_t e = 0; e < count; ++e) to[e * dest.size] = static_cast<double>(lane[e]) * dest.lsb;
          }
        }
        continue;
      }
      for (std::size_t e = 0; e < count; ++e) {
        for (std::size_t i = 0; i < dest.size; ++i) {
          const std::int64_t code = output_offset[d] ? outputs[(*output_offset[d] + i) * kLanes + e] : ws.code(dest.array_index, i, e);
          if (!store(dest, row0 + e, i, code, failure)) return failure;
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<Failure> ModelRunner::run_reference(const InputMatrix& x, std::size_t first, std::size_t end,
                                                  const std::vector<Destination>& destinations) const {
  const emu::ReferenceEvaluator evaluator(*model_);
  constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  std::optional<Failure> failure;
  std::vector<std::vector<emu::BigInt>> codes(model_->inputs().size());
  for (std::size_t r = first; r < end; ++r) {
    for (std::size_t a = 0; a < codes.size(); ++a) codes[a].clear();
    const bool ok = with_element_type(x.kind, [&](auto zero) {
      using T = decltype(zero);
      for (std::size_t k = 0; k < input_width_; ++k) {
        const T v = element<T>(x, r, k);
        const emu::FixedType& type = model_->inputs()[column_input_[k]].type;
        emu::BigInt code;
        if constexpr (std::is_floating_point_v<T>) {
          if (!std::isfinite(v)) {
            failure = non_finite(r, k, static_cast<double>(v));
            return false;
          }
          code = std::is_same_v<T, float> ? emu::from_float(static_cast<float>(v), type) : emu::from_double(static_cast<double>(v), type);
        } else {
          code = emu::BigInt(static_cast<long long>(v));
          if (!type.holds(code)) {
            failure = code_out_of_range(r, k, static_cast<long long>(v), type);
            return false;
          }
        }
        codes[column_input_[k]].push_back(std::move(code));
      }
      return true;
    });
    if (!ok) return failure;
    const emu::EventArrays arrays = evaluator.evaluate(codes);
    for (const Destination& dest : destinations) {
      const auto& array = arrays[dest.array_index].codes;
      for (std::size_t i = 0; i < dest.size; ++i) {
        if (array[i] < lo || array[i] > hi) {
          return Failure{r, 0, "'" + dest.name + "' of event " + std::to_string(r) + ", value " + std::to_string(i) + ": code " +
                                   array[i].str() + " does not fit 64 bits (the array's type is wider than numpy's int64)"};
        }
        if (!store(dest, r, i, array[i].convert_to<std::int64_t>(), failure)) return failure;
      }
    }
  }
  return std::nullopt;
}

}  // namespace l1emu::python

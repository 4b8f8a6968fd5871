#include "l1emu/emu/compiled/compiled_model.h"

#include <chrono>
#include <stdexcept>
#include <variant>

#include "kernel.h"

namespace l1emu::emu {

using compiled::Kernel;
using compiled::KernelPtr;
using compiled::LaneArrays;

namespace {

template <class T>
struct TypedPlan {
  std::vector<KernelPtr<T>> kernels;
  std::vector<std::size_t> array_sizes;
  std::vector<std::size_t> storage;  // storage[a]: the array whose lanes array a uses (a itself, or the input of an unchanged copy)
};

// A layer's kernel: the specialised one if its ranges fit T, else the per-event reference.
template <class T>
KernelPtr<T> kernel_for(const Layer& layer) {
  KernelPtr<T> k = compiled::make_dense_kernel<T>(layer);
  if (!k) k = compiled::make_elementwise_kernel<T>(layer);
  if (!k) k = compiled::make_reduction_kernel<T>(layer);
  if (!k) k = compiled::make_merge_kernel<T>(layer);
  if (!k) k = compiled::make_spatial_kernel<T>(layer);
  if (!k) k = compiled::make_table_kernel<T>(layer);
  if (!k) k = compiled::make_quantizer_kernel<T>(layer);
  if (!k) k = compiled::make_custom_mse_kernel<T>(layer);
  if (!k) k = compiled::make_embedding_kernel<T>(layer);
  return k;
}

template <class T>
TypedPlan<T> build(const Model& model, bool allow_fallback, bool& complete) {
  TypedPlan<T> plan;
  complete = true;
  for (std::size_t a = 0; a < model.array_count(); ++a) plan.array_sizes.push_back(model.array_spec(a).size);
  for (std::size_t l = 0; l < model.layers().size(); ++l) {
    const Layer& layer = *model.layers()[l];
    KernelPtr<T> k = kernel_for<T>(layer);
    if constexpr (std::is_same_v<T, std::int32_t>) {
      // Arithmetic wider than the lanes: this layer alone runs on 64-bit lanes.
      if (!k) {
        if (KernelPtr<std::int64_t> wide = kernel_for<std::int64_t>(layer)) {
          wide->inputs = model.layer_input_indices()[l];
          wide->output = model.inputs().size() + l;
          wide->arrays_bound();
          k = compiled::make_widened_kernel(std::move(wide), plan.array_sizes);
        }
      }
    }
    if (!k) {
      complete = false;
      if (!allow_fallback) return plan;
      k = compiled::make_reference_kernel<T>(layer);
    }
    k->inputs = model.layer_input_indices()[l];
    k->output = model.inputs().size() + l;
    k->arrays_bound();
    plan.kernels.push_back(std::move(k));
  }
  // Plan-time fusion of neighbouring kernels (sibling Dense layers).
  for (std::size_t l = 0; l + 1 < plan.kernels.size(); ++l) plan.kernels[l]->absorb(*plan.kernels[l + 1]);
  // An unchanged copy (a Flatten of channels-last data) shares its input's lanes: every array is
  // written by one kernel only, before any reader. Not for model inputs, which evaluate_lanes may
  // point at the caller's memory.
  for (std::size_t a = 0; a < model.array_count(); ++a) plan.storage.push_back(a);
  for (auto& k : plan.kernels) {
    if (k->inputs.size() == 1 && k->inputs[0] >= model.inputs().size() && k->copies_input_unchanged() &&
        plan.array_sizes[k->inputs[0]] == plan.array_sizes[k->output]) {
      plan.storage[k->output] = plan.storage[k->inputs[0]];
      k->alias();
    }
  }
  return plan;
}

// Every array type must fit the lane (the result codes are stored in it).
bool arrays_fit(const Model& model, int lane_bits) {
  for (std::size_t a = 0; a < model.array_count(); ++a) {
    const FixedType& t = model.array_spec(a).type;
    if (t.width + (t.is_signed ? 0 : 1) > lane_bits) return false;
  }
  return true;
}

}  // namespace

struct CompiledModel::Plan {
  std::variant<TypedPlan<std::int32_t>, TypedPlan<std::int64_t>> typed;
};

struct CompiledModel::Workspace::Impl {
  std::variant<LaneArrays<std::int32_t>, LaneArrays<std::int64_t>> arrays;
  bool profiling = false;
  std::vector<double> layer_ns;
  std::uint64_t profiled_events = 0;
};

CompiledModel::Workspace::Workspace() : impl_(std::make_unique<Impl>()) {}
CompiledModel::Workspace::~Workspace() = default;
CompiledModel::Workspace::Workspace(Workspace&&) noexcept = default;

void CompiledModel::Workspace::set_profiling(bool on) { impl_->profiling = on; }
const std::vector<double>& CompiledModel::Workspace::layer_nanoseconds() const { return impl_->layer_ns; }
std::uint64_t CompiledModel::Workspace::profiled_events() const { return impl_->profiled_events; }

std::int64_t CompiledModel::Workspace::code(std::size_t index, std::size_t k, std::size_t e) const {
  return std::visit([&](const auto& arrays) { return static_cast<std::int64_t>(arrays.row(index, k)[e]); }, impl_->arrays);
}

bool CompiledModel::supports(const Model& model, std::string* why) {
  for (std::size_t a = 0; a < model.array_count(); ++a) {
    const ArraySpec spec = model.array_spec(a);
    if (spec.type.width > 62) {
      if (why != nullptr) *why = "array '" + spec.name + "' has type " + spec.type.to_string() + ", wider than the 62-bit lanes";
      return false;
    }
  }
  return true;
}

CompiledModel::CompiledModel(const Model& model) : model_(&model), plan_(std::make_unique<Plan>()) {
  std::string why;
  if (!supports(model, &why)) throw std::invalid_argument("the compiled engine cannot run this model: " + why);
  bool complete = false;
  if (arrays_fit(model, 32)) {
    auto plan32 = build<std::int32_t>(model, false, complete);
    if (complete) {
      plan_->typed = std::move(plan32);
      return;
    }
  }
  plan_->typed = build<std::int64_t>(model, true, complete);
}

CompiledModel::~CompiledModel() = default;
CompiledModel::CompiledModel(CompiledModel&&) noexcept = default;
CompiledModel& CompiledModel::operator=(CompiledModel&&) noexcept = default;

CompiledModel::Workspace CompiledModel::make_workspace() const {
  Workspace ws;
  if (std::holds_alternative<TypedPlan<std::int32_t>>(plan_->typed)) {
    ws.impl_->arrays = LaneArrays<std::int32_t>{};
  } else {
    ws.impl_->arrays = LaneArrays<std::int64_t>{};
  }
  std::visit(
      [&](auto& arrays) {
        arrays.batch = kBatch;
        const std::vector<std::size_t>& storage = std::visit([](const auto& plan) -> const std::vector<std::size_t>& { return plan.storage; }, plan_->typed);
        std::size_t total = 0;
        for (std::size_t a = 0; a < model_->array_count(); ++a) {
          if (storage[a] != a) {
            arrays.offset.push_back(arrays.offset[storage[a]]);  // an earlier array: its lanes
            continue;
          }
          arrays.offset.push_back(total);
          total += model_->array_spec(a).size * kBatch;
        }
        arrays.data.assign(total, 0);
        arrays.bind();
      },
      ws.impl_->arrays);
  return ws;
}

std::size_t CompiledModel::input_width() const {
  std::size_t n = 0;
  for (const auto& in : model_->inputs()) n += in.size;
  return n;
}

std::size_t CompiledModel::output_width() const { return model_->output_width(); }

namespace {

// Runs the kernels on inputs already in the lanes and writes the outputs event-major.
template <class Lane, class Plan>
void run_plan(const Plan& plan, const Model& model, LaneArrays<Lane>& arrays, std::size_t count, std::size_t out_width,
              std::int64_t* outputs, CompiledModel::Workspace::Impl& ws,
              CompiledModel::OutputLayout layout = CompiledModel::OutputLayout::event_major) {
  if (ws.profiling) {
    ws.layer_ns.resize(plan.kernels.size(), 0.0);
    for (std::size_t l = 0; l < plan.kernels.size(); ++l) {
      const auto start = std::chrono::steady_clock::now();
      plan.kernels[l]->run(arrays, count);
      ws.layer_ns[l] += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    }
    ws.profiled_events += count;
  } else {
    for (const auto& kernel : plan.kernels) kernel->run(arrays, count);
  }
  std::size_t m = 0;
  for (std::size_t index : model.output_indices()) {
    for (std::size_t i = 0; i < plan.array_sizes[index]; ++i, ++m) {
      const Lane* row = arrays.row(index, i);
      if (layout == CompiledModel::OutputLayout::lane_major) {
        std::int64_t* out = outputs + m * CompiledModel::kBatch;
        for (std::size_t e = 0; e < count; ++e) out[e] = row[e];
      } else {
        for (std::size_t e = 0; e < count; ++e) outputs[e * out_width + m] = row[e];
      }
    }
  }
}

}  // namespace

void CompiledModel::evaluate(Workspace& ws, const std::int64_t* inputs, std::size_t count, std::int64_t* outputs) const {
  if (count > kBatch) throw std::invalid_argument("CompiledModel::evaluate: more events than one batch");
  std::visit(
      [&](const auto& plan) {
        using Lane = std::conditional_t<std::is_same_v<std::decay_t<decltype(plan)>, TypedPlan<std::int32_t>>, std::int32_t, std::int64_t>;
        auto& arrays = std::get<LaneArrays<Lane>>(ws.impl_->arrays);
        arrays.bind();  // inputs in the workspace's own storage (evaluate_lanes may have pointed them away)
        // Transpose the event-major inputs into lanes (input arrays are contiguous from array 0).
        const std::size_t width = input_width();
        Lane* lanes = arrays.row(0, 0);
        for (std::size_t e = 0; e < count; ++e) {
          const std::int64_t* event = inputs + e * width;
          for (std::size_t k = 0; k < width; ++k) lanes[k * kBatch + e] = static_cast<Lane>(event[k]);
        }
        run_plan(plan, *model_, arrays, count, output_width(), outputs, *ws.impl_);
      },
      plan_->typed);
}

template <class Code>
void CompiledModel::evaluate_from_lanes(Workspace& ws, const Code* lanes, std::size_t count, std::int64_t* outputs,
                                        OutputLayout layout) const {
  if (count > kBatch) throw std::invalid_argument("CompiledModel::evaluate_lanes: more events than one batch");
  std::visit(
      [&](const auto& plan) {
        using Lane = std::conditional_t<std::is_same_v<std::decay_t<decltype(plan)>, TypedPlan<std::int32_t>>, std::int32_t, std::int64_t>;
        auto& arrays = std::get<LaneArrays<Lane>>(ws.impl_->arrays);
        arrays.bind();
        if constexpr (std::is_same_v<Code, Lane>) {
          // The caller's lanes are the input arrays (kernels only read them): no copy.
          std::size_t first = 0;
          for (std::size_t a = 0; a < model_->inputs().size(); ++a) {
            arrays.base[a] = const_cast<Lane*>(lanes) + first * kBatch;
            first += model_->inputs()[a].size;
          }
        } else {
          Lane* dst = arrays.row(0, 0);
          const std::size_t total = input_width() * kBatch;
          for (std::size_t k = 0; k < total; ++k) dst[k] = static_cast<Lane>(lanes[k]);
        }
        run_plan(plan, *model_, arrays, count, output_width(), outputs, *ws.impl_, layout);
      },
      plan_->typed);
}

void CompiledModel::evaluate_lanes(Workspace& ws, const std::int64_t* lanes, std::size_t count, std::int64_t* outputs,
                                   OutputLayout layout) const {
  evaluate_from_lanes(ws, lanes, count, outputs, layout);
}

bool CompiledModel::inputs_fit_32_bits() const {
  for (const auto& in : model_->inputs()) {
    if (in.type.width + (in.type.is_signed ? 0 : 1) > 32) return false;
  }
  return true;
}

void CompiledModel::evaluate_lanes(Workspace& ws, const std::int32_t* lanes, std::size_t count, std::int64_t* outputs,
                                   OutputLayout layout) const {
  if (!inputs_fit_32_bits()) throw std::invalid_argument("CompiledModel::evaluate_lanes: input codes do not fit 32 bits");
  evaluate_from_lanes(ws, lanes, count, outputs, layout);
}

std::vector<std::string> CompiledModel::describe() const {
  std::vector<std::string> lines;
  std::visit(
      [&](const auto& plan) {
        for (std::size_t l = 0; l < plan.kernels.size(); ++l) {
          lines.push_back(model_->layers()[l]->name() + " (" + std::string(model_->layers()[l]->class_name()) + "): " +
                          plan.kernels[l]->describe());
        }
      },
      plan_->typed);
  return lines;
}

}  // namespace l1emu::emu

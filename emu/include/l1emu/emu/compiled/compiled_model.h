#pragma once
// CompiledModel: a Model compiled once into an integer plan (DESIGN.md "Performance design").
//
// Every array of the model becomes a lane array in structure-of-arrays layout: value k of events
// 0..B-1 is contiguous, so each step of a layer is a loop over events that the compiler
// vectorizes. Weights are raw codes, zero weights are dropped (adding a zero product never
// changes an accumulator), rounding and overflow are precomputed LaneConverters, WRAP
// accumulators sum modulo 2^lane and wrap once (modular addition is order-free), SAT accumulators
// keep hls4ml's order. Lanes are int32 when range analysis proves every intermediate fits, else
// int64. A layer that fits neither runs the reference layer per event, so every model compiles.
// The plan is immutable and shared by threads; each thread owns a Workspace.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

class CompiledModel {
 public:
  /// Events per batch: lane arrays of this many events stay in the L1/L2 caches. 128 rather than
  /// 64 halves each layer's per-batch cost (a virtual call, the kernel's set-up, its plan
  /// constants into registers) per event: `l1emu bench` on 2 threads measured vae_paper +4 %,
  /// AXOL1TL v5 +7 %, v3 +9 % on a 2-core Xeon with AVX-512 (48 KiB L1D); 256 was slower than 128
  /// for all three (a 57-input layer's rows no longer fit the L1).
  static constexpr std::size_t kBatch = 128;  // kernels size their stack scratch for at most 256

  explicit CompiledModel(const Model& model);
  ~CompiledModel();
  CompiledModel(CompiledModel&&) noexcept;
  CompiledModel& operator=(CompiledModel&&) noexcept;

  /// Per-thread scratch: the lane arrays of one batch.
  class Workspace {
   public:
    ~Workspace();
    Workspace(Workspace&&) noexcept;
    /// Raw codes of array `index` (Model numbering) for event `e` of the last batch, value `k`
    /// (of a model input after evaluate_lanes from 32-bit codes: read from the caller's lanes).
    [[nodiscard]] std::int64_t code(std::size_t index, std::size_t k, std::size_t e) const;

    /// Per-layer timing (l1emu bench --profile): when on, every evaluation adds each kernel's
    /// wall time to layer_nanoseconds() (Model layer order). Off by default: it costs a clock
    /// read per layer and batch.
    void set_profiling(bool on);
    [[nodiscard]] const std::vector<double>& layer_nanoseconds() const;
    [[nodiscard]] std::uint64_t profiled_events() const;

    struct Impl;  // opaque: the lane arrays and profile of one thread

   private:
    friend class CompiledModel;
    Workspace();
    std::unique_ptr<Impl> impl_;
  };
  [[nodiscard]] Workspace make_workspace() const;

  /// Where evaluate_lanes puts the outputs: event-major (count rows of output_width() codes) or
  /// lane-major (output_width() rows of kBatch codes, the first `count` of each valid), which saves
  /// the transposition when the caller reads a few outputs of many events.
  enum class OutputLayout { event_major, lane_major };

  /// Evaluates `count` <= kBatch events. `inputs` holds count rows of input_width() codes (all
  /// model inputs concatenated); `outputs` receives count rows of output_width() codes.
  void evaluate(Workspace& ws, const std::int64_t* inputs, std::size_t count, std::int64_t* outputs) const;

  /// The same with the inputs already in lanes: `lanes` holds, for each input value k (all model
  /// inputs concatenated), kBatch codes, one per event (structure of arrays, as a feature builder
  /// fills them); the first `count` events are valid, and the lanes past them must still hold codes
  /// of the input types (an earlier batch's, or zeros): the kernels compute every lane. Saves the
  /// transposition of evaluate().
  void evaluate_lanes(Workspace& ws, const std::int64_t* lanes, std::size_t count, std::int64_t* outputs,
                      OutputLayout layout = OutputLayout::event_major) const;
  /// The same from 32-bit codes (every input type at most 32 bits wide: see inputs_fit_32_bits()),
  /// half the memory traffic of a stream of 64-bit codes; where the plan's lanes are 32-bit, the
  /// kernels read them in place (no copy), so the caller keeps them unchanged during the call.
  void evaluate_lanes(Workspace& ws, const std::int32_t* lanes, std::size_t count, std::int64_t* outputs,
                      OutputLayout layout = OutputLayout::event_major) const;
  /// True when every input code fits a signed 32-bit integer.
  [[nodiscard]] bool inputs_fit_32_bits() const;

  /// False when some type is wider than 62 bits; such models run on the reference evaluator only.
  [[nodiscard]] static bool supports(const Model& model, std::string* why = nullptr);

  [[nodiscard]] const Model& model() const { return *model_; }
  [[nodiscard]] std::size_t input_width() const;
  [[nodiscard]] std::size_t output_width() const;
  /// One line per layer: lane width and kernel ("Dense int32 wrap-sum, 1711/1824 nonzero weights").
  [[nodiscard]] std::vector<std::string> describe() const;

  struct Plan;

 private:
  template <class Code>
  void evaluate_from_lanes(Workspace& ws, const Code* lanes, std::size_t count, std::int64_t* outputs, OutputLayout layout) const;

  const Model* model_;
  std::unique_ptr<Plan> plan_;
};

}  // namespace l1emu::emu

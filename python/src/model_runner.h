#pragma once
// ModelRunner: evaluates a model on a matrix of events held elsewhere (a numpy array's memory),
// bit-exactly, on several threads, writing the codes or exact values of chosen arrays straight
// into the caller's (N, size) buffers. No Python here: the bindings hand it raw pointers and
// release the GIL while it runs.
//
// The compiled engine is fed as l1emu bench feeds it: inputs converted once into lanes (structure
// of arrays, int32 where the input types allow), outputs read lane-major; the reference engine
// (the specification) evaluates event by event. Both give the same codes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::python {

/// Element type of the input matrix: floats are values (converted as hls4ml's test bench does),
/// integers are raw codes of the input types.
enum class InputKind { float32, float64, int8, int16, int32, int64, uint8, uint16, uint32 };

/// A strided 2-D view: event r, value k (all model inputs concatenated) at data + r*row_stride + k*col_stride.
struct InputMatrix {
  const char* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::ptrdiff_t row_stride = 0;  // bytes
  std::ptrdiff_t col_stride = 0;  // bytes
  InputKind kind = InputKind::float32;
};

/// One array of the model written for every event into a row-major (rows, size) buffer: raw codes
/// (int64) or values code x 2^-F (float64, exact or a failure).
struct Destination {
  std::size_t array_index = 0;  // Model numbering: inputs, then layers
  std::string name;
  std::size_t size = 0;
  int fractional_bits = 0;
  double lsb = 1.0;  // 2^-fractional_bits
  /// True when every code of the array's type has an exact double code x lsb (width <= 53 bits,
  /// |F| <= 960): values then need no check.
  bool values_exact = false;
  std::int64_t* codes = nullptr;
  double* values = nullptr;
};

/// The first bad value met (lowest event, then position): the bindings raise it as ValueError.
struct Failure {
  std::size_t row = 0;
  std::size_t col = 0;
  std::string what;  // "x[row, col] ..." or "output 'name' ..." without the prefix
};

enum class Engine { compiled, reference };

class ModelRunner {
 public:
  /// `model` must outlive the runner. Compiles the model when the compiled engine supports it.
  explicit ModelRunner(const emu::Model& model);
  ~ModelRunner();

  [[nodiscard]] const emu::Model& model() const { return *model_; }
  /// False when some type is wider than 62 bits (then `why` says which): the reference runs instead.
  [[nodiscard]] bool compiled_available() const { return compiled_ != nullptr; }
  [[nodiscard]] const std::string& why_not_compiled() const { return why_not_compiled_; }
  [[nodiscard]] std::size_t input_width() const { return input_width_; }

  /// Evaluates every event of `x` (x.cols == input_width()) and fills `destinations`. `threads` 0:
  /// all cores. Returns the first bad input or unrepresentable value instead of throwing, since it
  /// runs without the GIL.
  [[nodiscard]] std::optional<Failure> run(const InputMatrix& x, Engine engine, unsigned threads,
                                           const std::vector<Destination>& destinations) const;

 /// The input converters of one run (model_runner.cpp).
  struct Converters;

 private:
  std::optional<Failure> run_compiled(const InputMatrix& x, const Converters& conv, std::size_t first_batch, std::size_t end_batch,
                                      const std::vector<Destination>& destinations) const;
  std::optional<Failure> run_reference(const InputMatrix& x, std::size_t first, std::size_t end,
                                       const std::vector<Destination>& destinations) const;

  const emu::Model* model_;
  std::unique_ptr<emu::CompiledModel> compiled_;
  std::string why_not_compiled_;
  std::size_t input_width_ = 0;
  std::vector<std::size_t> column_input_;  // for each input value k, the model input it belongs to
};

}  // namespace l1emu::python

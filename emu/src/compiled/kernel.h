#pragma once
// Internal pieces of the compiled plan: lane storage and the kernel interface.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/nn/layer.h"

namespace l1emu::emu::compiled {

/// 64-byte aligned storage, so that lane rows start on vector (and cache-line) boundaries.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  explicit AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{64}); }
  bool operator==(const AlignedAllocator&) const { return true; }
};

/// All arrays of one batch, structure of arrays: value i of array a for event e is at
/// base[a][i * batch + e], where base[a] is data + offset[a] after bind(), except that the model's
/// input arrays may point at the caller's lanes (evaluate_lanes reads them in place; no kernel
/// writes an input array).
template <class T>
struct LaneArrays {
  std::size_t batch = 0;
  std::vector<std::size_t> offset;
  std::vector<T, AlignedAllocator<T>> data;
  std::vector<T*> base;

  /// Points every array at its own storage.
  void bind() {
    base.resize(offset.size());
    for (std::size_t a = 0; a < offset.size(); ++a) base[a] = data.data() + offset[a];
  }
  T* row(std::size_t array, std::size_t value) { return base[array] + value * batch; }
  const T* row(std::size_t array, std::size_t value) const { return base[array] + value * batch; }
};

/// One layer of the plan. `inputs` and `output` are array indices (Model numbering).
template <class T>
class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void run(LaneArrays<T>& arrays, std::size_t n) const = 0;
  [[nodiscard]] virtual std::string describe() const = 0;
  /// Plan-time fusion: takes over the work of `next` (the following layer's kernel) when both can
  /// run as one pass; then `next` does nothing. Default: no.
  virtual bool absorb(Kernel& /*next*/) { return false; }

  std::vector<std::size_t> inputs;
  std::size_t output = 0;
};

/// Lane width in bits of T.
template <class T>
constexpr int kLaneBits = static_cast<int>(sizeof(T) * 8);

/// Converter from a code range of `source_frac` fraction bits into `to`; false if T cannot hold it.
template <class T>
bool make_converter(int source_frac, const CodeRange& source, const FixedType& to, LaneConverter& out) {
  return LaneConverter::make(source_frac, source, to, kLaneBits<T>, out);
}

/// The largest |code| in a list of codes (for product-range proofs).
Int128 max_abs(const std::vector<BigInt>& codes);

/// Range arithmetic for the plan-time proofs.
CodeRange product_range(const CodeRange& a, const CodeRange& b);
inline CodeRange shifted(const CodeRange& r, int s) { return {r.lo * (static_cast<Int128>(1) << s), r.hi * (static_cast<Int128>(1) << s)}; }
inline CodeRange sum(const CodeRange& a, const CodeRange& b) { return {a.lo + b.lo, a.hi + b.hi}; }
inline CodeRange difference(const CodeRange& a, const CodeRange& b) { return {a.lo - b.hi, a.hi - b.lo}; }
inline CodeRange unite(const CodeRange& a, const CodeRange& b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

/// v * 2^s on a lane, modulo the lane width (the proofs guarantee no bits are lost where it matters).
template <class T>
T shl(T v, int s) {
  return static_cast<T>(static_cast<std::make_unsigned_t<T>>(v) << s);
}

template <class T>
using KernelPtr = std::unique_ptr<Kernel<T>>;

/// Factories: nullptr when the layer cannot be proven to fit lanes of T (the plan then uses the
/// reference kernel for it).
template <class T>
KernelPtr<T> make_dense_kernel(const Layer& layer);
template <class T>
KernelPtr<T> make_elementwise_kernel(const Layer& layer);
template <class T>
KernelPtr<T> make_reduction_kernel(const Layer& layer);
template <class T>
KernelPtr<T> make_merge_kernel(const Layer& layer);
/// Convolutions, pooling and the gather layers (padding, cropping, upsampling, reshape).
template <class T>
KernelPtr<T> make_spatial_kernel(const Layer& layer);
/// Table activations (Sigmoid, TanH, ...), PReLU, ThresholdedReLU, HardSigmoid/HardTanh, Softmax.
template <class T>
KernelPtr<T> make_table_kernel(const Layer& layer);
/// Wraps a 64-bit kernel for a plan of 32-bit lanes (its input and output arrays fit 32 bits):
/// widens the inputs, runs it, narrows the output. `array_sizes` gives each array's value count.
KernelPtr<std::int32_t> make_widened_kernel(KernelPtr<std::int64_t> inner, std::vector<std::size_t> array_sizes);
/// Runs the reference Layer::evaluate per event (always possible while result codes fit T).
template <class T>
KernelPtr<T> make_reference_kernel(const Layer& layer);

}  // namespace l1emu::emu::compiled

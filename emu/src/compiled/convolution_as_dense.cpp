// A convolution compiled as the Dense it equals: output (pixel p, filter f) is a Dense output whose
// terms are the window's inputs. hls4ml's conv_*_latency_cl adds window element k = 0..K-1 in order,
// and the input index of element k grows with k (kh, then kw, then c: rows, columns and channels
// of the channels-last input all advance), so the Dense rule's input order is the convolution's
// order; padded cells and the zero weights outside the window add (0)->accum_t, which changes no
// accumulator under any overflow mode. The Dense kernels then bring their vector forms (sparse
// column lists, 16-bit products) to convolutions whose expanded matrix stays small.
#include <cstdint>
#include <memory>
#include <string>

#include "kernel.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/dense.h"

namespace l1emu::emu::compiled {
namespace {

// The expanded matrix is n_in x n_out codes at plan time; past this the window kernel is used.
constexpr std::size_t kMaxExpandedWeights = std::size_t{1} << 20;

template <class T>
class ConvolutionAsDense final : public Kernel<T> {
 public:
  std::unique_ptr<Dense> dense;  // owns the layer the inner kernel was planned from
  KernelPtr<T> inner;
  void run(LaneArrays<T>& arrays, std::size_t n) const override { inner->run(arrays, n); }
  void arrays_bound() override {
    inner->inputs = this->inputs;
    inner->output = this->output;
    inner->arrays_bound();
  }
  std::string describe() const override { return "convolution as a Dense over the whole input: " + inner->describe(); }
};

}  // namespace

template <class T>
KernelPtr<T> make_convolution_as_dense(const Layer& layer) {
  const auto* conv = dynamic_cast<const Convolution*>(&layer);
  if (conv == nullptr) return nullptr;
  const auto& cfg = conv->config();
  const ArraySpec& in = layer.inputs()[0];
  const std::size_t n_in = in.size, n_out = layer.output_size(), n_filt = cfg.n_filt, window = conv->window_size();
  if (n_in * n_out > kMaxExpandedWeights) return nullptr;
  // conv_*_resource_cl adds the window in its reuse-loop order, not in input order; the Dense in
  // input order gives the same codes only where the accumulation is modular (WRAP without
  // saturation bits: sums of accum_t codes need no rounding, so any order is exact).
  const auto& order = conv->accumulation_order();
  bool in_order = true;
  for (std::size_t t = 0; t < order.size(); ++t) in_order = in_order && order[t] == t;
  if (!in_order && !(cfg.accum_t.overflow == Overflow::Wrap && cfg.accum_t.saturation_bits == 0)) return nullptr;
  Dense::Config d;
  d.n_out = n_out;
  d.weight_t = cfg.weight_t;
  d.bias_t = cfg.bias_t;
  d.accum_t = cfg.accum_t;
  d.result_t = cfg.result_t;
  d.weights.assign(n_in * n_out, BigInt(0));
  d.biases.resize(n_out);
  for (std::size_t p = 0; p * n_filt < n_out; ++p) {
    long previous = -1;
    for (std::size_t k = 0; k < window; ++k) {
      const long i = conv->window_input(p, k);
      if (i < 0) continue;
      if (i <= previous) return nullptr;  // not in input order: keep the window kernel's order
      previous = i;
      for (std::size_t f = 0; f < n_filt; ++f) d.weights[static_cast<std::size_t>(i) * n_out + p * n_filt + f] = cfg.weights[k * n_filt + f];
    }
    for (std::size_t f = 0; f < n_filt; ++f) d.biases[p * n_filt + f] = cfg.biases[f];
  }
  auto k = std::make_unique<ConvolutionAsDense<T>>();
  k->dense = std::make_unique<Dense>(layer.name(), in, std::move(d));
  k->inner = make_dense_kernel<T>(*k->dense);
  if (!k->inner) return nullptr;
  return k;
}

template KernelPtr<std::int32_t> make_convolution_as_dense<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_convolution_as_dense<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled

// A convolution computed window by window on int32 lanes (the direct form), for WRAP accumulators
// (hls4ml's conv_*_latency_cl is dense_latency on each pixel's im2col window; with a plain WRAP
// accum_t narrower than the lane the low bits of the sum do not depend on when it wraps, so the
// products are added modulo 2^32 in any order and wrapped once, as DenseArithmetic's wrap-sum).
// Each output pixel reads its window's input rows straight from the lanes and keeps each filter's
// sum for 64 events in four vector registers; the pixel's rows of the output are written once.
// The following ReLU or Linear layer (nnet::relu / nnet::linear on the result_t codes) can be
// applied in the same pass over a few pixels at a time while their rows are still in the L1 cache
// (absorb): the convolution's own array is still written (traces and Workspace::code read it),
// but the activation no longer reads it back from L2 in a pass of its own.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/nn/layers/convolution.h"

namespace l1emu::emu::compiled {
namespace {

// 16 int32 lanes (GCC vector extension: one zmm with AVX-512, two ymm or four xmm otherwise).
typedef std::uint32_t Lanes16 __attribute__((vector_size(64)));
typedef std::int32_t SignedLanes16 __attribute__((vector_size(64)));
constexpr std::size_t kVector = 16;
// Output rows per epilogue pass: 32 rows of a 128-event batch are 16 KB, inside L1.
constexpr std::size_t kChunkRows = 32;

class DirectConvolution final : public Kernel<std::int32_t> {
 public:
  using T = std::int32_t;
  struct Term {
    std::size_t input;  // input row
    std::size_t k;      // window element (weights[k * n_filt + f])
  };
  std::string name;
  std::size_t n_filt = 0, window = 0;
  std::vector<std::vector<Term>> terms;  // per pixel: the window's cells inside the input (a padded cell adds 0)
  std::vector<T> weights;                // [k * n_filt + f]
  std::vector<T> bias;                   // (accum_t)bias per filter
  // Products: exact and summed, then (sum << up) + bias (up > 0 when accum_t has more fraction
  // bits than x*w: shifting the modular sum equals summing the shifted products); or rounded one
  // by one, (x*w + round_bias) >> round_shift (TRN, RND), then summed.
  int up = 0;
  bool rounded = false;
  T round_bias = 0;
  int round_shift = 0;
  LaneConverter accumulate;  // the final wrap into accum_t (a no-op where the sum's range fits)
  LaneConverter result;      // accum_t -> result_t
  // The absorbed activation (ReLU or Linear) and its output array.
  bool fused = false;
  EpilogueActivation activation;
  std::size_t activation_output = 0;
  std::string activation_name;

  static bool identity(const LaneConverter& c) { return c.shift == 0 && !c.check_overflow; }

  bool absorb(Kernel<T>& next) override {
    EpilogueActivation a;
    if (fused || next.inputs.size() != 1 || next.inputs[0] != this->output || !next.epilogue_activation(a)) return false;
    if (a.leaky) return false;  // the epilogue applies a ReLU or a Linear only (a LeakyReLU runs as its own pass)
    activation = a;
    activation_output = next.output;
    activation_name = next.describe();
    next.computed_by_previous();
    fused = true;
    return true;
  }

  // The sums of pixel p for every filter into its output rows, 64 (then 16, then 1) events at a time.
  void sum_pixel(LaneArrays<T>& arrays, std::size_t p, std::size_t batch) const {
    const std::vector<Term>& window_terms = terms[p];
    // The rows of the pixel after next, fetched ahead: a model's input lanes often come from
    // beyond the L2 cache (a feature builder's or the bench's pool), and the window's rows jump
    // between image rows, which the hardware prefetchers follow late (README, Benchmarks).
    if (p + 2 < terms.size()) {
      for (const Term& t : terms[p + 2]) {
        const char* r = reinterpret_cast<const char*>(arrays.row(this->inputs[0], t.input));
        for (std::size_t at = 0; at < batch * sizeof(T); at += 64) __builtin_prefetch(r + at, 0, 3);
      }
    }
    const T init_bias_scale = up == 0 ? 1 : 0;  // with up > 0 the bias is added after the shift
    for (std::size_t f = 0; f < n_filt; ++f) {
      T* y = arrays.row(this->output, p * n_filt + f);
      const auto b = static_cast<std::uint32_t>(bias[f] * init_bias_scale);
      std::size_t e = 0;
      for (; e + 4 * kVector <= batch; e += 4 * kVector) {
        Lanes16 a[4];
        for (Lanes16& v : a) v = Lanes16{} + b;
        for (const Term& t : window_terms) {
          const T w = weights[t.k * n_filt + f];
          const T* x = arrays.row(this->inputs[0], t.input) + e;
          for (std::size_t j = 0; j < 4; ++j) add_product(a[j], x + j * kVector, w);
        }
        for (std::size_t j = 0; j < 4; ++j) std::memcpy(y + e + j * kVector, &a[j], sizeof(Lanes16));
      }
      for (; e + kVector <= batch; e += kVector) {
        Lanes16 a = Lanes16{} + b;
        for (const Term& t : window_terms) add_product(a, arrays.row(this->inputs[0], t.input) + e, weights[t.k * n_filt + f]);
        std::memcpy(y + e, &a, sizeof(Lanes16));
      }
      for (; e < batch; ++e) {
        std::uint32_t a = b;
        for (const Term& t : window_terms) {
          const T x = arrays.row(this->inputs[0], t.input)[e], w = weights[t.k * n_filt + f];
          a += rounded ? static_cast<std::uint32_t>(static_cast<T>(static_cast<T>(x * w) + round_bias) >> round_shift)
                       : static_cast<std::uint32_t>(x) * static_cast<std::uint32_t>(w);
        }
        y[e] = static_cast<T>(a);
      }
    }
  }

  // a += x*w modulo 2^32, or the product rounded first (the plan proved x*w fits the lane).
  void add_product(Lanes16& a, const T* x, T w) const {
    if (rounded) {
      SignedLanes16 v;
      std::memcpy(&v, x, sizeof(v));
      v = (v * w + round_bias) >> round_shift;
      Lanes16 q;
      std::memcpy(&q, &v, sizeof(q));
      a += q;
    } else {
      Lanes16 v;
      std::memcpy(&v, x, sizeof(v));
      a += v * static_cast<std::uint32_t>(w);
    }
  }

  template <class C>
  static void shift_add_bias(T* __restrict row, std::size_t batch, int s, std::uint32_t b, C into_accum) {
    for (std::size_t e = 0; e < batch; ++e) row[e] = into_accum(static_cast<T>((static_cast<std::uint32_t>(row[e]) << s) + b));
  }
  template <class C>
  static void relu_rows(const T* __restrict x, T* __restrict y, std::size_t count, C pos) {
    for (std::size_t e = 0; e < count; ++e) y[e] = x[e] > 0 ? pos(x[e]) : T{0};
  }
  template <class C>
  static void linear_rows(const T* __restrict x, T* __restrict y, std::size_t count, C pos) {
    for (std::size_t e = 0; e < count; ++e) y[e] = pos(x[e]);
  }

  void run(LaneArrays<T>& arrays, std::size_t) const override {
    // Every lane of the batch is computed (lanes past n hold earlier valid codes).
    const std::size_t batch = arrays.batch;
    const std::size_t pixels = terms.size();
    const std::size_t chunk = std::max<std::size_t>(1, kChunkRows / n_filt);
    for (std::size_t p0 = 0; p0 < pixels; p0 += chunk) {
      const std::size_t p1 = std::min(pixels, p0 + chunk);
      for (std::size_t p = p0; p < p1; ++p) sum_pixel(arrays, p, batch);
      // The epilogue over these pixels' rows (contiguous: row p*n_filt + f), while they are in L1.
      T* c = arrays.row(this->output, p0 * n_filt);
      const std::size_t rows = (p1 - p0) * n_filt, count = rows * batch;
      if (up != 0 || !identity(accumulate)) {
        lanes::with_converter<T>(accumulate, [&](auto into_accum) {
          for (std::size_t r = 0; r < rows; ++r) {
            const auto b = static_cast<std::uint32_t>(up != 0 ? bias[(p0 * n_filt + r) % n_filt] : 0);
            shift_add_bias(c + r * batch, batch, up, b, into_accum);
          }
        });
      }
      if (!identity(result)) lanes::convert<T>(c, c, count, result);
      if (fused) {
        T* y = arrays.row(activation_output, p0 * n_filt);
        lanes::with_converter<T>(activation.positive, [&](auto pos) {
          if (activation.relu) {
            relu_rows(c, y, count, pos);
          } else {
            linear_rows(c, y, count, pos);
          }
        });
      }
    }
  }

  std::string describe() const override {
    std::string d = std::string("direct int32 wrap-sum windows (") + (rounded ? "rounded products" : "exact products") + ", " +
                    std::to_string(window) + " terms x " + std::to_string(n_filt) + " filters per pixel in registers)";
    if (fused) d += "; applies the next layer in its epilogue (" + activation_name + ")";
    return d;
  }
};

// The range of sum over the window of (x*w) for filter f, exact products.
CodeRange exact_sum_range(const CodeRange& x, const std::vector<BigInt>& weights, std::size_t window, std::size_t n_filt, std::size_t f) {
  CodeRange s{0, 0};
  for (std::size_t k = 0; k < window; ++k) {
    const auto w = static_cast<Int128>(weights[k * n_filt + f].convert_to<long long>());
    s = sum(s, product_range(x, {w, w}));
  }
  return s;
}

}  // namespace

template <>
KernelPtr<std::int32_t> make_convolution_direct<std::int32_t>(const Layer& layer) {
  using T = std::int32_t;
  const auto* conv = dynamic_cast<const Convolution*>(&layer);
  if (conv == nullptr) return nullptr;
  const auto& cfg = conv->config();
  const ArraySpec& in = layer.inputs()[0];
  auto k = std::make_unique<DirectConvolution>();
  DenseArithmetic<T> arith;
  if (!arith.plan(in.type, cfg.weights, cfg.weight_t, cfg.biases, cfg.bias_t, cfg.accum_t, cfg.result_t)) return nullptr;
  // Modular sums only: any order is exact (the Resource strategy's order too).
  if (!arith.wrap_sum) return nullptr;
  const LaneConverter& pr = arith.product_rounding;
  const lanes::ConverterShape shape = lanes::converter_shape(pr);
  if (pr.shift > 0) {
    // Rounded one by one by a shift with a fixed bias (TRN, RND); the other modes go elsewhere.
    if (shape.rounding != 1) return nullptr;
    // TRN products into a narrow accumulator: the 16-bit split kernel (as a Dense over the whole
    // input) holds twice the events per vector.
    if (cfg.accum_t.width <= 16 && pr.bias == 0) return nullptr;
    k->rounded = true;
    k->round_bias = static_cast<T>(pr.bias);
    k->round_shift = pr.shift;
  } else {
    k->up = -pr.shift;
  }
  k->name = layer.name();
  k->n_filt = cfg.n_filt;
  k->window = conv->window_size();
  for (const BigInt& w : cfg.weights) k->weights.push_back(w.convert_to<T>());
  k->bias = arith.bias;
  k->result = arith.result;
  k->accumulate = arith.accumulate;
  if (!k->rounded) {
    // The final wrap is a no-op where every filter's exact sum, bias included, lies in accum_t:
    // the converter built from that range says so (check_overflow false).
    const CodeRange x = code_range(in.type);
    CodeRange all{0, 0};
    bool first = true;
    for (std::size_t f = 0; f < cfg.n_filt; ++f) {
      const CodeRange s = sum(shifted(exact_sum_range(x, cfg.weights, k->window, cfg.n_filt, f), k->up), {k->bias[f], k->bias[f]});
      all = first ? s : unite(all, s);
      first = false;
    }
    LaneConverter tight;
    if (make_converter<T>(cfg.accum_t.fractional_bits(), all, cfg.accum_t, tight) && !tight.check_overflow) k->accumulate = tight;
  }
  const auto& g = cfg.geometry;
  const std::size_t pixels = g.out_height * g.out_width;
  k->terms.resize(pixels);
  for (std::size_t p = 0; p < pixels; ++p) {
    for (std::size_t kk = 0; kk < k->window; ++kk) {
      const long i = conv->window_input(p, kk);
      if (i >= 0) k->terms[p].push_back({static_cast<std::size_t>(i), kk});
    }
  }
  return k;
}

template <>
KernelPtr<std::int64_t> make_convolution_direct<std::int64_t>(const Layer&) {
  return nullptr;  // 64-bit plans keep the column kernels
}

}  // namespace l1emu::emu::compiled

// The spatial layers compiled (references: emu/src/nn/layers/{convolution,pooling,gather_layer}.cpp).
// - Gather (ZeroPadding, Cropping, UpSampling, Flatten, Reshape): each output row is an input
//   row converted to result_t (a plain copy when the conversion is the identity) or zeros.
// - Convolution: conv_*_latency_cl is dense_latency on each output pixel's im2col window, so
//   each (pixel, filter) is a Dense column whose terms are the window's inputs with the kernel's
//   weights; padded cells and zero weights add nothing (acc + 0 is already an accum_t value).
//   The column lists are built once at plan time and run with the Dense kernel's arithmetic.
//   Tried first: the direct kernel (convolution_direct_kernel.cpp, WRAP accumulators on int32
//   lanes), then the Dense over the whole input (convolution_as_dense.cpp), then these columns.
// - Pooling: max is a lane max over the window (pad cells are the pad_val constant), then
//   ->accum_t ->result_t; average adds the inside cells with ->accum_t after each, then divides
//   the code by the overlap with C's truncating division, then ->result_t.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "kernel.h"
#include "l1emu/emu/nn/layers/convolution.h"
#include "l1emu/emu/nn/layers/gather_layer.h"
#include "l1emu/emu/nn/layers/pooling.h"

namespace l1emu::emu::compiled {
namespace {

template <class T>
class GatherKernel final : public Kernel<T> {
 public:
  std::vector<long> sources;
  LaneConverter conversion;
  bool copy = false;      // the conversion is the identity on every input code
  bool aliased = false;   // the output shares the input's storage: nothing to do

  [[nodiscard]] bool copies_input_unchanged() const override {
    for (std::size_t o = 0; o < sources.size(); ++o) {
      if (sources[o] != static_cast<long>(o)) return false;
    }
    return copy;
  }
  void alias() override { aliased = true; }

  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    if (aliased) return;
    for (std::size_t o = 0; o < sources.size(); ++o) {
      T* y = arrays.row(this->output, o);
      if (sources[o] < 0) {
        std::fill(y, y + n, T{0});
      } else if (copy) {
        std::memcpy(y, arrays.row(this->inputs[0], static_cast<std::size_t>(sources[o])), n * sizeof(T));
      } else {
        lanes::convert<T>(arrays.row(this->inputs[0], static_cast<std::size_t>(sources[o])), y, n, conversion);
      }
    }
  }
  std::string describe() const override {
    if (aliased) return "the input's lanes, unchanged (no copy)";
    return copy ? "gather (row copies)" : "gather (rows converted to result_t)";
  }
};

template <class T>
KernelPtr<T> make_gather(const GatherLayer& layer) {
  auto k = std::make_unique<GatherKernel<T>>();
  const ArraySpec& in = layer.inputs()[0];
  if (!make_converter<T>(in.type.fractional_bits(), code_range(in.type), layer.result_type(), k->conversion)) return nullptr;
  k->copy = k->conversion.shift == 0 && !k->conversion.check_overflow;
  k->sources = layer.sources();
  return k;
}

template <class T>
class ConvolutionKernel final : public Kernel<T>, public DenseArithmetic<T> {
 public:
  using DenseArithmetic<T>::product;
  using DenseArithmetic<T>::product_rounding;
  using DenseArithmetic<T>::accumulate;
  using DenseArithmetic<T>::result;
  using DenseArithmetic<T>::wrap_sum;
  using DenseArithmetic<T>::bias;  // per filter
  struct Term {
    std::size_t input;
    T weight;
  };
  std::size_t n_filt = 0;
  std::vector<std::vector<Term>> columns;  // index pixel*n_filt + f: the window's nonzero terms in k order
  std::size_t nonzero = 0, total = 0;

  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    alignas(64) T acc[256];  // CompiledModel::kBatch <= 256
    alignas(64) T term[256];
    for (std::size_t col = 0; col < columns.size(); ++col) {
      for (std::size_t e = 0; e < n; ++e) acc[e] = bias[col % n_filt];
      if (wrap_sum) {
        // The low bits of a WRAP accumulator do not depend on when it wraps: add the rounded
        // products modulo 2^lane and wrap once (as the Dense kernel does).
        lanes::with_converter<T>(product_rounding, [&](auto round) {
          using U = std::make_unsigned_t<T>;
          for (const Term& t : columns[col]) {
            const T* x = arrays.row(this->inputs[0], t.input);
            for (std::size_t e = 0; e < n; ++e) acc[e] = static_cast<T>(static_cast<U>(acc[e]) + static_cast<U>(round(static_cast<T>(x[e] * t.weight))));
          }
        });
      } else {
        for (const Term& t : columns[col]) {
          const T* x = arrays.row(this->inputs[0], t.input);
          for (std::size_t e = 0; e < n; ++e) term[e] = static_cast<T>(x[e] * t.weight);
          lanes::convert<T>(term, term, n, product);
          for (std::size_t e = 0; e < n; ++e) acc[e] = static_cast<T>(acc[e] + term[e]);
          lanes::convert<T>(acc, acc, n, accumulate);  // after every term: the order matters under SAT
        }
      }
      if (wrap_sum) lanes::convert<T>(acc, acc, n, accumulate);
      lanes::convert<T>(acc, arrays.row(this->output, col), n, result);
    }
  }
  std::string describe() const override {
    return std::string(sizeof(T) == 4 ? "int32" : "int64") + (wrap_sum ? " wrap-sum" : " ordered-sum") + " im2col columns, " +
           std::to_string(nonzero) + "/" + std::to_string(total) + " nonzero window terms";
  }
};

template <class T>
KernelPtr<T> make_convolution(const Convolution& conv) {
  const auto& cfg = conv.config();
  const ArraySpec& in = conv.inputs()[0];
  auto k = std::make_unique<ConvolutionKernel<T>>();
  k->n_filt = cfg.n_filt;
  // The Dense kernel's steps and proofs: each window is a dense_latency sum.
  if (!k->plan(in.type, cfg.weights, cfg.weight_t, cfg.biases, cfg.bias_t, cfg.accum_t, cfg.result_t)) return nullptr;

  const auto& g = cfg.geometry;
  const std::size_t pixels = g.out_height * g.out_width, n_k = conv.window_size();
  k->columns.resize(pixels * cfg.n_filt);
  k->total = k->columns.size() * n_k;
  for (std::size_t p = 0; p < pixels; ++p) {
    for (std::size_t f = 0; f < cfg.n_filt; ++f) {
      // The terms in the layer's accumulation order (Resource: conv_*_resource_cl's reuse loop), so
      // the ordered sum adds them as hls4ml does under any overflow mode.
      for (const std::size_t kk : conv.accumulation_order()) {
        const long i = conv.window_input(p, kk);
        const BigInt& w = cfg.weights[kk * cfg.n_filt + f];
        if (i < 0 || w == 0) continue;
        k->columns[p * cfg.n_filt + f].push_back({static_cast<std::size_t>(i), w.convert_to<T>()});
        ++k->nonzero;
      }
    }
  }
  return k;
}

template <class T>
class PoolingKernel final : public Kernel<T> {
 public:
  struct Window {
    std::vector<long> cells;  // input index per window cell in row-major order, -1 for a pad cell
    T overlap = 1;            // cells inside the input
  };
  bool max = true;
  std::vector<Window> windows;  // per output value

  // trunc0(c / d) for every lane. On int32 lanes through a multiplication by the double nearest
  // 1/d, which vectorises where the integer division does not (and costs less than a vector
  // division): c * (1/d) lies within |c| * 2^-52 of c/d, so truncating it gives trunc0(c/d) except
  // when c/d is an integer k and the product lands just short of it (k -+ 1; a c/d that is not an
  // integer lies at least 1/d from every integer, d < 2^20 here). The remainder c - q*d then equals
  // +-d, and one step corrects it.
  static void divide_toward_zero(T* __restrict acc, std::size_t n, T d) {
    if constexpr (sizeof(T) == 4) {
      if (d < (T{1} << 20)) {
        const double inverse = 1.0 / static_cast<double>(d);
        for (std::size_t e = 0; e < n; ++e) {
          const T c = acc[e];
          T q = static_cast<T>(static_cast<double>(c) * inverse);
          const T r = static_cast<T>(c - q * d);
          q = static_cast<T>(q + (r >= d ? 1 : 0) - (r <= -d ? 1 : 0));
          acc[e] = q;
        }
        return;
      }
    }
    for (std::size_t e = 0; e < n; ++e) acc[e] = static_cast<T>(acc[e] / d);
  }
  T pad = 0;                    // max: pad_val of the input type
  int cell_shift = 0, sum_shift = 0;  // average: the cell and the running sum aligned to the finer LSB
  LaneConverter to_accum;             // max: cell -> accum_t; average: aligned sum -> accum_t
  LaneConverter result;               // accum_t -> result_t

  void run(LaneArrays<T>& arrays, std::size_t n) const override {
    alignas(64) T acc[256];
    for (std::size_t o = 0; o < windows.size(); ++o) {
      const Window& w = windows[o];
      if (max) {
        // m = cell_0; m = cell_p > m ? cell_p : m: the order does not change a maximum.
        const long first = w.cells[0];
        if (first < 0) {
          std::fill(acc, acc + n, pad);
        } else {
          std::memcpy(acc, arrays.row(this->inputs[0], static_cast<std::size_t>(first)), n * sizeof(T));
        }
        for (std::size_t c = 1; c < w.cells.size(); ++c) {
          if (w.cells[c] < 0) {
            for (std::size_t e = 0; e < n; ++e) acc[e] = std::max(acc[e], pad);
          } else {
            const T* x = arrays.row(this->inputs[0], static_cast<std::size_t>(w.cells[c]));
            for (std::size_t e = 0; e < n; ++e) acc[e] = std::max(acc[e], x[e]);
          }
        }
        lanes::convert<T>(acc, acc, n, to_accum);
      } else {
        std::fill(acc, acc + n, T{0});
        // Each addition and its conversion to accum_t in one pass over the lanes.
        lanes::with_converter<T>(to_accum, [&](auto to) {
          for (const long cell : w.cells) {
            if (cell < 0) continue;  // a pad cell adds 0
            const T* __restrict x = arrays.row(this->inputs[0], static_cast<std::size_t>(cell));
            for (std::size_t e = 0; e < n; ++e) acc[e] = to(static_cast<T>(shl<T>(acc[e], sum_shift) + shl<T>(x[e], cell_shift)));
          }
        });
        // The code divided by the overlap, truncating toward zero (C integer division).
        if (w.overlap != 1) divide_toward_zero(acc, n, w.overlap);
      }
      lanes::convert<T>(acc, arrays.row(this->output, o), n, result);
    }
  }
  std::string describe() const override { return max ? "lane max over the window" : "lane sums, truncating division by the overlap"; }
};

template <class T>
KernelPtr<T> make_pooling(const Pooling& pool) {
  const auto& cfg = pool.config();
  const ArraySpec& in = pool.inputs()[0];
  auto k = std::make_unique<PoolingKernel<T>>();
  k->max = cfg.op == PoolingOp::Max;
  const CodeRange in_range = code_range(in.type);
  const CodeRange acc_range = code_range(cfg.accum_t);
  if (k->max) {
    // pad_val lies in the input type's code range (the top bit alone), so the max does too.
    k->pad = pool.pad_code().convert_to<T>();
    if (!make_converter<T>(in.type.fractional_bits(), in_range, cfg.accum_t, k->to_accum)) return nullptr;
  } else {
    const int frac = std::max(in.type.fractional_bits(), cfg.accum_t.fractional_bits());
    k->cell_shift = frac - in.type.fractional_bits();
    k->sum_shift = frac - cfg.accum_t.fractional_bits();
    if (k->cell_shift > 62 || k->sum_shift > 62) return nullptr;
    const CodeRange aligned = sum(shifted(acc_range, k->sum_shift), shifted(in_range, k->cell_shift));
    if (!fits_signed(aligned, kLaneBits<T>)) return nullptr;
    if (!make_converter<T>(frac, aligned, cfg.accum_t, k->to_accum)) return nullptr;
  }
  if (!make_converter<T>(cfg.accum_t.fractional_bits(), acc_range, cfg.result_t, k->result)) return nullptr;

  const auto& g = cfg.geometry;
  k->windows.resize(pool.output_size());
  for (std::size_t oh = 0; oh < g.out_height; ++oh) {
    for (std::size_t ow = 0; ow < g.out_width; ++ow) {
      for (std::size_t f = 0; f < g.channels; ++f) {
        auto& w = k->windows[(oh * g.out_width + ow) * g.channels + f];
        std::size_t overlap = 0;
        for (std::size_t kk = 0; kk < g.window_height; ++kk) {
          for (std::size_t ll = 0; ll < g.window_width; ++ll) {
            const long r = g.row(oh, kk), q = g.column(ow, ll);
            const bool inside = g.inside(r, q);
            overlap += inside ? 1 : 0;
            w.cells.push_back(inside ? static_cast<long>(g.input_index(r, q, f)) : -1);
          }
        }
        w.overlap = static_cast<T>(overlap);
      }
    }
  }
  return k;
}

}  // namespace

template <class T>
KernelPtr<T> make_spatial_kernel(const Layer& layer) {
  if (const auto* gather = dynamic_cast<const GatherLayer*>(&layer)) return make_gather<T>(*gather);
  if (const auto* conv = dynamic_cast<const Convolution*>(&layer)) {
    if (KernelPtr<T> k = make_convolution_direct<T>(layer)) return k;
    if (KernelPtr<T> k = make_convolution_as_dense<T>(layer)) return k;
    return make_convolution<T>(*conv);
  }
  if (const auto* pool = dynamic_cast<const Pooling*>(&layer)) return make_pooling<T>(*pool);
  return nullptr;
}

template KernelPtr<std::int32_t> make_spatial_kernel<std::int32_t>(const Layer&);
template KernelPtr<std::int64_t> make_spatial_kernel<std::int64_t>(const Layer&);

}  // namespace l1emu::emu::compiled
